"""Attention Lab: entry point. Run with `streamlit run streamlit_app.py`."""

from __future__ import annotations

import streamlit as st
import torch

from ui.controls import language_switch
from ui.i18n import t

# Sessions share 2 cores; one thread each keeps many concurrent reruns from oversubscribing them.
torch.set_num_threads(1)


def run() -> None:
    st.set_page_config(page_title="Attention Lab", page_icon="🔍", layout="wide")
    language_switch()
    pages = [
        st.Page("pages/playground.py", title=t("nav.playground"), icon="🎛️", url_path="playground", default=True),
    ]
    st.navigation(pages).run()


run()
