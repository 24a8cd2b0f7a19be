r"""Scaled dot-product attention that keeps every intermediate.

.. math:: \mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}} + M\right) V

Same contract as ``torch.nn.functional.scaled_dot_product_attention``:
a bool mask means True = may attend; a float mask is added to the scaled scores;
the scale defaults to 1/√E where E is the query's last dimension (the head's d_k).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class AttentionResult:
    """Every step of one attention call.

    Shapes: scores/scaled/masked_scores/weights/allowed ``[..., L, S]``; output ``[..., L, Ev]``;
    fully_masked_rows ``[..., L]``.
    """

    scores: Tensor  # Q·Kᵀ, unscaled
    scaled: Tensor  # scores × scale
    masked_scores: Tensor  # scaled with −inf where not allowed (and any float mask added)
    weights: Tensor  # row softmax of masked_scores; 0 in fully masked rows
    output: Tensor  # weights · V
    allowed: Tensor  # bool, True = this query may attend to this key
    fully_masked_rows: Tensor  # bool, True = the row could attend to nothing
    scale: float

    @property
    def row_sums(self) -> Tensor:
        """Σ of each row of weights ``[..., L]``: 1 (to rounding) where the row may attend, 0 where it may not."""
        return self.weights.sum(dim=-1)


def causal_allowed(query_len: int, key_len: int, device: torch.device | None = None) -> Tensor:
    """Bool [L, S], True on and below the diagonal (top-left aligned, as PyTorch's ``is_causal``)."""
    return torch.ones(query_len, key_len, dtype=torch.bool, device=device).tril()


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    *,
    attn_mask: Tensor | None = None,
    is_causal: bool = False,
    scale: float | None = None,
) -> AttentionResult:
    """Attention with all intermediates returned.

    Shapes: query ``[..., L, E]``, key ``[..., S, E]``, value ``[..., S, Ev]``;
    attn_mask broadcastable to ``[..., L, S]``.
    Unlike PyTorch, ``attn_mask`` and ``is_causal`` may be combined (both must allow a pair).
    A row where nothing is allowed gets weights 0 and output 0 instead of NaN.
    """
    if query.size(-1) != key.size(-1):
        raise ValueError(
            f"query and key must share their last dimension (d_k), got {query.size(-1)} and {key.size(-1)}"
        )
    if key.size(-2) != value.size(-2):
        raise ValueError(
            f"key and value must have the same number of positions, got {key.size(-2)} and {value.size(-2)}"
        )
    if scale is None:
        scale = 1.0 / math.sqrt(query.size(-1))  # the head's d_k, never d_model

    query_len, key_len = query.size(-2), key.size(-2)
    scores = query @ key.transpose(-2, -1)  # [..., L, S]
    scaled = scores * scale

    allowed = torch.ones_like(scaled, dtype=torch.bool)
    masked = scaled
    if is_causal:
        allowed = allowed & causal_allowed(query_len, key_len, scaled.device)
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            allowed = allowed & attn_mask
        else:
            masked = masked + attn_mask
            allowed = allowed & (attn_mask != float("-inf"))
    masked = masked.masked_fill(~allowed, float("-inf"))

    fully_masked_rows = ~allowed.any(dim=-1)  # [..., L]
    # Softmax of an all −inf row is NaN; give such rows finite inputs, then zero them.
    safe = masked.masked_fill(fully_masked_rows.unsqueeze(-1), 0.0)
    weights = torch.softmax(safe, dim=-1).masked_fill(fully_masked_rows.unsqueeze(-1), 0.0)
    output = weights @ value  # [..., L, Ev]
    return AttentionResult(
        scores=scores,
        scaled=scaled,
        masked_scores=masked,
        weights=weights,
        output=output,
        allowed=allowed,
        fully_masked_rows=fully_masked_rows,
        scale=float(scale),
    )
