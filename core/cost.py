"""What attention costs as the sequence length L grows.

* Time is measured: the naive version (which stores the L×L scores and weights) against PyTorch's fused
  ``F.scaled_dot_product_attention``, over doubling lengths, inside a time budget.
* Memory is computed from shapes: element count × bytes per element.
* Masks: how many of the L² scores a mask of ``core.masks`` leaves to compute, in closed form (the
  tests check each formula against the mask itself). A dense implementation still computes all L² scores and only
  then hides the masked ones; only a sparse kernel skips them.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor

from core.masks import MaskSpec, build

# ── time ─────────────────────────────────────────────────────────────────────


def naive_attention(query: Tensor, key: Tensor, value: Tensor) -> Tensor:
    """softmax(Q·Kᵀ/√d_k)·V, the textbook way: the L×S scores and weights exist in memory.

    Shapes: query ``[..., L, d_k]``, key ``[..., S, d_k]``, value ``[..., S, d_v]`` → ``[..., L, d_v]``.
    """
    scores = query @ key.transpose(-2, -1) / math.sqrt(query.size(-1))  # [..., L, S]
    return torch.softmax(scores, dim=-1) @ value


def fused_attention(query: Tensor, key: Tensor, value: Tensor) -> Tensor:
    """PyTorch's fused kernel: the same result, computed tile by tile. Shapes: as ``naive_attention``."""
    return F.scaled_dot_product_attention(query, key, value)


@dataclass(frozen=True)
class TimingPoint:
    seq_len: int
    naive_seconds: float  # median over the repeats
    fused_seconds: float


@dataclass(frozen=True)
class TimingRun:
    """Median times per length. ``points`` covers a prefix of ``requested``: the run stops before a
    length whose predicted cost would overrun ``budget_seconds``."""

    d_k: int
    repeats: int
    requested: tuple[int, ...]
    points: tuple[TimingPoint, ...]
    budget_seconds: float
    elapsed_seconds: float  # the whole run, warm-up calls included
    skipped_prediction: float | None  # predicted cost of the first length left out (None if none was)
    measured_at: float  # wall-clock time.time() at the end, to tell a fresh run from a cached one

    @property
    def stopped_early(self) -> bool:
        return len(self.points) < len(self.requested)


def doubling_lengths(shortest: int, longest: int) -> tuple[int, ...]:
    """shortest, 2·shortest, 4·shortest, … up to longest."""
    if shortest < 1 or longest < shortest:
        raise ValueError(f"need 1 ≤ shortest ≤ longest, got {shortest} and {longest}")
    return tuple(shortest * 2**i for i in range(int(math.log2(longest / shortest)) + 1))


def time_attention(
    lengths: Sequence[int],
    d_k: int,
    *,
    repeats: int = 3,
    budget_seconds: float = 1.5,
    seed: int = 0,
    clock: Callable[[], float] = time.perf_counter,
) -> TimingRun:
    """Time both versions on one head (``[1, 1, L, d_k]`` float32 inputs) for each length, shortest first.

    Each length gets one untimed warm-up call of each version, then ``repeats`` timed calls of each,
    interleaved so both see the same machine load. Before a length, its cost is predicted from the last
    one as growing like L²; if it would not fit in what is left of the budget, the run stops.
    Shapes: lengths increasing.
    """
    if repeats < 1 or d_k < 1 or not lengths:
        raise ValueError(f"need repeats ≥ 1, d_k ≥ 1 and at least one length, got {repeats}, {d_k}, {lengths}")
    if list(lengths) != sorted(set(lengths)) or lengths[0] < 1:
        raise ValueError(f"lengths must be positive and strictly increasing, got {list(lengths)}")
    generator = torch.Generator().manual_seed(seed)
    start = clock()
    points: list[TimingPoint] = []
    last_cost = 0.0
    skipped_prediction = None
    for index, seq_len in enumerate(lengths):
        if index:
            predicted = last_cost * (seq_len / lengths[index - 1]) ** 2
            if clock() - start + predicted > budget_seconds:
                skipped_prediction = predicted
                break
        began = clock()
        query, key, value = (torch.randn(1, 1, seq_len, d_k, generator=generator) for _ in range(3))
        naive_attention(query, key, value)
        fused_attention(query, key, value)
        naive, fused = [], []
        for _ in range(repeats):
            for attention, times in ((naive_attention, naive), (fused_attention, fused)):
                tic = clock()
                attention(query, key, value)
                times.append(clock() - tic)
        points.append(TimingPoint(seq_len, statistics.median(naive), statistics.median(fused)))
        last_cost = clock() - began
    return TimingRun(
        d_k=d_k,
        repeats=repeats,
        requested=tuple(lengths),
        points=tuple(points),
        budget_seconds=budget_seconds,
        elapsed_seconds=clock() - start,
        skipped_prediction=skipped_prediction,
        measured_at=time.time(),
    )


FIT_FROM = 256  # shorter lengths are dominated by call overhead, not by the L² work


