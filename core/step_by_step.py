r"""One head's attention, one step at a time, and the arithmetic behind a single weight.

The lesson walks X → Q, K, V → QKᵀ → ÷√d_k → mask → softmax → ×V. Every matrix it shows comes from
:func:`core.attention.scaled_dot_product_attention` (or the multi-head layer that calls it); this module
only picks one head out of a result, runs attention on hand-typed Q, K, V, and writes one weight out
number by number:

.. math:: A_{ij} = \frac{e^{s_{ij} - m_i}}{\sum_k e^{s_{ik} - m_i}}, \quad
          s_{ij} = \frac{q_i \cdot k_j}{\sqrt{d_k}} \ (\text{or } -\infty \text{ if masked}), \quad m_i = \max_k s_{ik}
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from core.attention import AttentionResult, scaled_dot_product_attention
from core.multihead import MultiHeadResult

NEG_INF = float("-inf")


@dataclass(frozen=True)
class HeadSteps:
    """Every matrix of one head's attention, in the order the lesson shows them.

    Shapes: q ``[L, d_k]``; k ``[S, d_k]``; v ``[S, d_v]``; attention scores … weights ``[L, S]``,
    output ``[L, d_v]``.
    """

    q: Tensor
    k: Tensor
    v: Tensor
    attention: AttentionResult


def head_steps(result: MultiHeadResult, head: int, batch: int = 0) -> HeadSteps:
    """One head of a multi-head result: the same tensors the playground draws, not a recomputation.

    Shapes: result ``[B, H, L, …]`` → every field ``[L, …]``.
    """
    a = result.attention
    return HeadSteps(
        q=result.q[batch, head],
        k=result.k[batch, head],
        v=result.v[batch, head],
        attention=AttentionResult(
            scores=a.scores[batch, head],
            scaled=a.scaled[batch, head],
            masked_scores=a.masked_scores[batch, head],
            weights=a.weights[batch, head],
            output=a.output[batch, head],
            allowed=a.allowed[batch, head],
            fully_masked_rows=a.fully_masked_rows[batch, head],
            scale=a.scale,
        ),
    )


def steps_from_qkv(q: Tensor, k: Tensor, v: Tensor, allowed: Tensor | None) -> HeadSteps:
    """Attention over Q, K, V given directly (typed by hand), scaled by 1/√d_k of ``q``.

    Shapes: q ``[L, d_k]``, k ``[S, d_k]``, v ``[S, d_v]``, allowed ``[L, S]`` bool (True = may attend).
    """
    return HeadSteps(q=q, k=k, v=v, attention=scaled_dot_product_attention(q, k, v, attn_mask=allowed))


@dataclass(frozen=True)
class CleanMatrix:
    """Numbers a person typed, made safe to compute with."""

    values: Tensor  # finite, each within ±limit
    not_numbers: int  # empty or NaN cells, set to 0
    clamped: int  # cells beyond ±limit (±inf included), set to ±limit


def clean_matrix(values: Tensor, limit: float) -> CleanMatrix:
    """Empty/NaN → 0 and anything beyond ±limit → ±limit, counting each. Shapes: any → same."""
    not_number = values.isnan()
    clamped = ~not_number & (values.abs() > limit)
    cleaned = values.masked_fill(not_number, 0.0).clamp(-limit, limit)
    return CleanMatrix(values=cleaned, not_numbers=int(not_number.sum()), clamped=int(clamped.sum()))


@dataclass(frozen=True)
class Spread:
    """Smallest, largest and (population) standard deviation of the allowed entries of a matrix."""

    low: float
    high: float
    std: float


def spread(matrix: Tensor, allowed: Tensor | None = None) -> Spread:
    """Shapes: matrix ``[…]``, allowed broadcastable to it (True = counted). An empty selection gives zeros."""
    values = matrix if allowed is None else matrix[allowed.expand_as(matrix)]
    if values.numel() == 0:
        return Spread(0.0, 0.0, 0.0)
    return Spread(float(values.min()), float(values.max()), float(values.std(correction=0)))


def outputs_within_value_range(steps: HeadSteps) -> bool:
    """True if every output o_{i,d} lies between min_j v_{j,d} and max_j v_{j,d} (rows that attend somewhere).

    Each row of weights is ≥ 0 and sums to 1, so o_i = Σ_j A_ij v_j is a weighted average of value rows.
    Shapes: v ``[S, d_v]``, output ``[L, d_v]``.
    """
    live = ~steps.attention.fully_masked_rows  # [L]
    output = steps.attention.output[live]  # [L_live, d_v]
    if output.numel() == 0:
        return True
    low, high = steps.v.min(dim=0).values, steps.v.max(dim=0).values  # [d_v]
    slack = 1e-5 * max(1.0, float(steps.v.abs().max()))  # float32 rounding of the weighted sum
    return bool(((output >= low - slack) & (output <= high + slack)).all())


@dataclass(frozen=True)
class CellArithmetic:
    """How the weight A_ij comes about, number by number (in the dtype of the inputs).

    Shapes: query/key/products ``[d_k]``; row/row_allowed/row_exp_shifted/row_exp ``[S]``.
    """

    i: int
    j: int
    query: Tensor  # q_i
    key: Tensor  # k_j
    products: Tensor  # q_i[d] · k_j[d], one per dimension d
    score: float  # Σ_d products = (QKᵀ)_ij
    scale: float  # 1/√d_k
    scaled: float  # score × scale
    allowed: bool  # may query i attend to key j?
    row: Tensor  # row i of the scaled, masked scores (−inf = masked); the softmax's input
    row_allowed: Tensor  # bool, True where query i may attend to that key
    masked_score: float  # row[j]: the scaled score, or −inf
    fully_masked_row: bool  # query i may attend to nothing: its weights are 0 by convention
    row_max: float  # m_i = max over the allowed entries of the row (−inf if none)
    shifted: float  # row[j] − m_i (−inf if masked)
    row_exp_shifted: Tensor  # exp(row − m_i); 0 where masked
    exp_shifted: float  # exp(row[j] − m_i)
    row_sum_shifted: float  # Σ_k exp(row[k] − m_i)
    weight: float  # exp_shifted / row_sum_shifted
    row_exp: Tensor  # exp(row) without the shift: may overflow to inf
    exp_unshifted: float
    row_sum_unshifted: float
    weight_unshifted: float  # exp_unshifted / row_sum_unshifted
    overflow: bool  # without the shift some exp(x) is ∞, so the weight is ∞/∞ = NaN or 0
    underflow: bool  # without the shift the row's exps are all (near) 0, so the division loses its digits


def cell_arithmetic(q: Tensor, k: Tensor, masked_row: Tensor, i: int, j: int, scale: float) -> CellArithmetic:
    """Write out weight (i, j): products, their sum, × scale, mask, exp(x − row max), ÷ row sum.

    ``masked_row`` is row i of ``AttentionResult.masked_scores`` (the softmax's input), so the weight is computed
    from exactly the numbers the charts show. The same weight without subtracting the row max is kept
    to show that the shift changes nothing but overflow.
    Shapes: q ``[L, d_k]``, k ``[S, d_k]``, masked_row ``[S]``.
    """
    query, key = q[i], k[j]  # [d_k]
    products = query * key  # [d_k]
    score = products.sum()
    allowed_row = masked_row != NEG_INF  # [S]
    fully_masked = not bool(allowed_row.any())
    if fully_masked:
        # Softmax of an all −∞ row is 0/0; core.attention sets such weights to 0, and so do we.
        zeros = torch.zeros_like(masked_row)
        row_max = torch.tensor(NEG_INF)
        row_exp_shifted = row_exp = zeros
        weight = weight_unshifted = 0.0
        overflow = underflow = False
    else:
        row_max = masked_row[allowed_row].max()
        row_exp_shifted = torch.exp(masked_row - row_max)  # [S]; exp(−∞) = 0 where masked
        row_exp = torch.exp(masked_row)  # [S]; overflows to inf for scores above ~88 in float32
        weight = float(row_exp_shifted[j] / row_exp_shifted.sum())
        weight_unshifted = float(row_exp[j] / row_exp.sum())
        overflow = bool(row_exp.isinf().any())
        underflow = not overflow and float(row_exp.sum()) < torch.finfo(row_exp.dtype).tiny
    return CellArithmetic(
        i=i,
        j=j,
        query=query,
        key=key,
        products=products,
        score=float(score),
        scale=float(scale),
        scaled=float(score * scale),
        allowed=bool(allowed_row[j]),
        row=masked_row,
        row_allowed=allowed_row,
        masked_score=float(masked_row[j]),
        fully_masked_row=fully_masked,
        row_max=float(row_max),
        shifted=float(masked_row[j] - row_max) if not fully_masked else NEG_INF,
        row_exp_shifted=row_exp_shifted,
        exp_shifted=float(row_exp_shifted[j]),
        row_sum_shifted=float(row_exp_shifted.sum()),
        weight=weight,
        row_exp=row_exp,
        exp_unshifted=float(row_exp[j]),
        row_sum_unshifted=float(row_exp.sum()),
        weight_unshifted=weight_unshifted,
        overflow=overflow,
        underflow=underflow,
    )


@dataclass(frozen=True)
class StepFacts:
    """The live numbers behind each step's one-sentence claim (steps 1–5).

    Counted over one head: scores ``[L, S]``, values ``[S, d_v]``.
    """

    scores: Spread  # step 1: the raw scores QKᵀ
    cells: int  # L · S
    scaled_std: float  # step 2: the standard deviation after ÷√d_k
    d_k: int
    scale: float  # 1/√d_k
    not_allowed: int  # step 3: cells the mask forbids
    row_sums: tuple[float, float] | None  # step 4: (min, max) over rows that attend somewhere; None: no such row
    masked_weight_max: float | None  # step 4: the largest weight on a forbidden cell; None: nothing is forbidden
    outputs_within_values: bool  # step 5: every output lies within its value column's range
    live_outputs: int  # step 5: output numbers of rows that attend somewhere


def step_facts(steps: HeadSteps) -> StepFacts:
    """The numbers :class:`StepFacts` names, from one head's matrices."""
    attention = steps.attention
    live = ~attention.fully_masked_rows  # [L]
    sums = attention.weights.sum(dim=-1)[live]  # [L_live]
    on_masked = attention.weights[~attention.allowed]
    return StepFacts(
        scores=spread(attention.scores),
        cells=attention.scores.numel(),
        scaled_std=spread(attention.scaled).std,
        d_k=steps.q.size(-1),
        scale=attention.scale,
        not_allowed=int((~attention.allowed).sum()),
        row_sums=(float(sums.min()), float(sums.max())) if live.any() else None,
        masked_weight_max=float(on_masked.max()) if on_masked.numel() else None,
        outputs_within_values=outputs_within_value_range(steps),
        live_outputs=int(live.sum()) * steps.v.size(-1),
    )
