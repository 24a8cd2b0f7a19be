"""The √d_k lesson's numbers: the softmax statistics against independent formulas and PyTorch, and the
sweep's claims (variance d_k vs 1, saturation, vanishing gradient) on a large fixed-seed sample."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core.why_scale import (
    SWEEP_D_KS,
    SWEEP_KEYS,
    compare_scaling,
    scaling_sweep,
    softmax_jacobian_norm,
    softmax_stats,
)

# Large enough that the sample variance of q·k is within a few per cent of its expectation.
BIG_SAMPLE = 2048


@pytest.fixture(scope="module")
def big_sweep():
    return scaling_sweep(num_queries=BIG_SAMPLE, seed=1234)


def curve(sweep, setting: str, field: str) -> list[float]:
    return [getattr(getattr(point, setting), field) for point in sweep.points]


def analytic_jacobian_norm(logits: torch.Tensor) -> torch.Tensor:
    """‖diag(p) − p pᵀ‖_F per row, in float64, without autograd."""
    p = torch.softmax(logits.double(), dim=-1)
    jacobian = torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)  # [..., S, S]
    return jacobian.pow(2).sum(dim=(-2, -1)).sqrt()


@st.composite
def logits(draw: st.DrawFn) -> torch.Tensor:
    batch = tuple(draw(st.lists(st.integers(1, 4), max_size=2)))
    keys = draw(st.integers(1, 24))
    magnitude = draw(st.sampled_from([0.01, 1.0, 5.0, 40.0]))  # flat … fully saturated rows
    generator = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    return torch.randn(*batch, keys, generator=generator) * magnitude


@settings(max_examples=60, deadline=None)
@given(logits())
def test_autograd_jacobian_norm_equals_the_analytic_softmax_jacobian(scores: torch.Tensor) -> None:
    measured = softmax_jacobian_norm(scores)
    assert measured.shape == scores.shape[:-1]
    torch.testing.assert_close(measured.double(), analytic_jacobian_norm(scores), atol=1e-6, rtol=1e-5)


def test_jacobian_norm_known_values() -> None:
    # Uniform over S keys: ‖I/S − 11ᵀ/S²‖_F² = (S − 1)/S². One-hot: 0. A single key: 0.
    for keys in (2, 5, 16):
        uniform = softmax_jacobian_norm(torch.zeros(keys))
        assert float(uniform) == pytest.approx(math.sqrt(keys - 1) / keys, rel=1e-6)
    assert float(softmax_jacobian_norm(torch.tensor([200.0, 0.0, 0.0]))) == 0.0
    assert float(softmax_jacobian_norm(torch.tensor([3.0]))) == 0.0


def test_jacobian_norm_does_not_touch_the_callers_graph() -> None:
    scores = torch.randn(3, 4, requires_grad=True)
    with torch.no_grad():  # the page calls it outside any grad context; it must still differentiate
        norms = softmax_jacobian_norm(scores)
    assert not norms.requires_grad and scores.grad is None


@settings(max_examples=40, deadline=None)
@given(logits())
def test_softmax_stats_against_independent_formulas(scores: torch.Tensor) -> None:
    stats = softmax_stats(scores)
    p = torch.softmax(scores.double(), dim=-1)
    torch.testing.assert_close(stats.weights.double(), p, atol=1e-6, rtol=0)
    torch.testing.assert_close(stats.max_weight.double(), p.max(dim=-1).values, atol=1e-6, rtol=0)
    entropy = -(p * torch.where(p > 0, p.log(), torch.zeros_like(p))).sum(dim=-1)
    torch.testing.assert_close(stats.entropy.double(), entropy, atol=2e-5, rtol=1e-5)
    assert stats.logit_variance == pytest.approx(float(scores.double().var(correction=0)), rel=1e-4, abs=1e-6)
    assert stats.mean_max_weight == pytest.approx(float(p.max(dim=-1).values.mean()), abs=1e-6)
    assert stats.mean_entropy == pytest.approx(float(entropy.mean()), abs=2e-5)
    expected_norm = float(analytic_jacobian_norm(scores).mean())
    assert stats.mean_jacobian_norm == pytest.approx(expected_norm, abs=1e-6)
    assert math.isfinite(stats.mean_entropy) and math.isfinite(stats.mean_jacobian_norm)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 64), st.integers(1, 10), st.integers(1, 10), st.integers(0, 2**32 - 1))
def test_compare_scaling_weights_equal_pytorch_attention(d_k: int, queries: int, keys: int, seed: int) -> None:
    generator = torch.Generator().manual_seed(seed)
    q = torch.randn(2, queries, d_k, generator=generator)
    k = torch.randn(2, keys, d_k, generator=generator)
    comparison = compare_scaling(q, k)
    identity = torch.eye(keys).expand(2, keys, keys)  # values = I, so the output is the weight matrix
    assert comparison.d_k == d_k
    torch.testing.assert_close(comparison.scores, q @ k.transpose(-2, -1), atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(
        comparison.scaled.weights, F.scaled_dot_product_attention(q, k, identity), atol=1e-5, rtol=0
    )
    torch.testing.assert_close(
        comparison.unscaled.weights, F.scaled_dot_product_attention(q, k, identity, scale=1.0), atol=1e-5, rtol=0
    )


def test_compare_scaling_rejects_mismatched_d_k() -> None:
    with pytest.raises(ValueError, match="d_k"):
        compare_scaling(torch.zeros(2, 4), torch.zeros(3, 5))


# ── the sweep's claims ───────────────────────────────────────────────────────


def test_sweep_covers_powers_of_two_up_to_512(big_sweep) -> None:
    assert SWEEP_D_KS == (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
    assert tuple(point.d_k for point in big_sweep.points) == SWEEP_D_KS
    assert big_sweep.num_queries == BIG_SAMPLE and big_sweep.num_keys == SWEEP_KEYS
    for point in big_sweep.points:
        assert point.scores.shape == (BIG_SAMPLE, 1, SWEEP_KEYS)


def test_raw_variance_is_d_k_and_scaled_variance_is_1(big_sweep) -> None:
    for point in big_sweep.points:
        assert point.unscaled.logit_variance / point.d_k == pytest.approx(1.0, rel=0.1), point.d_k
        assert point.scaled.logit_variance == pytest.approx(1.0, rel=0.1), point.d_k
    first = big_sweep.points[0]
    assert first.unscaled.mean_jacobian_norm == first.scaled.mean_jacobian_norm  # √1 = 1: identical


def test_unscaled_softmax_saturates_and_scaled_does_not(big_sweep) -> None:
    max_unscaled = curve(big_sweep, "unscaled", "mean_max_weight")
    entropy_unscaled = curve(big_sweep, "unscaled", "mean_entropy")
    assert all(b > a for a, b in itertools.pairwise(max_unscaled)), max_unscaled
    assert all(b < a for a, b in itertools.pairwise(entropy_unscaled)), entropy_unscaled
    assert max_unscaled[-1] > 0.9  # → 1: one key takes almost all the weight
    assert entropy_unscaled[-1] < 0.2  # → 0 (uniform over 16 keys would be ln 16 ≈ 2.77)

    max_scaled = curve(big_sweep, "scaled", "mean_max_weight")
    entropy_scaled = curve(big_sweep, "scaled", "mean_entropy")
    assert max(max_scaled) / min(max_scaled) < 1.3, max_scaled  # roughly constant, far from 1
    assert max(max_scaled) < 0.3
    assert max(entropy_scaled) - min(entropy_scaled) < 0.15, entropy_scaled
    assert min(entropy_scaled) > 2.2


def test_unscaled_gradient_vanishes_as_d_k_grows(big_sweep) -> None:
    unscaled = curve(big_sweep, "unscaled", "mean_jacobian_norm")
    scaled = curve(big_sweep, "scaled", "mean_jacobian_norm")
    # It first rises a little (a slightly peaked softmax passes more gradient than a flat one) and
    # peaks by d_k = 8; from there it falls at every step.
    peak = unscaled.index(max(unscaled))
    assert SWEEP_D_KS[peak] <= 8
    assert all(b < a for a, b in zip(unscaled[peak:], unscaled[peak + 1 :], strict=False)), unscaled
    assert unscaled[-1] < 0.3 * scaled[-1]
    assert unscaled[-1] < 0.3 * max(unscaled)
    assert max(scaled) / min(scaled) < 1.15, scaled  # scaled: roughly constant


@settings(max_examples=40, deadline=None)
@given(logits(), st.sampled_from([1.0, 0.5, 1 / math.sqrt(512)]))
def test_gradient_reaching_the_scores_is_the_chain_rule_through_the_scale(scores: torch.Tensor, c: float) -> None:
    # ∂softmax(c·x)/∂x = c·J(c·x): the scale's own factor, which a Jacobian at the softmax's input leaves out.
    stats = softmax_stats(scores, c)
    expected = c * analytic_jacobian_norm(scores * c)
    torch.testing.assert_close(stats.score_gradient_norm.double(), expected, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(stats.jacobian_norm.double(), analytic_jacobian_norm(scores * c), atol=1e-6, rtol=1e-5)
    flat = expected.flatten()
    assert stats.median_score_gradient == pytest.approx(float(flat.quantile(0.5)), rel=1e-4, abs=1e-7)
    assert stats.mean_score_gradient == pytest.approx(float(flat.mean()), rel=1e-4, abs=1e-7)


def test_at_d_k_512_scaling_helps_the_median_row_while_the_unscaled_mean_is_larger(big_sweep) -> None:
    # The page's verdict (issue 10): the typical row's gradient to q·k vanishes without scaling, but a few
    # near-tied unscaled rows keep the unscaled *mean* above the scaled one.
    last = big_sweep.points[-1]
    assert last.d_k == 512
    assert last.scaled.median_score_gradient > 10 * last.unscaled.median_score_gradient
    assert last.unscaled.mean_score_gradient > 3 * last.scaled.mean_score_gradient
    # Scaled, the gradient to q·k is the Jacobian at the softmax's input times 1/√d_k.
    ratio = last.scaled.mean_score_gradient / last.scaled.mean_jacobian_norm
    assert ratio == pytest.approx(1 / math.sqrt(512), rel=1e-4)


def test_sweep_is_seeded() -> None:
    d_ks = (1, 8, 64)
    first = scaling_sweep(d_ks, num_queries=64, seed=5)
    again = scaling_sweep(d_ks, num_queries=64, seed=5)
    other = scaling_sweep(d_ks, num_queries=64, seed=6)
    for a, b, c in zip(first.points, again.points, other.points, strict=True):
        assert torch.equal(a.scores, b.scores)
        assert not torch.equal(a.scores, c.scores)


@pytest.mark.parametrize(
    "kwargs", [{"d_ks": ()}, {"d_ks": (0, 2)}, {"num_queries": 0}, {"num_keys": 0}], ids=lambda k: str(k)
)
def test_sweep_rejects_empty_or_non_positive_sizes(kwargs) -> None:
    with pytest.raises(ValueError):
        scaling_sweep(**kwargs)