@dataclass(frozen=True)
class TimingCurves:
    """A run's medians in milliseconds, the O(L²) guide beside them and the growth fitted over the long lengths."""

    lengths: tuple[int, ...]
    naive_ms: tuple[float, ...]
    fused_ms: tuple[float, ...]
    guide_ms: tuple[float, ...]  # through the naive time at the longest length, falling like (L / L_max)² to the left
    fitted: tuple[int, ...]  # the lengths ≥ fit_from the growth is fitted over
    naive_growth: float | None  # growth_exponent over ``fitted`` (None: fewer than two such lengths)
    fused_growth: float | None

    @property
    def ratio(self) -> tuple[float, ...]:
        """naive / fused, per length."""
        return tuple(n / f for n, f in zip(self.naive_ms, self.fused_ms, strict=True))


def timing_curves(run: TimingRun, fit_from: int = FIT_FROM) -> TimingCurves:
    """What the cost lesson draws of a run. Shapes: every tuple has one entry per measured length."""
    lengths = tuple(p.seq_len for p in run.points)
    naive_ms = tuple(p.naive_seconds * 1e3 for p in run.points)
    fused_ms = tuple(p.fused_seconds * 1e3 for p in run.points)
    guide_ms = tuple(naive_ms[-1] * (n / lengths[-1]) ** 2 for n in lengths) if lengths else ()
    fitted = [i for i, n in enumerate(lengths) if n >= fit_from]

    def growth(times: tuple[float, ...]) -> float | None:
        if len(fitted) < 2:
            return None
        return growth_exponent([lengths[i] for i in fitted], [times[i] for i in fitted])

    return TimingCurves(
        lengths=lengths,
        naive_ms=naive_ms,
        fused_ms=fused_ms,
        guide_ms=guide_ms,
        fitted=tuple(lengths[i] for i in fitted),
        naive_growth=growth(naive_ms),
        fused_growth=growth(fused_ms),
    )


def growth_exponent(lengths: Sequence[int], seconds: Sequence[float]) -> float:
    """The least-squares slope of log(time) against log(L): 2 means the time grows like L²."""
    if len(lengths) != len(seconds) or len(set(lengths)) < 2 or min(seconds) <= 0:
        raise ValueError("need at least two different lengths and a positive time for each")
    xs = [math.log(n) for n in lengths]
    ys = [math.log(t) for t in seconds]
    x_mean, y_mean = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - x_mean) ** 2 for x in xs)
    return sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / spread


# ── memory ───────────────────────────────────────────────────────────────────


def naive_matrix_bytes(seq_len: int, dtype: torch.dtype = torch.float32) -> int:
    """Bytes of the L×L score matrix plus the L×L weight matrix the naive version stores (one head)."""
    return 2 * seq_len * seq_len * torch.tensor([], dtype=dtype).element_size()


def io_bytes(seq_len: int, d_k: int, dtype: torch.dtype = torch.float32) -> int:
    """Bytes of Q, K, V and the output (one head): what any version holds, growing like L·d_k."""
    return 4 * seq_len * d_k * torch.tensor([], dtype=dtype).element_size()


# ── masks ────────────────────────────────────────────────────────────────────

# The kinds of ``core.masks`` (same names) whose scores have a closed-form count; "none" is no mask (all L²).
CostMaskKind = Literal["none", "causal", "sliding", "block", "strided"]
COST_MASK_KINDS: tuple[CostMaskKind, ...] = ("none", "causal", "sliding", "block", "strided")


@dataclass(frozen=True)
class MaskShape:
    """The sizes that define the sparse masks: each uses only its own one."""

    window: int  # sliding: keys with |i − j| ≤ window
    block: int  # block: keys in the same block of this many positions
    stride: int  # strided: keys j with i − j a multiple of stride

    def __post_init__(self) -> None:
        if self.window < 0 or self.block < 1 or self.stride < 1:
            raise ValueError(f"need window ≥ 0, block ≥ 1 and stride ≥ 1, got {self}")

    def spec(self, kind: CostMaskKind) -> MaskSpec:
        """The ``core.masks`` spec of ``kind`` with these sizes."""
        return MaskSpec(kind, window=self.window, block=self.block, stride=self.stride)


# Each kind's rule and how its count grows with L, written as math: the same in every language.
_RULES: dict[CostMaskKind, str] = {
    "causal": "j ≤ i",
    "sliding": "|i − j| ≤ {w}",
    "block": "⌊i / {b}⌋ = ⌊j / {b}⌋",
    "strided": "(i − j) mod {s} = 0",
}
GROWTH: dict[CostMaskKind, str] = {
    "none": "O(L²)",
    "causal": "O(L²)",
    "sliding": "O(L·w)",
    "block": "O(L·b)",
    "strided": "O(L²/s)",
}


def rule(kind: CostMaskKind, shape: MaskShape) -> str | None:
    """Which pairs (i, j) ``kind`` keeps, with the sizes filled in: "|i − j| ≤ 3"; None for "none" (every pair)."""
    text = _RULES.get(kind)
    return None if text is None else text.format(w=shape.window, b=shape.block, s=shape.stride)


