"""Block, strided and global-token masks, mask summaries and mask codes: each against an independent
definition (a double loop over i, j), and used in attention against PyTorch's F.scaled_dot_product_attention."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import sizes

from core.attention import scaled_dot_product_attention
from core.masks import (
    block_mask,
    causal_mask,
    global_tokens_mask,
    mask_from_code,
    mask_to_code,
    sliding_window_mask,
    strided_mask,
    summarize_mask,
)


def from_rule(n: int, rule) -> torch.Tensor:
    return torch.tensor([[bool(rule(i, j)) for j in range(n)] for i in range(n)], dtype=torch.bool).reshape(n, n)


# ── block ──


def test_block_mask_values() -> None:
    assert block_mask(5, 2).int().tolist() == [
        [1, 1, 0, 0, 0],
        [1, 1, 0, 0, 0],
        [0, 0, 1, 1, 0],
        [0, 0, 1, 1, 0],
        [0, 0, 0, 0, 1],
    ]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 20), block=st.integers(1, 24))
def test_block_mask_is_same_block(n: int, block: int) -> None:
    m = block_mask(n, block)
    assert m.dtype == torch.bool and m.shape == (n, n)
    assert torch.equal(m, from_rule(n, lambda i, j: i // block == j // block))


def test_block_of_one_is_the_diagonal_and_block_of_n_allows_all() -> None:
    assert torch.equal(block_mask(6, 1), torch.eye(6, dtype=torch.bool))
    assert block_mask(6, 6).all() and block_mask(6, 50).all()


def test_block_mask_rejects_non_positive_block() -> None:
    with pytest.raises(ValueError, match="block"):
        block_mask(4, 0)


# ── strided ──


def test_strided_mask_values() -> None:
    assert strided_mask(5, 2).int().tolist() == [
        [1, 0, 1, 0, 1],
        [0, 1, 0, 1, 0],
        [1, 0, 1, 0, 1],
        [0, 1, 0, 1, 0],
        [1, 0, 1, 0, 1],
    ]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 20), stride=st.integers(1, 24))
def test_strided_mask_is_distance_multiple_of_stride(n: int, stride: int) -> None:
    m = strided_mask(n, stride)
    assert m.dtype == torch.bool and m.shape == (n, n)
    assert torch.equal(m, from_rule(n, lambda i, j: abs(i - j) % stride == 0))
    assert torch.equal(m, m.T)
    assert m.diagonal().all()  # every token sees itself, so no row is fully masked


def test_stride_one_allows_all_and_combines_with_causal() -> None:
    assert strided_mask(5, 1).all()
    # The Sparse Transformer's causal strided pattern: the past, every 3rd token.
    combined = strided_mask(7, 3) & causal_mask(7)
    assert torch.equal(combined, from_rule(7, lambda i, j: j <= i and (i - j) % 3 == 0))


def test_strided_mask_rejects_non_positive_stride() -> None:
    with pytest.raises(ValueError, match="stride"):
        strided_mask(4, 0)


# ── global tokens ──


def test_global_tokens_mask_values() -> None:
    assert global_tokens_mask(4, [0, 2]).int().tolist() == [
        [1, 1, 1, 1],
        [1, 0, 1, 0],
        [1, 1, 1, 1],
        [1, 0, 1, 0],
    ]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=st.integers(1, 16))
def test_global_tokens_mask_is_global_row_or_column(data: st.DataObject, n: int) -> None:
    positions = data.draw(st.lists(st.integers(0, n - 1), max_size=4))
    m = global_tokens_mask(n, positions)
    assert m.dtype == torch.bool and m.shape == (n, n)
    assert torch.equal(m, from_rule(n, lambda i, j: i in positions or j in positions))


def test_no_global_tokens_masks_everything_until_combined_with_a_window() -> None:
    assert not global_tokens_mask(5, []).any()
    longformer = sliding_window_mask(6, 1) | global_tokens_mask(6, [0])
    assert torch.equal(longformer, from_rule(6, lambda i, j: abs(i - j) <= 1 or i == 0 or j == 0))


@pytest.mark.parametrize("position", [-1, 5, 99])
def test_global_tokens_mask_rejects_positions_outside_the_sequence(position: int) -> None:
    with pytest.raises(ValueError, match=r"0\.\.4"):
        global_tokens_mask(5, [position])


# ── the new masks in attention, against PyTorch ──


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(["block", "strided", "global"]), **sizes(n=12, size=6, d_k=16), seed=st.integers(0, 2**31))
def test_new_masks_match_pytorch_sdpa(parity, kind: str, n: int, size: int, d_k: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(2, 3, n, d_k, generator=g) for _ in range(3))
    if kind == "block":
        mask = block_mask(n, size)
    elif kind == "strided":
        mask = strided_mask(n, size)
    else:
        mask = global_tokens_mask(n, [p for p in (0, size) if p < n])
    ours = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    theirs = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    parity.check(f"{kind} mask n={n} size={size}", ours.output, theirs)
    assert (ours.weights[..., ~mask] == 0).all()  # exactly zero, not just small


# ── summaries ──


def test_summarize_mask_counts_allowed_scores_and_empty_rows() -> None:
    m = causal_mask(4).clone()
    m[2] = False
    summary = summarize_mask(m)
    assert (summary.allowed, summary.total) == (1 + 2 + 0 + 4, 16)
    assert summary.fully_masked_rows == (2,)
    assert summary.share == pytest.approx(7 / 16)


@pytest.mark.parametrize(
    ("mask", "allowed"),
    [
        (causal_mask(10), 55),
        (sliding_window_mask(10, 1), 28),
        (block_mask(10, 4), 16 + 16 + 4),
        (strided_mask(9, 3), 27),
    ],
)
def test_summarize_mask_allowed_counts(mask: torch.Tensor, allowed: int) -> None:
    summary = summarize_mask(mask)
    assert summary.allowed == allowed and summary.fully_masked_rows == ()


def test_summary_of_an_empty_mask() -> None:
    summary = summarize_mask(torch.zeros(0, 0, dtype=torch.bool))
    assert (summary.allowed, summary.total, summary.share, summary.fully_masked_rows) == (0, 0, 0.0, ())


# ── codes ──


def test_mask_code_is_readable() -> None:
    assert mask_to_code(causal_mask(3)) == "100.110.111"
    assert torch.equal(mask_from_code("100.110.111", 12), causal_mask(3))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 12), seed=st.integers(0, 2**31))
def test_mask_code_round_trips(n: int, seed: int) -> None:
    m = torch.rand(n, n, generator=torch.Generator().manual_seed(seed)) < 0.5
    assert torch.equal(mask_from_code(mask_to_code(m), 12), m)


@pytest.mark.parametrize("code", ["", "1.", "10.1", "12.01", "1x.01", "10.01.11", "1" * 13])
def test_mask_from_code_rejects_malformed_codes(code: str) -> None:
    with pytest.raises(ValueError, match="mask code"):
        mask_from_code(code, 12)


def test_mask_from_code_rejects_codes_longer_than_the_limit() -> None:
    with pytest.raises(ValueError, match="1 to 3 rows"):
        mask_from_code(mask_to_code(causal_mask(4)), 3)


def test_mask_to_code_rejects_non_square() -> None:
    with pytest.raises(ValueError, match="square"):
        mask_to_code(torch.ones(2, 3, dtype=torch.bool))
