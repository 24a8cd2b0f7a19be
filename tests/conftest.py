"""Fixtures for every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def one_thread() -> Iterator[None]:
    """One intra-op torch thread for the test, as the app computes and trains (set per thread, so the script
    thread's setting does not reach the test's): float sums then come out bit for bit the same as the app's,
    and repeated runs as each other. The previous count is restored after. A module asks for it with
    ``pytestmark = pytest.mark.usefixtures("one_thread")``."""
    import torch  # here, not at the top: the tests that do not need torch do not pay for its import

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
