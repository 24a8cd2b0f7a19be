"""core.rope: the paper's interleaved pairs and LLaMA's rotate-half layout agree after the permutation of
dimensions, both equal complex multiplication, and the score depends on m − n only."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core.pipeline import build_model
from core.position import diagonal_spread, sinusoidal_encoding
from core.rope import (
    angle_picture,
    check_shift,
    head_grid,
    interleaved_to_half,
    position_grid,
    rope_frequencies,
    rope_scores,
    rotate_half,
    rotate_interleaved,
)
from core.tokens import random_embeddings

BASES = st.sampled_from([10.0, 100.0, 10000.0, 500000.0, 1e6])


def llama_reference(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """LLaMA / Hugging Face ``apply_rotary_pos_emb`` for an even d, written from that code's recipe:
    inv_freq = 1 / base^(arange(0, d, 2) / d), emb = cat(freqs, freqs), x·cos + rotate_half(x)·sin."""
    dim = x.size(-1)
    inv_freq = 1.0 / base ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    freqs = torch.outer(positions.double(), inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    x1, x2 = x[..., : dim // 2], x[..., dim // 2 :]
    turned = torch.cat((-x2, x1), dim=-1)
    return x * emb.cos().to(x.dtype) + turned * emb.sin().to(x.dtype)


def complex_reference(x: torch.Tensor, positions: torch.Tensor, base: float) -> torch.Tensor:
    """RoFormer eq. (34): pair (2i, 2i+1) as one complex number, multiplied by e^{i·m·θ_i}."""
    dim = x.size(-1)
    theta = torch.tensor([base ** (-2 * i / dim) for i in range(dim // 2)], dtype=torch.float64)
    pairs = torch.view_as_complex(x.double().reshape(*x.shape[:-1], dim // 2, 2).contiguous())
    turned = pairs * torch.polar(torch.ones((), dtype=torch.float64), positions.double().unsqueeze(-1) * theta)
    return torch.view_as_real(turned).flatten(-2).to(x.dtype)


def test_frequencies_for_d8() -> None:
    assert rope_frequencies(8, 10000.0).tolist() == pytest.approx([1.0, 0.1, 0.01, 0.001], rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(dim=st.integers(1, 64), length=st.integers(1, 12), base=BASES, start=st.integers(0, 5000))
def test_rotate_half_equals_interleaved_after_the_permutation(dim, length, base, start, parity) -> None:
    x = torch.randn(2, length, dim, generator=torch.Generator().manual_seed(dim * 131 + length))
    positions = torch.arange(start, start + length)
    perm = interleaved_to_half(dim)
    assert sorted(perm.tolist()) == list(range(dim))
    parity.check(
        f"rope rotate_half vs interleaved d={dim}",
        rotate_half(x[..., perm], positions, base),
        rotate_interleaved(x, positions, base)[..., perm],
    )


@settings(max_examples=40, deadline=None)
@given(half=st.integers(1, 64), length=st.integers(1, 10), base=BASES)
def test_scores_of_both_layouts_are_equal(half, length, base, parity) -> None:
    """The LLaMA-style reference on permuted q, k gives the paper-layout scores: a dot product does not care
    how the dimensions are ordered, as long as q and k are ordered alike."""
    dim = 2 * half
    generator = torch.Generator().manual_seed(half + 1000 * length)
    q, k = torch.randn(length, dim, generator=generator), torch.randn(length, dim, generator=generator)
    positions = torch.arange(length)
    perm = interleaved_to_half(dim)
    llama = llama_reference(q[:, perm], positions, base) @ llama_reference(k[:, perm], positions, base).T
    parity.check(f"rope scores llama vs paper d={dim}", rope_scores(q, k, positions, positions, base), llama / dim**0.5)


@settings(max_examples=40, deadline=None)
@given(half=st.integers(1, 32), length=st.integers(1, 10), base=BASES)
def test_interleaved_equals_complex_multiplication(half, length, base, parity) -> None:
    x = torch.randn(length, 2 * half, generator=torch.Generator().manual_seed(half))
    positions = torch.arange(3, 3 + length)
    parity.check(
        f"rope interleaved vs complex d={2 * half}",
        rotate_interleaved(x, positions, base),
        complex_reference(x, positions, base),
    )


def test_rotation_keeps_the_norm_and_position_zero_is_the_identity() -> None:
    x = torch.randn(5, 16, dtype=torch.float64)
    rotated = rotate_interleaved(x, torch.arange(5))
    torch.testing.assert_close(rotated.norm(dim=-1), x.norm(dim=-1))
    torch.testing.assert_close(rotated[0], x[0])


def test_odd_dimension_leaves_the_last_one_unrotated() -> None:
    x = torch.randn(4, 7, dtype=torch.float64)
    for rotate in (rotate_interleaved, rotate_half):
        rotated = rotate(x, torch.arange(10, 14))
        torch.testing.assert_close(rotated[:, -1], x[:, -1])
        assert (rotated[:, :-1] - x[:, :-1]).abs().max() > 0.01


@settings(max_examples=80, deadline=None)
@given(
    dim=st.integers(2, 128),
    base=BASES,
    m=st.integers(0, 2000),
    n=st.integers(0, 2000),
    shift=st.integers(0, 2000),
)
def test_score_depends_only_on_the_distance(dim, base, m, n, shift) -> None:
    """Float32 inputs, as in a model: q_m·k_n = q_{m+s}·k_{n+s} to 1e-5."""
    generator = torch.Generator().manual_seed(dim)
    q, k = torch.randn(1, dim, generator=generator), torch.randn(1, dim, generator=generator)
    here = rope_scores(q, k, torch.tensor([m]), torch.tensor([n]), base)
    moved = rope_scores(q, k, torch.tensor([m + shift]), torch.tensor([n + shift]), base)
    torch.testing.assert_close(moved, here, atol=1e-5, rtol=0.0)


def test_moving_only_one_token_changes_the_score() -> None:
    generator = torch.Generator().manual_seed(0)
    q, k = torch.randn(1, 8, generator=generator), torch.randn(1, 8, generator=generator)
    here = rope_scores(q, k, torch.tensor([2]), torch.tensor([1]))
    moved = rope_scores(q, k, torch.tensor([2]), torch.tensor([4]))
    assert (moved - here).abs().item() > 0.05


def test_check_shift_both_and_keys() -> None:
    generator = torch.Generator().manual_seed(1)
    q, k = torch.randn(6, 8, generator=generator), torch.randn(6, 8, generator=generator)
    moved = check_shift(q, k, 37)
    assert moved.max_diff_both < 1e-12
    assert moved.max_diff_keys > 0.1
    still = check_shift(q, k, 0)
    assert still.max_diff_both == 0.0 and still.max_diff_keys == 0.0
    assert moved.scores.shape == (6, 6) and moved.scores.dtype == torch.float64


def test_base_changes_the_scores_but_not_the_relative_property() -> None:
    generator = torch.Generator().manual_seed(2)
    q, k = torch.randn(5, 8, generator=generator), torch.randn(5, 8, generator=generator)
    slow, fast = check_shift(q, k, 9, 1e6), check_shift(q, k, 9, 100.0)
    assert (slow.scores - fast.scores).abs().max() > 0.01
    assert slow.max_diff_both < 1e-12 and fast.max_diff_both < 1e-12


def test_rotated_grid_is_toeplitz_and_the_added_one_is_not() -> None:
    generator = torch.Generator().manual_seed(3)
    d_model, d = 16, 8
    x_q, x_k = torch.randn(d_model, generator=generator), torch.randn(d_model, generator=generator)
    w_q, w_k = torch.randn(d, d_model, generator=generator), torch.randn(d, d_model, generator=generator)
    grid = position_grid(x_q, x_k, w_q, w_k, sinusoidal_encoding(20, d_model))
    assert diagonal_spread(grid.rotated) < 1e-9
    assert diagonal_spread(grid.added) > 0.1
    # Row m, column n of the rotated grid is rot(q, m)·rot(k, n)/√d, recomputed here with one call per cell.
    q, k = (x_q @ w_q.T).double(), (x_k @ w_k.T).double()
    cell = rope_scores(q[None], k[None], torch.tensor([7]), torch.tensor([3]))
    assert grid.rotated[7, 3].item() == pytest.approx(cell.item(), abs=1e-12)
    added = ((x_q + sinusoidal_encoding(20, d_model)[7]) @ w_q.T) @ (
        (x_k + sinusoidal_encoding(20, d_model)[3]) @ w_k.T
    )
    assert grid.added[7, 3].item() == pytest.approx(added.item() / math.sqrt(d), rel=1e-5)


def test_angle_picture_is_the_cosine_of_m_theta() -> None:
    picture = angle_picture(5, 8, 100.0)
    theta = rope_frequencies(8, 100.0)
    assert torch.allclose(picture.cosines, torch.cos(torch.arange(5, dtype=torch.float64)[:, None] * theta))
    assert picture.slowest == float(theta[-1])
    assert picture.slow_period == 2 * math.pi / float(theta[-1]) and picture.fast_period == 2 * math.pi
    assert angle_picture(1, 8).slowest == 1.0


def test_head_grid_is_position_grid_of_the_heads_rows() -> None:
    model = build_model(4, 2, 0)
    x = random_embeddings(3, 8, 0)
    pictured = head_grid(model, x, 1, 0, 2, 6, 1000.0)
    with torch.no_grad():
        expected = position_grid(
            x[0], x[2], model.w_q.weight[4:8], model.w_k.weight[4:8], sinusoidal_encoding(6, 8), 1000.0
        )
    assert torch.equal(pictured.grid.rotated, expected.rotated) and torch.equal(pictured.grid.added, expected.added)
    assert pictured.spreads == {"rotated": diagonal_spread(expected.rotated), "added": diagonal_spread(expected.added)}
    assert pictured.extent == max(float(expected.rotated.abs().max()), float(expected.added.abs().max()))
