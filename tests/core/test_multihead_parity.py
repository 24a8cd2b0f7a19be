"""core.MultiHeadAttention against torch.nn.MultiheadAttention (batch_first=True), plus its plumbing."""

from __future__ import annotations

import math
import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import sizes
from torch import nn

from core import MultiHeadAttention, merge_heads, padding_mask, split_heads


def randomize_(module: nn.MultiheadAttention, g: torch.Generator) -> None:
    """Random weights and non-zero biases (torch initialises biases to 0, which would hide a bias mix-up)."""
    std = module.embed_dim**-0.5  # keeps activations O(1), so atol 1e-5 is meaningful in float32
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(torch.randn(p.shape, generator=g) * (0.5 if "bias" in name else std))


@st.composite
def mha_cases(draw: st.DrawFn) -> dict:
    H = draw(st.integers(1, 8))
    d_k = draw(st.integers(1, 16))
    L = draw(st.integers(1, 10))
    cross = draw(st.booleans())
    S = draw(st.integers(1, 10).filter(lambda s: s != L)) if cross else L
    return {
        "H": H,
        "d_k": d_k,
        "B": draw(st.integers(1, 3)),
        "L": L,
        "S": S,
        "cross": cross,
        "bias": draw(st.booleans()),
        "use_attn_mask": draw(st.booleans()),
        "use_padding": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**63 - 1)),
    }


@settings(max_examples=250, deadline=None)
@given(c=mha_cases())
def test_matches_torch_multihead_attention(parity, c: dict) -> None:
    H, d_k, B, L, S = c["H"], c["d_k"], c["B"], c["L"], c["S"]
    E = H * d_k
    g = torch.Generator().manual_seed(c["seed"])
    theirs = nn.MultiheadAttention(E, H, bias=c["bias"], batch_first=True)
    randomize_(theirs, g)
    ours = MultiHeadAttention.from_torch(theirs)
    assert (ours.w_q.bias is not None) == c["bias"]

    x = torch.randn(B, L, E, generator=g)
    key = torch.randn(B, S, E, generator=g) if c["cross"] else x
    value = torch.randn(B, S, E, generator=g) if c["cross"] else x

    # Every row keeps at least one allowed, non-padded key: nn.MultiheadAttention returns NaN for rows
    # that can attend to nothing (our version returns 0 there), so such rows are kept out of this comparison.
    lengths = torch.randint(1, S + 1, (B,), generator=g)
    allowed = torch.rand(L, S, generator=g) < 0.6  # [L, S], True = may attend (our convention)
    keep = torch.randint(0, int(lengths.min()), (L,), generator=g)
    allowed[torch.arange(L), keep] = True

    our_mask = torch.ones(L, S, dtype=torch.bool)
    torch_kwargs: dict = {}
    if c["use_attn_mask"]:
        our_mask = our_mask & allowed
        # nn.MultiheadAttention's bool masks mean True = NOT allowed: the opposite of ours, hence ~.
        torch_kwargs["attn_mask"] = ~allowed
    if c["use_padding"]:
        pad = padding_mask(lengths, S)  # [B, 1, 1, S], True = real token
        our_mask = our_mask & pad
        # key_padding_mask [B, S] means True = padding (ignore): flip ours with ~.
        torch_kwargs["key_padding_mask"] = ~pad[:, 0, 0, :]

    result = ours(x, key, value, attn_mask=our_mask)
    with torch.no_grad():
        expected_out, expected_weights = theirs(
            x, key, value, need_weights=True, average_attn_weights=False, **torch_kwargs
        )
    label = f"mha {c}"
    parity.check(f"{label} output", result.output.detach(), expected_out)
    parity.check(f"{label} weights", result.attention.weights.detach(), expected_weights)
    assert result.attention.weights.shape == (B, H, L, S)


