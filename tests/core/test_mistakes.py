"""The four mistakes: each is exactly the broken computation it names (checked against PyTorch or an
independent formula), and each diagnostic measures what the mistake breaks."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core.masks import causal_mask, sliding_window_mask
from core.mistakes import (
    MISTAKES,
    correct_attention,
    diagnose,
    forbidden_influence,
    mask_after_softmax,
    no_scaling,
    scale_by_d_model,
    softmax_over_queries,
)
from core.pipeline import build_mask, build_model, self_attention
from core.tokens import embed_tokens, tokenize

SENTENCE = "The animal didn't cross the street because it was tired"


def qkv(heads: int, length: int, d_k: int, seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Shapes: ``[1, H, L, d_k]`` each, standard normal."""
    generator = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(1, heads, length, d_k, generator=generator) for _ in range(3))


def padding_allowed(length: int, real: int) -> torch.Tensor:
    """[L, L]: every query may see keys 0..real−1 only."""
    return (torch.arange(length) < real).expand(length, length)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    heads, length, d_k = draw(st.integers(1, 4)), draw(st.integers(2, 9)), draw(st.integers(1, 16))
    kind = draw(st.sampled_from(["none", "causal", "sliding", "padding"]))
    allowed = {
        "none": None,
        "causal": causal_mask(length),
        "sliding": sliding_window_mask(length, draw(st.integers(0, 2))),
        "padding": padding_allowed(length, draw(st.integers(1, length))),
    }[kind]
    q, k, v = qkv(heads, length, d_k, draw(st.integers(0, 2**32 - 1)))
    return {"q": q, "k": k, "v": v, "allowed": allowed, "kind": kind}


# ── each mistake is the computation it names ─────────────────────────────────


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_correct_and_scaling_mistakes_equal_pytorch_with_their_scale(case: dict, parity) -> None:
    q, k, v, allowed = case["q"], case["k"], case["v"], case["allowed"]
    heads, d_k = q.size(1), q.size(-1)
    expected = {
        correct_attention: None,  # PyTorch's default: 1/√d_k of the head
        no_scaling: 1.0,
        scale_by_d_model: 1 / math.sqrt(heads * d_k),
    }
    for attend, scale in expected.items():
        result = attend(q, k, v, allowed)
        reference = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed, scale=scale)
        parity.check(f"mistakes.{attend.__name__}[{case['kind']}]", result.output, reference)
        assert result.scale == pytest.approx(1 / math.sqrt(d_k) if scale is None else scale)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_softmax_over_queries_normalises_columns_not_rows(case: dict) -> None:
    q, k, v, allowed = case["q"], case["k"], case["v"], case["allowed"]
    result = softmax_over_queries(q, k, v, allowed)
    # Independently: scaled scores, −inf where masked, softmax down dim=−2.
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1))
    if allowed is not None:
        scores = scores.masked_fill(~allowed, float("-inf"))
    expected = torch.softmax(scores, dim=-2)
    torch.testing.assert_close(result.weights, expected, atol=1e-6, rtol=0, equal_nan=True)
    torch.testing.assert_close(result.output, expected @ v, atol=1e-5, rtol=1e-5, equal_nan=True)

    seen_keys = result.allowed.any(dim=-2)  # [1, H, S]
    column_sums = result.weights.sum(dim=-2)
    torch.testing.assert_close(column_sums[seen_keys], torch.ones_like(column_sums[seen_keys]), atol=1e-5, rtol=0)
    # A key nobody may see (padding) has a column of −∞: 0/0 = NaN, as the buggy code gives.
    assert column_sums[~seen_keys].isnan().all()


def test_softmax_over_queries_rows_do_not_sum_to_one() -> None:
    q, k, v = qkv(2, 8, 8, seed=3)
    result = softmax_over_queries(q, k, v, None)
    row_sums = result.weights.sum(dim=-1)
    assert (row_sums - 1).abs().max() > 0.1, row_sums
    torch.testing.assert_close(result.weights.sum(dim=-2), torch.ones(1, 2, 8), atol=1e-5, rtol=0)


@settings(max_examples=40, deadline=None)
@given(cases())
def test_mask_after_softmax_is_full_softmax_times_the_mask(case: dict) -> None:
    q, k, v, allowed = case["q"], case["k"], case["v"], case["allowed"]
    result = mask_after_softmax(q, k, v, allowed)
    full = torch.softmax((q @ k.transpose(-2, -1)) / math.sqrt(q.size(-1)), dim=-1)  # over every key
    mask = torch.ones_like(full, dtype=torch.bool) if allowed is None else allowed.expand_as(full)
    expected = full * mask
    torch.testing.assert_close(result.weights, expected, atol=1e-6, rtol=0)
    assert (result.weights[~mask] == 0).all()  # the forbidden weights are exactly 0 …
    row_sums = result.weights.sum(dim=-1)
    hides_something = (~mask).any(dim=-1)
    assert (row_sums[hides_something] < 1 - 1e-6).all()  # … yet those rows sum to less than 1
    torch.testing.assert_close(
        row_sums[~hides_something], torch.ones_like(row_sums[~hides_something]), atol=1e-5, rtol=0
    )


