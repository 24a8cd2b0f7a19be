"""The Multi-head page's sentences, built from the measured shapes: what a tutorial's worked example holds."""

from __future__ import annotations

import math

from core.tutorial_examples import TensorSize
from ui.charts.multi_head import format_shape
from ui.i18n import t


def example_sentence(example: str, sizes: tuple[TensorSize, ...]) -> str:
    """The shapes of a run of the "toy" or the "base" example, said in words."""
    shape = {size.name: size.shape for size in sizes}
    if example == "toy":
        batch, heads, seq, d_k = shape["q"]
        q, weights, output = (format_shape(shape[name]) for name in ("q", "weights", "output"))
        return t("mh.example.toy.said", q=q, batch=batch, heads=heads, seq=seq, d_k=d_k, weights=weights, output=output)
    (vocab, d_model), (_, heads, seq, d_k) = shape["table"], shape["q"]
    return t(
        "mh.example.base.said",
        vocab=vocab,
        d_model=d_model,
        seq=seq,
        x=format_shape(shape["x"]),
        heads=heads,
        d_k=d_k,
        q=format_shape(shape["q"]),
        weights=format_shape(shape["weights"]),
        entries=math.prod(shape["weights"]),
        concat=format_shape(shape["concat"]),
    )
