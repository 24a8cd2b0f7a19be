"""Attention Lab: entry point. Run with `streamlit run streamlit_app.py`."""

from __future__ import annotations

import streamlit as st

from ui.loading import first_run_notice

# A fresh server's first run imports torch, pandas and Altair (seconds): say so before importing them.
loading = first_run_notice()

import torch  # noqa: E402

from ui import deck  # noqa: E402
from ui.controls import init_state, language_switch, url_params  # noqa: E402
from ui.i18n import t  # noqa: E402
from ui.links import link_slot, show_view_link  # noqa: E402
from ui.navigation import PAGES  # noqa: E402
from ui.page_alias import page_alias  # noqa: E402
from ui.presenter import presenter_toggle  # noqa: E402
from ui.url_state import restore_from_url, run_params, show_url_notices, start_run, write_to_url  # noqa: E402

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
    sections[t(PAGES[0].section)].append(page_alias(PAGES[0]))  # after the default page: /playground works too
    start_run()
    # Navigation at the top leaves the sidebar to the controls.
    current_page = st.navigation(sections, position="top")
    deck.open_scene_page()
    deck.deck_bar()
    current_page.run()
    if loading is not None:
        loading.empty()
    params = url_params() | run_params()
    write_to_url(params)
    show_view_link(link, current_page.url_path, params)


run()
