"""How much attention the padding tokens receive: what a sentence shorter than L pays without a padding mask."""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor


@dataclass(frozen=True)
class PadAttention:
    """The weights the sentence's own rows (queries 0 … real−1) give the pad keys (real … L−1)."""

    pads: int
    real: int
    lowest: float  # the smallest weight one pad key gets from one of the sentence's rows
    highest: float  # the largest
    mean_share: float  # the weight on all pads together, averaged over the sentence's rows

    @property
    def ignored(self) -> bool:
        return self.highest == 0.0


def pad_attention(weights: Tensor, real_len: int) -> PadAttention | None:
    """Shapes: ``weights`` ``[L, L]`` (one head); the last ``L − real_len`` tokens are padding.

    None when there is no padding or no real token (then there is no sentence row to speak of)."""
    length = weights.size(-1)
    if real_len <= 0 or real_len >= length:
        return None
    on_pads = weights[:real_len, real_len:]  # [real, pads]
    return PadAttention(
        pads=length - real_len,
        real=real_len,
        lowest=float(on_pads.min()),
        highest=float(on_pads.max()),
        mean_share=float(on_pads.sum(dim=-1).mean()),
    )
