"""head_diversity against a plain-Python Jensen–Shannon / total-variation formula, plus its edge cases."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core.attention import scaled_dot_product_attention
from core.head_diversity import head_diversity, head_pairs


def js_bits_reference(p: list[float], q: list[float]) -> float:
    def kl(a: list[float], m: list[float]) -> float:
        return sum(x * math.log2(x / y) for x, y in zip(a, m, strict=True) if x > 0)

    m = [(x + y) / 2 for x, y in zip(p, q, strict=True)]
    return 0.5 * kl(p, m) + 0.5 * kl(q, m)


@st.composite
def head_weights(draw: st.DrawFn) -> tuple[torch.Tensor, torch.Tensor]:
    H, L, S = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(1, 6))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**32)))
    scores = torch.randn(H, L, S, generator=g) * draw(st.sampled_from([0.5, 3.0, 30.0]))
    allowed = torch.rand(L, S, generator=g) < 0.7  # shared by every head, like the app's masks
    weights = scaled_dot_product_attention(
        scores, torch.eye(S).expand(H, S, S), torch.zeros(H, S, 1), attn_mask=allowed
    )
    # q·kᵀ with k = I reproduces `scores`; only the weights matter here.
    return weights.weights, allowed.any(dim=-1)


@settings(max_examples=60, deadline=None)
@given(case=head_weights())
def test_matches_the_reference_formula(case) -> None:
    weights, live = case
    diversity = head_diversity(weights)
    H, L, _ = weights.shape
    assert torch.equal(diversity.live_rows, live)
    rows = [i for i in range(L) if live[i]]
    for a in range(H):
        for b in range(H):
            if rows:
                js = sum(
                    js_bits_reference(weights[a, i].double().tolist(), weights[b, i].double().tolist()) for i in rows
                )
                tv = sum(0.5 * (weights[a, i].double() - weights[b, i].double()).abs().sum().item() for i in rows)
                expected_js, expected_tv = js / len(rows), tv / len(rows)
            else:
                expected_js = expected_tv = 0.0
            assert diversity.js_bits[a, b].item() == pytest.approx(expected_js, abs=1e-6)
            assert diversity.total_variation[a, b].item() == pytest.approx(expected_tv, abs=1e-6)
    for matrix in (diversity.js_bits, diversity.total_variation):
        assert torch.equal(matrix, matrix.T)
        assert (matrix.diagonal() == 0).all()
        assert ((matrix >= 0) & (matrix <= 1)).all()
    # Only live rows: in a dead row every weight is 0, and which tied index wins is unspecified.
    assert torch.equal(diversity.top_keys[:, live], weights.argmax(dim=-1)[:, live])
    disagreeing = [i for i in rows if len({int(weights[h, i].argmax()) for h in range(H)}) > 1]
    assert diversity.disagreeing_rows == len(disagreeing)


def test_disjoint_heads_are_one_bit_apart_and_identical_heads_zero() -> None:
    one_hot = torch.eye(3)  # query i attends only to key i
    shifted = one_hot.roll(1, dims=-1)
    diversity = head_diversity(torch.stack([one_hot, one_hot, shifted]))
    assert diversity.js_bits[0, 1].item() == 0.0
    assert diversity.js_bits[0, 2].item() == pytest.approx(1.0)
    assert diversity.total_variation[0, 2].item() == pytest.approx(1.0)
    assert diversity.top_keys[2].tolist() == [1, 2, 0]  # roll moves key i to i + 1
    assert diversity.disagreeing_rows == 3  # head 2 never picks heads 0 and 1's key
    assert head_diversity(torch.stack([one_hot, one_hot])).disagreeing_rows == 0


def test_fully_masked_rows_are_left_out_and_no_nan() -> None:
    weights = torch.tensor([[[1.0, 0.0], [0.0, 0.0]], [[0.0, 1.0], [0.0, 0.0]]])  # row 1 attends nowhere
    diversity = head_diversity(weights)
    assert diversity.live_rows.tolist() == [True, False]
    assert diversity.live_count == 1
    assert diversity.js_bits[0, 1].item() == pytest.approx(1.0)  # from row 0 alone
    nothing = head_diversity(torch.zeros(2, 3, 3))
    assert not nothing.live_rows.any()
    assert nothing.live_count == 0
    assert torch.equal(nothing.js_bits, torch.zeros(2, 2, dtype=torch.float64))
    assert nothing.disagreeing_rows == 0


def test_head_pairs_name_the_closest_and_the_farthest_pair() -> None:
    distances = torch.tensor([[0.0, 0.2, 0.7], [0.2, 0.0, 0.4], [0.7, 0.4, 0.0]], dtype=torch.float64)
    pairs = head_pairs(distances)
    assert (pairs.near, pairs.near_distance, pairs.far, pairs.far_distance) == ((0, 1), 0.2, (0, 2), 0.7)
    assert pairs.mean == pytest.approx((0.2 + 0.7 + 0.4) / 3)
    with pytest.raises(ValueError, match="two heads"):
        head_pairs(torch.zeros(1, 1))
