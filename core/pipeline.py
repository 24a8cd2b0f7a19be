"""From the playground's settings to a multi-head result: the glue every page shares."""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor

from core.masks import MaskSpec, build
from core.multihead import MultiHeadAttention, MultiHeadResult

# The patterns the playground's sidebar offers: a subset of ``core.masks.MASK_KINDS``, with the same names.
MaskKind = Literal["none", "causal", "padding", "sliding"]
MASK_KINDS: tuple[MaskKind, ...] = ("none", "causal", "padding", "sliding")


def build_mask(kind: MaskKind, seq_len: int, *, real_len: int | None = None, window: int = 1) -> Tensor | None:
    """Shapes: ``[L, L]`` bool (True = may attend), or None for no mask.

    ``real_len`` is the number of real (non-padding) tokens, for the padding mask.
    """
    if kind not in MASK_KINDS:
        raise ValueError(f"unknown mask kind {kind!r}; choose one of {', '.join(MASK_KINDS)}")
    if kind == "none":
        return None  # no mask at all (``build`` would give the all-True one)
    return build(MaskSpec(kind, window=window, real_len=real_len), seq_len)


def build_model(d_k: int, num_heads: int, seed: int) -> MultiHeadAttention:
    """A multi-head layer with d_model = num_heads × d_k and weights drawn from ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    return MultiHeadAttention(num_heads * d_k, num_heads, bias=False, generator=generator).eval()


@torch.no_grad()
def self_attention(model: MultiHeadAttention, embeddings: Tensor, mask: Tensor | None) -> MultiHeadResult:
    """Shapes: embeddings ``[L, d_model]`` → a result with batch 1 (``[1, H, L, L]`` weights)."""
    return model(embeddings.unsqueeze(0), attn_mask=mask)
