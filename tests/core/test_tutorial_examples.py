"""The tutorials' examples reproduce the tutorials' shapes exactly, and the toy run is real attention."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from core.tutorial_examples import base_sizes, toy_run, toy_sizes


def test_the_toy_run_has_the_tutorials_shapes() -> None:
    sizes = {size.name: size.shape for size in toy_sizes(toy_run())}
    assert sizes == {
        "q": (2, 2, 3, 4),  # batch 2, heads 2, seq 3, d_k 4
        "k": (2, 2, 3, 4),
        "v": (2, 2, 3, 4),  # d_v = d_k = 4
        "mask": (2, 1, 1, 3),
        "weights": (2, 2, 3, 3),
        "output": (2, 2, 3, 4),
    }


def test_the_toy_run_masks_the_third_key_and_equals_pytorch() -> None:
    run = toy_run(seed=3)
    weights = run.attention.weights
    assert (weights[..., 2] == 0).all()  # every sample, head and query
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 2, 3))
    expected = F.scaled_dot_product_attention(run.q, run.k, run.v, attn_mask=run.allowed)
    torch.testing.assert_close(run.attention.output, expected, atol=1e-6, rtol=0)
    assert not torch.equal(weights[0], weights[1])  # two samples, two different results


def test_the_base_model_has_the_tutorials_sizes() -> None:
    sizes = {size.name: size.shape for size in base_sizes()}
    assert sizes == {
        "table": (10, 512),  # 10 words × 512 dimensions
        "x": (1, 512, 512),  # 512 tokens
        "q": (1, 8, 512, 64),  # 8 heads of 64
        "k": (1, 8, 512, 64),
        "v": (1, 8, 512, 64),
        "weights": (1, 8, 512, 512),
        "head_outputs": (1, 8, 512, 64),
        "concat": (1, 512, 512),  # 8 × 64 = 512
        "output": (1, 512, 512),
    }
