"""Small helpers shared by the page tests: translated strings and widgets by key."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ui.i18n import STRINGS

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_app.py"


def tr(key: str, lang: str = "en", **values: object) -> str:
    """The app's string for ``key`` in ``lang``, filled in as the app fills it."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def widget(at: AppTest, key: str):
    """The widget with this key (sidebar or main), or None if the page did not draw it."""
    found = [node for node in [*at.sidebar, *at.main] if getattr(node, "key", None) == key]
    assert len(found) <= 1, f"{len(found)} widgets with key {key!r}"
    return found[0] if found else None


def open_page(url_path: str, **query: object) -> AppTest:
    """A first visit to /<url_path>?<query>: a deep link, as a shared URL opens the page."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = str(value)
    at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at._finished_page_script_hash == calc_hash(url_path)
    return at


def set_controls(at: AppTest, **values: object) -> AppTest:
    """Set widgets by key, rerun once, and check the run raised nothing."""
    for key, value in values.items():
        found = widget(at, key)
        assert found is not None, f"no widget {key!r}"
        found.set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
