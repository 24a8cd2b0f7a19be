"""Attention math on torch tensors only: no Streamlit, Altair or pandas here (a test enforces it)."""

from core.attention import AttentionResult, scaled_dot_product_attention
from core.masks import causal_mask, padding_mask, sliding_window_mask
from core.multihead import MultiHeadAttention, MultiHeadResult, merge_heads, split_heads
from core.tokens import PAD_TOKEN, embed_tokens, fit_to_length, random_embeddings, tokenize

__all__ = [
    "PAD_TOKEN",
    "AttentionResult",
    "MultiHeadAttention",
    "MultiHeadResult",
    "causal_mask",
    "embed_tokens",
    "fit_to_length",
    "merge_heads",
    "padding_mask",
    "random_embeddings",
    "scaled_dot_product_attention",
    "sliding_window_mask",
    "split_heads",
    "tokenize",
]
