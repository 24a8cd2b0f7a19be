"""Memory the server has freed but still holds."""

from __future__ import annotations

import contextlib
import ctypes


def give_freed_memory_back() -> None:
    """Return freed heap pages to the system after a one-off burst of allocations (a timing at L = 4096,
    a training in a worker thread with its own allocator arena). glibc keeps such pages, and a Community
    Cloud container has little memory to spare. A no-op where there is no glibc."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
