"""Shared controls. Widget keys double as URL query parameters (``bind="query-params"``), so a link
reopens the exact view, and the same key on every page carries a setting across pages."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.pipeline import MASK_KINDS, MaskKind
from core.tokens import tokenize
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, language, t
from ui.url_state import Validator, any_text, int_in, one_of

MAX_SEQ_LEN = 64
MAX_D_K = 128
MAX_HEADS = 8
MAX_TEXT_CHARS = 2000  # more text than 64 tokens can use; cut with a notice
MAX_SEED = 2**31 - 1

DEFAULT_SENTENCES = {
    "en": "The animal didn't cross the street because it was tired",
    "zh": "我在学习人工智能",
}
BOOLEAN = ("true", "false")
DEFAULTS = {"mode": "sentence", "d_k": 8, "heads": 2, "mask": "none", "seed": 0, "window": 1, "head": 0}


# Every URL-bound widget key and what its value may be.
URL_PARAMS: dict[str, Validator] = {
    LANGUAGE_KEY: one_of(LANGUAGES),
    "mode": one_of(("sentence", "random")),
    "text": any_text,
    "L": int_in(1, MAX_SEQ_LEN),
    "d_k": int_in(1, MAX_D_K),
    "heads": int_in(1, MAX_HEADS),
    "mask": one_of(MASK_KINDS),
    "window": int_in(0, MAX_SEQ_LEN - 1),
    "seed": int_in(0, MAX_SEED),
    "head": int_in(0, MAX_HEADS - 1),
    "qkv": one_of(BOOLEAN),
}


@dataclass(frozen=True)
class PlaygroundSettings:
    mode: str
    text: str
    seq_len: int
    d_k: int
    heads: int
    mask: MaskKind
    window: int
    seed: int

    @property
    def d_model(self) -> int:
        return self.heads * self.d_k


def default_sentence() -> str:
    return DEFAULT_SENTENCES[language()]


def token_count(text: str) -> int:
    return len(tokenize(text[:MAX_TEXT_CHARS]))


def _fit_seq_len_to_text() -> None:
    # Typing a sentence sets the sequence length to its token count, so nothing is padded or cut by surprise.
    st.session_state["L"] = min(max(token_count(st.session_state.get("text", "")), 1), MAX_SEQ_LEN)


def _swap_default_sentence(previous: str) -> None:
    # If the sentence is still the old language's example, show the new language's example instead.
    if st.session_state.get("text") == DEFAULT_SENTENCES.get(previous):
        st.session_state["text"] = DEFAULT_SENTENCES[language()]
        _fit_seq_len_to_text()


def browser_language() -> str:
    locale = (st.context.locale or "").lower()
    return "zh" if locale.startswith("zh") else DEFAULT_LANGUAGE


def language_switch() -> None:
    """The 中文/English switch, in the sidebar of every page."""
    previous = st.session_state.get("_last_lang", browser_language())
    st.sidebar.radio(
        t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANGUAGE_KEY,
        index=list(LANGUAGES).index(browser_language()),
        horizontal=True,
        bind="query-params",
    )
    if previous != language():
        _swap_default_sentence(previous)
    st.session_state["_last_lang"] = language()


def _init_state() -> None:
    if "text" not in st.session_state:
        # A linked sentence must size L too, so read it before the widget takes it from the URL.
        st.session_state["text"] = st.query_params.get("text", default_sentence())
    if "L" not in st.session_state:
        _fit_seq_len_to_text()


def playground_controls() -> PlaygroundSettings:
    """Input mode, sentence, and the sliders for L, d_k, heads, mask, window and seed."""
    _init_state()
    bar = st.sidebar
    mode = (
        bar.segmented_control(
            t("ctl.input"),
            options=["sentence", "random"],
            format_func=lambda m: t(f"ctl.input.{m}"),
            default=DEFAULTS["mode"],
            key="mode",
            bind="query-params",
        )
        or DEFAULTS["mode"]
    )  # a segmented control can be deselected; fall back to the default
    text = ""
    if mode == "sentence":
        text = bar.text_input(
            t("ctl.sentence"),
            key="text",
            help=t("ctl.sentence.help"),
            on_change=_fit_seq_len_to_text,
            bind="query-params",
        )
    seq_len = bar.slider(t("ctl.seq_len"), 1, MAX_SEQ_LEN, key="L", help=t("ctl.seq_len.help"), bind="query-params")
    d_k = bar.slider(t("ctl.d_k"), 1, MAX_D_K, DEFAULTS["d_k"], key="d_k", help=t("ctl.d_k.help"), bind="query-params")
    heads = bar.slider(t("ctl.heads"), 1, MAX_HEADS, DEFAULTS["heads"], key="heads", bind="query-params")
    mask = bar.selectbox(
        t("ctl.mask"),
        MASK_KINDS,
        format_func=lambda m: t(f"ctl.mask.{m}"),
        key="mask",
        bind="query-params",
        help=t("note.mask_convention"),
    )
    seed = bar.number_input(
        t("ctl.seed"), 0, MAX_SEED, DEFAULTS["seed"], step=1, key="seed", help=t("ctl.seed.help"), bind="query-params"
    )
    window = DEFAULTS["window"]
    if mask == "sliding":
        window = bar.slider(t("ctl.window"), 0, MAX_SEQ_LEN - 1, DEFAULTS["window"], key="window", bind="query-params")
    return PlaygroundSettings(
        mode=mode,
        text=text,
        seq_len=int(seq_len),
        d_k=int(d_k),
        heads=int(heads),
        mask=mask,
        window=int(window),
        seed=int(seed),
    )


def head_selector(num_heads: int) -> int:
    """Which head the large charts show; clamped when the head count shrinks."""
    if st.session_state.get("head", 0) >= num_heads:
        st.session_state["head"] = 0
    return int(
        st.sidebar.radio(t("ctl.head"), list(range(num_heads)), key="head", horizontal=True, bind="query-params")
    )
