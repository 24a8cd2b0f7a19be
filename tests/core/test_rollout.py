"""Attention rollout on a hand-built 3-layer example worked out by hand, and against a numpy loop."""

from __future__ import annotations

import numpy as np
import torch

from core.rollout import attention_rollout


def test_hand_built_three_layers() -> None:
    # Layer 0: both heads attend to themselves. Layer 1: head 0 always to token 0, head 1 to itself, so the
    # head mean is [[1, 0], [.5, .5]] and ½·A + ½·I = [[1, 0], [.25, .75]]. Layer 2: both heads to token 1,
    # ½·A + ½·I = [[.5, .5], [0, 1]]. Rollout after layer 2 = [[.5, .5], [0, 1]] @ [[1, 0], [.25, .75]].
    eye = torch.eye(2)
    to_first = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    to_second = torch.tensor([[0.0, 1.0], [0.0, 1.0]])
    attentions = torch.stack(
        [torch.stack([eye, eye]), torch.stack([to_first, eye]), torch.stack([to_second, to_second])]
    )
    result = attention_rollout(attentions)
    torch.testing.assert_close(result.rollout[0], eye)
    torch.testing.assert_close(result.rollout[1], torch.tensor([[1.0, 0.0], [0.25, 0.75]]))
    torch.testing.assert_close(result.rollout[2], torch.tensor([[0.625, 0.375], [0.25, 0.75]]))
    torch.testing.assert_close(result.raw[1], torch.tensor([[1.0, 0.0], [0.5, 0.5]]))


def test_matches_numpy_and_rows_sum_to_one() -> None:
    g = torch.Generator().manual_seed(3)
    attentions = torch.softmax(torch.randn(4, 3, 5, 5, generator=g, dtype=torch.float64), dim=-1)
    a = attentions.numpy()
    expected, current = [], np.eye(5)
    for layer in range(4):
        mixed = 0.5 * a[layer].mean(axis=0) + 0.5 * np.eye(5)
        mixed /= mixed.sum(axis=1, keepdims=True)
        current = mixed @ current
        expected.append(current)
    result = attention_rollout(attentions)
    np.testing.assert_allclose(result.rollout.numpy(), np.stack(expected), atol=1e-12)
    np.testing.assert_allclose(result.rollout.sum(-1).numpy(), 1.0, atol=1e-12)