def test_indivisible_d_model_raises_helpful_error() -> None:
    with pytest.raises(ValueError, match="divisible") as info:
        MultiHeadAttention(10, 3)
    suggestions = [int(n) for n in re.findall(r"\d+", str(info.value).split("e.g.")[1])]
    assert suggestions, str(info.value)
    assert all(n > 0 and n % 3 == 0 for n in suggestions), str(info.value)
    MultiHeadAttention(suggestions[0], 3)  # the suggestion must actually work


@pytest.mark.parametrize(("d_model", "heads"), [(0, 1), (4, 0)])
def test_non_positive_sizes_raise(d_model: int, heads: int) -> None:
    with pytest.raises(ValueError):
        MultiHeadAttention(d_model, heads)


def test_result_shapes_for_cross_attention() -> None:
    g = torch.Generator().manual_seed(0)
    B, L, S, H, d_k = 2, 3, 5, 4, 6
    mha = MultiHeadAttention(H * d_k, H, generator=g)
    result = mha(torch.randn(B, L, H * d_k, generator=g), torch.randn(B, S, H * d_k, generator=g))
    assert result.q.shape == (B, H, L, d_k)
    assert result.k.shape == (B, H, S, d_k)
    assert result.v.shape == (B, H, S, d_k)
    assert result.attention.weights.shape == (B, H, L, S)
    assert result.attention.output.shape == (B, H, L, d_k)
    assert result.concat.shape == (B, L, H * d_k)
    assert result.output.shape == (B, L, H * d_k)
    assert result.attention.scale == pytest.approx(1 / math.sqrt(d_k))  # per head, never 1/√d_model


@settings(max_examples=50, deadline=None)
@given(**sizes(B=3, L=10, H=8, d_k=16), seed=st.integers(0, 2**32))
def test_split_and_merge_heads_round_trip(B: int, L: int, H: int, d_k: int, seed: int) -> None:
    x = torch.randn(B, L, H * d_k, generator=torch.Generator().manual_seed(seed))
    heads = split_heads(x, H)
    assert heads.shape == (B, H, L, d_k)
    for h in range(H):  # head h is the h-th slice of d_k features
        assert torch.equal(heads[:, h], x[..., h * d_k : (h + 1) * d_k])
    assert torch.equal(merge_heads(heads), x)


@pytest.mark.parametrize("bias", [True, False])
def test_output_is_concat_times_w_o_plus_bias(bias: bool) -> None:
    g = torch.Generator().manual_seed(3)
    mha = MultiHeadAttention(12, 3, bias=bias, generator=g)
    if bias:
        with torch.no_grad():
            mha.w_o.bias.copy_(torch.randn(12, generator=g))  # init zeroes biases; make this one count
    result = mha(torch.randn(2, 4, 12, generator=g))
    expected = result.concat @ mha.w_o.weight.T
    if bias:
        expected = expected + mha.w_o.bias
    torch.testing.assert_close(result.output, expected, atol=1e-6, rtol=0)
    assert torch.equal(result.concat, merge_heads(result.attention.output))


def test_init_keeps_projections_at_unit_variance() -> None:
    """Why: with unit-variance q and k, a raw score q·k (a sum of d_k products) has variance d_k.

    Dividing by √d_k brings it back to 1, so the softmax is neither saturated nor flat. That only
    holds if the projections keep unit variance, which the init std 1/√d_model is meant to ensure.
    """
    d_model, H = 512, 8
    g = torch.Generator().manual_seed(1234)
    mha = MultiHeadAttention(d_model, H, generator=g)
    x = torch.randn(4, 256, d_model, generator=g)  # unit-variance embeddings, 524k entries
    with torch.no_grad():
        result = mha(x)
    for name, t in (("q", result.q), ("k", result.k), ("v", result.v)):
        assert t.var().item() == pytest.approx(1.0, abs=0.03), name
    d_k = d_model // H
    scores, scaled = result.attention.scores, result.attention.scaled
    assert scores.var().item() == pytest.approx(d_k, rel=0.05)  # raw scores: variance ≈ d_k = 64
    assert scaled.var().item() == pytest.approx(1.0, rel=0.05)  # after 1/√d_k: ≈ 1
