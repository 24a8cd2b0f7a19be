"""core.position: the sinusoidal encoding against a plain-Python formula and known values, its dot products,
the shuffle, and permutation equivariance of self-attention (and how position encodings break it)."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core.multihead import MultiHeadAttention
from core.position import (
    check_permutation,
    diagonal_spread,
    encoding_pictures,
    encoding_similarity,
    shared_extent,
    shuffle_order,
    sinusoidal_encoding,
)


def reference_encoding(length: int, d_model: int) -> list[list[float]]:
    """Vaswani et al. (2017), section 3.5, written out cell by cell."""
    table = []
    for pos in range(length):
        row = []
        for dim in range(d_model):
            pair = dim - dim % 2  # 2i
            angle = pos / 10000 ** (pair / d_model)
            row.append(math.sin(angle) if dim % 2 == 0 else math.cos(angle))
        table.append(row)
    return table


@settings(max_examples=50, deadline=None)
@given(length=st.integers(0, 70), d_model=st.integers(1, 40))
def test_encoding_matches_the_formula(length: int, d_model: int) -> None:
    pe = sinusoidal_encoding(length, d_model)
    assert pe.shape == (length, d_model) and pe.dtype == torch.float32
    expected = torch.tensor(reference_encoding(length, d_model), dtype=torch.float32).reshape(length, d_model)
    torch.testing.assert_close(pe, expected, atol=1e-6, rtol=0)


def test_known_values() -> None:
    pe = sinusoidal_encoding(3, 6)
    assert pe[0].tolist() == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]  # sin 0, cos 0, …
    assert pe[1, 0].item() == pytest.approx(math.sin(1.0))
    assert pe[1, 1].item() == pytest.approx(math.cos(1.0))
    assert pe[2, 2].item() == pytest.approx(math.sin(2 / 10000 ** (2 / 6)))
    assert pe[2, 5].item() == pytest.approx(math.cos(2 / 10000 ** (4 / 6)))
    assert (pe.abs() <= 1).all()


def test_odd_d_model_ends_with_a_sine_column() -> None:
    pe = sinusoidal_encoding(4, 5)
    assert pe[:, 4].tolist() == pytest.approx([math.sin(p / 10000 ** (4 / 5)) for p in range(4)])


def test_encoding_rejects_bad_sizes() -> None:
    with pytest.raises(ValueError):
        sinusoidal_encoding(3, 0)
    with pytest.raises(ValueError):
        sinusoidal_encoding(-1, 4)


@settings(max_examples=30, deadline=None)
@given(length=st.integers(2, 40), half=st.integers(1, 16))
def test_similarity_depends_only_on_distance(length: int, half: int) -> None:
    d_model = 2 * half
    sim = encoding_similarity(sinusoidal_encoding(length, d_model))
    assert sim.shape == (length, length)
    torch.testing.assert_close(sim, sim.T, atol=1e-5, rtol=0)
    # Constant along every diagonal (a Toeplitz matrix): PE[i]·PE[j] = Σ cos(ω_k (i − j)).
    torch.testing.assert_close(sim[1:, 1:], sim[:-1, :-1], atol=1e-4, rtol=0)
    omegas = [10000 ** (-2 * k / d_model) for k in range(half)]
    for distance in (0, 1, length - 1):
        expected = sum(math.cos(w * distance) for w in omegas)
        assert sim[0, distance].item() == pytest.approx(expected, abs=1e-4)
    assert torch.allclose(sim.diagonal(), torch.full((length,), float(half)), atol=1e-4)  # sin² + cos² = 1


@pytest.mark.parametrize("length", [0, 1, 2, 3, 10, 64])
@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_shuffle_order_is_a_permutation_that_moves_something(length: int, seed: int) -> None:
    order = shuffle_order(length, seed)
    assert sorted(order.tolist()) == list(range(length))
    if length >= 2:
        assert order.tolist() != list(range(length))
    assert torch.equal(order, shuffle_order(length, seed))  # the seed decides


def test_shuffle_of_two_tokens_always_swaps() -> None:
    assert {tuple(shuffle_order(2, seed).tolist()) for seed in range(20)} == {(1, 0)}


def make_model(d_k: int, heads: int, seed: int) -> MultiHeadAttention:
    return MultiHeadAttention(heads * d_k, heads, bias=True, generator=torch.Generator().manual_seed(seed)).eval()


def shuffled_case(
    length: int, d_k: int, heads: int, seed: int
) -> tuple[MultiHeadAttention, torch.Tensor, torch.Tensor]:
    """The model, the inputs [length, heads·d_k] and the shuffle order that an equivariance check runs on, all
    from one seed."""
    x = torch.randn(length, heads * d_k, generator=torch.Generator().manual_seed(seed))
    return make_model(d_k, heads, seed), x, shuffle_order(length, seed)


@settings(max_examples=30, deadline=None)
@given(length=st.integers(2, 12), d_k=st.integers(1, 8), heads=st.integers(1, 4), seed=st.integers(0, 2**31))
def test_attention_without_positions_is_permutation_equivariant(length: int, d_k: int, heads: int, seed: int) -> None:
    model, x, order = shuffled_case(length, d_k, heads, seed)
    check = check_permutation(model, x, order, add_position=False)
    assert check.position_encoding is None
    assert torch.equal(check.shuffled_inputs, x[order])
    with torch.no_grad():
        direct = model(x[order].unsqueeze(0)).output[0]  # recomputed here, not read from the check
        expected = model(x.unsqueeze(0)).output[0][order]
    torch.testing.assert_close(direct, expected, atol=1e-5, rtol=0)
    assert check.max_output_diff < 1e-5 and check.max_weight_diff < 1e-5


@settings(max_examples=30, deadline=None)
@given(length=st.integers(2, 12), d_k=st.integers(2, 8), heads=st.integers(1, 4), seed=st.integers(0, 2**31))
def test_position_encoding_breaks_equivariance(length: int, d_k: int, heads: int, seed: int) -> None:
    model, x, order = shuffled_case(length, d_k, heads, seed)
    check = check_permutation(model, x, order, add_position=True)
    pe = sinusoidal_encoding(length, heads * d_k)
    torch.testing.assert_close(check.inputs, x + pe)
    torch.testing.assert_close(check.shuffled_inputs, x[order] + pe)  # tokens move, positions do not
    with torch.no_grad():
        direct = model((x[order] + pe).unsqueeze(0)).output[0]
        shuffled_after = model((x + pe).unsqueeze(0)).output[0][order]
    torch.testing.assert_close(check.shuffle_then_attend, direct, atol=1e-6, rtol=0)
    torch.testing.assert_close(check.attend_then_shuffle, shuffled_after, atol=1e-6, rtol=0)
    torch.testing.assert_close(check.difference, direct - shuffled_after, atol=1e-6, rtol=0)
    assert check.max_output_diff == pytest.approx(float((direct - shuffled_after).abs().max()), abs=1e-6)
    assert check.max_output_diff > 1e-3


def test_permutation_check_of_one_token_or_none() -> None:
    model = make_model(4, 2, 0)
    one = check_permutation(model, torch.randn(1, 8), shuffle_order(1, 0), add_position=True)
    assert one.max_output_diff == 0.0
    empty = check_permutation(model, torch.zeros(0, 8), shuffle_order(0, 0), add_position=True)
    assert empty.max_output_diff == 0.0 and empty.max_weight_diff == 0.0


def test_diagonal_spread_is_zero_only_for_constant_diagonals() -> None:
    toeplitz = torch.tensor([[1.0, 2.0, 3.0], [4.0, 1.0, 2.0], [5.0, 4.0, 1.0]])
    assert diagonal_spread(toeplitz) == 0.0
    toeplitz[2, 2] = 1.5
    assert diagonal_spread(toeplitz) == pytest.approx(0.5)
    assert diagonal_spread(torch.zeros(0, 0)) == 0.0


@pytest.mark.parametrize(("d_model", "small"), [(16, True), (64, True), (3, False), (1, False)])
def test_encoding_similarity_spread(d_model: int, small: bool) -> None:
    # Odd d_model: the last column is a sine with no cosine partner, so distance alone no longer decides
    # (sin a · sin b is not a function of a − b).
    spread = diagonal_spread(encoding_similarity(sinusoidal_encoding(32, d_model)))
    assert (spread < 1e-4) == small
    if not small:
        assert spread > 1e-3


def test_shared_extent_is_the_largest_magnitude_or_one() -> None:
    assert shared_extent(torch.tensor([[0.5, -2.0]]), torch.tensor([1.5])) == 2.0
    assert shared_extent(torch.zeros(2, 2), torch.zeros(0)) == 1.0
    assert shared_extent() == 1.0


def test_encoding_pictures_are_the_encoding_its_dot_products_and_their_spread() -> None:
    pictures = encoding_pictures(12, 8)
    assert torch.equal(pictures.encoding, sinusoidal_encoding(12, 8))
    assert torch.equal(pictures.similarity, encoding_similarity(pictures.encoding))
    assert pictures.spread == diagonal_spread(pictures.similarity)
    assert pictures.extent == float(pictures.similarity.abs().max())
