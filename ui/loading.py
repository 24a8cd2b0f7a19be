"""The first thing a visitor of a freshly started server sees: a notice while the libraries load.

The entry script's imports (torch, then pandas and Altair on the first page) take seconds in a new process,
and Streamlit shows nothing until a script draws something. This module imports only Streamlit and the
string tables, so the entry script can draw the notice before it imports the rest.
"""

from __future__ import annotations

import sys

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, STRINGS

SLOW_IMPORT = "torch"  # imported by the entry script right after the notice: loaded once per process


def first_run_notice() -> DeltaGenerator | None:
    """A notice in its own slot while this process has not imported torch (its first run); else None.
    The language is the link's, else the browser's: the language switch does not exist yet."""
    if SLOW_IMPORT in sys.modules:
        return None
    lang = st.query_params.get(LANGUAGE_KEY)
    if lang not in LANGUAGES:
        lang = "zh" if (st.context.locale or "").lower().startswith("zh") else DEFAULT_LANGUAGE
    slot = st.empty()
    slot.info(STRINGS["loading.first_run"][lang], icon=":material/hourglass_top:")
    return slot
