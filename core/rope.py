r"""Rotary position embeddings (RoPE; Su et al. 2021, RoFormer): rotate q and k instead of adding a vector.

.. math:: \theta_i = \text{base}^{-2i/d}, \qquad
          \begin{pmatrix} x'_{2i} \\ x'_{2i+1} \end{pmatrix} =
          \begin{pmatrix} \cos m\theta_i & -\sin m\theta_i \\ \sin m\theta_i & \cos m\theta_i \end{pmatrix}
          \begin{pmatrix} x_{2i} \\ x_{2i+1} \end{pmatrix}

A rotation by mθ of q and by nθ of k leaves their dot product depending on (m − n)θ only, so the score
q_m·k_n depends on the tokens and their distance, never on where the pair stands.

Two layouts of the same idea: the paper rotates neighbouring pairs (2i, 2i+1) ("interleaved"); LLaMA-style
code rotates dimension i with i + d/2 ("rotate half"). They agree after a fixed permutation of dimensions.
With an odd d the last dimension is not rotated (partial rotary, as in GPT-NeoX's ``rotary_pct``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

from core.multihead import MultiHeadAttention
from core.position import diagonal_spread, shared_extent, sinusoidal_encoding

BASE = 10000.0


def rope_frequencies(dim: int, base: float = BASE) -> Tensor:
    """Shapes: ``[dim // 2]``, θ_i = base^(−2i/dim) for i = 0..dim/2 − 1 (float64)."""
    if dim < 1 or base <= 1:
        raise ValueError(f"need dim ≥ 1 and base > 1, got dim={dim}, base={base}")
    return base ** (-torch.arange(0, dim - dim % 2, 2, dtype=torch.float64) / (dim - dim % 2 or 1))


def rope_angles(positions: Tensor, dim: int, base: float = BASE) -> Tensor:
    """Shapes: positions ``[L]`` → ``[L, dim // 2]`` of m·θ_i (float64)."""
    return positions.to(torch.float64).unsqueeze(-1) * rope_frequencies(dim, base)


def rotate_interleaved(x: Tensor, positions: Tensor, base: float = BASE) -> Tensor:
    """The paper's layout: pairs (2i, 2i+1) rotated by m·θ_i. Shapes: x ``[..., L, d]``, positions ``[L]``."""
    dim = x.size(-1)
    pairs = dim // 2
    angles = rope_angles(positions, dim, base)  # [L, d/2]
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    even, odd = x[..., 0 : 2 * pairs : 2], x[..., 1 : 2 * pairs : 2]  # [..., L, d/2] each
    rotated = torch.stack((even * cos - odd * sin, even * sin + odd * cos), dim=-1).flatten(-2)  # [..., L, 2·(d/2)]
    return torch.cat((rotated, x[..., 2 * pairs :]), dim=-1)


def rotate_half(x: Tensor, positions: Tensor, base: float = BASE) -> Tensor:
    """The LLaMA-style layout: dimension i pairs with i + d/2. Shapes: x ``[..., L, d]``, positions ``[L]``.

    x·cos + rotate_half(x)·sin, with rotate_half(x) = (−x₂, x₁) for the halves x₁, x₂ and [θ, θ] repeated."""
    dim = x.size(-1)
    half = dim // 2
    angles = rope_angles(positions, dim, base).repeat(1, 2)  # [L, 2·(d/2)]: θ_0..θ_{h−1}, θ_0..θ_{h−1}
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    rotary, passed = x[..., : 2 * half], x[..., 2 * half :]
    first, second = rotary[..., :half], rotary[..., half:]
    turned = torch.cat((-second, first), dim=-1)
    return torch.cat((rotary * cos + turned * sin, passed), dim=-1)


def interleaved_to_half(dim: int) -> Tensor:
    """Shapes: ``[dim]``. The permutation p with ``rotate_half(x[..., p]) == rotate_interleaved(x)[..., p]``:
    even dimensions first, then odd ones (the last one stays last when dim is odd)."""
    pairs = dim // 2
    evens_then_odds = torch.arange(2 * pairs).view(pairs, 2).T.flatten()  # 0, 2, 4, …, 1, 3, 5, …
    return torch.cat((evens_then_odds, torch.arange(2 * pairs, dim)))


def rope_scores(q: Tensor, k: Tensor, q_positions: Tensor, k_positions: Tensor, base: float = BASE) -> Tensor:
    """Scaled scores of rotated q and k. Shapes: q ``[..., L, d]``, k ``[..., S, d]`` → ``[..., L, S]``."""
    rotated_q = rotate_interleaved(q, q_positions, base)
    rotated_k = rotate_interleaved(k, k_positions, base)
    return rotated_q @ rotated_k.transpose(-2, -1) / q.size(-1) ** 0.5


@dataclass(frozen=True)
class ShiftCheck:
    """A sentence's RoPE scores at positions 0..L−1, with every token moved by ``shift``, and with only the keys
    moved. Shapes: every matrix ``[L, L]``."""

    shift: int
    scores: Tensor  # q at 0..L−1, k at 0..L−1
    both_moved: Tensor  # q and k at shift..shift+L−1
    keys_moved: Tensor  # q at 0..L−1, k at shift..shift+L−1
    max_diff_both: float  # max |both_moved − scores|
    max_diff_keys: float  # max |keys_moved − scores|


def check_shift(q: Tensor, k: Tensor, shift: int, base: float = BASE) -> ShiftCheck:
    """Shapes: q, k ``[L, d]``. Computed in float64 so the two differences are rotation, not rounding."""
    q, k = q.double(), k.double()
    positions = torch.arange(q.size(0))
    scores = rope_scores(q, k, positions, positions, base)
    both = rope_scores(q, k, positions + shift, positions + shift, base)
    keys = rope_scores(q, k, positions, positions + shift, base)
    empty = scores.numel() == 0
    return ShiftCheck(
        shift=shift,
        scores=scores,
        both_moved=both,
        keys_moved=keys,
        max_diff_both=0.0 if empty else float((both - scores).abs().max()),
        max_diff_keys=0.0 if empty else float((keys - scores).abs().max()),
    )


@dataclass(frozen=True)
class PositionGrid:
    """One query token and one key token placed at every pair of positions (m, n), scored two ways.

    Shapes: rotated/added ``[P, P]`` (row m = query position, column n = key position)."""

    rotated: Tensor  # RoPE: rot(q, m) · rot(k, n) / √d
    added: Tensor  # sinusoidal added to the input: (W_q(x_q + PE_m)) · (W_k(x_k + PE_n)) / √d


def position_grid(
    x_query: Tensor, x_key: Tensor, w_q: Tensor, w_k: Tensor, encoding: Tensor, base: float = BASE
) -> PositionGrid:
    """Shapes: x_query, x_key ``[d_model]``; w_q, w_k ``[d, d_model]`` (one head's projection rows);
    encoding ``[P, d_model]`` (the sinusoidal PE of positions 0..P−1)."""
    span = encoding.size(0)
    positions = torch.arange(span)
    q = (x_query @ w_q.T).double().expand(span, -1)  # [P, d]: the same token at every position
    k = (x_key @ w_k.T).double().expand(span, -1)
    rotated = rope_scores(q, k, positions, positions, base)
    q_added = ((x_query + encoding) @ w_q.T).double()  # [P, d]
    k_added = ((x_key + encoding) @ w_k.T).double()
    added = q_added @ k_added.T / w_q.size(0) ** 0.5
    return PositionGrid(rotated=rotated, added=added)


@dataclass(frozen=True)
class AnglePicture:
    """cos(m·θ_i) for positions m = 0 … span − 1 and every pair i, and the slowest pair's turn.

    Shapes: cosines ``[span, d // 2]``."""

    cosines: Tensor
    slowest: float  # θ of the last pair (its angle at position 1); 1 when span is 1

    @property
    def fast_period(self) -> float:
        """Positions pair 0 takes for a full turn: θ₀ = base⁰ = 1 radian per position."""
        return 2 * math.pi

    @property
    def slow_period(self) -> float:
        """Positions the slowest pair takes for a full turn."""
        return 2 * math.pi / self.slowest


def angle_picture(span: int, dim: int, base: float = BASE) -> AnglePicture:
    """Shapes: ``[span, dim // 2]`` (needs dim ≥ 2: one pair at least)."""
    angles = rope_angles(torch.arange(span), dim, base)  # [span, dim/2]
    return AnglePicture(cosines=angles.cos(), slowest=float(angles[1, -1]) if span > 1 else 1.0)


@dataclass(frozen=True)
class HeadGrid:
    """``position_grid`` for one head of a model: the two scores of two tokens at every pair of positions, how far
    each is from depending on the distance alone, and one colour scale for both."""

    grid: PositionGrid
    spreads: dict[str, float]  # "rotated"/"added" → diagonal_spread: 0 when only m − n matters
    extent: float


@torch.no_grad()
def head_grid(
    model: MultiHeadAttention, embeddings: Tensor, head: int, query: int, key: int, span: int, base: float = BASE
) -> HeadGrid:
    """Token ``query`` and token ``key`` of ``embeddings`` placed at positions 0 … span − 1 through head ``head``'s
    rows of W_q and W_k, rotated (RoPE) and with the sinusoidal encoding added. Shapes: embeddings
    ``[L, d_model]``."""
    rows = slice(head * model.d_k, (head + 1) * model.d_k)  # this head's rows of W_q and W_k
    encoding = sinusoidal_encoding(span, embeddings.size(-1))
    grid = position_grid(
        embeddings[query], embeddings[key], model.w_q.weight[rows], model.w_k.weight[rows], encoding, base
    )
    spreads = {"rotated": diagonal_spread(grid.rotated), "added": diagonal_spread(grid.added)}
    return HeadGrid(grid=grid, spreads=spreads, extent=shared_extent(grid.rotated, grid.added))
