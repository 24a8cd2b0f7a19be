"""Process-wide caches. Cached objects are shared by every session and thread: never mutate them."""

from __future__ import annotations

import streamlit as st

from core.multihead import MultiHeadAttention
from core.pipeline import build_model


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_model(d_k: int, num_heads: int, seed: int) -> MultiHeadAttention:
    return build_model(d_k, num_heads, seed)
