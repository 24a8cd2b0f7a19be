"""Mask builders: bool, True = may attend."""

from __future__ import annotations

import pytest
import torch

from core import causal_mask, padding_mask, sliding_window_mask
from core.masks import strided_mask


def test_causal_mask_is_lower_triangle() -> None:
    m = causal_mask(4)
    assert m.dtype == torch.bool
    assert m.tolist() == [
        [True, False, False, False],
        [True, True, False, False],
        [True, True, True, False],
        [True, True, True, True],
    ]


@pytest.mark.parametrize("n", [1, 2, 7, 12])
def test_causal_mask_allows_exactly_the_past(n: int) -> None:
    m = causal_mask(n)
    assert m.shape == (n, n)
    for i in range(n):
        for j in range(n):
            assert bool(m[i, j]) == (j <= i)


def test_padding_mask_shape_and_values() -> None:
    m = padding_mask([3, 1, 0, 4], 4)
    assert m.dtype == torch.bool
    assert m.shape == (4, 1, 1, 4)  # broadcasts over heads and queries
    assert m[:, 0, 0].tolist() == [
        [True, True, True, False],
        [True, False, False, False],
        [False, False, False, False],
        [True, True, True, True],
    ]


def test_padding_mask_accepts_tensor_lengths() -> None:
    assert torch.equal(padding_mask(torch.tensor([2, 5]), 5), padding_mask([2, 5], 5))


@pytest.mark.parametrize("lengths", [[-1, 2], [2, 6], [7]])
def test_padding_mask_rejects_lengths_out_of_range(lengths: list[int]) -> None:
    with pytest.raises(ValueError, match=r"0\.\.5"):
        padding_mask(lengths, 5)


def test_padding_mask_rejects_non_1d_lengths() -> None:
    with pytest.raises(ValueError, match="1-D"):
        padding_mask([[1, 2]], 3)


def test_sliding_window_mask_values() -> None:
    m = sliding_window_mask(5, 1)
    assert m.dtype == torch.bool
    assert m.tolist() == [
        [True, True, False, False, False],
        [True, True, True, False, False],
        [False, True, True, True, False],
        [False, False, True, True, True],
        [False, False, False, True, True],
    ]


@pytest.mark.parametrize(("n", "window"), [(1, 0), (6, 0), (6, 2), (6, 5), (6, 9), (12, 3)])
def test_sliding_window_is_distance_at_most_window(n: int, window: int) -> None:
    m = sliding_window_mask(n, window)
    assert m.shape == (n, n)
    assert m.dtype == torch.bool
    for i in range(n):
        for j in range(n):
            assert bool(m[i, j]) == (abs(i - j) <= window)


def test_sliding_window_zero_is_diagonal_only() -> None:
    assert torch.equal(sliding_window_mask(5, 0), torch.eye(5, dtype=torch.bool))


def test_sliding_window_rejects_negative() -> None:
    with pytest.raises(ValueError, match="window"):
        sliding_window_mask(5, -1)


def test_strided_mask_sees_later_keys_unlike_the_sparse_transformers_causal_strided_head() -> None:
    # The Masks and Cost pages say so: this pattern is two-sided; Child et al.'s strided head is causal.
    mask = strided_mask(6, 2)
    assert mask[0, 2] and mask[0, 4]  # query 0 sees later keys
    sparse_head = mask & causal_mask(6)
    assert not sparse_head.triu(1).any()
    assert torch.equal(sparse_head | sparse_head.T, mask)
