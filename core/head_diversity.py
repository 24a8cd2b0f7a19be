"""How differently the heads of one layer attend: pairwise distances between their weight matrices."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class HeadDiversity:
    """Shapes: js_bits/total_variation ``[H, H]`` (float64, symmetric, 0 on the diagonal, in [0, 1]);
    top_keys/top_weights ``[H, L]``; live_rows ``[L]``."""

    js_bits: Tensor  # mean over live query rows of the Jensen–Shannon divergence (base 2) between two heads' rows
    total_variation: Tensor  # mean over live query rows of ½·Σ|p − q|
    top_keys: Tensor  # the key each head weights most, per query
    top_weights: Tensor  # that key's weight
    live_rows: Tensor  # bool, True = the query could attend to at least one key
    disagreeing_rows: int  # live queries whose top key is not the same in every head

    @property
    def live_count(self) -> int:
        """How many queries could attend to at least one key."""
        return int(self.live_rows.sum())


def _xlog2y_ratio(p: Tensor, m: Tensor) -> Tensor:
    # p·log2(p/m), with 0·log 0 = 0 (m > 0 wherever p > 0, since m = (p + q)/2).
    return torch.where(p > 0, p * (torch.log2(p.clamp_min(1e-300)) - torch.log2(m.clamp_min(1e-300))), 0.0)


def head_diversity(weights: Tensor, live_rows: Tensor | None = None) -> HeadDiversity:
    """Compare every pair of heads row by row (each row of weights is a distribution over keys).

    Shapes: weights ``[H, L, S]``; live_rows ``[L]`` bool (default: rows whose weights sum to > 0).
    Rows that can attend to nothing (all weights 0) are not distributions and are left out of the means;
    with no live row at all, both matrices are 0.
    """
    p = weights.double()
    if live_rows is None:
        live_rows = p.sum(dim=-1).gt(0).all(dim=0)
    a, b = p.unsqueeze(1), p.unsqueeze(0)  # [H, 1, L, S] and [1, H, L, S]
    middle = (a + b) / 2
    js_rows = 0.5 * (_xlog2y_ratio(a, middle) + _xlog2y_ratio(b, middle)).sum(dim=-1)  # [H, H, L]
    tv_rows = 0.5 * (a - b).abs().sum(dim=-1)  # [H, H, L]
    n_live = int(live_rows.sum())

    def mean_over_live(rows: Tensor) -> Tensor:
        if n_live == 0:
            return torch.zeros(rows.shape[:2], dtype=torch.float64)
        return rows[..., live_rows].mean(dim=-1).clamp(0.0, 1.0)  # clamp: rounding only, both lie in [0, 1]

    top_weights, top_keys = p.max(dim=-1)  # [H, L]
    disagreeing = (top_keys != top_keys[:1]).any(dim=0) & live_rows  # [L]
    return HeadDiversity(
        js_bits=mean_over_live(js_rows),
        total_variation=mean_over_live(tv_rows),
        top_keys=top_keys,
        top_weights=top_weights.float(),
        live_rows=live_rows,
        disagreeing_rows=int(disagreeing.sum()),
    )


@dataclass(frozen=True)
class HeadPairs:
    """The distances of every pair of heads in a few numbers: their mean, the closest pair and the farthest."""

    mean: float
    near: tuple[int, int]
    near_distance: float
    far: tuple[int, int]
    far_distance: float


def head_pairs(distances: Tensor) -> HeadPairs:
    """Summary of a symmetric ``[H, H]`` distance matrix (H ≥ 2) over its pairs a < b; ties go to the first pair."""
    heads = distances.size(0)
    pairs = [(a, b) for a in range(heads) for b in range(a + 1, heads)]
    if not pairs:
        raise ValueError("pairs of heads need at least two heads")
    values = [float(distances[pair]) for pair in pairs]
    near = pairs[values.index(min(values))]
    far = pairs[values.index(max(values))]
    return HeadPairs(sum(values) / len(values), near, float(distances[near]), far, float(distances[far]))
