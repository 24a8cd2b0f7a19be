r"""Position: self-attention alone cannot tell token order; sinusoidal position encodings can.

.. math:: PE_{(pos,\,2i)} = \sin\!\left(pos / 10000^{2i/d_{model}}\right), \quad
          PE_{(pos,\,2i+1)} = \cos\!\left(pos / 10000^{2i/d_{model}}\right)

Self-attention without a mask is permutation-equivariant: shuffling the input tokens shuffles the outputs the
same way, and nothing else changes. Adding PE[pos] to the token at position pos breaks that symmetry.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from core.multihead import MultiHeadAttention, MultiHeadResult

BASE = 10000.0


def sinusoidal_encoding(length: int, d_model: int, base: float = BASE) -> Tensor:
    """Shapes: ``[L, d_model]``. Even columns 2i hold sin(pos·ω_i), odd columns 2i+1 hold cos(pos·ω_i), with
    ω_i = base^(−2i/d_model). Computed in float64, returned as float32."""
    if length < 0 or d_model < 1:
        raise ValueError(f"need length ≥ 0 and d_model ≥ 1, got length={length}, d_model={d_model}")
    positions = torch.arange(length, dtype=torch.float64).unsqueeze(1)  # [L, 1]
    even_dims = torch.arange(0, d_model, 2, dtype=torch.float64)  # 2i, [ceil(d_model / 2)]
    angles = positions * base ** (-even_dims / d_model)  # [L, ceil(d_model / 2)]
    encoding = torch.empty(length, d_model, dtype=torch.float64)
    encoding[:, 0::2] = angles.sin()
    encoding[:, 1::2] = angles.cos()[:, : d_model // 2]  # an odd d_model has one more sin than cos column
    return encoding.float()


def encoding_similarity(encoding: Tensor) -> Tensor:
    """Shapes: ``[L, d]`` → ``[L, L]`` of dot products PE[i]·PE[j].

    For even d this is Σ_i cos(ω_i (i − j)): it depends only on the distance i − j (and is symmetric in it).
    """
    return encoding @ encoding.T


def shuffle_order(length: int, seed: int) -> Tensor:
    """Shapes: ``[L]``, a permutation of 0..L−1 drawn from ``seed``; never the identity when L ≥ 2, so the
    shuffle always moves something."""
    order = torch.randperm(length, generator=torch.Generator().manual_seed(seed))
    if length >= 2 and torch.equal(order, torch.arange(length)):
        order = order.roll(1)
    return order


@dataclass(frozen=True)
class PermutationCheck:
    """Attention on a sequence and on its shuffle, and how far "shuffle, then attend" is from "attend, then shuffle".

    Shapes: order ``[L]``; inputs/shuffled_inputs/outputs ``[L, d_model]``; weights ``[H, L, L]``.
    Row k of the shuffled sequence is original token ``order[k]``, placed at position k.
    """

    order: Tensor
    position_encoding: Tensor | None  # [L, d_model], added at positions 0..L−1 of both sequences, or None
    inputs: Tensor  # original tokens (+ PE)
    shuffled_inputs: Tensor  # shuffled tokens (+ PE of their NEW positions)
    original: MultiHeadResult  # batch 1
    shuffled: MultiHeadResult  # batch 1
    shuffle_then_attend: Tensor  # shuffled.output
    attend_then_shuffle: Tensor  # original.output[order]
    difference: Tensor  # shuffle_then_attend − attend_then_shuffle
    max_output_diff: float
    max_weight_diff: float  # shuffled weights vs the original weights with rows and columns shuffled


@torch.no_grad()
def check_permutation(
    model: MultiHeadAttention, embeddings: Tensor, order: Tensor, *, add_position: bool
) -> PermutationCheck:
    """Shapes: embeddings ``[L, d_model]`` (token embeddings, no position), order ``[L]``. No mask: a causal mask
    would itself tell positions apart."""
    length, d_model = embeddings.shape
    encoding = sinusoidal_encoding(length, d_model) if add_position else None
    inputs = embeddings + encoding if encoding is not None else embeddings
    shuffled_tokens = embeddings[order]  # [L, d_model]; tokens move, positions stay 0..L−1
    shuffled_inputs = shuffled_tokens + encoding if encoding is not None else shuffled_tokens
    original = model(inputs.unsqueeze(0))
    shuffled = model(shuffled_inputs.unsqueeze(0))
    shuffle_then_attend = shuffled.output[0]
    attend_then_shuffle = original.output[0][order]
    weights_then_shuffle = original.attention.weights[0][:, order][:, :, order]  # P·W·Pᵀ per head
    difference = shuffle_then_attend - attend_then_shuffle
    return PermutationCheck(
        order=order,
        position_encoding=encoding,
        inputs=inputs,
        shuffled_inputs=shuffled_inputs,
        original=original,
        shuffled=shuffled,
        shuffle_then_attend=shuffle_then_attend,
        attend_then_shuffle=attend_then_shuffle,
        difference=difference,
        max_output_diff=float(difference.abs().max()) if length else 0.0,
        max_weight_diff=float((shuffled.attention.weights[0] - weights_then_shuffle).abs().max()) if length else 0.0,
    )


def diagonal_spread(matrix: Tensor) -> float:
    """Shapes: ``[L, L]`` → the largest (max − min) along any diagonal; 0 exactly when every entry depends only
    on the offset j − i (a Toeplitz matrix)."""
    size = matrix.size(0)
    spread = 0.0
    for offset in range(-size + 1, size):
        diagonal = matrix.diagonal(offset)
        spread = max(spread, float(diagonal.max() - diagonal.min()))
    return spread


def shared_extent(*matrices: Tensor) -> float:
    """The largest |value| over ``matrices``: one colour scale for charts that are compared side by side, so float
    rounding noise in a difference stays white. 1 when every matrix is empty or all 0."""
    return max((float(m.abs().max()) for m in matrices if m.numel()), default=0.0) or 1.0


@dataclass(frozen=True)
class EncodingPictures:
    """The sinusoidal encoding of positions 0 … span − 1 and its dot products, as the page draws them."""

    encoding: Tensor  # [span, d_model]
    similarity: Tensor  # [span, span]: PE·PEᵀ
    spread: float  # diagonal_spread(similarity): 0 when PE[i]·PE[j] depends only on j − i
    extent: float  # max |PE[i]·PE[j]|, the similarity chart's colour scale


def encoding_pictures(span: int, d_model: int) -> EncodingPictures:
    encoding = sinusoidal_encoding(span, d_model)
    similarity = encoding_similarity(encoding)
    return EncodingPictures(encoding, similarity, diagonal_spread(similarity), shared_extent(similarity))
