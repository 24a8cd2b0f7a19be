"""Properties every AttentionResult must have, whatever the inputs and masks."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core import MultiHeadAttention, scaled_dot_product_attention

NEG_INF = float("-inf")


@st.composite
def attention_inputs(draw: st.DrawFn, magnitude: float = 1.0) -> dict:
    """q, k, v plus a random mask (none / bool / float with −inf), is_causal and scale, and the
    allowed pattern the test expects, computed here independently of core."""
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    L, S, E, Ev = (draw(st.integers(1, 12)) for _ in range(4))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**63 - 1)))
    q = torch.randn(*batch, L, E, generator=g) * magnitude
    k = torch.randn(*batch, S, E, generator=g) * magnitude
    v = torch.randn(*batch, S, Ev, generator=g) * magnitude

    kind = draw(st.sampled_from(["none", "bool", "float"]))
    mask_shape = draw(st.sampled_from([(L, S), (*batch, L, S)]))
    allowed = torch.ones(mask_shape, dtype=torch.bool)
    mask = None
    if kind != "none":
        allowed = torch.rand(mask_shape, generator=g) < draw(st.sampled_from([0.2, 0.6, 1.0]))
        dead = torch.rand(mask_shape[:-1], generator=g) < draw(st.sampled_from([0.0, 0.3]))
        allowed &= ~dead.unsqueeze(-1)
        if kind == "bool":
            mask = allowed
        else:
            mask = (torch.randn(mask_shape, generator=g) * 3).masked_fill(~allowed, NEG_INF)
    is_causal = draw(st.booleans())
    if is_causal:
        allowed = allowed & torch.ones(L, S, dtype=torch.bool).tril()
    scale = draw(st.none() | st.floats(0.01, 4.0))
    return {
        "q": q,
        "k": k,
        "v": v,
        "attn_mask": mask,
        "is_causal": is_causal,
        "scale": scale,
        "allowed": allowed.expand(*batch, L, S),
    }


def run(inputs: dict):
    return scaled_dot_product_attention(
        inputs["q"],
        inputs["k"],
        inputs["v"],
        attn_mask=inputs["attn_mask"],
        is_causal=inputs["is_causal"],
        scale=inputs["scale"],
    )


def assert_invariants(inputs: dict) -> None:
    r = run(inputs)
    q, k = inputs["q"], inputs["k"]
    allowed = inputs["allowed"]
    *batch, L, E = q.shape
    S = k.shape[-2]

    # allowed has the full [..., L, S] shape, whatever the mask's shape, and matches our own computation.
    assert r.allowed.shape == (*batch, L, S)
    assert r.allowed.dtype == torch.bool
    assert torch.equal(r.allowed, allowed)
    dead = ~allowed.any(dim=-1)
    assert torch.equal(r.fully_masked_rows, dead)

    # No NaN anywhere; masked holds −inf exactly where not allowed and finite values elsewhere.
    for name in ("scores", "scaled", "masked_scores", "weights", "output"):
        assert not getattr(r, name).isnan().any(), name
    assert torch.isfinite(r.scores).all() and torch.isfinite(r.scaled).all()
    assert torch.isfinite(r.weights).all() and torch.isfinite(r.output).all()
    assert (r.masked_scores[~allowed] == NEG_INF).all()
    assert torch.isfinite(r.masked_scores[allowed]).all()

    # Scale: default 1/√E (the head's d_k); scaled is exactly scores × scale.
    expected_scale = 1 / math.sqrt(E) if inputs["scale"] is None else inputs["scale"]
    assert r.scale == pytest.approx(expected_scale, rel=1e-12)
    assert torch.equal(r.scaled, r.scores * r.scale)
    torch.testing.assert_close(r.scores, q @ k.transpose(-2, -1), atol=1e-5, rtol=1e-5)

    # Weights: exactly 0.0 where masked, rows sum to 1 where something is allowed, all-0 dead rows.
    assert (r.weights[~allowed] == 0.0).all()
    assert (r.weights >= 0).all()
    live_sums = r.weights.sum(dim=-1)[~dead]
    torch.testing.assert_close(live_sums, torch.ones_like(live_sums), atol=1e-5, rtol=0)
    assert (r.weights[dead] == 0.0).all()
    assert (r.output[dead] == 0.0).all()

    if inputs["is_causal"]:
        future = ~torch.ones(L, S, dtype=torch.bool).tril()  # key j > query i
        assert (r.weights[..., future] == 0.0).all()


@settings(max_examples=400, deadline=None)
@given(inputs=attention_inputs())
def test_invariants_hold(inputs: dict) -> None:
    assert_invariants(inputs)


@settings(max_examples=100, deadline=None)
@given(inputs=attention_inputs(magnitude=1e4))
def test_invariants_hold_for_huge_inputs(inputs: dict) -> None:
    # Scores reach ~1e9: softmax must subtract the row max (torch.softmax does), or exp overflows to inf/NaN.
    assert_invariants(inputs)


def test_fully_masked_row_gives_zero_weights_and_output_not_nan() -> None:
    g = torch.Generator().manual_seed(0)
    q, k, v = torch.randn(3, 4, generator=g), torch.randn(5, 4, generator=g), torch.randn(5, 2, generator=g)
    mask = torch.ones(3, 5, dtype=torch.bool)
    mask[1] = False
    r = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert r.fully_masked_rows.tolist() == [False, True, False]
    assert r.weights[1].tolist() == [0.0] * 5
    assert r.output[1].tolist() == [0.0, 0.0]
    assert (r.masked_scores[1] == NEG_INF).all()
    assert r.weights[0].sum().item() == pytest.approx(1.0, abs=1e-6)


def test_minus_1e9_is_not_minus_inf() -> None:
    """A float mask of −1e9 (the old "big negative number" trick) is not the same as −inf.

    −inf: the key is not allowed; a row of only −inf is fully masked (weights 0, output 0).
    −1e9: the key still counts as allowed. Its weight underflows to (almost) 0 but stays finite, and a
    row of only −1e9 is not "fully masked": −1e9 swamps the scores, so the row spreads evenly (1/S) over
    every key, the supposedly masked ones included.
    """
    g = torch.Generator().manual_seed(1)
    q, k, v = torch.randn(2, 4, generator=g), torch.randn(4, 4, generator=g), torch.randn(4, 3, generator=g)
    big = torch.tensor([[0.0, 0.0, -1e9, -1e9], [-1e9, -1e9, -1e9, -1e9]])
    r = scaled_dot_product_attention(q, k, v, attn_mask=big)
    assert r.allowed.all()  # −1e9 does not mark anything as masked
    assert not r.fully_masked_rows.any()
    assert torch.isfinite(r.weights).all()
    assert (r.weights[0, 2:] < 1e-30).all()  # tiny (in float32 exp(−1e9) underflows to 0.0), never NaN
    assert r.weights[0, :2].sum().item() == pytest.approx(1.0, abs=1e-6)
    torch.testing.assert_close(r.weights[1], torch.full((4,), 0.25), atol=1e-6, rtol=0)  # uniform, not zero

    inf = torch.tensor([[0.0, 0.0, NEG_INF, NEG_INF], [NEG_INF] * 4])
    r_inf = scaled_dot_product_attention(q, k, v, attn_mask=inf)
    assert r_inf.fully_masked_rows.tolist() == [False, True]
    assert (r_inf.weights[0, 2:] == 0.0).all()
    assert r_inf.weights[1].tolist() == [0.0] * 4
    assert r_inf.output[1].tolist() == [0.0] * 3
    torch.testing.assert_close(r_inf.weights[0], r.weights[0], atol=1e-6, rtol=0)  # same when not all masked


def test_default_scale_uses_query_last_dim() -> None:
    q, k, v = torch.randn(2, 3, 9), torch.randn(2, 4, 9), torch.randn(2, 4, 5)
    r = scaled_dot_product_attention(q, k, v)
    assert r.scale == pytest.approx(1 / 3)
    assert torch.equal(r.scaled, r.scores * (1 / 3))


def test_mismatched_shapes_raise() -> None:
    with pytest.raises(ValueError, match="d_k"):
        scaled_dot_product_attention(torch.randn(2, 3), torch.randn(2, 4), torch.randn(2, 4))
    with pytest.raises(ValueError, match="positions"):
        scaled_dot_product_attention(torch.randn(2, 3), torch.randn(2, 3), torch.randn(5, 4))


def test_results_are_frozen() -> None:
    r = scaled_dot_product_attention(torch.randn(2, 3), torch.randn(4, 3), torch.randn(4, 3))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.weights = torch.zeros(2, 4)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.scale = 1.0  # type: ignore[misc]
    m = MultiHeadAttention(4, 2, generator=torch.Generator().manual_seed(0))(torch.randn(1, 3, 4))
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.output = torch.zeros(1, 3, 4)  # type: ignore[misc]
