r"""ALiBi (Press et al. 2022, "Train Short, Test Long"): no position vectors; a per-head linear penalty on distance.

.. math:: \mathrm{softmax}\!\left(\frac{q_i k_j^\top}{\sqrt{d_k}} - m_h\,(i - j)\right), \quad j \le i, \qquad
          m_h = 2^{-8h/H}, \; h = 1..H

For H = 8 the slopes are 1/2, 1/4, …, 1/256. The bias is simply a float attention mask: the causal −∞ above the
diagonal and −m_h·(i − j) on and below it, added to the scaled scores by ``core.attention``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from core.attention import AttentionResult, causal_allowed, scaled_dot_product_attention


def alibi_slopes(num_heads: int) -> Tensor:
    """Shapes: ``[H]`` (float64). The geometric sequence starting at 2^(−8/H) with that ratio, for H a power of 2.

    Otherwise, as in the paper's code: the slopes of the power of 2 just below H, then every other slope of
    twice that many heads, until there are H."""
    if num_heads < 1:
        raise ValueError(f"need at least one head, got {num_heads}")
    below = 2 ** math.floor(math.log2(num_heads))
    slopes = [2 ** (-8 * h / below) for h in range(1, below + 1)]
    extra = [2 ** (-8 * h / (2 * below)) for h in range(1, 2 * below + 1)][0::2]
    return torch.tensor(slopes + extra[: num_heads - below], dtype=torch.float64)


def alibi_bias(seq_len: int, slopes: Tensor) -> Tensor:
    """Shapes: slopes ``[H]`` → ``[H, L, L]`` float mask: −m_h·(i − j) where j ≤ i, −∞ where j > i."""
    positions = torch.arange(seq_len, dtype=slopes.dtype)
    distance = positions.unsqueeze(1) - positions.unsqueeze(0)  # [L, L], i − j
    bias = -slopes.view(-1, 1, 1) * distance  # [H, L, L]
    return bias.masked_fill(~causal_allowed(seq_len, seq_len), float("-inf"))


@dataclass(frozen=True)
class AlibiRun:
    """Causal attention with and without the ALiBi bias, on the same q, k, v.

    Shapes: slopes ``[H]``; bias ``[H, L, L]``; results batch-free, weights ``[H, L, L]``; mean distances ``[H]``.
    """

    slopes: Tensor
    bias: Tensor
    with_bias: AttentionResult
    without: AttentionResult  # causal mask only: no position information at all
    mean_distance_with: Tensor  # Σ_j w_ij (i − j), averaged over queries i
    mean_distance_without: Tensor
    torch_max_diff: float  # max |output − F.scaled_dot_product_attention(q, k, v, attn_mask=bias)|


def mean_distance(weights: Tensor) -> Tensor:
    """Shapes: ``[..., L, L]`` → ``[...]``: how far back, on average, each query's weight lies."""
    length = weights.size(-1)
    positions = torch.arange(length, dtype=weights.dtype)
    distance = (positions.unsqueeze(1) - positions.unsqueeze(0)).clamp(min=0)  # [L, L]
    return (weights * distance).sum(-1).mean(-1) if length else weights.sum((-1, -2))


def alibi_attention(q: Tensor, k: Tensor, v: Tensor) -> AlibiRun:
    """Shapes: q, k, v ``[H, L, d_k]``; one slope per head."""
    heads, length, _ = q.shape
    slopes = alibi_slopes(heads)
    bias = alibi_bias(length, slopes).to(q.dtype)
    with_bias = scaled_dot_product_attention(q, k, v, attn_mask=bias)
    without = scaled_dot_product_attention(q, k, v, is_causal=True)
    reference = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)  # PyTorch adds a float mask the same way
    return AlibiRun(
        slopes=slopes,
        bias=bias,
        with_bias=with_bias,
        without=without,
        mean_distance_with=mean_distance(with_bias.weights),
        mean_distance_without=mean_distance(without.weights),
        torch_max_diff=float((with_bias.output - reference).abs().max()) if reference.numel() else 0.0,
    )


SAME_UP_TO = 1e-6  # two weights or distances closer than this are the same number


@dataclass(frozen=True)
class FirstTokenProbe:
    """The steepest head's last query: its weight on the first token with and without the bias."""

    head: int  # the head with the largest slope
    slope: float
    distance: int  # L − 1: how far back the first token is from the last query
    with_bias: float
    without: float

    @property
    def penalty(self) -> float:
        """What the bias subtracts from that score: slope · distance."""
        return self.slope * self.distance

    @property
    def answer(self) -> str:
        """ "more", "less" or "same": what the bias does to that weight."""
        change = self.with_bias - self.without
        return "same" if abs(change) <= SAME_UP_TO else "more" if change > 0 else "less"


def first_token_probe(run: AlibiRun) -> FirstTokenProbe:
    steepest = int(run.slopes.argmax())
    return FirstTokenProbe(
        head=steepest,
        slope=float(run.slopes[steepest]),
        distance=run.bias.size(-1) - 1,
        with_bias=float(run.with_bias.weights[steepest, -1, 0]),
        without=float(run.without.weights[steepest, -1, 0]),
    )


def power_of_two_below(num_heads: int) -> int:
    """The largest power of 2 that is at most ``num_heads``: the slopes' first geometric sequence."""
    return 2 ** math.floor(math.log2(num_heads))