def build_cost_mask(kind: CostMaskKind, seq_len: int, shape: MaskShape) -> Tensor:
    """Shapes: ``[L, L]`` bool, True = may attend: ``core.masks.build`` of ``shape.spec(kind)``."""
    if kind in COST_MASK_KINDS:
        return build(shape.spec(kind), seq_len)
    raise ValueError(f"unknown mask kind {kind!r}; choose one of {', '.join(COST_MASK_KINDS)}")


def allowed_count(kind: CostMaskKind, seq_len: int, shape: MaskShape) -> int:
    """How many (query, key) scores the mask keeps, in closed form (no L×L matrix is built)."""
    n = seq_len
    if kind == "none":
        return n * n
    if kind == "causal":
        return n * (n + 1) // 2
    if kind == "sliding":
        reach = min(shape.window, max(n - 1, 0))
        return n + 2 * (reach * n - reach * (reach + 1) // 2)  # the diagonal, then 2·(n − d) pairs at distance d
    if kind == "block":
        full_blocks, rest = divmod(n, shape.block)
        return full_blocks * shape.block**2 + rest**2
    if kind == "strided":
        # Positions fall into `stride` classes by i mod stride, each attending within itself:
        # `rest` classes of whole + 1 positions and the others of `whole`.
        whole, rest = divmod(n, shape.stride)
        return rest * (whole + 1) ** 2 + (shape.stride - rest) * whole**2
    raise ValueError(f"unknown mask kind {kind!r}; choose one of {', '.join(COST_MASK_KINDS)}")


@dataclass(frozen=True)
class ScoreCount:
    kind: CostMaskKind
    seq_len: int
    count: int  # scores a sparse kernel computes
    fraction: float  # count / L²


def score_counts(seq_len: int, shape: MaskShape) -> tuple[ScoreCount, ...]:
    """One count per kind, in ``COST_MASK_KINDS`` order."""
    if seq_len < 1:
        raise ValueError(f"seq_len must be ≥ 1, got {seq_len}")
    counts = [(kind, allowed_count(kind, seq_len, shape)) for kind in COST_MASK_KINDS]
    return tuple(ScoreCount(kind, seq_len, count, count / seq_len**2) for kind, count in counts)


def count_curves(lengths: Sequence[int], shape: MaskShape) -> dict[CostMaskKind, tuple[int, ...]]:
    """``allowed_count`` of every kind (``COST_MASK_KINDS`` order) at each of ``lengths``."""
    return {kind: tuple(allowed_count(kind, n, shape) for n in lengths) for kind in COST_MASK_KINDS}


def keys_before(kind: CostMaskKind, rows: Tensor, columns: Tensor, shape: MaskShape, seq_len: int) -> Tensor:
    """How many keys j < c query i may attend to, for every i in ``rows`` and c in ``columns``, in closed form.

    Shapes: rows ``[R]``, columns ``[C]`` (int64) → ``[R, C]``.
    """
    i, c = rows.unsqueeze(1), columns.unsqueeze(0)  # [R, 1], [1, C]

    def below_c(first: Tensor, end: Tensor) -> Tensor:
        """How many of the keys first … end − 1 lie below c."""
        return (torch.minimum(c, end) - first).clamp(min=0)

    if kind == "none":
        return c.expand(len(rows), -1).clone()
    if kind == "causal":
        return below_c(torch.zeros_like(i), i + 1)
    if kind == "sliding":
        return below_c((i - shape.window).clamp(min=0), i + shape.window + 1)
    if kind == "block":
        first = i // shape.block * shape.block
        return below_c(first, (first + shape.block).clamp(max=seq_len))
    if kind == "strided":
        # Keys j ≡ i (mod stride) below c: residue, residue + stride, … ≤ c − 1.
        residue = i % shape.stride
        return torch.div(c - residue + shape.stride - 1, shape.stride, rounding_mode="floor")
    raise ValueError(f"unknown mask kind {kind!r}; choose one of {', '.join(COST_MASK_KINDS)}")


def tile_fractions(kind: CostMaskKind, seq_len: int, shape: MaskShape, tiles: int) -> Tensor:
    """The share of allowed pairs in each of tiles × tiles equal tiles, to draw a long sequence's mask small.

    Computed from ``keys_before`` (L × tiles numbers), never from the L×L mask.
    Shapes: → ``[tiles, tiles]``; L must be a multiple of ``tiles``.
    """
    if tiles < 1 or seq_len % tiles:
        raise ValueError(f"L = {seq_len} must be a multiple of the tile count {tiles}")
    side = seq_len // tiles
    edges = torch.arange(0, seq_len + 1, side)  # [tiles + 1] column boundaries
    per_row = keys_before(kind, torch.arange(seq_len), edges, shape, seq_len).diff(dim=1)  # [L, tiles]
    per_tile = per_row.reshape(tiles, side, tiles).sum(dim=1)  # [tiles, tiles]
    return per_tile.double() / side**2
