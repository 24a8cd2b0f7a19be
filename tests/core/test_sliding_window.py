"""core.sliding_window: the window counted precisely (against the predicates libraries use), sinks, the receptive
field by composing masks, and what removing the sinks does to the weights."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core.masks import causal_mask, sliding_window_mask
from core.sliding_window import (
    attend_with_and_without_sinks,
    composed_reach,
    reach_back,
    receptive_field,
    sink_effect,
    sink_mask,
    window_mask,
)


def predicate_mask(length: int, allowed) -> torch.Tensor:
    return torch.tensor([[bool(allowed(q, kv)) for kv in range(length)] for q in range(length)])


@settings(max_examples=60, deadline=None)
@given(length=st.integers(1, 30), window=st.integers(1, 32))
def test_window_is_hugging_faces_and_flex_counts_one_more(length, window) -> None:
    # Hugging Face: causal AND kv_idx > q_idx − W, i.e. W keys including the token itself.
    hf = predicate_mask(length, lambda q, kv: kv <= q and kv > q - window)
    assert torch.equal(window_mask(length, window), hf)
    # PyTorch's FlexAttention example: causal AND q_idx − kv_idx ≤ W, i.e. W + 1 keys: our window of W + 1.
    flex = predicate_mask(length, lambda q, kv: kv <= q and q - kv <= window)
    assert torch.equal(window_mask(length, window + 1), flex)
    counts = window_mask(length, window).sum(-1).tolist()
    assert counts == [min(i + 1, window) for i in range(length)]


def test_window_reuses_the_two_sided_mask_of_the_masks_page() -> None:
    assert torch.equal(window_mask(9, 3), causal_mask(9) & sliding_window_mask(9, 2))


def test_window_and_sinks_reject_bad_sizes() -> None:
    with pytest.raises(ValueError, match="at least the token itself"):
        window_mask(4, 0)
    with pytest.raises(ValueError, match="sinks"):
        sink_mask(4, 2, -1)


@settings(max_examples=40, deadline=None)
@given(length=st.integers(1, 20), window=st.integers(1, 8), sinks=st.integers(0, 6))
def test_sink_mask_predicate(length, window, sinks) -> None:
    expected = predicate_mask(length, lambda q, kv: kv <= q and (kv > q - window or kv < sinks))
    assert torch.equal(sink_mask(length, window, sinks), expected)


@settings(max_examples=40, deadline=None)
@given(window=st.integers(1, 8), layers=st.integers(1, 6))
def test_receptive_field_is_layers_times_window_minus_one(window, layers) -> None:
    span = layers * window + 1
    reach = composed_reach(window_mask(span, window), layers)
    assert reach_back(reach) == [n * (window - 1) for n in range(1, layers + 1)]
    # Counting W as the keys before the token (W + 1 keys) gives the papers' ℓ·W.
    assert reach_back(composed_reach(window_mask(span, window + 1), layers))[-1] == layers * window


def test_composed_reach_is_the_matrix_power() -> None:
    allowed = window_mask(12, 3)
    power = torch.linalg.matrix_power(allowed.double(), 4) > 0
    assert torch.equal(composed_reach(allowed, 4)[-1], power)
    assert torch.equal(composed_reach(allowed, 1)[0], allowed)


def test_reach_is_capped_by_the_sequence() -> None:
    assert reach_back(composed_reach(window_mask(5, 4), 3)) == [3, 4, 4]


@settings(max_examples=30, deadline=None)
@given(length=st.integers(1, 16), window=st.integers(1, 6), sinks=st.integers(0, 4))
def test_removing_sinks_renormalises_the_window(length, window, sinks, parity) -> None:
    generator = torch.Generator().manual_seed(length * 50 + window * 5 + sinks)
    q, k, v = (torch.randn(length, 8, generator=generator, dtype=torch.float64) for _ in range(3))
    run = attend_with_and_without_sinks(q, k, v, window, sinks)
    kept = run.window_only.allowed
    # Each remaining weight is the with-sinks weight × 1 / (1 − the row's sink share).
    rescaled = torch.where(kept, run.with_sinks.weights * run.factor.unsqueeze(-1), torch.zeros(()))
    parity.check(f"sinks renormalisation L={length} W={window} S={sinks}", run.window_only.weights, rescaled)
    parity.check(
        f"sinks vs F.sdpa L={length} W={window} S={sinks}",
        run.with_sinks.output,
        F.scaled_dot_product_attention(q, k, v, attn_mask=sink_mask(length, window, sinks)),
    )
    parity.check(
        f"window vs F.sdpa L={length} W={window}",
        run.window_only.output,
        F.scaled_dot_product_attention(q, k, v, attn_mask=window_mask(length, window)),
    )
    loses_nothing = ~(run.with_sinks.allowed & ~kept).any(-1)  # rows whose sinks lie inside their window
    assert (run.sink_share[loses_nothing] == 0).all()
    assert ((run.sink_share >= 0) & (run.sink_share < 1)).all()


def test_no_sinks_means_nothing_changes() -> None:
    q, k, v = (torch.randn(7, 4, generator=torch.Generator().manual_seed(s)) for s in range(3))
    run = attend_with_and_without_sinks(q, k, v, 3, 0)
    assert torch.equal(run.with_sinks.weights, run.window_only.weights)
    assert run.sink_share.abs().max() == 0.0


@pytest.mark.parametrize(("window", "layers"), [(1, 1), (3, 3), (4, 2), (16, 6)])
def test_receptive_field_counts_layers_times_w_minus_one(window: int, layers: int) -> None:
    field = receptive_field(window, layers)
    assert field.span == layers * window + 1
    assert field.back == [n * (window - 1) for n in range(1, layers + 1)]
    assert field.back_wider == layers * window  # W + 1 keys per window: the other convention
    assert field.kept == window
    assert torch.equal(field.reached, composed_reach(window_mask(field.span, window), layers)[:, -1, :])
    assert field.candidates == (layers * (window - 1), layers * window, window - 1)


def test_sink_effect_summarises_the_rows_that_lose_their_sinks() -> None:
    generator = torch.Generator().manual_seed(2)
    q, k, v = (torch.randn(8, 4, generator=generator) for _ in range(3))
    run = attend_with_and_without_sinks(q, k, v, 3, 2)
    effect = sink_effect(run, 3)
    assert effect is not None
    outside = (run.with_sinks.allowed & ~run.window_only.allowed).any(-1)
    assert effect.rows == int(outside.sum()) == 5  # queries 3…7 keep a sink (0, and from 4 on 1) beyond the window
    assert effect.mean_share == pytest.approx(float(run.sink_share[outside].mean()))
    assert effect.most == pytest.approx(float(run.sink_share[outside].max()))
    assert effect.factor == pytest.approx(float(run.factor[outside].max()))
    assert effect.uniform == 2 / 5
    assert sink_effect(attend_with_and_without_sinks(q, k, v, 8, 2), 8) is None  # the window already holds them
