"""Sliding windows and attention sinks: the window holds W keys (the token itself included), the receptive field
grows by W − 1 per layer, and removing the sinks renormalises each row over its window."""

from __future__ import annotations

import pytest
import torch

from core.attention import scaled_dot_product_attention
from core.sinks import attend_with_and_without_sinks, composed_reach, reach_back, sink_mask, window_mask


def test_window_holds_w_keys_including_the_token_itself() -> None:
    mask = window_mask(6, 3)
    assert mask[5].tolist() == [False, False, False, True, True, True]
    assert mask.sum(-1).tolist() == [1, 2, 3, 3, 3, 3]
    # Hugging Face's rule, written independently: kv_idx > q_idx − W and kv_idx ≤ q_idx.
    i, j = torch.arange(6).unsqueeze(1), torch.arange(6).unsqueeze(0)
    assert torch.equal(mask, (j > i - 3) & (j <= i))
    with pytest.raises(ValueError):
        window_mask(4, 0)


def test_sinks_are_the_first_tokens_every_later_query_keeps() -> None:
    mask = sink_mask(6, 2, 1)
    assert mask[5].tolist() == [True, False, False, False, True, True]
    assert not mask.triu(1).any()


@pytest.mark.parametrize(("window", "layers"), [(2, 1), (3, 2), (4, 3), (5, 4)])
def test_receptive_field_grows_by_w_minus_one_per_layer(window: int, layers: int) -> None:
    reach = composed_reach(window_mask(40, window), layers)
    assert reach_back(reach) == [(window - 1) * ell for ell in range(1, layers + 1)]
    # Independent: the boolean matrix power by repeated products.
    allowed = window_mask(40, window).double()
    power = allowed.clone()
    for _ in range(layers - 1):
        power = power @ allowed
    assert torch.equal(reach[-1], power > 0)


def test_removing_sinks_rescales_the_window_weights_by_one_over_one_minus_the_sink_share() -> None:
    generator = torch.Generator().manual_seed(3)
    q, k, v = (torch.randn(10, 8, generator=generator, dtype=torch.float64) for _ in range(3))
    run = attend_with_and_without_sinks(q, k, v, window=3, sinks=2)
    kept = run.window_only.allowed
    rescaled = run.with_sinks.weights * run.factor.unsqueeze(-1) * kept
    torch.testing.assert_close(rescaled, run.window_only.weights, atol=1e-12, rtol=0)
    assert (run.sink_share[:3] == 0).all()  # queries 0–2: both sinks lie inside their own window
    assert (run.sink_share[3:] > 0).all()
    reference = scaled_dot_product_attention(q, k, v, attn_mask=window_mask(10, 3))
    torch.testing.assert_close(run.window_only.output, reference.output)
