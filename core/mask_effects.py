"""What masks do in practice: padding a batch, −∞ versus a large negative fill (float32 and float16), and the
opposite bool conventions of ``F.scaled_dot_product_attention`` and ``nn.MultiheadAttention``.

Every function runs PyTorch's own code where the lesson is about PyTorch, and returns each measured number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from core.masks import padding_mask
from core.multihead import MultiHeadAttention, MultiHeadResult

NEG_INF = float("-inf")
FILL_VALUES: tuple[float, ...] = (NEG_INF, -1e9, -1e4)
FILL_DTYPES: tuple[torch.dtype, ...] = (torch.float32, torch.float16)
RowKind = Literal["nan", "uniform", "zeros", "uneven"]


def max_abs_diff(a: Tensor, b: Tensor) -> float:
    """Largest |a − b| over the entries where both are finite (0.0 if there are none)."""
    both = a.isfinite() & b.isfinite()
    if not both.any():
        return 0.0
    return float((a.double() - b.double()).abs()[both].max())


def nan_rows(weights: Tensor) -> int:
    """Shapes: ``[..., L, S]`` → how many query positions (of L) have a NaN weight, in any head or batch item."""
    bad = weights.isnan().any(dim=-1)  # [..., L]
    return int(bad.reshape(-1, bad.size(-1)).any(dim=0).sum())


# ── padding a batch ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PaddedBatch:
    """Sentences of different lengths padded into one batch, attended with or without the padding mask.

    Shapes: key_mask ``[B, 1, 1, L]``; batch weights ``[B, H, L, L]``; alone[b] ``[len_b, d_model]``.
    """

    lengths: tuple[int, ...]
    padded_len: int
    key_mask: Tensor  # True = a real token (may be attended to)
    mask_applied: bool  # whether the padding mask was applied
    result: MultiHeadResult  # the padded batch
    alone: tuple[Tensor, ...]  # each sentence's output computed on its own, without any padding
    max_diff_real: float  # largest |batch output − alone output| over the real (non-padding) tokens
    max_pad_weight: float  # largest weight a real token gives to a padding key


@torch.no_grad()
def attend_padded_batch(model: MultiHeadAttention, sentences: Sequence[Tensor], *, use_mask: bool) -> PaddedBatch:
    """Shapes: sentences[b] ``[len_b, d_model]`` → a batch ``[B, L, d_model]`` padded with zero vectors (the
    embedding of ``<pad>``) up to the longest length L."""
    if not sentences:
        raise ValueError("need at least one sentence")
    d_model = model.d_model
    lengths = tuple(int(s.size(0)) for s in sentences)
    padded_len = max(max(lengths), 1)
    batch = torch.zeros(len(sentences), padded_len, d_model)  # [B, L, d_model]
    for b, sentence in enumerate(sentences):
        batch[b, : lengths[b]] = sentence
    key_mask = padding_mask(list(lengths), padded_len)  # [B, 1, 1, L]
    result = model(batch, attn_mask=key_mask if use_mask else None)
    alone = tuple(model(s.unsqueeze(0)).output[0] if s.size(0) else torch.zeros(0, d_model) for s in sentences)

    max_diff = 0.0
    max_pad_weight = 0.0
    for b, length in enumerate(lengths):
        if length:
            max_diff = max(max_diff, max_abs_diff(result.output[b, :length], alone[b]))
        if 0 < length < padded_len:
            weights_to_pads = result.attention.weights[b, :, :length, length:]  # [H, real queries, pad keys]
            max_pad_weight = max(max_pad_weight, float(weights_to_pads.max()))
    return PaddedBatch(
        lengths=lengths,
        padded_len=padded_len,
        key_mask=key_mask,
        mask_applied=use_mask,
        result=result,
        alone=alone,
        max_diff_real=max_diff,
        max_pad_weight=max_pad_weight,
    )


# ── −∞ or a large negative number ───────────────────────────────────────────


@dataclass(frozen=True)
class FillOutcome:
    """One fill value in one dtype, applied to the same scores in the two usual ways.

    Shapes: fully_masked_weights ``[S]``.
    """

    fill: float
    dtype: torch.dtype
    stored: float  # the fill as this dtype holds it: −1e9 does not fit in float16 and becomes −∞
    masked_fill_error: str | None  # what ``scores.masked_fill(~allowed, fill)`` raised, if anything
    replace_leak: float  # largest weight sum a query puts on masked keys when the fill replaces their score
    replace_nan_rows: int
    add_leak: float  # the same when the fill is added to the score (a float mask, as PyTorch's attn_mask)
    add_nan_rows: int
    fully_masked_weights: Tensor  # softmax of a row whose every score was replaced by the fill
    fully_masked_kind: RowKind


def _leak(weights: Tensor, allowed: Tensor) -> tuple[float, int]:
    """(largest weight sum on masked keys over rows that have an allowed key and no NaN, rows with NaN)."""
    usable = allowed.any(dim=-1) & ~weights.isnan().any(dim=-1)  # [L]
    on_masked = weights.masked_fill(allowed, 0.0).sum(dim=-1)  # [L]
    leak = float(on_masked[usable].max()) if usable.any() else 0.0
    return leak, nan_rows(weights)


def classify_row(weights: Tensor, atol: float = 1e-6) -> RowKind:
    """Shapes: ``[S]``. NaN anywhere, all zero, all equal to 1/S within ``atol`` (uniform), or anything else."""
    if weights.isnan().any():
        return "nan"
    if not weights.any():
        return "zeros"
    if torch.allclose(weights, torch.full_like(weights, 1.0 / weights.numel()), rtol=0.0, atol=atol):
        return "uniform"
    return "uneven"


def compare_fill(
    scaled: Tensor, allowed: Tensor, fill: float, dtype: torch.dtype, *, score_scale: float = 1.0
) -> FillOutcome:
    """Shapes: scaled ``[L, S]`` (float32 scores), allowed ``[L, S]`` bool (True = may attend).

    The scores are multiplied by ``score_scale`` (to see what large scores do), then cast to ``dtype``, where
    the masking and the softmax run; weights are read back as float32.
    """
    scores = (scaled * score_scale).to(dtype)
    stored = torch.tensor(fill).to(dtype)  # the float32 → dtype cast a mask tensor goes through
    error = None
    try:
        replaced = scores.masked_fill(~allowed, fill)
    except RuntimeError as exc:  # e.g. −1e9 into float16: "value cannot be converted … without overflow"
        error = str(exc).strip()
        replaced = torch.where(allowed, scores, stored)
    float_mask = torch.where(allowed, torch.zeros((), dtype=dtype), stored)  # [L, S], 0 or the fill
    replace_weights = torch.softmax(replaced, dim=-1).float()
    add_weights = torch.softmax(scores + float_mask, dim=-1).float()
    replace_leak, replace_nan = _leak(replace_weights, allowed)
    add_leak, add_nan = _leak(add_weights, allowed)
    fully_masked = torch.softmax(torch.full_like(scores[0], float(stored)), dim=-1).float()  # [S]
    return FillOutcome(
        fill=fill,
        dtype=dtype,
        stored=float(stored),
        masked_fill_error=error,
        replace_leak=replace_leak,
        replace_nan_rows=replace_nan,
        add_leak=add_leak,
        add_nan_rows=add_nan,
        fully_masked_weights=fully_masked,
        fully_masked_kind=classify_row(fully_masked, atol=torch.finfo(dtype).eps),  # 1/S is not exact in float16
    )


@dataclass(frozen=True)
class AddedMinimum:
    """``torch.finfo(float16).min`` used *additively* (a float mask), as some float16 code does."""

    fill: float  # −65504, the most negative finite float16
    scores: tuple[float, ...]  # the scores it was added to
    sums: tuple[float, ...]  # score + fill in float16: past −65504 − 16 it rounds to −∞
    fully_masked_weights: Tensor  # softmax of a row whose every key is masked this way, ``[len(scores)]``


def add_float16_minimum(scores: Sequence[float]) -> AddedMinimum:
    """Shapes: the row ``scores`` → fully_masked_weights ``[len(scores)]``."""
    fill = torch.finfo(torch.float16).min
    row = torch.tensor(list(scores), dtype=torch.float16) + fill  # every key masked additively
    return AddedMinimum(
        fill=float(fill),
        scores=tuple(float(score) for score in scores),
        sums=tuple(float(value) for value in row),
        fully_masked_weights=torch.softmax(row, dim=-1).float(),
    )


def compare_fills(
    scaled: Tensor,
    allowed: Tensor,
    fills: Sequence[float] = FILL_VALUES,
    dtypes: Sequence[torch.dtype] = FILL_DTYPES,
    *,
    score_scale: float = 1.0,
) -> tuple[FillOutcome, ...]:
    """Shapes: scaled ``[L, S]``, allowed ``[L, S]``. One outcome per (fill, dtype), fills outermost."""
    return tuple(
        compare_fill(scaled, allowed, fill, dtype, score_scale=score_scale) for fill in fills for dtype in dtypes
    )


# ── two bool conventions ────────────────────────────────────────────────────


def to_torch_attention(model: MultiHeadAttention) -> nn.MultiheadAttention:
    """An ``nn.MultiheadAttention`` (batch_first) with the same weights as ``model``; the inverse of
    ``MultiHeadAttention.from_torch``."""
    has_bias = model.w_q.bias is not None
    theirs = nn.MultiheadAttention(model.d_model, model.num_heads, bias=has_bias, batch_first=True)
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat([model.w_q.weight, model.w_k.weight, model.w_v.weight]))
        theirs.out_proj.weight.copy_(model.w_o.weight)
        if has_bias:
            theirs.in_proj_bias.copy_(torch.cat([model.w_q.bias, model.w_k.bias, model.w_v.bias]))
            theirs.out_proj.bias.copy_(model.w_o.bias)
    return theirs.eval()


@dataclass(frozen=True)
class ConventionDemo:
    """One mask given to PyTorch's two APIs. Shapes: every weights tensor ``[H, L, S]``; allowed ``[L, S]``."""

    allowed: Tensor  # our convention: True = may attend
    ours: Tensor  # core's weights
    sdpa: Tensor  # F.scaled_dot_product_attention(attn_mask=allowed): True = may attend
    mha_inverted: Tensor  # nn.MultiheadAttention(attn_mask=~allowed): there True = may NOT attend
    mha_same: Tensor  # nn.MultiheadAttention(attn_mask=allowed): the same tensor, read the opposite way
    sdpa_vs_ours: float
    sdpa_vs_mha_inverted: float  # ≈ 0: the right way round
    sdpa_vs_mha_same: float  # large: the same tensor means the opposite pattern
    nan_rows: dict[str, int]  # rows containing NaN, per result name


