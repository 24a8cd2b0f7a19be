"""Fixtures for the AppTest tests: a fresh app per test (about 0.2 s once torch is imported)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parent
REPO_ROOT = APP_DIR.parents[1]
ENTRY = REPO_ROOT / "streamlit_app.py"

# Import `core`, `ui` and the helper module `chart_data` whatever the cwd is.
for path in (str(REPO_ROOT), str(APP_DIR)):
    if path not in sys.path:
        sys.path.insert(0, path)

from streamlit.testing.v1 import AppTest  # noqa: E402


@pytest.fixture
def make_app() -> Callable[..., AppTest]:
    """``make_app(**query_params)``: a fresh AppTest, run once (a URL's query parameters seed widgets)."""

    def make(**query_params: object) -> AppTest:
        at = AppTest.from_file(str(ENTRY), default_timeout=60)
        for name, value in query_params.items():
            at.query_params[name] = str(value)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make


@pytest.fixture
def app(make_app) -> AppTest:
    """The app at its defaults (English, default sentence), run once."""
    return make_app()
