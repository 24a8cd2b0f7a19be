"""core.mask_effects: padded batches, −∞ versus finite fills in float32/float16, and PyTorch's two bool
mask conventions. Expected values come from PyTorch or from a direct formula, not from core."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from core.mask_effects import (
    FILL_DTYPES,
    FILL_VALUES,
    add_float16_minimum,
    attend_padded_batch,
    classify_row,
    compare_conventions,
    compare_fill,
    compare_fills,
    max_abs_diff,
    nan_rows,
    to_torch_attention,
)
from core.masks import causal_mask, sliding_window_mask
from core.multihead import MultiHeadAttention

NEG_INF = float("-inf")


def model(d_k: int = 4, heads: int = 2, seed: int = 0, bias: bool = False) -> MultiHeadAttention:
    return MultiHeadAttention(heads * d_k, heads, bias=bias, generator=torch.Generator().manual_seed(seed)).eval()


# ── helpers ──


def test_max_abs_diff_ignores_non_finite_entries() -> None:
    a = torch.tensor([1.0, float("nan"), 3.0, NEG_INF])
    b = torch.tensor([1.5, 0.0, 2.0, 0.0])
    assert max_abs_diff(a, b) == 1.0
    assert max_abs_diff(torch.tensor([float("nan")]), torch.tensor([1.0])) == 0.0


def test_nan_rows_counts_query_positions_across_heads() -> None:
    w = torch.zeros(2, 3, 4)
    w[0, 1, 2] = float("nan")
    w[1, 1, 0] = float("nan")  # the same query row in another head
    w[1, 2, 3] = float("nan")
    assert nan_rows(w) == 2
    assert nan_rows(torch.zeros(3, 3)) == 0


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ([float("nan"), 0.5], "nan"),
        ([0.0, 0.0, 0.0], "zeros"),
        ([0.25] * 4, "uniform"),
        ([0.7, 0.3], "uneven"),
    ],
)
def test_classify_row(row: list[float], kind: str) -> None:
    assert classify_row(torch.tensor(row)) == kind


# ── padded batch ──


@settings(max_examples=25, deadline=None)
@given(lengths=st.lists(st.integers(1, 7), min_size=1, max_size=4), seed=st.integers(0, 2**31))
def test_padding_mask_makes_the_batch_equal_to_each_sentence_alone(lengths: list[int], seed: int) -> None:
    m = model(seed=seed)
    g = torch.Generator().manual_seed(seed)
    sentences = [torch.randn(n, m.d_model, generator=g) for n in lengths]
    batch = attend_padded_batch(m, sentences, use_mask=True)
    assert batch.lengths == tuple(lengths) and batch.padded_len == max(lengths)
    assert batch.key_mask.shape == (len(lengths), 1, 1, max(lengths))
    for b, n in enumerate(lengths):
        alone = m(sentences[b].unsqueeze(0)).output[0]  # computed here, not read from the result
        torch.testing.assert_close(batch.result.output[b, :n], alone, atol=1e-5, rtol=0)
        assert (batch.result.attention.weights[b, :, :, n:] == 0).all()  # padding keys: exactly 0
    assert batch.max_diff_real < 1e-5
    assert batch.max_pad_weight == 0.0


def test_without_the_mask_padding_steals_weight_and_changes_outputs() -> None:
    m = model(seed=3)
    g = torch.Generator().manual_seed(3)
    sentences = [torch.randn(n, m.d_model, generator=g) for n in (6, 2, 4)]
    batch = attend_padded_batch(m, sentences, use_mask=False)
    assert batch.max_pad_weight > 0.01
    assert batch.max_diff_real > 1e-3
    # Pad vectors are zeros, so with bias=False their keys score 0: each pad key gets exp(0)/Z.
    weights = batch.result.attention.weights[1]  # sentence of length 2 in a batch padded to 6
    scaled = batch.result.attention.scaled[1]
    expected = 1.0 / torch.exp(scaled).sum(dim=-1)  # [H, L]
    torch.testing.assert_close(weights[:, :, 5], expected, atol=1e-6, rtol=0)


def test_padded_batch_with_an_empty_sentence_has_zero_weights_not_nan() -> None:
    m = model()
    batch = attend_padded_batch(m, [torch.randn(3, m.d_model), torch.zeros(0, m.d_model)], use_mask=True)
    assert not batch.result.output.isnan().any()
    assert (batch.result.attention.weights[1] == 0).all()
    assert batch.alone[1].shape == (0, m.d_model)


def test_padded_batch_needs_a_sentence() -> None:
    with pytest.raises(ValueError, match="at least one"):
        attend_padded_batch(model(), [], use_mask=True)


# ── fills ──


def scores_and_mask(n: int = 6, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.randn(n, n, generator=torch.Generator().manual_seed(seed)), causal_mask(n)


def test_compare_fills_covers_every_fill_and_dtype_in_order() -> None:
    scores, allowed = scores_and_mask()
    outcomes = compare_fills(scores, allowed)
    assert [(o.fill, o.dtype) for o in outcomes] == [(f, d) for f in FILL_VALUES for d in FILL_DTYPES]


def test_minus_1e9_overflows_float16() -> None:
    scores, allowed = scores_and_mask()
    half = compare_fill(scores, allowed, -1e9, torch.float16)
    assert half.stored == NEG_INF  # float16 tops out at 65504
    assert half.masked_fill_error is not None and "overflow" in half.masked_fill_error
    with pytest.raises(RuntimeError, match="overflow"):  # PyTorch itself, for the record
        torch.zeros(2, dtype=torch.float16).masked_fill(torch.tensor([True, False]), -1e9)
    single = compare_fill(scores, allowed, -1e9, torch.float32)
    assert single.stored == -1e9 and single.masked_fill_error is None


@pytest.mark.parametrize("dtype", FILL_DTYPES)
@pytest.mark.parametrize("fill", FILL_VALUES)
def test_ordinary_scores_give_masked_keys_exactly_zero_weight(fill: float, dtype: torch.dtype) -> None:
    scores, allowed = scores_and_mask(seed=7)
    outcome = compare_fill(scores, allowed, fill, dtype)
    assert outcome.replace_leak == 0.0 and outcome.add_leak == 0.0
    assert outcome.replace_nan_rows == 0 and outcome.add_nan_rows == 0


@pytest.mark.parametrize(
    ("fill", "dtype", "kind"),
    [
        (NEG_INF, torch.float32, "nan"),  # softmax of all −∞ is 0/0
        (NEG_INF, torch.float16, "nan"),
        (-1e9, torch.float32, "uniform"),  # silently attends to every masked key
        (-1e9, torch.float16, "nan"),  # −1e9 became −∞
        (-1e4, torch.float32, "uniform"),
        (-1e4, torch.float16, "uniform"),
    ],
)
def test_fully_masked_row(fill: float, dtype: torch.dtype, kind: str) -> None:
    scores, allowed = scores_and_mask(n=5)
    outcome = compare_fill(scores, allowed, fill, dtype)
    assert outcome.fully_masked_kind == kind
    expected = torch.softmax(torch.full((5,), fill).to(dtype), dim=-1).float()  # PyTorch directly
    torch.testing.assert_close(outcome.fully_masked_weights, expected, equal_nan=True)
    if kind == "uniform":
        assert outcome.fully_masked_weights.sum().item() == pytest.approx(1.0, abs=1e-3)


def test_an_added_minus_1e4_is_not_enough_for_scores_of_size_1e4() -> None:
    # Key 1 is masked but scores 2e4 above key 0: adding −1e4 still leaves it far ahead.
    scores = torch.tensor([[1.0, 2e4 + 1.0], [0.0, 0.0]])
    allowed = torch.tensor([[True, False], [True, True]])
    for dtype in FILL_DTYPES:
        added = compare_fill(scores, allowed, -1e4, dtype)
        assert added.add_leak == pytest.approx(1.0)  # the masked key takes all the weight
        assert added.replace_leak == 0.0  # replacing its score with −1e4 still works
        assert compare_fill(scores, allowed, NEG_INF, dtype).add_leak == 0.0
    assert compare_fill(scores, allowed, -1e9, torch.float32).add_leak == 0.0


def test_replacing_with_minus_1e4_fails_when_every_allowed_score_is_below_it() -> None:
    scores = torch.tensor([[-3e4, 0.0]])
    allowed = torch.tensor([[True, False]])
    assert compare_fill(scores, allowed, -1e4, torch.float32).replace_leak == pytest.approx(1.0)
    assert compare_fill(scores, allowed, NEG_INF, torch.float32).replace_leak == 0.0


def test_float16_overflow_of_the_scores_is_counted_as_nan_rows() -> None:
    scores = torch.tensor([[1e5, 1e5, 0.0], [0.0, 1.0, 2.0]])  # 1e5 > 65504: inf in float16
    allowed = torch.ones(2, 3, dtype=torch.bool)
    allowed[0, 2] = False
    half = compare_fill(scores, allowed, -1e4, torch.float16)
    assert half.replace_nan_rows == 1 and half.add_nan_rows == 1
    assert compare_fill(scores, allowed, -1e4, torch.float32).replace_nan_rows == 0


# ── conventions ──


@settings(max_examples=20, deadline=None)
@given(
    heads=st.integers(1, 4), d_k=st.integers(1, 8), n=st.integers(2, 9), bias=st.booleans(), seed=st.integers(0, 2**31)
)
def test_to_torch_attention_computes_the_same(heads: int, d_k: int, n: int, bias: bool, seed: int) -> None:
    ours = model(d_k, heads, seed, bias)
    if bias:
        with torch.no_grad():
            for linear in (ours.w_q, ours.w_k, ours.w_v, ours.w_o):
                linear.bias.normal_(generator=torch.Generator().manual_seed(seed))
    theirs = to_torch_attention(ours)
    assert isinstance(theirs, nn.MultiheadAttention) and not theirs.training
    x = torch.randn(1, n, heads * d_k, generator=torch.Generator().manual_seed(seed + 1))
    allowed = causal_mask(n)
    with torch.no_grad():
        out, weights = theirs(x, x, x, attn_mask=~allowed, average_attn_weights=False)
        mine = ours(x, attn_mask=allowed)
    torch.testing.assert_close(out, mine.output, atol=1e-5, rtol=0)
    torch.testing.assert_close(weights, mine.attention.weights, atol=1e-5, rtol=0)


def test_conventions_same_weights_the_right_way_round_and_opposite_the_wrong_way() -> None:
    m = model(seed=5)
    n = 7
    x = torch.randn(n, m.d_model, generator=torch.Generator().manual_seed(5))
    allowed = sliding_window_mask(n, 1)
    demo = compare_conventions(m, x, allowed)
    assert demo.sdpa_vs_ours < 1e-5 and demo.sdpa_vs_mha_inverted < 1e-5
    assert demo.sdpa_vs_mha_same > 0.1
    assert (demo.sdpa[:, ~allowed] == 0).all()
    assert (demo.mha_same[:, allowed] == 0).all()  # the same tensor hides exactly the keys we allowed
    assert demo.mha_same[:, ~allowed].sum(dim=-1).gt(0).all()
    # Independent check of the identity-V trick: F.sdpa with the real V equals weights · V.
    with torch.no_grad():
        result = m(x.unsqueeze(0), attn_mask=allowed)
        out = F.scaled_dot_product_attention(result.q, result.k, result.v, attn_mask=allowed)[0]
    torch.testing.assert_close(out, demo.sdpa @ result.v[0], atol=1e-5, rtol=0)
    assert demo.nan_rows == {"ours": 0, "sdpa": 0, "mha_inverted": 0, "mha_same": 0}


def test_causal_mask_given_to_multihead_attention_as_is_leaves_the_last_row_with_nothing() -> None:
    m = model(seed=2)
    n = 5
    demo = compare_conventions(m, torch.randn(n, m.d_model), causal_mask(n))
    # Read the opposite way, causal row n−1 (all True) blocks every key: PyTorch returns NaN there.
    assert demo.mha_same[:, n - 1].isnan().all()
    assert demo.nan_rows["mha_same"] == 1 and demo.nan_rows["mha_inverted"] == 0
    assert math.isfinite(demo.sdpa_vs_mha_same) and demo.sdpa_vs_mha_same > 0.1


def test_a_fully_masked_row_is_zero_in_sdpa_and_ours_but_nan_in_multihead_attention() -> None:
    m = model(seed=4)
    allowed = causal_mask(4).clone()
    allowed[2] = False
    demo = compare_conventions(m, torch.randn(4, m.d_model), allowed)
    assert (demo.sdpa[:, 2] == 0).all() and (demo.ours[:, 2] == 0).all()
    assert demo.mha_inverted[:, 2].isnan().all()
    assert demo.nan_rows["mha_inverted"] == 1 and demo.nan_rows["sdpa"] == 0
    assert demo.sdpa_vs_mha_inverted < 1e-5  # over the rows both can compute


def test_score_scale_multiplies_the_scores_before_the_cast() -> None:
    scores = torch.tensor([[1.0, 2.0]])
    allowed = torch.tensor([[True, False]])
    assert compare_fill(scores, allowed, -1e4, torch.float32, score_scale=1.0).add_leak == 0.0
    # ×2e4: the masked key scores 2e4 above the allowed one, so adding −1e4 no longer hides it.
    assert compare_fill(scores, allowed, -1e4, torch.float32, score_scale=2e4).add_leak == pytest.approx(1.0)
    outcomes = compare_fills(scores, allowed, score_scale=2e4)
    assert [o.add_leak == pytest.approx(1.0) for o in outcomes] == [f == -1e4 for f in FILL_VALUES for _ in FILL_DTYPES]


def test_float16_minimum_added_overflows_below_minus_16_and_a_fully_masked_row_is_nan_again() -> None:
    edge = add_float16_minimum((-15.0, -16.0))
    assert edge.fill == -65504.0
    assert edge.sums == (-65504.0, float("-inf"))  # −65520 rounds past the most negative float16
    row = add_float16_minimum((-16.0, -30.0))
    assert row.sums == (float("-inf"), float("-inf"))
    assert classify_row(row.fully_masked_weights) == "nan"
    # Replacing instead of adding keeps the row finite: uniform over the masked keys.
    replaced = torch.full((2,), torch.finfo(torch.float16).min, dtype=torch.float16).softmax(dim=-1)
    assert classify_row(replaced.float()) == "uniform"