def test_mask_after_softmax_lets_the_future_change_the_past() -> None:
    # Independent of forbidden_influence(): change only the last token's key and value by hand.
    q, k, v = qkv(1, 6, 8, seed=11)
    allowed = causal_mask(6)
    k2, v2 = k.clone(), v.clone()
    k2[..., -1, :] += 3.0
    v2[..., -1, :] -= 2.0
    broken_moves = (mask_after_softmax(q, k2, v2, allowed).output - mask_after_softmax(q, k, v, allowed).output)[
        ..., :-1, :
    ]
    right_moves = (correct_attention(q, k2, v2, allowed).output - correct_attention(q, k, v, allowed).output)[
        ..., :-1, :
    ]
    assert broken_moves.abs().max() > 1e-3  # earlier outputs depend on the last (future) token
    assert (right_moves == 0).all()  # right attention: bit for bit unchanged


def test_scale_by_d_model_with_heads_is_a_smaller_scale_and_flatter_weights() -> None:
    q, k, v = qkv(4, 10, 8, seed=2)
    right, wrong = correct_attention(q, k, v, None), scale_by_d_model(q, k, v, None)
    assert wrong.scale == pytest.approx(1 / math.sqrt(32)) and right.scale == pytest.approx(1 / math.sqrt(8))
    assert wrong.scale < right.scale
    entropy = lambda w: torch.special.entr(w).sum(dim=-1)  # noqa: E731
    # Softmax entropy rises as the scale (inverse temperature) falls: every row is flatter.
    assert (entropy(wrong.weights) > entropy(right.weights)).all()
    assert wrong.weights.max() < right.weights.max()


def test_scale_by_d_model_with_one_head_changes_nothing() -> None:
    q, k, v = qkv(1, 7, 16, seed=4)
    assert torch.equal(scale_by_d_model(q, k, v, None).weights, correct_attention(q, k, v, None).weights)


def test_no_scaling_makes_weights_peakier() -> None:
    q, k, v = qkv(2, 10, 64, seed=6)
    right, wrong = correct_attention(q, k, v, None), no_scaling(q, k, v, None)
    entropy = lambda w: torch.special.entr(w).sum(dim=-1)  # noqa: E731
    assert (entropy(wrong.weights) < entropy(right.weights)).all()
    torch.testing.assert_close(wrong.weights.sum(dim=-1), torch.ones(1, 2, 10), atol=1e-5, rtol=0)


# ── the leak probe ───────────────────────────────────────────────────────────


@settings(max_examples=25, deadline=None)
@given(case=cases(), mistake=st.sampled_from(list(MISTAKES)))
def test_forbidden_influence_is_zero_exactly_where_attention_is_right(case: dict, mistake: str) -> None:
    q, k, v = case["q"][0], case["k"][0], case["v"][0]
    length = q.size(-2)
    allowed = case["allowed"] if case["allowed"] is not None else torch.ones(length, length, dtype=torch.bool)
    forbidden = ~allowed & ~torch.eye(length, dtype=torch.bool)
    influence = forbidden_influence(MISTAKES[mistake], q, k, v, allowed, seed=9)
    assert influence.shape == (length, length)
    assert (influence[~forbidden] == 0).all()  # only pairs (i, j) where i may not see j are reported
    assert (forbidden_influence(correct_attention, q, k, v, allowed, seed=9) == 0).all()
    if mistake in ("no_scaling", "scale_by_d_model"):
        assert (influence == 0).all()  # they mask before the softmax: nothing leaks
    if mistake == "mask_after_softmax":
        # Every forbidden key sits in the softmax's denominator, so every forbidden pair leaks: wherever the same
        # probe in float64 sees a leak that float32 can resolve (a query near 0 barely moves a score, and the
        # change can round away: q = 0.0447 did).
        exact = forbidden_influence(MISTAKES[mistake], q.double(), k.double(), v.double(), allowed, seed=9)
        visible = forbidden & (exact > 1e-5)
        assert (influence[visible] > 0).all()


