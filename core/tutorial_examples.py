"""The tutorials' own worked examples, computed for real, so every shape on screen is read off a tensor.

1. The toy run: batch 2, heads 2, sequence 3, d_k = d_v = 4, the third key masked out in both samples.
2. The base model's sizes: an embedding table of 10 words × 512 dimensions, a sequence of 512 tokens,
   8 heads of 64 (d_model = 512 = 8 × 64, the base Transformer of Vaswani et al., 2017).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from core.attention import AttentionResult, scaled_dot_product_attention
from core.multihead import MultiHeadAttention

TOY_BATCH, TOY_HEADS, TOY_SEQ, TOY_D_K = 2, 2, 3, 4
TOY_MASKED_KEY = 2  # "the third key"
BASE_VOCAB, BASE_D_MODEL, BASE_SEQ, BASE_HEADS = 10, 512, 512, 8


@dataclass(frozen=True)
class ToyRun:
    """Shapes: q, k, v ``[B, H, L, d_k]``; allowed ``[B, 1, 1, S]`` (one key mask per sample, shared by heads
    and queries); attention.weights ``[B, H, L, S]``, attention.output ``[B, H, L, d_v]``."""

    q: Tensor
    k: Tensor
    v: Tensor
    allowed: Tensor
    attention: AttentionResult


def toy_run(seed: int = 0) -> ToyRun:
    generator = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(TOY_BATCH, TOY_HEADS, TOY_SEQ, TOY_D_K, generator=generator) for _ in range(3))
    allowed = torch.ones(TOY_BATCH, 1, 1, TOY_SEQ, dtype=torch.bool)
    allowed[..., TOY_MASKED_KEY] = False
    return ToyRun(q, k, v, allowed, scaled_dot_product_attention(q, k, v, attn_mask=allowed))


@dataclass(frozen=True)
class TensorSize:
    """One tensor of an example: its name (``q``, ``k``, ``v``, ``weights``, ``output``, …) and shape."""

    name: str
    shape: tuple[int, ...]

    @property
    def length(self) -> int:  # positions: the second-to-last dimension
        return self.shape[-2]

    @property
    def width(self) -> int:  # features per position: the last dimension
        return self.shape[-1]


def toy_sizes(run: ToyRun) -> tuple[TensorSize, ...]:
    return (
        TensorSize("q", tuple(run.q.shape)),
        TensorSize("k", tuple(run.k.shape)),
        TensorSize("v", tuple(run.v.shape)),
        TensorSize("mask", tuple(run.allowed.shape)),
        TensorSize("weights", tuple(run.attention.weights.shape)),
        TensorSize("output", tuple(run.attention.output.shape)),
    )


@torch.no_grad()
def base_sizes(seed: int = 0) -> tuple[TensorSize, ...]:
    """Embed 512 token ids drawn from a 10-word table of 512 dimensions, run 8 heads of 64 on them, and
    return the shape of every tensor on the way (the tensors themselves, ~40 MB, are dropped)."""
    generator = torch.Generator().manual_seed(seed)
    table = torch.randn(BASE_VOCAB, BASE_D_MODEL, generator=generator)  # [10, 512]
    token_ids = torch.randint(0, BASE_VOCAB, (BASE_SEQ,), generator=generator)  # [512]
    x = table[token_ids].unsqueeze(0)  # [1, 512, 512]
    model = MultiHeadAttention(BASE_D_MODEL, BASE_HEADS, bias=False, generator=generator).eval()
    result = model(x)
    return (
        TensorSize("table", tuple(table.shape)),
        TensorSize("x", tuple(x.shape)),
        TensorSize("q", tuple(result.q.shape)),
        TensorSize("k", tuple(result.k.shape)),
        TensorSize("v", tuple(result.v.shape)),
        TensorSize("weights", tuple(result.attention.weights.shape)),
        TensorSize("head_outputs", tuple(result.attention.output.shape)),
        TensorSize("concat", tuple(result.concat.shape)),
        TensorSize("output", tuple(result.output.shape)),
    )
