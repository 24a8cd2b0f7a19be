"""Attention Lab: entry point. Run with `streamlit run streamlit_app.py`."""

from __future__ import annotations

import streamlit as st
import torch

from ui.controls import URL_PARAMS, language_switch
from ui.i18n import t
from ui.url_state import check_query_params, show_url_notices

# Sessions share 2 cores; one thread each keeps many concurrent reruns from oversubscribing them.
torch.set_num_threads(1)


def run() -> None:
    st.set_page_config(page_title="Attention Lab", page_icon="🔍", layout="wide")
    check_query_params(URL_PARAMS)
    language_switch()
    show_url_notices()
    pages = [
        st.Page("pages/playground.py", title=t("nav.playground"), icon="🎛️", url_path="playground", default=True),
    ]
    st.navigation(pages).run()


run()
