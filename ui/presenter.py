"""Presenter mode, for a projector in a hall: larger type, bigger charts, fewer explanations, the sidebar
folded away, and (on the step-by-step page) keys that step through the lesson.

It is one shared URL parameter, ``present=1``, so a lecturer can bookmark it, and it stays on across pages.
The theme cannot change per session, so the larger type is one constant style rule that raises the root
font size (Streamlit sizes its text and widgets in rem); it is the only HTML the app sends, and it never
contains anything but the constant below.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.url_state import Param, flag_param

PRESENT_KEY = "present"
# Heatmaps and their text, in presenter mode: three playground charts still fit side by side at 1280 px.
CHART_SCALE = 1.4
# 16 px is the theme's base size; 20 px is what the back rows of a hall read on a 1280×720 projector. The
# page's margins are rem too: narrower ones give the larger charts the room, and tighter space above the page
# title and around formulas keeps each page's first chart above the 720 px fold.
PRESENTER_STYLE = (
    "<style>html { font-size: 20px; } "
    '[data-testid="stMainBlockContainer"] { padding: 3.5rem 2.5rem 2rem; } '
    '[data-testid="stHeading"] h1 { padding-top: 0.25rem; padding-bottom: 0.5rem; } '
    ".katex-display { margin: 0.25em 0; }</style>"
)


def presenter_param() -> Param:
    return flag_param(False)


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


def chart_scale() -> float:
    """How much larger charts and their text are drawn: one factor for every heatmap."""
    return CHART_SCALE if presenting() else 1.0


def presenter_toggle() -> None:
    """The presenter switch, in the sidebar of every page, and what it changes outside the pages."""
    st.sidebar.toggle(t("presenter.toggle"), key=PRESENT_KEY, help=t("presenter.help"))
    # Streamlit applies the sidebar state only when it changes, so the presenter can still open the sidebar.
    st.set_page_config(initial_sidebar_state="collapsed" if presenting() else "auto")
    if presenting():
        st.html(PRESENTER_STYLE)


def prose(text: str, container=st) -> None:
    """Explanatory text, as a caption; left out in presenter mode, where the lecturer says it."""
    if not presenting():
        container.caption(text)
