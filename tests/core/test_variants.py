"""core.variants against independent formulas: Python loops in numpy (float64), PyTorch, and statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, sizes

from core.attention import scaled_dot_product_attention
from core.pipeline import build_model
from core.variants import (
    SCORING_NAMES,
    argmax_attention,
    entropy,
    gradient_check,
    mean_entropy_curve,
    sample_attention,
    score_variants,
    scoring_params,
    soft_vs_hard,
    summarize_scorings,
    with_temperature,
    zero_temperature_limit,
)

EXAMPLES = settings(max_examples=60, deadline=None)


def tensors(seed: int, L: int, S: int, d_k: int, batch: tuple[int, ...] = ()) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*batch, L, d_k, generator=g), torch.randn(*batch, S, d_k, generator=g)


def loop_scores(q: np.ndarray, k: np.ndarray, params) -> dict[str, np.ndarray]:
    """The four score functions, one (i, j) pair at a time, written from their textbook formulas."""
    W = params.general.double().numpy()
    Wq, Uk, v = (p.double().numpy() for p in (params.additive_query, params.additive_key, params.additive_vector))
    L, S, d_k = q.shape[0], k.shape[0], q.shape[1]
    out = {name: np.zeros((L, S)) for name in SCORING_NAMES}
    for i in range(L):
        for j in range(S):
            dot = sum(q[i, a] * k[j, a] for a in range(d_k))
            out["dot"][i, j] = dot
            out["scaled_dot"][i, j] = dot / math.sqrt(d_k)
            out["general"][i, j] = sum(q[i, a] * W[a, b] * k[j, b] for a in range(d_k) for b in range(d_k))
            out["additive"][i, j] = sum(
                v[h] * math.tanh(sum(Wq[h, a] * q[i, a] + Uk[h, a] * k[j, a] for a in range(d_k)))
                for h in range(len(v))
            )
    return out


def np_softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ── the four score functions ─────────────────────────────────────────────────


@EXAMPLES
@given(**sizes(L=6, S=6, d_k=6, hidden=5), seed=SEEDS)
def test_scores_equal_loops_over_the_textbook_formulas(L: int, S: int, d_k: int, hidden: int, seed: int) -> None:
    q, k = tensors(seed, L, S, d_k)
    params = scoring_params(d_k, seed, hidden)
    expected = loop_scores(q.double().numpy(), k.double().numpy(), params)
    results = score_variants(q, k, params)
    assert [r.name for r in results] == list(SCORING_NAMES)
    for result in results:
        np.testing.assert_allclose(result.scores.numpy(), expected[result.name], atol=1e-4, rtol=1e-5)
        np.testing.assert_allclose(result.weights.numpy(), np_softmax(expected[result.name]), atol=1e-5)
        np.testing.assert_allclose(result.weights.sum(-1).numpy(), 1.0, atol=1e-6)


def test_batched_inputs_score_each_batch_element_alone() -> None:
    q, k = tensors(3, 5, 7, 4, batch=(2, 3))
    params = scoring_params(4, 3)
    batched = score_variants(q, k, params)
    for b in range(2):
        for h in range(3):
            single = score_variants(q[b, h], k[b, h], params)
            for whole, one in zip(batched, single, strict=True):
                torch.testing.assert_close(whole.scores[b, h], one.scores, atol=1e-5, rtol=1e-5)


def test_scaled_dot_weights_equal_the_projects_attention_and_pytorch() -> None:
    q, k = tensors(11, 9, 9, 16, batch=(1, 2))
    v = torch.randn(1, 2, 9, 16, generator=torch.Generator().manual_seed(12))
    scaled = score_variants(q, k, scoring_params(16, 0))[1]
    ours = scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(scaled.weights, ours.weights, atol=1e-6, rtol=0)
    torch.testing.assert_close(scaled.weights @ v, F.scaled_dot_product_attention(q, k, v), atol=1e-5, rtol=0)


def test_dot_is_scaled_dot_at_temperature_one_over_sqrt_dk() -> None:
    q, k = tensors(5, 6, 6, 9)
    dot, scaled = score_variants(q, k, scoring_params(9, 5))[:2]
    torch.testing.assert_close(dot.weights, with_temperature(scaled.scores, 1 / 3).weights, atol=1e-6, rtol=0)


def test_scoring_params_are_seeded_and_independent_of_the_projection_weights() -> None:
    a, b, c = scoring_params(8, 0), scoring_params(8, 0), scoring_params(8, 1)
    assert torch.equal(a.general, b.general) and torch.equal(a.additive_vector, b.additive_vector)
    assert not torch.allclose(a.general, c.general)
    assert a.general.shape == (8, 8) and a.additive_query.shape == (8, 8) and a.additive_vector.shape == (8,)
    assert scoring_params(8, 0, hidden=3).additive_key.shape == (3, 8)
    # The model built from the same seed draws its own numbers: none of W_q's appear in W.
    w_q = build_model(8, 1, 0).w_q.weight.detach()
    assert not np.isin(a.general.numpy().round(6), (w_q * math.sqrt(8)).numpy().round(6)).any()


def test_general_scores_have_the_variance_of_unscaled_dot_scores() -> None:
    q, k = tensors(0, 400, 400, 16)
    dot, _, general, _ = score_variants(q, k, scoring_params(16, 0))
    assert dot.scores.var().item() == pytest.approx(16, rel=0.15)
    assert general.scores.var().item() == pytest.approx(16, rel=0.3)


@pytest.mark.parametrize(("q_dim", "k_dim", "param_dim"), [(4, 5, 4), (4, 4, 5)])
def test_mismatched_d_k_is_a_clear_error(q_dim: int, k_dim: int, param_dim: int) -> None:
    with pytest.raises(ValueError, match="share d_k"):
        score_variants(torch.zeros(3, q_dim), torch.zeros(3, k_dim), scoring_params(param_dim, 0))


@pytest.mark.parametrize("bad", [0, -2])
def test_scoring_params_reject_empty_sizes(bad: int) -> None:
    with pytest.raises(ValueError, match="≥ 1"):
        scoring_params(bad, 0)
    with pytest.raises(ValueError, match="≥ 1"):
        scoring_params(4, 0, hidden=bad)


# ── entropy ──────────────────────────────────────────────────────────────────


@EXAMPLES
@given(S=st.integers(1, 12), seed=SEEDS, spread=st.sampled_from([0.1, 1.0, 10.0]))
def test_entropy_equals_the_formula_and_lies_between_0_and_ln_s(S: int, seed: int, spread: float) -> None:
    scores = torch.randn(4, S, generator=torch.Generator().manual_seed(seed)).double() * spread
    weights = torch.softmax(scores, -1)
    w = weights.numpy()
    expected = -np.array([sum(p * math.log(p) for p in row if p > 0) for row in w])
    np.testing.assert_allclose(entropy(weights).numpy(), expected, atol=1e-9)
    assert (entropy(weights) >= -1e-12).all() and (entropy(weights) <= math.log(S) + 1e-9).all()


def test_entropy_of_one_hot_is_0_and_of_uniform_is_ln_s() -> None:
    assert entropy(torch.tensor([0.0, 1.0, 0.0])).item() == 0.0
    assert entropy(torch.full((8,), 1 / 8)).item() == pytest.approx(math.log(8))


# ── hard attention ───────────────────────────────────────────────────────────


def test_argmax_one_hot_equals_numpy_argmax() -> None:
    scores = torch.randn(3, 5, 7, generator=torch.Generator().manual_seed(1))
    hard = argmax_attention(scores)
    expected = np.eye(7)[scores.numpy().argmax(-1)]
    np.testing.assert_array_equal(hard.one_hot.numpy(), expected)
    assert hard.index.shape == (3, 5) and not hard.tied.any()


def test_tied_maxima_are_flagged_and_argmax_takes_the_first() -> None:
    scores = torch.tensor([[1.0, 3.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0], [5.0, 1.0, 2.0, 4.9]])
    hard = argmax_attention(scores)
    assert hard.index.tolist() == [1, 0, 0]
    assert hard.tied.tolist() == [True, True, False]
    assert hard.maxima.int().tolist() == [[0, 1, 1, 0], [1, 1, 1, 1], [1, 0, 0, 0]]


def chi_square_critical(df: int, z: float = 3.09) -> float:
    """Wilson–Hilferty approximation of the χ² quantile; z = 3.09 is the normal 99.9 % point."""
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_sampled_frequencies_fit_the_softmax_weights(seed: int) -> None:
    g = torch.Generator().manual_seed(100 + seed)
    weights = torch.softmax(torch.randn(10, generator=g), -1)
    n = 20_000
    sampled = sample_attention(weights, n, torch.Generator().manual_seed(seed))
    assert sampled.draws.shape == (n,) and int(sampled.counts.sum()) == n
    expected = weights.double().numpy() * n
    assert expected.min() >= 5  # Pearson's χ² test needs this
    chi2 = float(((sampled.counts.double().numpy() - expected) ** 2 / expected).sum())
    assert chi2 < chi_square_critical(df=9), chi2
    # Each draw is a one-hot; their mean is the frequency.
    np.testing.assert_allclose(F.one_hot(sampled.draws, 10).double().mean(0).numpy(), sampled.frequencies.numpy())


def test_sampling_error_shrinks_like_one_over_sqrt_n() -> None:
    weights = torch.softmax(torch.randn(2, 8, generator=torch.Generator().manual_seed(7)), -1)
    errors = {n: sample_attention(weights, n, torch.Generator().manual_seed(0)).max_error for n in (100, 100_000)}
    assert errors[100].shape == (2,)
    assert (errors[100_000] < errors[100] / 5).all()  # √1000 ≈ 32 in expectation
    assert (errors[100_000] < 0.01).all()


def test_sampling_is_reproducible_and_respects_zero_weights() -> None:
    weights = torch.tensor([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]])
    a = sample_attention(weights, 500, torch.Generator().manual_seed(3))
    b = sample_attention(weights, 500, torch.Generator().manual_seed(3))
    assert torch.equal(a.draws, b.draws)
    assert a.counts[0, 1] == 0 and a.counts[1].tolist() == [0, 500, 0]
    with pytest.raises(ValueError, match="num_draws"):
        sample_attention(weights, 0, torch.Generator())


# ── gradients ────────────────────────────────────────────────────────────────


@EXAMPLES
@given(S=st.integers(2, 10), d_v=st.integers(1, 6), seed=SEEDS)
def test_soft_gradient_is_the_softmax_jacobian_and_hard_gradient_is_none(S: int, d_v: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    scores, values = torch.randn(S, generator=g), torch.randn(S, d_v, generator=g)
    check = gradient_check(scores, values)
    w = np_softmax(scores.double().numpy())
    c = values.double().numpy().sum(axis=1)
    analytic = w * (c - (w * c).sum())  # d/ds_j Σ_k w_k c_k
    np.testing.assert_allclose(check.soft_autograd.numpy(), analytic, atol=1e-12)
    np.testing.assert_allclose(check.soft_finite_difference.numpy(), analytic, atol=1e-7)
    assert check.hard_autograd is None
    # Random scores have no ties within 2ε, so nudging one never moves the argmax: the slope is exactly 0.
    assert (check.hard_finite_difference == 0).all()
    assert check.hard_one_hot.tolist() == np.eye(S)[scores.numpy().argmax()].tolist()
    assert check.hard_loss == pytest.approx(float(values[scores.argmax()].sum()), abs=1e-6)


def test_soft_gradient_is_not_zero_where_values_differ() -> None:
    check = gradient_check(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([[1.0], [2.0], [4.0]]))
    assert check.soft_autograd.abs().min() > 1e-3
    assert check.soft_loss == pytest.approx(
        float(torch.softmax(torch.tensor([0.0, 1.0, 2.0]), 0) @ torch.tensor([1.0, 2, 4]))
    )


def test_gradient_check_works_inside_no_grad_and_rejects_bad_shapes() -> None:
    with torch.no_grad():
        assert gradient_check(torch.tensor([0.0, 1.0]), torch.ones(2, 3)).soft_autograd.shape == (2,)
    with pytest.raises(ValueError, match="expected scores"):
        gradient_check(torch.zeros(2, 2), torch.zeros(2, 3))


# ── temperature ──────────────────────────────────────────────────────────────


def test_temperature_one_is_the_plain_softmax_and_equals_attention_with_a_changed_scale() -> None:
    q, k = tensors(2, 6, 6, 4)
    scaled = score_variants(q, k, scoring_params(4, 2))[1]
    torch.testing.assert_close(with_temperature(scaled.scores, 1.0).weights, scaled.weights)
    tau = 0.3
    via_scale = scaled_dot_product_attention(q, k, k, scale=1 / (tau * 2)).weights
    torch.testing.assert_close(with_temperature(scaled.scores, tau).weights, via_scale, atol=1e-6, rtol=0)


def test_low_temperature_approaches_the_argmax() -> None:
    scores = torch.randn(6, 9, generator=torch.Generator().manual_seed(4))
    hard = argmax_attention(scores)
    gap = (scores.sort(-1).values[..., -1] - scores.sort(-1).values[..., -2]).min().item()
    distances = [with_temperature(scores, tau).distance_to_limit.max().item() for tau in (1.0, 0.1, 0.01, 0.001)]
    assert distances == sorted(distances, reverse=True)
    tau = gap / 30  # every runner-up is ≥ 30 temperatures below the maximum: weight ≤ 8·e^-30
    torch.testing.assert_close(with_temperature(scores, tau).weights, hard.one_hot, atol=1e-9, rtol=0)


def test_zero_temperature_limit_shares_tied_maxima() -> None:
    scores = torch.tensor([[2.0, 2.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]])
    torch.testing.assert_close(
        zero_temperature_limit(scores), torch.tensor([[0.5, 0.5, 0, 0], [0.25, 0.25, 0.25, 0.25]])
    )
    cold = with_temperature(scores, 0.01)
    assert cold.distance_to_limit.max().item() < 1e-12
    assert cold.entropy[0].item() == pytest.approx(math.log(2), abs=1e-6)  # float32


def test_high_temperature_approaches_uniform() -> None:
    scores = torch.randn(4, 10, generator=torch.Generator().manual_seed(9))
    hot = with_temperature(scores, 1e4)
    torch.testing.assert_close(hot.weights, torch.full_like(scores, 0.1), atol=1e-4, rtol=0)
    assert hot.entropy.min().item() == pytest.approx(math.log(10), abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(S=st.integers(2, 10), seed=SEEDS)
def test_entropy_never_falls_as_the_temperature_rises(S: int, seed: int) -> None:
    scores = torch.randn(3, S, generator=torch.Generator().manual_seed(seed)).double()
    taus = [0.05 * 1.5**i for i in range(14)]
    curve = mean_entropy_curve(scores, taus).numpy()
    assert (np.diff(curve) >= -1e-12).all()
    for i in (0, 6, 13):
        assert curve[i] == pytest.approx(with_temperature(scores, taus[i]).entropy.mean().item(), abs=1e-12)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_temperatures_are_a_clear_error(bad: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        with_temperature(torch.zeros(2, 2), bad)
    with pytest.raises(ValueError, match="positive"):
        mean_entropy_curve(torch.zeros(2, 2), [1.0, bad])


def test_summaries_count_the_queries_that_keep_the_scaled_dots_top_key() -> None:
    q, k = tensors(3, 6, 6, 4)
    scorings = score_variants(q, k, scoring_params(4, 3))
    summaries = summarize_scorings(scorings)
    reference = argmax_attention(scorings[1].scores).index
    for scoring in scorings:
        summary = summaries[scoring.name]
        assert summary.same_top == int((argmax_attention(scoring.scores).index == reference).sum())
        assert summary.max_weight == float(scoring.weights.max())
        assert summary.mean_entropy == float(scoring.entropy.mean())
    assert summaries["scaled_dot"].same_top == 6 == summaries["dot"].same_top  # a positive factor keeps the order


def test_soft_vs_hard_draws_from_one_seeded_generator() -> None:
    q, k = tensors(4, 5, 5, 4)
    scoring = score_variants(q, k, scoring_params(4, 4))[1]
    choice = soft_vs_hard(scoring, 2, 100, seed=9, convergence_draws=(10, 1000))
    generator = torch.Generator().manual_seed(9)  # the samples first, then each convergence run, in turn
    assert torch.equal(choice.sampled.counts, sample_attention(scoring.weights[2], 100, generator).counts)
    expected = tuple((n, float(sample_attention(scoring.weights[2], n, generator).max_error)) for n in (10, 1000))
    assert choice.convergence == expected
    assert torch.equal(choice.weights, scoring.weights[2])
    assert torch.equal(choice.hard.index, argmax_attention(scoring.scores[2]).index)
