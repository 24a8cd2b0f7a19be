"""Fixtures and the end-of-session summary of the robustness ("hostile input") suite.

Every test reports each hostile input it actually drove through the app with ``cases(page, n)``;
the summary line counts them: ``ROBUSTNESS: N hostile cases on P pages``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
for _path in (str(HERE.parents[1]), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import harness  # noqa: E402

_CASES = pytest.StashKey[dict]()


@pytest.fixture(scope="session", autouse=True)
def language_shim():
    harness.install_language_shim()
    yield
    harness.uninstall_language_shim()


@pytest.fixture(autouse=True)
def _forget_session_after_test(language_shim):
    """The shim follows only this suite's sessions: other suites run in the same process see the original."""
    yield
    harness.forget_current_session()


@pytest.fixture
def cases(request: pytest.FixtureRequest) -> Callable[..., None]:
    """``cases(page_url_path, n=1)``: record ``n`` hostile inputs driven through ``page``."""
    stash = request.config.stash.setdefault(_CASES, {"cases": 0, "pages": set(), "items": 0})
    stash["items"] += 1

    def record(page: str, n: int = 1) -> None:
        stash["cases"] += n
        stash["pages"].add(page)

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    stash = config.stash.get(_CASES, None)
    if not stash:
        return
    terminalreporter.write_line(
        f"ROBUSTNESS: {stash['cases']} hostile cases on {len(stash['pages'])} pages "
        f"({stash['items']} test items; registry lists {len(harness.PAGES)} pages)"
    )
