"""Attention Lab: entry point. Run with `streamlit run streamlit_app.py`."""

from __future__ import annotations

import streamlit as st
import torch

from ui import deck
from ui.controls import init_state, language_switch, url_params
from ui.i18n import t
from ui.links import link_slot, show_view_link
from ui.navigation import PAGES
from ui.presenter import presenter_toggle
from ui.url_state import restore_from_url, run_params, show_url_notices, start_run, write_to_url

# Sessions share 2 cores; one thread each keeps many concurrent reruns from oversubscribing them.
torch.set_num_threads(1)


def run() -> None:
    deck.follow()  # a scene asked for by the lecture bar: reset the settings and open it, before any widget
    st.set_page_config(page_title="Attention Lab", page_icon="🔍", layout="wide")
    restore_from_url(url_params())
    init_state(url_params())  # again: defaults depend on the language the URL may have set
    language_switch()
    presenter_toggle()
    link = link_slot()
    show_url_notices()
    sections: dict[str, list[st.Page]] = {}
    for i, page in enumerate(PAGES):
        sections.setdefault(t(page.section), []).append(
            st.Page(page.path, title=t(page.title_key), icon=page.icon, url_path=page.url_path, default=i == 0)
        )
    start_run()
    # Navigation at the top leaves the sidebar to the controls.
    current_page = st.navigation(sections, position="top")
    deck.open_scene_page()
    deck.deck_bar()
    current_page.run()
    params = url_params() | run_params()
    write_to_url(params)
    show_view_link(link, current_page.url_path, params)


run()
