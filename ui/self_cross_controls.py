"""The Self- vs cross-attention page's own controls: its example texts follow the language switch while untouched,
and two buttons load the English or the Chinese pair."""

from __future__ import annotations

import streamlit as st

from core.self_cross import CONTEXT_KEYS, EXAMPLES
from ui.i18n import language


def swap_untouched_examples() -> None:
    """A text still equal to the previous language's example follows the language, like the shared sentence."""
    lang = language()
    previous = st.session_state.get("_xattn_lang", lang)
    if previous != lang:
        for key, text in EXAMPLES[previous].items():
            if st.session_state.get(key) == text:
                st.session_state[key] = EXAMPLES[lang][key]
    st.session_state["_xattn_lang"] = lang


def load_example(lang: str) -> None:
    """A button's callback: both sentences and the word of ``lang``'s example."""
    for key in CONTEXT_KEYS:
        st.session_state[key] = EXAMPLES[lang][key]
