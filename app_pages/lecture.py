"""Lecture: choose a deck of scenes (a file in decks/, or pasted view links) and step through it. The stepping
itself (the bar above every page, the clicker keys) is in ui/deck.py."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from ui import deck
from ui.i18n import LANGUAGE_KEY, language, t
from ui.lesson_page import lesson_header
from ui.links import page_url
from ui.markdown import literal
from ui.presenter import prose
from ui.url_state import choice_param, int_param, page_params

MAX_PASTED_CHARS = 20_000

# A link to one scene (lecture?deck=…&scene=n) opens it: the scene's page with its settings.
if deck.running():
    running_deck, index = deck.current()
    deck.go_to(running_deck.name, index)
    st.rerun()

lesson_header(t("lecture.title"), t("lecture.intro"))

names = deck.deck_names()
page_params("lecture", {"lec_deck": choice_param([*names, deck.PASTED_DECK], names[0])})
choice = st.selectbox(
    t("lecture.deck"),
    [*names, deck.PASTED_DECK],
    format_func=lambda name: t(f"lecture.deck.{name}") if name in (deck.DEFAULT_DECK, deck.PASTED_DECK) else name,
    key="lec_deck",
)

if choice == deck.PASTED_DECK:
    pasted = st.text_area(t("lecture.paste"), key="lec_pasted", help=t("lecture.paste.help"), height=140)
    if len(pasted) > MAX_PASTED_CHARS:
        st.info(t("msg.too_long_text", n=len(pasted), max=MAX_PASTED_CHARS))
        pasted = pasted[:MAX_PASTED_CHARS]
    if pasted.strip():
        try:
            deck.keep_pasted(deck.parse_pasted(pasted))
        except deck.DeckError as error:
            st.error(error.message())

try:
    chosen = deck.load_deck(choice)
except deck.DeckError as error:
    st.error(error.message())
    st.stop()

total = len(chosen.scenes)
page_params("lecture_start", {"lec_from": int_param(1, total, 1)})
start_column, button_column = st.columns([1, 2], vertical_alignment="bottom")
first = int(start_column.number_input(t("lecture.start_scene"), 1, total, step=1, key="lec_from"))
button_column.button(
    t("lecture.start", n=first), key="lec_start", type="primary", on_click=deck.go_to, args=(chosen.name, first - 1)
)

base = page_url("lecture").split("?")[0]
scene_links = [
    f"{base}?{urlencode({deck.DECK_KEY: chosen.name, deck.SCENE_KEY: n, LANGUAGE_KEY: language()})}"
    for n in range(1, total + 1)
]
table = pd.DataFrame(
    {
        t("lecture.col.scene"): list(range(1, total + 1)),
        t("lecture.col.title"): [scene.text("title") for scene in chosen.scenes],
        t("lecture.col.page"): [t(deck.page_title_key(scene.url_path)) for scene in chosen.scenes],
        t("lecture.col.question"): [
            deck.in_language(scene.question.text) if scene.question else "" for scene in chosen.scenes
        ],
        # Pasted decks live in this session only, so their scenes have no link to share.
        t("lecture.col.link"): scene_links if chosen.name != deck.PASTED_DECK else [None] * total,
    }
)
st.dataframe(
    table,
    hide_index=True,
    column_config={t("lecture.col.link"): st.column_config.LinkColumn(display_text=r"scene=(\d+)")},
)
prose(literal(t("lecture.own")))
