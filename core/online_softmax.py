r"""FlashAttention's online softmax: attention for one query row, over the keys block by block.

Milakov & Gimelshein (2018) compute a softmax in one pass by keeping a running maximum m and a running sum ℓ;
FlashAttention (Dao et al. 2022) carries the weighted sum of values along the same way, so the L×L scores never
leave the chip. For each block of keys with scaled scores s:

.. math::
    m_{new} = \max(m_{old}, \max_j s_j), \quad r = e^{m_{old} - m_{new}}, \quad
    \ell \leftarrow r\,\ell + \sum_j e^{s_j - m_{new}}, \quad
    a \leftarrow r\,a + \sum_j e^{s_j - m_{new}}\, v_j

and after the last block the output is a / ℓ, equal to softmax(s)·V. Before the first block m = −∞, ℓ = 0,
a = 0, so its factor r = e^{−∞} = 0 multiplies nothing.

The memory-traffic model below counts elements moved between main memory and the chip (stated on the page):
the naive version writes and reads back the L×L scores S and weights P; the fused version keeps a tile of B
query rows on chip and streams K and V past it once per tile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

from core.attention import scaled_dot_product_attention

# Float32 rounding: the blocks add the same terms in another order. A wrong rescale would be ~0.1.
EQUAL_UP_TO = 1e-5


@dataclass(frozen=True)
class BlockStep:
    """The state after one block of keys ``start … end − 1``. Shapes: weights_so_far ``[S]`` (0 for keys not
    yet seen), accumulator/output ``[d_v]``."""

    start: int
    end: int
    block_max: float  # max of this block's scaled scores
    m_old: float  # −inf before the first block
    m_new: float
    rescale: float  # exp(m_old − m_new): what the earlier ℓ and a are multiplied by
    running_sum: float  # ℓ after this block
    accumulator: Tensor  # a = Σ e^{s_j − m} v_j over the keys seen so far
    output: Tensor  # a / ℓ: attention over the keys seen so far
    weights_so_far: Tensor  # e^{s_j − m} / ℓ over the keys seen so far

    @property
    def raised_max(self) -> bool:
        return self.m_new > self.m_old


@dataclass(frozen=True)
class OnlineSoftmaxRun:
    """Every block's state, the ordinary softmax attention on the same numbers, and their difference.

    Shapes: scaled ``[S]``; output/reference_output ``[d_v]``; reference_weights ``[S]``.
    """

    block: int
    scaled: Tensor
    steps: tuple[BlockStep, ...]
    output: Tensor
    reference_output: Tensor
    reference_weights: Tensor
    max_output_diff: float
    max_weight_diff: float

    @property
    def max_raises(self) -> int:
        """How many blocks raised the running maximum (the first always does)."""
        return sum(step.raised_max for step in self.steps)


def block_bounds(length: int, block: int) -> list[tuple[int, int]]:
    """``[(0, B), (B, 2B), …]`` covering ``length`` keys; the last block may be shorter."""
    if block < 1:
        raise ValueError(f"the block size must be ≥ 1, got {block}")
    return [(start, min(start + block, length)) for start in range(0, length, block)]


def online_softmax_attention(query: Tensor, key: Tensor, value: Tensor, block: int) -> OnlineSoftmaxRun:
    """One query row attending to every key, ``block`` keys at a time, with the scale 1/√d_k.

    Shapes: query ``[d_k]``, key ``[S, d_k]``, value ``[S, d_v]``.
    """
    length = key.size(0)
    if length < 1:
        raise ValueError("need at least one key")
    scale = 1.0 / math.sqrt(query.size(-1))
    scaled = (key @ query) * scale  # [S]
    m_old = torch.tensor(float("-inf"), dtype=scaled.dtype)
    running_sum = torch.zeros((), dtype=scaled.dtype)
    accumulator = torch.zeros(value.size(-1), dtype=value.dtype)  # [d_v]
    steps = []
    for start, end in block_bounds(length, block):
        block_scores = scaled[start:end]
        m_new = torch.maximum(m_old, block_scores.max())
        rescale = torch.exp(m_old - m_new)  # 0 before the first block: exp(−∞)
        exps = torch.exp(block_scores - m_new)  # [end − start]
        running_sum = rescale * running_sum + exps.sum()
        accumulator = rescale * accumulator + exps @ value[start:end]
        seen = torch.exp(scaled[:end] - m_new) / running_sum
        steps.append(
            BlockStep(
                start=start,
                end=end,
                block_max=float(block_scores.max()),
                m_old=float(m_old),
                m_new=float(m_new),
                rescale=float(rescale),
                running_sum=float(running_sum),
                accumulator=accumulator,
                output=accumulator / running_sum,
                weights_so_far=torch.cat([seen, scaled.new_zeros(length - end)]),
            )
        )
        m_old = m_new
    reference = scaled_dot_product_attention(query.unsqueeze(0), key, value)  # ordinary softmax, [1, S]
    output = steps[-1].output
    return OnlineSoftmaxRun(
        block=block,
        scaled=scaled,
        steps=tuple(steps),
        output=output,
        reference_output=reference.output[0],
        reference_weights=reference.weights[0],
        max_output_diff=float((output - reference.output[0]).abs().max()),
        max_weight_diff=float((steps[-1].weights_so_far - reference.weights[0]).abs().max()),
    )


# ── memory traffic, in a stated model ────────────────────────────────────────


@dataclass(frozen=True)
class Traffic:
    """Elements moved between main memory and the chip for one head, and what the fused version keeps on chip."""

    naive_io: int  # Q, K, V read and O written: 4·L·d
    naive_matrix: int  # S written, S read, P written, P read: 4·L²
    fused_io: int  # Q read and O written once: 2·L·d
    fused_kv: int  # K and V read once per query tile: 2·L·d·⌈L/B⌉
    on_chip: int  # Q, K, V, O tiles (4·B·d), the B×B score tile, m and ℓ (2·B)
    tiles: int  # ⌈L/B⌉ query tiles, each reading all of K and V

    @property
    def naive(self) -> int:
        return self.naive_io + self.naive_matrix

    @property
    def fused(self) -> int:
        return self.fused_io + self.fused_kv

    @property
    def ratio(self) -> float:
        """How many times more the naive version moves (below 1: the fused one moves more)."""
        return self.naive / self.fused

    @property
    def matrix_share(self) -> float:
        """The percentage of the naive traffic that is the L × L matrices."""
        return 100 * self.naive_matrix / self.naive


def memory_traffic(seq_len: int, d_k: int, tile: int) -> Traffic:
    """The model of the page: one head, L queries and keys, d_k wide; the fused version uses B×B tiles."""
    tiles = math.ceil(seq_len / tile)
    return Traffic(
        naive_io=4 * seq_len * d_k,
        naive_matrix=4 * seq_len * seq_len,
        fused_io=2 * seq_len * d_k,
        fused_kv=2 * seq_len * d_k * tiles,
        on_chip=4 * tile * d_k + tile * tile + 2 * tile,
        tiles=tiles,
    )


def how_close(difference: float) -> str:
    """The online result's distance from ordinary softmax attention, in words: "exact" (0), "rounding" (float32
    rounding, ≤ EQUAL_UP_TO), "approx" (≤ 1e-2) or "far"."""
    if difference == 0:
        return "exact"
    return "rounding" if difference <= EQUAL_UP_TO else "approx" if difference <= 1e-2 else "far"


@dataclass(frozen=True)
class BlockProgress:
    """What the page's two charts show after ``step`` blocks: one row per block, then ordinary softmax's row.

    Shapes: weights/weights_shown ``[blocks + 1, S]``; outputs/outputs_shown ``[blocks + 1, d_v]``. A cell is
    shown if its block has been processed (the last row always is) and, for weights, that block had read the key.
    """

    weights: Tensor
    weights_shown: Tensor
    outputs: Tensor
    outputs_shown: Tensor


def block_progress(run: OnlineSoftmaxRun, step: int) -> BlockProgress:
    blocks, length = len(run.steps), run.scaled.numel()
    processed = torch.arange(blocks + 1) < step  # [blocks + 1]
    processed[-1] = True
    read = torch.stack([torch.arange(length) < s.end for s in run.steps] + [torch.ones(length, dtype=torch.bool)])
    outputs = torch.stack([s.output for s in run.steps] + [run.reference_output])
    return BlockProgress(
        weights=torch.stack([s.weights_so_far for s in run.steps] + [run.reference_weights]),
        weights_shown=read & processed[:, None],
        outputs=outputs,
        outputs_shown=processed[:, None].expand(outputs.shape).clone(),
    )
