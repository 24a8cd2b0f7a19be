r"""Four common ways to get attention wrong, each next to the right computation, with measured damage.

Every mistake takes the heads' q, k, v (``[B, H, L, d_k]``) and a bool mask (True = may attend,
broadcastable to ``[..., L, S]``, or None) and returns an :class:`~core.attention.AttentionResult` of
the broken computation, so it can be drawn and compared exactly like the right one:

- ``no_scaling``: softmax(QKᵀ + M) V, the 1/√d_k left out.
- ``scale_by_d_model``: QKᵀ/√d_model with d_model = heads × d_k: a smaller scale whenever heads > 1.
- ``softmax_over_queries``: the softmax taken over dim=−2 (the queries) instead of dim=−1 (the keys),
  so each *column* sums to 1 and the rows do not.
- ``mask_after_softmax``: softmax over every key, then the forbidden weights multiplied by 0
  (``softmax(s) * allowed``). The forbidden weights are 0, yet the rows sum to less than 1 and every
  weight was divided by a sum that included the forbidden keys, so a query's output still depends on
  tokens it may not see (the future, under a causal mask).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

import torch
from torch import Tensor

from core.attention import AttentionResult, scaled_dot_product_attention

Mistake = Literal["no_scaling", "softmax_over_queries", "mask_after_softmax", "scale_by_d_model"]
Attend = Callable[[Tensor, Tensor, Tensor, Tensor | None], AttentionResult]
ROW_SUM_TOLERANCE = 1e-4  # float32 softmax rows sum to 1 within ~1e-6


def correct_attention(q: Tensor, k: Tensor, v: Tensor, allowed: Tensor | None) -> AttentionResult:
    """Shapes: q ``[..., L, d_k]``, k ``[..., S, d_k]``, v ``[..., S, d_v]``. softmax(QKᵀ/√d_k + M) V."""
    return scaled_dot_product_attention(q, k, v, attn_mask=allowed)


def no_scaling(q: Tensor, k: Tensor, v: Tensor, allowed: Tensor | None) -> AttentionResult:
    """Shapes as :func:`correct_attention`. softmax(QKᵀ + M) V: scores of variance d_k, peakier weights."""
    return scaled_dot_product_attention(q, k, v, attn_mask=allowed, scale=1.0)


def scale_by_d_model(q: Tensor, k: Tensor, v: Tensor, allowed: Tensor | None) -> AttentionResult:
    """Shapes: q ``[..., H, L, d_k]`` (d_model = H × d_k is read from it). softmax(QKᵀ/√d_model + M) V."""
    d_model = q.size(-3) * q.size(-1)
    return scaled_dot_product_attention(q, k, v, attn_mask=allowed, scale=1.0 / math.sqrt(d_model))


def softmax_over_queries(q: Tensor, k: Tensor, v: Tensor, allowed: Tensor | None) -> AttentionResult:
    """Shapes as :func:`correct_attention`. The mask is right, the softmax runs down the columns.

    A key that no query may see (a padding key) makes its column all −∞, and softmax of that is 0/0:
    its weights and every output are NaN, as in the buggy code.
    """
    right = scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    weights = torch.softmax(right.masked_scores, dim=-2)  # over the queries: columns sum to 1
    return replace(right, weights=weights, output=weights @ v)  # output [..., L, d_v]


def mask_after_softmax(q: Tensor, k: Tensor, v: Tensor, allowed: Tensor | None) -> AttentionResult:
    """Shapes as :func:`correct_attention`. ``masked`` holds what the softmax was given: the unmasked scores."""
    right = scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    weights = torch.softmax(right.scaled, dim=-1) * right.allowed  # normalised over every key, then zeroed
    # Nothing is masked before the softmax: its input is the scaled scores.
    return replace(right, masked_scores=right.scaled, weights=weights, output=weights @ v)


MISTAKES: dict[Mistake, Attend] = {
    "no_scaling": no_scaling,
    "softmax_over_queries": softmax_over_queries,
    "mask_after_softmax": mask_after_softmax,
    "scale_by_d_model": scale_by_d_model,
}


def forbidden_influence(attend: Attend, q: Tensor, k: Tensor, v: Tensor, allowed: Tensor, seed: int) -> Tensor:
    """How much each output moves when one *other* token it may not see changes.

    Shapes: q/k/v ``[H, L, d]`` (one sequence), allowed ``[L, L]`` → ``[L, L]``: entry (i, j) is
    max |Δ output_i| when token j's q, k and v are replaced by fresh N(0, 1) vectors, kept only where
    j ≠ i and query i may not attend to key j (0 elsewhere). Correct attention gives exactly 0.
    """
    heads, length, dim = q.shape
    generator = torch.Generator().manual_seed(seed)
    fresh = [torch.randn(heads, length, dim, generator=generator) for _ in range(3)]
    base = attend(q, k, v, allowed).output  # [H, L, d]
    moved = torch.zeros(length, length)  # [L(i), L(j)]
    # One token at a time, at the same shapes as the baseline: a batched call would round unchanged
    # outputs differently (by ~1e-7) and hide the exact 0 of correct attention.
    for j in range(length):
        changed = [old.clone() for old in (q, k, v)]
        for tensor, new in zip(changed, fresh, strict=True):
            tensor[:, j] = new[:, j]
        moved[:, j] = (attend(*changed, allowed).output - base).abs().amax(dim=(0, 2))  # [L(i)]
    forbidden = ~allowed & ~torch.eye(length, dtype=torch.bool)  # [L(i), L(j)]
    return torch.where(forbidden, moved, torch.zeros(()))


@dataclass(frozen=True)
class WeightChecks:
    """What to check in one attention result. Sums count only rows (columns) with at least one allowed key
    (query); entropy only rows with an allowed key."""

    row_sums: Tensor  # [..., L]
    column_sums: Tensor  # [..., S]
    row_sum_range: tuple[float, float]  # (min, max)
    column_sum_range: tuple[float, float]
    max_forbidden_weight: float  # largest weight on a key the mask forbids (0 if it forbids none)
    forbidden_influence: Tensor  # [L, L], see forbidden_influence(); all 0 if the mask forbids nothing
    max_forbidden_influence: float
    most_influenced: tuple[int, int]  # (output i, changed token j) of the largest influence; (0, 0) if none
    mean_entropy: float  # −Σ w ln w per row, averaged; a true entropy only where rows sum to 1
    nan_weights: int
    nan_outputs: int

    @property
    def rows_sum_to_one(self) -> bool:
        """Every row that attends somewhere sums to 1 (within float32 rounding): the weights are distributions."""
        low, high = self.row_sum_range
        return abs(low - 1) < ROW_SUM_TOLERANCE and abs(high - 1) < ROW_SUM_TOLERANCE


@dataclass(frozen=True)
class MistakeReport:
    """The right and the broken attention on the same q, k, v, and the same checks on both."""

    mistake: Mistake
    correct: AttentionResult
    broken: AttentionResult
    correct_checks: WeightChecks
    broken_checks: WeightChecks
    max_output_difference: float  # max |broken output − correct output| (NaN if the broken one has NaN)

    @property
    def masks_something(self) -> bool:
        """The mask forbids at least one (query, key) pair."""
        return bool((~self.correct.allowed).any())


def _sum_range(sums: Tensor, live: Tensor) -> tuple[float, float]:
    kept = sums[live]
    if kept.numel() == 0:
        return (0.0, 0.0)
    return (float(kept.min()), float(kept.max()))


def _argmax_pair(matrix: Tensor) -> tuple[int, int]:
    if matrix.numel() == 0 or not (matrix.nan_to_num(0.0) > 0).any():
        return (0, 0)
    flat = int(matrix.nan_to_num(0.0).argmax())
    return (flat // matrix.size(-1), flat % matrix.size(-1))


def check_weights(result: AttentionResult, attend: Attend, q: Tensor, k: Tensor, v: Tensor, seed: int) -> WeightChecks:
    """Measure ``result = attend(q, k, v, mask)``; ``attend`` again for the leak probe.

    Shapes: q/k/v ``[1, H, L, d_k]`` (one sequence, self-attention).
    """
    live_rows = ~result.fully_masked_rows  # [1, H, L]
    live_columns = result.allowed.any(dim=-2)  # [1, H, S]
    row_sums = result.weights.sum(dim=-1)
    column_sums = result.weights.sum(dim=-2)
    forbidden_weights = result.weights[~result.allowed]
    entropy = torch.special.entr(result.weights).sum(dim=-1)[live_rows]
    full_allowed = result.allowed[0, 0]  # [L, L]: the same for every head
    if full_allowed.all():
        influence = torch.zeros(full_allowed.shape)  # nothing is forbidden, so nothing can leak
    else:
        influence = forbidden_influence(attend, q[0], k[0], v[0], full_allowed, seed)
    return WeightChecks(
        row_sums=row_sums,
        column_sums=column_sums,
        row_sum_range=_sum_range(row_sums, live_rows),
        column_sum_range=_sum_range(column_sums, live_columns),
        max_forbidden_weight=float(forbidden_weights.max()) if forbidden_weights.numel() else 0.0,
        forbidden_influence=influence,
        max_forbidden_influence=float(influence.max()) if influence.numel() else 0.0,
        most_influenced=_argmax_pair(influence),
        mean_entropy=float(entropy.mean()) if entropy.numel() else 0.0,
        nan_weights=int(result.weights.isnan().sum()),
        nan_outputs=int(result.output.isnan().sum()),
    )


def diagnose(
    mistake: Mistake, q: Tensor, k: Tensor, v: Tensor, allowed: Tensor | None, *, seed: int = 0
) -> MistakeReport:
    """Shapes: q/k/v ``[1, H, L, d_k]`` (one sequence, self-attention); allowed ``[L, L]`` or None."""
    if mistake not in MISTAKES:
        raise ValueError(f"unknown mistake {mistake!r}; choose one of {', '.join(MISTAKES)}")
    attend = MISTAKES[mistake]
    correct = correct_attention(q, k, v, allowed)
    broken = attend(q, k, v, allowed)
    return MistakeReport(
        mistake=mistake,
        correct=correct,
        broken=broken,
        correct_checks=check_weights(correct, correct_attention, q, k, v, seed),
        broken_checks=check_weights(broken, attend, q, k, v, seed),
        max_output_difference=float((broken.output - correct.output).abs().max()),
    )
