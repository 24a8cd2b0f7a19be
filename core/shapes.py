"""The shape of every stage of one multi-head attention call, read off the tensors it really produced."""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor

from core.multihead import MultiHeadResult

STAGE_NAMES = ("input", "qkv", "weights", "head_outputs", "concat", "output")


@dataclass(frozen=True)
class Stage:
    """One tensor of the flow: ``heads`` matrices of ``rows × cols`` (one matrix unless ``per_head``)."""

    name: str  # one of STAGE_NAMES
    per_head: bool
    heads: int
    rows: int
    cols: int

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.heads, self.rows, self.cols) if self.per_head else (self.rows, self.cols)


def shape_flow(x: Tensor, result: MultiHeadResult) -> tuple[Stage, ...]:
    """X → Q, K, V per head → weights per head → head outputs → concat → output, batch dimension dropped.

    Shapes: x ``[L, d_model]`` or ``[1, L, d_model]``; ``result`` from a batch-1 call on it.
    Q, K and V share one stage: in self-attention all three are ``[H, L, d_k]``.
    """
    length, d_model = x.shape[-2:]
    return (
        Stage("input", False, 1, length, d_model),
        Stage("qkv", True, *result.q.shape[1:]),  # [H, L, d_k]
        Stage("weights", True, *result.attention.weights.shape[1:]),  # [H, L, S]
        Stage("head_outputs", True, *result.attention.output.shape[1:]),  # [H, L, d_k]
        Stage("concat", False, 1, *result.concat.shape[1:]),  # [L, H·d_k]
        Stage("output", False, 1, *result.output.shape[1:]),  # [L, d_model]
    )