@torch.no_grad()
def compare_conventions(model: MultiHeadAttention, embeddings: Tensor, allowed: Tensor) -> ConventionDemo:
    """Shapes: embeddings ``[L, d_model]``, allowed ``[L, L]`` bool (True = may attend).

    F.scaled_dot_product_attention returns outputs only; its weights are read out by passing the identity
    matrix as V (weights · I = weights).
    """
    x = embeddings.unsqueeze(0)  # [1, L, d_model]
    ours = model(x, attn_mask=allowed)
    seq_len = x.size(1)
    identity = torch.eye(seq_len).expand(1, model.num_heads, seq_len, seq_len)  # [1, H, S, S]
    sdpa = F.scaled_dot_product_attention(ours.q, ours.k, identity, attn_mask=allowed)[0]  # [H, L, S]
    theirs = to_torch_attention(model)
    _, mha_inverted = theirs(x, x, x, attn_mask=~allowed, average_attn_weights=False)
    _, mha_same = theirs(x, x, x, attn_mask=allowed, average_attn_weights=False)
    mha_inverted, mha_same = mha_inverted[0], mha_same[0]  # [H, L, S]
    ours_weights = ours.attention.weights[0]
    return ConventionDemo(
        allowed=allowed,
        ours=ours_weights,
        sdpa=sdpa,
        mha_inverted=mha_inverted,
        mha_same=mha_same,
        sdpa_vs_ours=max_abs_diff(sdpa, ours_weights),
        sdpa_vs_mha_inverted=max_abs_diff(sdpa, mha_inverted),
        sdpa_vs_mha_same=max_abs_diff(sdpa, mha_same),
        nan_rows={
            "ours": nan_rows(ours_weights),
            "sdpa": nan_rows(sdpa),
            "mha_inverted": nan_rows(mha_inverted),
            "mha_same": nan_rows(mha_same),
        },
    )
