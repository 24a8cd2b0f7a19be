"""Attention masks. All are bool with True = may attend, as in ``F.scaled_dot_product_attention``.

``nn.MultiheadAttention`` uses the opposite convention (True = may NOT attend): pass ``~allowed`` there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import torch
from torch import Tensor

from core.attention import causal_allowed


def causal_mask(seq_len: int) -> Tensor:
    """Shapes: ``[L, L]``. Query i may attend to keys 0..i (no peeking at the future)."""
    return causal_allowed(seq_len, seq_len)


def padding_mask(lengths: Tensor | list[int], seq_len: int) -> Tensor:
    """Shapes: lengths ``[B]`` → ``[B, 1, 1, L]`` (broadcasts over heads and queries).

    Keys at positions ≥ a sequence's length are padding and may not be attended to.
    """
    lengths = torch.as_tensor(lengths, dtype=torch.long)
    if lengths.dim() != 1:
        raise ValueError(f"lengths must be 1-D (one length per sequence), got shape {tuple(lengths.shape)}")
    if (lengths < 0).any() or (lengths > seq_len).any():
        raise ValueError(f"every length must lie in 0..{seq_len}, got {lengths.tolist()}")
    positions = torch.arange(seq_len)
    allowed = positions.unsqueeze(0) < lengths.unsqueeze(1)  # [B, L]
    return allowed[:, None, None, :]  # [B, 1, 1, L]


def sliding_window_mask(seq_len: int, window: int) -> Tensor:
    """Shapes: ``[L, L]``. Query i may attend to keys j with |i − j| ≤ window (local attention)."""
    if window < 0:
        raise ValueError(f"window must be ≥ 0, got {window}")
    positions = torch.arange(seq_len)
    distance = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs()  # [L, L]
    return distance <= window


def block_mask(seq_len: int, block: int) -> Tensor:
    """Shapes: ``[L, L]``. Blockwise (local) attention: the sequence is cut into blocks of ``block`` tokens
    (the last may be shorter) and query i may attend to key j only inside its own block (i // block == j // block).
    """
    if block < 1:
        raise ValueError(f"block must be ≥ 1, got {block}")
    block_of = torch.arange(seq_len) // block  # [L]
    return block_of.unsqueeze(1) == block_of.unsqueeze(0)


def strided_mask(seq_len: int, stride: int) -> Tensor:
    """Shapes: ``[L, L]``. Strided, in both directions: query i may attend to key j when i − j is a multiple
    of ``stride``, i.e. every ``stride``-th token before and after it, itself included. This is not the Sparse
    Transformer's strided head (Child et al. 2019), which is causal (j ≤ i) and paired with a local head; that
    one is ``strided_mask(L, s) & causal_mask(L)`` beside ``sliding_window_mask(L, s) & causal_mask(L)``.
    """
    if stride < 1:
        raise ValueError(f"stride must be ≥ 1, got {stride}")
    positions = torch.arange(seq_len)
    offset = positions.unsqueeze(1) - positions.unsqueeze(0)  # [L, L], i − j
    return offset.remainder(stride) == 0


def global_tokens_mask(seq_len: int, global_positions: Sequence[int]) -> Tensor:
    """Shapes: ``[L, L]``. Global tokens (as in Longformer / BigBird): a global token attends to every key and
    every query attends to it. Nothing else is allowed, so combine with a local pattern by OR, e.g.
    ``sliding_window_mask(L, w) | global_tokens_mask(L, [0])``.
    """
    is_global = torch.zeros(seq_len, dtype=torch.bool)
    for position in global_positions:
        if not 0 <= position < seq_len:
            raise ValueError(f"global positions must lie in 0..{seq_len - 1}, got {position}")
        is_global[position] = True
    return is_global.unsqueeze(1) | is_global.unsqueeze(0)  # [L, L]: global row or global column


@dataclass(frozen=True)
class MaskSummary:
    """How much of a ``[L, S]`` mask is allowed, and which query rows can attend to nothing."""

    allowed: int  # number of (query, key) scores that are kept
    total: int  # L × S
    fully_masked_rows: tuple[int, ...]  # queries with no allowed key at all

    @property
    def share(self) -> float:
        return self.allowed / self.total if self.total else 0.0


def summarize_mask(allowed: Tensor) -> MaskSummary:
    """Shapes: allowed ``[L, S]`` bool."""
    empty_rows = (~allowed.any(dim=-1)).nonzero().flatten().tolist()
    return MaskSummary(allowed=int(allowed.sum()), total=allowed.numel(), fully_masked_rows=tuple(empty_rows))


def row_counts(allowed: Tensor) -> tuple[int, ...]:
    """Shapes: allowed ``[L, S]`` bool → how many keys each query may attend to, one count per row."""
    return tuple(allowed.sum(dim=-1).tolist())


@dataclass(frozen=True)
class ExactZeros:
    """What a mask did to one attention call: −∞ where it hides a score, and exactly nothing left in the weights."""

    not_allowed: int  # scores the mask hides
    neg_inf: int  # −∞ cells in one head's masked scores
    largest_weight: float  # the largest weight any head gives a hidden key (0.0 when nothing is hidden)


def exact_zeros(allowed: Tensor, masked_scores: Tensor, weights: Tensor) -> ExactZeros:
    """Shapes: allowed ``[L, S]`` bool; masked_scores ``[L, S]`` (one head's, −∞ where hidden); weights
    ``[..., L, S]`` (every head)."""
    hidden = weights[..., ~allowed]
    return ExactZeros(
        not_allowed=int((~allowed).sum()),
        neg_inf=int(masked_scores.isneginf().sum()),
        largest_weight=float(hidden.abs().max()) if hidden.numel() else 0.0,
    )


GRID_ROW_SEPARATOR = "."


def mask_to_code(allowed: Tensor) -> str:
    """A square bool mask as text, one row of 1/0 per query: ``"10.11"`` is the causal mask of 2 tokens.
    Short and readable, so a hand-made mask fits in a link."""
    if allowed.dim() != 2 or allowed.size(0) != allowed.size(1):
        raise ValueError(f"expected a square [L, L] mask, got shape {tuple(allowed.shape)}")
    return GRID_ROW_SEPARATOR.join("".join("1" if cell else "0" for cell in row) for row in allowed.tolist())


def mask_from_code(code: str, max_len: int) -> Tensor:
    """The inverse of ``mask_to_code``. Shapes: ``[L, L]`` with L ≤ ``max_len``; raises ValueError on anything else."""
    rows = code.strip().split(GRID_ROW_SEPARATOR)
    size = len(rows)
    if not 1 <= size <= max_len:
        raise ValueError(f"a mask code needs 1 to {max_len} rows, got {size}")
    if any(len(row) != size or set(row) - {"0", "1"} for row in rows):
        raise ValueError(f"a mask code needs {size} rows of {size} digits 0/1")
    return torch.tensor([[cell == "1" for cell in row] for row in rows], dtype=torch.bool)


# ── one spec, one builder ────────────────────────────────────────────────────

# One name per pattern, shared by the pipeline (URL values ``mask=none|causal|padding|sliding``), the Masks page
# (``masks_kind``) and the Cost page. "none" is no mask at all: every key allowed.
MaskKind = Literal["none", "causal", "padding", "sliding", "block", "strided", "global", "custom"]
MASK_KINDS: tuple[MaskKind, ...] = ("none", "causal", "padding", "sliding", "block", "strided", "global", "custom")
CUSTOM_MAX_LEN = 12  # the largest hand-made grid a mask code may hold (a checkbox grid wider no longer fits a page)


@dataclass(frozen=True)
class MaskSpec:
    """Everything that defines a ``[L, L]`` mask except L; each kind reads only its own fields.

    ``window``: sliding and global (the local part), keys with |i − j| ≤ window. ``block``: blocks of this many
    positions. ``stride``: keys j with i − j a multiple of it. ``global_positions``: global's tokens that see and
    are seen by everything. ``real_len``: padding, the number of real tokens (None: all). ``code``: custom, a
    ``mask_to_code`` grid, fitted to L by ``fit_custom`` ("" = causal).
    """

    kind: MaskKind = "causal"
    window: int = 1
    block: int = 1
    stride: int = 1
    global_positions: tuple[int, ...] = ()
    real_len: int | None = None
    code: str = ""


def fit_custom(code: str, seq_len: int, max_len: int = CUSTOM_MAX_LEN) -> Tensor:
    """A hand-made grid (``mask_to_code``) fitted to ``seq_len``: kept where it overlaps, causal elsewhere; an empty
    code is the causal mask. Shapes: ``[L, L]``. Raises ValueError on a code ``mask_from_code`` rejects."""
    causal = causal_mask(seq_len)
    if not code:
        return causal
    grid = mask_from_code(code, max_len)
    keep = min(seq_len, grid.size(0))
    fitted = causal.clone()
    fitted[:keep, :keep] = grid[:keep, :keep]
    return fitted


def _padding(spec: MaskSpec, seq_len: int) -> Tensor:
    length = seq_len if spec.real_len is None else spec.real_len
    return padding_mask([length], seq_len)[0, 0].expand(seq_len, seq_len)  # [L, L]: the same keys for every query


_BUILDERS: dict[str, Callable[[MaskSpec, int], Tensor]] = {
    "none": lambda spec, n: torch.ones(n, n, dtype=torch.bool),
    "causal": lambda spec, n: causal_mask(n),
    "padding": _padding,
    "sliding": lambda spec, n: sliding_window_mask(n, spec.window),
    "block": lambda spec, n: block_mask(n, spec.block),
    "strided": lambda spec, n: strided_mask(n, spec.stride),
    "global": lambda spec, n: sliding_window_mask(n, spec.window) | global_tokens_mask(n, spec.global_positions),
    "custom": lambda spec, n: fit_custom(spec.code, n),
}

# The function of this module that defines each kind's rule (what a page shows as its code).
MASK_FUNCTIONS: dict[str, Callable[..., Tensor]] = {
    "causal": causal_mask,
    "padding": padding_mask,
    "sliding": sliding_window_mask,
    "block": block_mask,
    "strided": strided_mask,
    "global": global_tokens_mask,
}


def build(spec: MaskSpec, seq_len: int) -> Tensor:
    """Shapes: ``[L, L]`` bool, True = may attend: the mask ``spec`` describes, for L = ``seq_len``."""
    if spec.kind not in _BUILDERS:
        raise ValueError(f"unknown mask kind {spec.kind!r}; choose one of {', '.join(MASK_KINDS)}")
    return _BUILDERS[spec.kind](spec, seq_len)


def kind_summaries(spec: MaskSpec, seq_len: int, kinds: Sequence[MaskKind]) -> dict[MaskKind, MaskSummary]:
    """``summarize_mask`` of each of ``kinds`` with the sizes in ``spec``, at L = ``seq_len`` (a custom grid at
    L ≤ ``CUSTOM_MAX_LEN``, as wide as it can be drawn)."""
    return {
        kind: summarize_mask(
            build(replace(spec, kind=kind), min(seq_len, CUSTOM_MAX_LEN) if kind == "custom" else seq_len)
        )
        for kind in kinds
    }


def parse_positions(text: str, seq_len: int) -> tuple[tuple[int, ...], bool]:
    """Positions typed as "0, 7" (any separators, Chinese ones too). Returns (the positions in 0…L − 1, sorted and
    distinct; whether every part was such a position)."""
    parts = [part for part in re.split(r"[\s,，、;；]+", text.strip()) if part]
    positions: set[int] = set()
    usable = True
    for part in parts:
        if part.isascii() and part.isdigit() and int(part) < seq_len:
            positions.add(int(part))
        else:
            usable = False
    return tuple(sorted(positions)), usable
