"""core.step_by_step against PyTorch and against the formulas written out independently (float64 numpy)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core.attention import scaled_dot_product_attention
from core.pipeline import build_mask, build_model, self_attention
from core.step_by_step import (
    cell_arithmetic,
    clean_matrix,
    head_steps,
    outputs_within_value_range,
    spread,
    step_facts,
    steps_from_qkv,
)
from core.tokens import random_embeddings

EXAMPLES = settings(max_examples=100, deadline=None)
FLOAT32_EXP_MAX = math.log(torch.finfo(torch.float32).max)  # ≈ 88.72: exp of more is inf
FLOAT32_EXP_TINY = math.log(torch.finfo(torch.float32).tiny)  # ≈ −87.34: exp of less is subnormal


@st.composite
def qkv_cases(draw: st.DrawFn) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """q [L, d_k], k and v [S, d_k], a bool mask [L, S] (True = may attend, some rows maybe all False)."""
    L, S, d_k = draw(st.integers(1, 8)), draw(st.integers(1, 8)), draw(st.integers(1, 16))
    magnitude = draw(st.sampled_from([0.1, 1.0, 5.0]))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**63 - 1)))
    q = torch.randn(L, d_k, generator=g) * magnitude
    k = torch.randn(S, d_k, generator=g) * magnitude
    v = torch.randn(S, d_k, generator=g)
    allowed = torch.rand(L, S, generator=g) < draw(st.sampled_from([0.3, 0.8, 1.0]))
    return q, k, v, allowed


# ── head_steps: the playground's numbers for one head ────────────────────────


@pytest.mark.parametrize(("d_k", "heads", "seed", "mask"), [(8, 2, 0, "none"), (5, 3, 42, "causal"), (1, 1, 7, "none")])
def test_head_steps_are_the_multi_head_results_head(d_k: int, heads: int, seed: int, mask: str) -> None:
    L = 6
    model = build_model(d_k, heads, seed)
    x = random_embeddings(L, heads * d_k, seed)
    result = self_attention(model, x, build_mask(mask, L))
    for head in range(heads):
        steps = head_steps(result, head)
        assert torch.equal(steps.q, result.q[0, head])
        assert torch.equal(steps.k, result.k[0, head])
        assert torch.equal(steps.v, result.v[0, head])
        for field in ("scores", "scaled", "masked_scores", "weights", "output", "allowed", "fully_masked_rows"):
            assert torch.equal(getattr(steps.attention, field), getattr(result.attention, field)[0, head]), field
        assert steps.attention.scale == pytest.approx(1 / math.sqrt(d_k))
        # The lesson's formula Q = X·W_Q, with W_Q the head's d_k columns of the projection (weight is [out, in]).
        columns = slice(head * d_k, (head + 1) * d_k)
        for name, tensor in (("q", steps.q), ("k", steps.k), ("v", steps.v)):
            w = getattr(model, f"w_{name}").weight.detach()[columns].T  # [d_model, d_k]
            torch.testing.assert_close(tensor, x @ w, atol=1e-5, rtol=0)


@EXAMPLES
@given(case=qkv_cases())
def test_steps_from_qkv_match_pytorch(case) -> None:
    q, k, v, allowed = case
    steps = steps_from_qkv(q, k, v, allowed)
    live = allowed.any(dim=-1)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    torch.testing.assert_close(steps.attention.output, expected, atol=1e-5, rtol=0)
    reference = torch.softmax((q @ k.T / math.sqrt(q.size(-1))).masked_fill(~allowed, -math.inf), dim=-1)
    torch.testing.assert_close(steps.attention.weights[live], reference[live], atol=1e-5, rtol=0)
    assert steps.attention.weights[~live].eq(0).all()


# ── cell_arithmetic ──────────────────────────────────────────────────────────


@EXAMPLES
@given(case=qkv_cases(), data=st.data())
def test_cell_arithmetic_reproduces_the_attention_weight(case, data: st.DataObject) -> None:
    q, k, v, allowed = case
    result = scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    i = data.draw(st.integers(0, q.size(0) - 1))
    j = data.draw(st.integers(0, k.size(0) - 1))
    cell = cell_arithmetic(q, k, result.masked_scores[i], i, j, result.scale)

    # Products and their sum, against float64 numpy.
    q64, k64 = q.double().numpy(), k.double().numpy()
    np.testing.assert_allclose(cell.products.double().numpy(), q64[i] * k64[j], rtol=1e-6, atol=1e-7)
    exact_score = float(q64[i] @ k64[j])
    assert cell.score == pytest.approx(exact_score, rel=1e-5, abs=1e-5)
    assert cell.score == pytest.approx(float(result.scores[i, j]), rel=1e-5, abs=1e-5)
    assert cell.scaled == pytest.approx(exact_score / math.sqrt(q.size(-1)), rel=1e-5, abs=1e-5)
    assert cell.allowed == bool(allowed[i, j])
    assert torch.equal(cell.row_allowed, allowed[i])
    assert cell.masked_score == float(result.masked_scores[i, j])  # the very number the chart shows
    assert (cell.masked_score == -math.inf) == (not cell.allowed)

    # The weight equals the one attention computed, and the row's weights sum to 1.
    assert cell.weight == pytest.approx(float(result.weights[i, j]), abs=1e-6)
    if cell.fully_masked_row:
        assert cell.weight == 0.0 and not allowed[i].any()
    else:
        assert cell.row_max == pytest.approx(float(result.masked_scores[i][allowed[i]].max()))
        # x − m_i, in float32; −∞ stays −∞ for a masked key.
        assert cell.shifted == pytest.approx(cell.masked_score - cell.row_max, rel=1e-6, abs=1e-6)
        assert cell.row_sum_shifted >= 1.0  # the max term is exp(0) = 1
        assert cell.row_exp_shifted.sum().item() == pytest.approx(cell.row_sum_shifted)
        row_weights = [
            cell_arithmetic(q, k, result.masked_scores[i], i, jj, result.scale).weight for jj in range(k.size(0))
        ]
        assert sum(row_weights) == pytest.approx(1.0, abs=1e-5)
        # Subtracting the row max changes nothing, unless float32's exp overflows (above ~88.7) or the
        # whole row underflows (below ~−87.3).
        live_row = result.masked_scores[i][allowed[i]]
        assert cell.overflow == bool(live_row.max() > FLOAT32_EXP_MAX)
        assert cell.underflow == (not cell.overflow and bool(live_row.max() < FLOAT32_EXP_TINY - 1.0))
        if not (cell.overflow or cell.underflow):
            assert cell.weight_unshifted == pytest.approx(cell.weight, abs=1e-6)
    if not cell.allowed:
        assert cell.exp_shifted == 0.0 and cell.weight == 0.0


def test_without_the_shift_exp_overflows_but_the_weight_does_not() -> None:
    q = torch.tensor([[30.0, 30.0]])
    k = torch.tensor([[10.0, 10.0], [9.0, 9.0]])
    result = scaled_dot_product_attention(q, k, torch.eye(2))
    cell = cell_arithmetic(q, k, result.masked_scores[0], 0, 0, result.scale)
    assert cell.scaled == pytest.approx(600 / math.sqrt(2))  # ≈ 424: exp of that is inf in float32
    assert cell.overflow and not cell.underflow and math.isinf(cell.exp_unshifted) and math.isnan(cell.weight_unshifted)
    assert cell.weight == pytest.approx(float(result.weights[0, 0]), abs=1e-6)
    assert cell.weight == pytest.approx(1 / (1 + math.exp(-60 / math.sqrt(2))), abs=1e-6)


def test_without_the_shift_a_very_negative_row_underflows() -> None:
    q = torch.tensor([[-10.0]])
    k = torch.tensor([[10.0], [10.5]])
    result = scaled_dot_product_attention(q, k, torch.eye(2))
    cell = cell_arithmetic(q, k, result.masked_scores[0], 0, 1, result.scale)
    assert cell.underflow and not cell.overflow
    assert cell.weight == pytest.approx(1 / (1 + math.exp(5.0)), abs=1e-6)  # scores −100 and −105
    assert cell.weight == pytest.approx(float(result.weights[0, 1]), abs=1e-6)


def test_fully_masked_row_gives_weight_zero_not_nan() -> None:
    q, k = torch.randn(2, 3), torch.randn(2, 3)
    allowed = torch.tensor([[False, False], [True, False]])
    result = scaled_dot_product_attention(q, k, torch.randn(2, 3), attn_mask=allowed)
    cell = cell_arithmetic(q, k, result.masked_scores[0], 0, 1, result.scale)
    assert cell.fully_masked_row and not cell.allowed
    assert cell.weight == 0.0 and cell.weight_unshifted == 0.0 and not cell.overflow
    assert cell.row_max == -math.inf and cell.masked_score == -math.inf
    # A masked cell in a live row: exp(−∞) = 0.
    cell = cell_arithmetic(q, k, result.masked_scores[1], 1, 1, result.scale)
    assert not cell.fully_masked_row and cell.exp_shifted == 0.0 and cell.weight == 0.0
    assert cell_arithmetic(q, k, result.masked_scores[1], 1, 0, result.scale).weight == pytest.approx(1.0)


def test_cell_arithmetic_is_frozen() -> None:
    cell = cell_arithmetic(torch.ones(1, 1), torch.ones(1, 1), torch.zeros(1), 0, 0, 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cell.weight = 0.5  # type: ignore[misc]


# ── helpers: typed input, spread, convex mix ─────────────────────────────────


def test_clean_matrix_zeroes_non_numbers_and_clamps_huge_values() -> None:
    typed = torch.tensor([[1.5, math.nan, -math.inf], [1e9, -100.0, 100.5]], dtype=torch.float64)
    cleaned = clean_matrix(typed, limit=100.0)
    assert cleaned.values.tolist() == [[1.5, 0.0, -100.0], [100.0, -100.0, 100.0]]
    assert (cleaned.not_numbers, cleaned.clamped) == (1, 3)
    untouched = clean_matrix(torch.tensor([[0.25, -3.0]]), limit=100.0)
    assert untouched.values.tolist() == [[0.25, -3.0]] and (untouched.not_numbers, untouched.clamped) == (0, 0)


def test_spread_counts_only_allowed_entries() -> None:
    matrix = torch.tensor([[1.0, -math.inf], [3.0, 5.0]])
    allowed = torch.tensor([[True, False], [True, True]])
    s = spread(matrix, allowed)
    assert (s.low, s.high) == (1.0, 5.0)
    assert s.std == pytest.approx(float(np.std([1.0, 3.0, 5.0])))
    assert spread(torch.tensor([[2.0]])) == spread(torch.tensor([[2.0]]), torch.tensor([[True]]))
    assert spread(matrix, torch.zeros(2, 2, dtype=torch.bool)).std == 0.0


@EXAMPLES
@given(case=qkv_cases())
def test_outputs_are_weighted_averages_of_values(case) -> None:
    q, k, v, allowed = case
    steps = steps_from_qkv(q, k, v, allowed)
    assert outputs_within_value_range(steps)
    # The check can fail: an output pushed outside its column's range is caught.
    live = (~steps.attention.fully_masked_rows).nonzero()
    if len(live):
        bad_output = steps.attention.output.clone()
        bad_output[live[0, 0], 0] = v[:, 0].max() + 1.0
        bad = dataclasses.replace(steps, attention=dataclasses.replace(steps.attention, output=bad_output))
        assert not outputs_within_value_range(bad)


# ── step_facts: the numbers behind the page's claims ─────────────────────────


def test_step_facts_count_what_each_claim_says() -> None:
    q = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, -1.0]])
    k = torch.tensor([[1.0, 1.0], [2.0, 0.0], [0.0, -1.0]])
    v = torch.tensor([[1.0, 2.0], [-1.0, 0.0], [0.5, 4.0]])
    allowed = torch.tensor([[True, False, False], [True, True, False], [False, False, False]])  # row 2: nothing
    steps = steps_from_qkv(q, k, v, allowed)
    facts = step_facts(steps)
    scores = (q @ k.T).double().numpy()
    assert facts.cells == 9 and facts.d_k == 2 and facts.scale == pytest.approx(1 / math.sqrt(2))
    assert (facts.scores.low, facts.scores.high) == (pytest.approx(scores.min()), pytest.approx(scores.max()))
    assert facts.scores.std == pytest.approx(scores.std(), rel=1e-6)
    assert facts.scaled_std == pytest.approx(scores.std() / math.sqrt(2), rel=1e-6)
    assert facts.not_allowed == 6
    assert facts.row_sums == (pytest.approx(1.0), pytest.approx(1.0))  # the fully masked row is left out
    assert facts.masked_weight_max == 0.0
    assert facts.outputs_within_values is True
    assert facts.live_outputs == 2 * 2


def test_step_facts_without_a_mask_or_a_live_row() -> None:
    q, k, v = torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 3)
    assert step_facts(steps_from_qkv(q, k, v, None)).masked_weight_max is None
    nothing = step_facts(steps_from_qkv(q, k, v, torch.zeros(2, 2, dtype=torch.bool)))
    assert nothing.row_sums is None and nothing.live_outputs == 0 and nothing.not_allowed == 4
