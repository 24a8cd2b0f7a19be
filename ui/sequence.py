"""Settings → the token sequence a page attends over, with a visible notice for anything cut or padded."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from torch import Tensor

from core.tokens import clip_text, embed_tokens, fit_to_length, random_embeddings, tokenize
from ui.controls import MAX_SEQ_LEN, MAX_TEXT_CHARS, PlaygroundSettings
from ui.i18n import t


@dataclass(frozen=True)
class TokenSequence:
    tokens: list[str]  # exactly seq_len tokens, padded with <pad> if needed
    real_len: int  # tokens that are not padding
    embeddings: Tensor  # [L, d_model]


def prepare_sequence(settings: PlaygroundSettings, *, say_padded: bool = True) -> TokenSequence:
    """``say_padded=False``: the page says itself, with its numbers, what the padding does."""
    if settings.mode != "sentence":
        if settings.mask == "padding":
            st.info(t("msg.pad_mask_random"))
        tokens = [f"t{i}" for i in range(settings.seq_len)]
        embeddings = random_embeddings(settings.seq_len, settings.d_model, settings.seed)
        return TokenSequence(tokens, settings.seq_len, embeddings)

    text = settings.text
    if len(text) > MAX_TEXT_CHARS:
        st.info(t("msg.too_long_text", n=len(text), max=MAX_TEXT_CHARS))
        text = clip_text(text, MAX_TEXT_CHARS)
    sentence_tokens = tokenize(text)
    n = len(sentence_tokens)
    if n == 0:
        st.warning(t("msg.empty"))
    elif n > MAX_SEQ_LEN:
        st.info(t("msg.cut", n=n, max=MAX_SEQ_LEN))
    elif n > settings.seq_len:
        st.info(t("msg.shortened", n=n, L=settings.seq_len))
    elif n < settings.seq_len and say_padded:
        st.info(t("msg.padded", n=n, pad=settings.seq_len - n, L=settings.seq_len))
    tokens = fit_to_length(sentence_tokens, settings.seq_len)
    return TokenSequence(tokens, min(n, settings.seq_len), embed_tokens(tokens, settings.d_model, settings.seed))


def text_box_tokens(text: str) -> list[str]:
    """Tokens of a page's own text box, cut to what a sequence may hold, with a notice when cut."""
    if len(text) > MAX_TEXT_CHARS:
        st.info(t("msg.too_long_text", n=len(text), max=MAX_TEXT_CHARS))
        text = text[:MAX_TEXT_CHARS]
    tokens = tokenize(text)
    if len(tokens) > MAX_SEQ_LEN:
        st.info(t("msg.cut", n=len(tokens), max=MAX_SEQ_LEN))
    return tokens[:MAX_SEQ_LEN]
