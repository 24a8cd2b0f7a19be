"""Weights on padding tokens, against hand-made matrices and a PyTorch run with and without the padding mask."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from core.padding import pad_attention


def test_reads_the_sentence_rows_on_the_pad_columns() -> None:
    weights = torch.tensor(
        [
            [0.5, 0.2, 0.3],
            [0.6, 0.3, 0.1],
            [0.0, 0.0, 1.0],  # the pad's own row is not the sentence's: left out
        ]
    )
    found = pad_attention(weights, real_len=2)
    assert (found.pads, found.real) == (1, 2)
    assert found.lowest == pytest.approx(0.1) and found.highest == pytest.approx(0.3)
    assert found.mean_share == pytest.approx(0.2)
    assert not found.ignored


@pytest.mark.parametrize("real_len", [0, 4, 5])
def test_no_padding_or_no_sentence_gives_none(real_len: int) -> None:
    assert pad_attention(torch.full((4, 4), 0.25), real_len) is None


def test_padding_mask_gives_the_pads_exactly_zero() -> None:
    generator = torch.Generator().manual_seed(0)
    q, k = (torch.randn(1, 1, 6, 4, generator=generator) for _ in range(2))
    k[..., 4:, :] = 0  # zero pad keys: their scores are 0, so unmasked they still get e^0 / Σ
    real = torch.tensor([True] * 4 + [False] * 2)
    free = pad_attention(F.softmax(q @ k.transpose(-2, -1) / 2, dim=-1)[0, 0], 4)
    scores = (q @ k.transpose(-2, -1) / 2).masked_fill(~real, float("-inf"))
    masked = pad_attention(F.softmax(scores, dim=-1)[0, 0], 4)
    assert free.pads == 2 and free.lowest > 0 and not free.ignored
    assert masked.highest == 0.0 and masked.mean_share == 0.0 and masked.ignored
