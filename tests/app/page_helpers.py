"""Small helpers shared by the page tests: translated strings and widgets by key."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.i18n import STRINGS


def tr(key: str, lang: str = "en", **values: object) -> str:
    """The app's string for ``key`` in ``lang``, filled in as the app fills it."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def widget(at: AppTest, key: str):
    """The widget with this key (sidebar or main), or None if the page did not draw it."""
    found = [node for node in [*at.sidebar, *at.main] if getattr(node, "key", None) == key]
    assert len(found) <= 1, f"{len(found)} widgets with key {key!r}"
    return found[0] if found else None
