"""Fixtures for the AppTest tests: a fresh app per test (about 0.2 s once torch is imported)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parent
REPO_ROOT = APP_DIR.parents[1]

# Import `core`, `ui` and the helper modules `page_helpers` and `chart_data` whatever the cwd is.
for path in (str(REPO_ROOT), str(APP_DIR)):
    if path not in sys.path:
        sys.path.insert(0, path)

from page_helpers import open_page  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.navigation import PAGES  # noqa: E402


@pytest.fixture
def make_app() -> Callable[..., AppTest]:
    """``make_app(**query_params)``: a fresh AppTest at "/", run once (a URL's query parameters seed widgets)."""

    def make(**query_params: object) -> AppTest:
        return open_page(PAGES[0].url_path, root=True, **query_params)

    return make


@pytest.fixture
def app(make_app) -> AppTest:
    """The app at its defaults (English, default sentence), run once."""
    return make_app()


@pytest.fixture(scope="module")
def default_app(request: pytest.FixtureRequest) -> AppTest:
    """The test module's page (its ``PAGE``, a url path) opened at its defaults, once for the whole module: for
    the tests that only read what the page shows first."""
    return open_page(request.module.PAGE)
