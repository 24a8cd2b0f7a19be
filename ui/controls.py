"""Shared controls. Each widget's key is also its URL query parameter (see ``ui/url_state.py``), and
the same key on every page carries a setting across pages.

Widgets take their value from ``st.session_state`` only (set from the URL or a default before they
are drawn), never from a ``value=`` argument, so the URL and callbacks can set them without conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.pipeline import MASK_KINDS, MaskKind
from core.tokens import clip_text, text_read, tokenize
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_KEY, LANGUAGES, language, t
from ui.presenter import PRESENT_KEY, presenter_param
from ui.url_state import Param, bool_param, choice_param, int_param, text_param

MAX_SEQ_LEN = 64
MAX_D_K = 128
MAX_HEADS = 8
MAX_TEXT_CHARS = 2000  # more text than 64 tokens can use; cut with a notice
MAX_SEED = 2**31 - 1

DEFAULT_SENTENCES = {
    "en": "The animal didn't cross the street because it was tired",
    "zh": "我在学习人工智能",
}
INPUT_MODES = ("sentence", "random")


def browser_language() -> str:
    locale = (st.context.locale or "").lower()
    return "zh" if locale.startswith("zh") else DEFAULT_LANGUAGE


def url_params() -> dict[str, Param]:
    """Every URL-bound control, what its value may be, and its default."""
    lang = st.session_state.get("_browser_lang") or browser_language()
    st.session_state["_browser_lang"] = lang
    text = DEFAULT_SENTENCES[language()]
    return {
        LANGUAGE_KEY: choice_param(LANGUAGES, lang),
        "mode": choice_param(INPUT_MODES, "sentence"),
        "text": text_param(text, keep=read_part),
        "L": int_param(1, MAX_SEQ_LEN, token_count(text)),
        "d_k": int_param(1, MAX_D_K, 8),
        "heads": int_param(1, MAX_HEADS, 2),
        "mask": choice_param(MASK_KINDS, "none"),
        "window": int_param(0, MAX_SEQ_LEN - 1, 1),
        "seed": int_param(0, MAX_SEED, 0),
        "head": int_param(0, MAX_HEADS - 1, 0),
        "qkv": bool_param(False),
        PRESENT_KEY: presenter_param(),
    }


def init_state(params: dict[str, Param]) -> None:
    """Give every control without a value its default, before any widget is drawn."""
    if st.session_state.get("L") is None and st.session_state.get("text") is not None:
        st.session_state["L"] = token_count(st.session_state["text"])  # a linked sentence sizes L
    for name, param in params.items():
        if st.session_state.get(name) is None:
            st.session_state[name] = param.default
        else:
            # Widget ids include the page, so a shared control drawn on another page would start from its
            # widget default; re-assigning hands it the session's value instead.
            st.session_state[name] = st.session_state[name]


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


def token_count(text: str) -> int:
    return min(max(len(tokenize(clip_text(text, MAX_TEXT_CHARS))), 1), MAX_SEQ_LEN)


def read_part(text: str) -> str:
    """What the app reads of a sentence: at most MAX_TEXT_CHARS characters, up to its MAX_SEQ_LEN-th token."""
    return text_read(text, MAX_TEXT_CHARS, MAX_SEQ_LEN)


def _fit_seq_len_to_text() -> None:
    # Typing a sentence sets the sequence length to its token count, so nothing is padded or cut by surprise.
    st.session_state["L"] = token_count(st.session_state.get("text", ""))


def _swap_default_sentence(previous: str) -> None:
    # If the sentence is still the old language's example, show the new language's example instead.
    if st.session_state.get("text") == DEFAULT_SENTENCES.get(previous):
        st.session_state["text"] = DEFAULT_SENTENCES[language()]
        if st.session_state.get("mode", "sentence") == "sentence":  # random tokens keep their length
            _fit_seq_len_to_text()


def language_switch() -> None:
    """The 中文/English switch, in the sidebar of every page."""
    previous = st.session_state.get("_last_lang", language())
    st.sidebar.radio(
        t("app.language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANGUAGE_KEY,
        horizontal=True,
    )
    if previous != language():
        _swap_default_sentence(previous)
    st.session_state["_last_lang"] = language()


# Every control keeps its value for the whole session, across pages: ``widget(..., **PERSIST)``.
PERSIST = {"persist_state": "session"}


def sequence_controls() -> tuple[str, str, int]:
    """Input mode, sentence and sequence length, in the sidebar. Returns (mode, text, L)."""
    bar = st.sidebar
    mode = bar.segmented_control(
        t("ctl.input"), options=INPUT_MODES, format_func=lambda m: t(f"ctl.input.{m}"), key="mode", **PERSIST
    )
    if mode is None:  # a segmented control can be deselected; keep showing the sentence
        mode = "sentence"
    text = ""
    if mode == "sentence":
        text = bar.text_input(
            t("ctl.sentence"), key="text", help=t("ctl.sentence.help"), on_change=_fit_seq_len_to_text, **PERSIST
        )
    seq_len = bar.slider(t("ctl.seq_len"), 1, MAX_SEQ_LEN, key="L", help=t("ctl.seq_len.help"), **PERSIST)
    return mode, text, int(seq_len)


def model_controls() -> tuple[int, int]:
    """d_k and the number of heads. Returns (d_k, heads)."""
    d_k = st.sidebar.slider(t("ctl.d_k"), 1, MAX_D_K, key="d_k", help=t("ctl.d_k.help"), **PERSIST)
    heads = st.sidebar.slider(t("ctl.heads"), 1, MAX_HEADS, key="heads", **PERSIST)
    return int(d_k), int(heads)


def mask_controls() -> tuple[MaskKind, int]:
    """The mask kind and, for a sliding window, its width. Returns (mask, window)."""
    mask = st.sidebar.selectbox(
        t("ctl.mask"),
        MASK_KINDS,
        format_func=lambda m: t(f"ctl.mask.{m}"),
        key="mask",
        help=t("note.mask_convention"),
        **PERSIST,
    )
    window = int(st.session_state.get("window", 1))
    if mask == "sliding":
        window = int(st.sidebar.slider(t("ctl.window"), 0, MAX_SEQ_LEN - 1, key="window", **PERSIST))
    return mask, window


def seed_control() -> int:
    return int(
        st.sidebar.number_input(t("ctl.seed"), 0, MAX_SEED, step=1, key="seed", help=t("ctl.seed.help"), **PERSIST)
    )


def playground_controls() -> PlaygroundSettings:
    """Every shared control: sequence, model, mask and seed."""
    mode, text, seq_len = sequence_controls()
    d_k, heads = model_controls()
    mask, window = mask_controls()
    seed = seed_control()
    return PlaygroundSettings(
        mode=mode, text=text, seq_len=seq_len, d_k=d_k, heads=heads, mask=mask, window=window, seed=seed
    )


def lesson_controls(mask: MaskKind = "none") -> PlaygroundSettings:
    """The sequence, model and seed controls of a lesson page whose mask is fixed by the lesson (no mask control)."""
    mode, text, seq_len = sequence_controls()
    d_k, heads = model_controls()
    return PlaygroundSettings(
        mode=mode, text=text, seq_len=seq_len, d_k=d_k, heads=heads, mask=mask, window=0, seed=seed_control()
    )


def translated_choice(widget, label_key: str, options, *, key: str, **kwargs):
    """A choice drawn with ``widget`` (``st.selectbox``, ``st.radio``, ``st.segmented_control``, or a column's),
    labelled ``t(label_key)``, each option labelled ``t(f"{label_key}.{option}")``, kept for the session like every
    shared control. ``kwargs`` go to the widget (``help=``, ``on_change=``, …). Returns the widget's value."""
    label = t(label_key)
    return widget(label, options, format_func=lambda option: t(f"{label_key}.{option}"), key=key, **PERSIST, **kwargs)


def head_selector(num_heads: int) -> int:
    """Which head the large charts show; clamped when the head count shrinks."""
    if st.session_state.get("head", 0) >= num_heads:
        st.session_state["head"] = 0
    return int(st.sidebar.radio(t("ctl.head"), list(range(num_heads)), key="head", horizontal=True, **PERSIST))


def qkv_toggle() -> bool:
    return st.sidebar.toggle(t("ctl.show_qkv"), key="qkv", **PERSIST)
