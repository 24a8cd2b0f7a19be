r"""Sliding-window attention (Longformer, Beltagy et al. 2020; Mistral 7B, Jiang et al. 2023) and attention
sinks (StreamingLLM, Xiao et al. 2024).

Window convention used here: a window of W means W keys **including the token itself**, i.e. query i may
attend to key j when 0 ≤ i − j < W (``kv_idx > q_idx − W``, as in Hugging Face's sliding-window causal mask).
Other code counts differently: FlexAttention's documented example allows i − j ≤ W (W + 1 keys), and
FlashAttention's ``window_size=(left, 0)`` allows i − j ≤ left. ``core.masks.sliding_window_mask(L, w)``
(the Masks page) is two-sided, |i − j| ≤ w; intersected with the causal mask it gives this window for w = W − 1.

After ℓ stacked layers, information reaches back ℓ·(W − 1) positions in this convention (ℓ·W when W counts
only the keys before the token): measured here by composing the masks, not assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from core.attention import AttentionResult, scaled_dot_product_attention
from core.masks import causal_mask, sliding_window_mask


def window_mask(seq_len: int, window: int) -> Tensor:
    """Shapes: ``[L, L]`` bool. Query i may attend to key j when 0 ≤ i − j < ``window`` (W keys, itself included)."""
    if window < 1:
        raise ValueError(f"a window must hold at least the token itself, got W = {window}")
    return causal_mask(seq_len) & sliding_window_mask(seq_len, window - 1)


def sink_mask(seq_len: int, window: int, sinks: int) -> Tensor:
    """Shapes: ``[L, L]`` bool. The window plus the first ``sinks`` tokens, which every later query keeps."""
    if sinks < 0:
        raise ValueError(f"the number of sinks must be ≥ 0, got {sinks}")
    kept = torch.zeros(seq_len, seq_len, dtype=torch.bool)
    kept[:, :sinks] = True
    return window_mask(seq_len, window) | (kept & causal_mask(seq_len))


def composed_reach(allowed: Tensor, layers: int) -> Tensor:
    """Shapes: ``[L, L]`` bool → ``[layers, L, L]``: entry [ℓ − 1, i, j] says whether token j's input can reach
    position i after ℓ layers, each attending with ``allowed`` (the boolean matrix power)."""
    step = allowed.to(torch.float64)
    reach = step.clone()
    powers = [reach > 0]
    for _ in range(layers - 1):
        reach = (reach @ step).clamp(max=1.0)  # clamp keeps the counts from growing: only "reachable" matters
        powers.append(reach > 0)
    return torch.stack(powers)


def reach_back(reach: Tensor) -> list[int]:
    """Shapes: ``[layers, L, L]`` → per layer, how many positions back the last query reaches (L − 1 − first j)."""
    last = reach[:, -1, :]  # [layers, L]
    length = last.size(-1)
    return [length - 1 - int(row.nonzero()[0]) for row in last]


@dataclass(frozen=True)
class SinkRun:
    """The same q, k, v attended with window + sinks and with the window alone.

    Shapes: masks and weights ``[L, L]``; sink_share/factor ``[L]``."""

    with_sinks: AttentionResult
    window_only: AttentionResult
    sink_share: Tensor  # per query, the weight its sinks take (0 where a query has no sink outside its window)
    factor: Tensor  # per query, how much every remaining weight grows when the sinks are removed
    sinks: int


def attend_with_and_without_sinks(q: Tensor, k: Tensor, v: Tensor, window: int, sinks: int) -> SinkRun:
    """Shapes: q, k, v ``[L, d_k]``. Removing sinks renormalises the softmax over the window: each remaining
    weight is multiplied by 1 / (1 − sink share) of its row."""
    length = q.size(0)
    with_sinks = scaled_dot_product_attention(q, k, v, attn_mask=sink_mask(length, window, sinks))
    window_only = scaled_dot_product_attention(q, k, v, attn_mask=window_mask(length, window))
    extra = with_sinks.allowed & ~window_only.allowed  # the sink cells that lie outside the window
    share = (with_sinks.weights * extra).sum(-1)  # [L]
    return SinkRun(
        with_sinks=with_sinks,
        window_only=window_only,
        sink_share=share,
        factor=1.0 / (1.0 - share),
        sinks=sinks,
    )


@dataclass(frozen=True)
class ReceptiveField:
    """How far back the last token sees after each of ``layers`` window layers, measured by composing the masks on
    a sequence long enough (``span`` = layers · W + 1) that no convention runs out of tokens.

    Shapes: reach ``[layers, span, span]``; reached ``[layers, span]``."""

    window: int
    layers: int
    span: int
    reach: Tensor
    back: list[int]  # per layer, positions back from the last token
    back_wider: int  # the same after the last layer with W + 1 keys per window (the other convention)
    kept: int  # keys one query keeps: W, itself included

    @property
    def reached(self) -> Tensor:
        """Per layer, which positions the last token has seen (bool)."""
        return self.reach[:, -1, :]

    @property
    def candidates(self) -> tuple[int, ...]:
        """The answers a student may guess for the last layer: ℓ·(W − 1), ℓ·W and W − 1."""
        return (self.layers * (self.window - 1), self.layers * self.window, self.window - 1)


def receptive_field(window: int, layers: int) -> ReceptiveField:
    span = layers * window + 1
    allowed = window_mask(span, window)
    reach = composed_reach(allowed, layers)
    return ReceptiveField(
        window=window,
        layers=layers,
        span=span,
        reach=reach,
        back=reach_back(reach),
        back_wider=reach_back(composed_reach(window_mask(span, window + 1), layers))[-1],
        kept=int(allowed[-1].sum()),
    )


@dataclass(frozen=True)
class SinkEffect:
    """What removing the sinks does, over the queries whose sinks lie outside their window."""

    rows: int
    mean_share: float  # the weight the sinks took, averaged over those rows
    most: float  # the largest such share
    factor: float  # the most any remaining weight grows
    uniform: float  # the share the sinks would take if every allowed key had the same weight: S / (S + W)

    @property
    def more_than_uniform(self) -> bool:
        return self.mean_share > self.uniform


def sink_effect(run: SinkRun, window: int) -> SinkEffect | None:
    """None when no query has a sink outside its window (nothing changes without them)."""
    outside = (run.with_sinks.allowed & ~run.window_only.allowed).any(-1)  # [L]: rows that lose something
    if not bool(outside.any()):
        return None
    shares = run.sink_share[outside]
    return SinkEffect(
        rows=int(outside.sum()),
        mean_share=float(shares.mean()),
        most=float(shares.max()),
        factor=float(run.factor[outside].max()),
        uniform=run.sinks / (run.sinks + window),
    )
