"""give_freed_memory_back trims glibc's heap, and is harmless where there is no glibc."""

from __future__ import annotations

import ctypes

import pytest

from ui import memory


def test_calls_malloc_trim(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    class FakeLibc:
        def malloc_trim(self, pad: int) -> int:
            calls.append(pad)
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: FakeLibc())
    memory.give_freed_memory_back()
    assert calls == [0]


def test_no_glibc_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", missing)
    memory.give_freed_memory_back()


def test_returns_freed_pages_on_this_machine() -> None:
    def rss_kib() -> int:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

    blocks = [bytearray(4000) for _ in range(50_000)]  # ~200 MB in small blocks: heap, not mmap
    del blocks[:-1]  # keep the last block so the heap's top cannot shrink by itself
    held = rss_kib()
    memory.give_freed_memory_back()
    assert rss_kib() < held - 100_000
