"""core.alibi: the slopes against the paper's values and its code, the bias, and attention with the bias as a
float mask against a softmax written out here and against F.scaled_dot_product_attention."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import sizes

from core.alibi import (
    alibi_attention,
    alibi_bias,
    alibi_slopes,
    first_token_probe,
    mean_distance,
    power_of_two_below,
)
from core.attention import scaled_dot_product_attention


def paper_slopes(n: int) -> list[float]:
    """``get_slopes`` from the ALiBi repository (Press et al.), restated."""

    def power_of_2(n: int) -> list[float]:
        start = 2 ** (-(2 ** -(math.log2(n) - 3)))
        return [start * start**i for i in range(n)]

    if math.log2(n).is_integer():
        return power_of_2(n)
    closest = 2 ** math.floor(math.log2(n))
    return power_of_2(closest) + paper_slopes(2 * closest)[0::2][: n - closest]


def test_slopes_for_8_heads_are_the_papers() -> None:
    assert alibi_slopes(8).tolist() == [1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128, 1 / 256]


@pytest.mark.parametrize("heads", range(1, 33))
def test_slopes_match_the_papers_code(heads: int) -> None:
    assert alibi_slopes(heads).tolist() == pytest.approx(paper_slopes(heads), rel=1e-12)


def test_slopes_reject_zero_heads() -> None:
    with pytest.raises(ValueError, match="at least one head"):
        alibi_slopes(0)


def test_bias_is_minus_slope_times_distance_below_the_diagonal() -> None:
    slopes = alibi_slopes(4)
    bias = alibi_bias(5, slopes)
    for h in range(4):
        for i in range(5):
            for j in range(5):
                expected = -slopes[h].item() * (i - j) if j <= i else float("-inf")
                assert bias[h, i, j].item() == expected


def written_out(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """softmax_j(q_i·k_j/√d − m_h(i − j)) over j ≤ i, one row at a time."""
    heads, length, dim = q.shape
    slopes = paper_slopes(heads)
    out = torch.zeros(heads, length, v.size(-1), dtype=torch.float64)
    for h in range(heads):
        for i in range(length):
            logits = [(q[h, i] @ k[h, j]).item() / math.sqrt(dim) - slopes[h] * (i - j) for j in range(i + 1)]
            top = max(logits)
            weights = [math.exp(x - top) for x in logits]
            total = sum(weights)
            for j, w in enumerate(weights):
                out[h, i] += (w / total) * v[h, j].double()
    return out


@settings(max_examples=30, deadline=None)
@given(**sizes(heads=8, length=12, dim=16))
def test_alibi_equals_core_attention_with_a_float_mask_and_pytorch(heads, length, dim, parity) -> None:
    generator = torch.Generator().manual_seed(heads * 100 + length * 10 + dim)
    q, k, v = (torch.randn(heads, length, dim, generator=generator) for _ in range(3))
    run = alibi_attention(q, k, v)
    parity.check(f"alibi vs written-out softmax H={heads}", run.with_bias.output, written_out(q, k, v).float())
    mask = alibi_bias(length, alibi_slopes(heads)).float()
    core = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    parity.check(
        f"alibi core float mask vs F.sdpa H={heads}",
        core.output,
        F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
    )
    assert run.torch_max_diff <= 1e-5
    torch.testing.assert_close(run.with_bias.weights.sum(-1), torch.ones(heads, length))
    assert (run.with_bias.weights.triu(1) == 0).all()


@settings(max_examples=30, deadline=None)
@given(heads=st.integers(1, 8), length=st.integers(2, 16))
def test_the_bias_pulls_every_head_nearer(heads, length) -> None:
    generator = torch.Generator().manual_seed(heads + 17 * length)
    q, k, v = (torch.randn(heads, length, 8, generator=generator, dtype=torch.float64) for _ in range(3))
    run = alibi_attention(q, k, v)
    assert (run.mean_distance_with < run.mean_distance_without).all()


def test_mean_distance_of_known_weights() -> None:
    weights = torch.tensor([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    # rows look back 0, 0.5 and 2 positions
    assert mean_distance(weights).item() == pytest.approx((0 + 0.5 + 2) / 3)
    single = alibi_attention(*(torch.randn(2, 1, 4) for _ in range(3)))
    assert single.mean_distance_with.tolist() == [0.0, 0.0] == single.mean_distance_without.tolist()


def test_first_token_probe_reads_the_steepest_heads_last_query() -> None:
    generator = torch.Generator().manual_seed(5)
    q, k, v = (torch.randn(4, 6, 8, generator=generator) for _ in range(3))
    run = alibi_attention(q, k, v)
    probe = first_token_probe(run)
    assert probe.head == 0 and probe.slope == float(run.slopes[0]) and probe.distance == 5
    assert probe.with_bias == float(run.with_bias.weights[0, -1, 0])
    assert probe.without == float(run.without.weights[0, -1, 0])
    assert probe.penalty == probe.slope * 5
    assert probe.answer == "less"  # the steepest head pushes the far first token down


def test_power_of_two_below() -> None:
    assert [power_of_two_below(h) for h in (1, 2, 3, 6, 8, 12)] == [1, 2, 2, 4, 8, 8]