def test_forbidden_influence_entry_is_the_output_change_measured_by_hand() -> None:
    q, k, v = (x[0] for x in qkv(2, 6, 4, seed=21))
    allowed = causal_mask(6)
    influence = forbidden_influence(mask_after_softmax, q, k, v, allowed, seed=5)
    generator = torch.Generator().manual_seed(5)
    fresh = [torch.randn(2, 6, 4, generator=generator) for _ in range(3)]  # the probe's draws, in order
    i, j = 1, 4
    changed = [x.clone() for x in (q, k, v)]
    for tensor, new in zip(changed, fresh, strict=True):
        tensor[:, j] = new[:, j]
    by_hand = (mask_after_softmax(*changed, allowed).output - mask_after_softmax(q, k, v, allowed).output)[:, i]
    assert float(influence[i, j]) == pytest.approx(float(by_hand.abs().max()), rel=1e-6)
    assert float(influence[i, j]) > 0


# ── the report ───────────────────────────────────────────────────────────────


def sentence_qkv(mask_kind: str, heads: int = 2, d_k: int = 8, seq_len: int | None = None):
    tokens = tokenize(SENTENCE)
    length = seq_len or len(tokens)
    tokens = (tokens + ["<pad>"] * length)[:length]
    model = build_model(d_k, heads, seed=0)
    mask = build_mask(mask_kind, length, real_len=min(len(tokenize(SENTENCE)), length))
    result = self_attention(model, embed_tokens(tokens, heads * d_k, seed=0), mask)
    return result.q, result.k, result.v, mask


def test_report_of_mask_after_softmax_under_causal_mask() -> None:
    q, k, v, mask = sentence_qkv("causal")
    report = diagnose("mask_after_softmax", q, k, v, mask)
    right, wrong = report.correct_checks, report.broken_checks
    assert right.row_sum_range == pytest.approx((1.0, 1.0), abs=1e-5)
    low, high = wrong.row_sum_range
    assert low < 0.5 and high == pytest.approx(1.0, abs=1e-5)  # only the last row sees every key
    assert right.max_forbidden_weight == 0.0 and wrong.max_forbidden_weight == 0.0
    assert right.max_forbidden_influence == 0.0
    assert wrong.max_forbidden_influence > 0.01
    query, token = wrong.most_influenced
    assert token > query  # the leak runs from a later token into an earlier output
    assert wrong.forbidden_influence[query, token] == wrong.max_forbidden_influence
    assert report.max_output_difference == pytest.approx(
        float((report.broken.output - report.correct.output).abs().max())
    )
    assert wrong.nan_weights == 0


def test_report_of_softmax_over_queries_under_causal_mask_leaks_the_future() -> None:
    q, k, v, mask = sentence_qkv("causal")
    wrong = diagnose("softmax_over_queries", q, k, v, mask).broken_checks
    assert wrong.column_sum_range == pytest.approx((1.0, 1.0), abs=1e-5)
    low, high = wrong.row_sum_range
    assert low < 0.9 and high > 1.1
    assert wrong.max_forbidden_influence > 0.01
    query, token = wrong.most_influenced
    assert token > query


def test_report_of_softmax_over_queries_with_padding_counts_the_nan() -> None:
    q, k, v, mask = sentence_qkv("padding", heads=2, seq_len=12)  # 10 tokens + 2 pads
    wrong = diagnose("softmax_over_queries", q, k, v, mask).broken_checks
    assert wrong.nan_weights == 2 * 12 * 2  # heads × queries × pad columns
    assert wrong.nan_outputs == 2 * 12 * 8  # every output value
    assert wrong.column_sum_range == pytest.approx((1.0, 1.0), abs=1e-5)


def test_report_of_the_scaling_mistakes_on_the_sentence() -> None:
    q, k, v, _ = sentence_qkv("none", heads=4, d_k=8)
    no_scale = diagnose("no_scaling", q, k, v, None)
    by_d_model = diagnose("scale_by_d_model", q, k, v, None)
    right_entropy = no_scale.correct_checks.mean_entropy
    assert no_scale.broken_checks.mean_entropy < right_entropy < by_d_model.broken_checks.mean_entropy
    for report in (no_scale, by_d_model):
        assert report.broken_checks.row_sum_range == pytest.approx((1.0, 1.0), abs=1e-5)
        assert report.broken_checks.max_forbidden_influence == 0.0  # no mask: nothing is forbidden
        assert report.max_output_difference > 0.01
    assert by_d_model.broken.scale == pytest.approx(1 / math.sqrt(32))


def test_diagnose_rejects_an_unknown_mistake() -> None:
    q, k, v = qkv(1, 3, 4, seed=0)
    with pytest.raises(ValueError, match="unknown mistake"):
        diagnose("softmax_twice", q, k, v, None)  # type: ignore[arg-type]
