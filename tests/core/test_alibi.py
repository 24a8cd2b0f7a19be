"""ALiBi (Press et al. 2022): the head slopes are the paper's, and the biased attention equals PyTorch's
F.scaled_dot_product_attention with the same float mask and an independent softmax."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core.alibi import alibi_attention, alibi_bias, alibi_slopes, mean_distance


def test_slopes_for_eight_heads_are_the_papers() -> None:
    # The paper: for 8 heads, 1/2^1, 1/2^2, …, 1/2^8.
    assert alibi_slopes(8).tolist() == [1 / 2**h for h in range(1, 9)]


def test_slopes_for_other_head_counts_follow_the_papers_code() -> None:
    assert alibi_slopes(16).tolist() == pytest.approx([2 ** (-0.5 * h) for h in range(1, 17)], rel=1e-12)
    # 12 heads: the 8 slopes of H = 8, then every other slope of H = 16 (2^-0.5, 2^-1.5, …).
    assert alibi_slopes(12).tolist() == pytest.approx(
        [2 ** (-h) for h in range(1, 9)] + [2 ** (-0.5 * h) for h in (1, 3, 5, 7)], rel=1e-12
    )
    with pytest.raises(ValueError):
        alibi_slopes(0)


def test_bias_is_minus_slope_times_distance_and_hides_the_future() -> None:
    bias = alibi_bias(4, torch.tensor([0.5, 0.25], dtype=torch.float64))
    assert bias[0, 3, 0] == -1.5 and bias[1, 3, 1] == -0.5 and bias[0, 2, 2] == 0
    assert torch.isinf(bias[:, 0, 1:]).all() and (bias[:, 0, 1:] < 0).all()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 8), st.integers(1, 12), st.integers(1, 16), st.integers(0, 2**31 - 1))
def test_alibi_attention_equals_pytorch_and_an_independent_softmax(heads: int, length: int, d_k: int, seed: int):
    generator = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(heads, length, d_k, generator=generator, dtype=torch.float64) for _ in range(3))
    run = alibi_attention(q, k, v)
    reference = F.scaled_dot_product_attention(q, k, v, attn_mask=run.bias)
    torch.testing.assert_close(run.with_bias.output, reference, atol=1e-10, rtol=0)
    assert run.torch_max_diff < 1e-10
    scores = q @ k.transpose(-1, -2) / math.sqrt(d_k) + run.bias
    torch.testing.assert_close(run.with_bias.weights, scores.softmax(-1), atol=1e-12, rtol=0)
    assert (run.with_bias.weights.triu(1) == 0).all()  # the future gets exactly 0
    torch.testing.assert_close(run.with_bias.weights.sum(-1), torch.ones(heads, length, dtype=torch.float64))


def test_a_steeper_slope_pulls_attention_closer() -> None:
    generator = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(8, 32, 16, generator=generator) for _ in range(3))
    run = alibi_attention(q, k, v)
    # Head 0 has the steepest slope (1/2): its weight lies nearer than head 7's (1/256) and than no bias.
    assert run.mean_distance_with[0] < run.mean_distance_with[7] < run.mean_distance_without[7] + 1e-6
    uniform = torch.tril(torch.ones(3, 3)) / torch.arange(1, 4).unsqueeze(1)
    assert mean_distance(uniform).item() == pytest.approx((0 + 0.5 + 1) / 3)
