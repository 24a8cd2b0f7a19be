"""Charts of the multi-head lesson: the shape flow drawn to scale, and every head's weights as small
multiples (``heads_grid``, which lives in ui/charts.py beside the other heatmaps and is re-exported here).

Both follow ``ui/charts.py``: the Vega-Lite spec depends only on the chart's shape and texts and is
cached; each rerun attaches its own long-form data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from core.head_diversity import HeadDiversity
from core.shapes import Stage
from ui.charts.heatmaps import (  # noqa: F401  (the grid's names, re-exported for the lesson)
    GRID_WIDTH,
    Figure,
    finish,
    grid_cell,
    grid_columns,
    grid_rows,
    heads_grid,
)

# Okabe–Ito: eight colours told apart with every common colour-vision deficiency (yellow dropped, black → grey).
HEAD_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933", "#882255")
WHOLE_COLOUR = "#6b6b6b"  # tensors that belong to no single head
# Each stage's shape in symbols, shown under its name (math, so not translated).
SYMBOLS = {
    "input": "[L, d_model]",
    "qkv": "[H, L, d_k]",
    "weights": "[H, L, L]",
    "head_outputs": "[H, L, d_k]",
    "concat": "[L, H·d_k]",
    "output": "[L, d_model]",
}

FLOW_WIDTH = 800  # fits the 820 px content column at 1280×720 with the sidebar open
FLOW_NAME_WIDTH = 270  # stage names on the left
FLOW_BOX_AREA = 400  # pixels for the widest stage
FLOW_SHAPE_GAP = 20  # from the right edge of the widest stage to the shapes column
FLOW_MAX_BOX_HEIGHT = 44
FLOW_ROW_GAP = 26
FLOW_HEAD_GAP = 6  # pixels between two heads' boxes
FLOW_MIN_SIDE = 2.0  # a box never gets thinner than this, so d_k = 1 stays visible


def top_keys_frame(
    diversity: HeadDiversity, labels: Sequence[str], head_names: Sequence[str], query_title: str
) -> pd.DataFrame:
    """The key each head weights most for each query, with its weight ("3 cat (0.41)"); "—" for a query that can
    attend to nothing. One column per head, the queries as the index."""
    top_keys, top_weights = diversity.top_keys.numpy(), diversity.top_weights.numpy()
    live = diversity.live_rows.tolist()
    columns = {
        name: [f"{labels[top_keys[h, i]]} ({top_weights[h, i]:.2f})" if live[i] else "—" for i in range(len(labels))]
        for h, name in enumerate(head_names)
    }
    return pd.DataFrame(columns, index=pd.Index(labels, name=query_title))


def format_shape(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(n) for n in shape) + "]"


def flow_unit(stages: Sequence[Stage]) -> float:
    """Pixels per matrix entry, the same for width and height, so the widest stage fits the box area and
    no row is taller than ``FLOW_MAX_BOX_HEIGHT``."""
    fits = []
    for stage in stages:
        count = stage.heads if stage.per_head else 1
        fits.append((FLOW_BOX_AREA - (count - 1) * FLOW_HEAD_GAP) / (count * stage.cols))
        fits.append(FLOW_MAX_BOX_HEIGHT / stage.rows)
    return min(fits)


def flow_layout(stages: Sequence[Stage], names: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Boxes (pixel rectangles, one per matrix or concat segment) and text rows; returns (boxes, texts, height)."""
    unit = flow_unit(stages)
    boxes: list[dict] = []
    texts: list[dict] = []
    shapes: list[dict] = []
    top = 0.0
    for stage in stages:
        height = max(stage.rows * unit, FLOW_MIN_SIDE)
        width = max(stage.cols * unit, FLOW_MIN_SIDE)
        shape = format_shape(stage.shape)
        if stage.per_head:
            pieces = [(h, FLOW_NAME_WIDTH + h * (width + FLOW_HEAD_GAP), width) for h in range(stage.heads)]
        elif stage.name == "concat":
            # The concat is the heads' outputs side by side: one coloured segment per head, no gap.
            heads = next(s.heads for s in stages if s.per_head)
            segment = width / heads
            pieces = [(h, FLOW_NAME_WIDTH + h * segment, segment) for h in range(heads)]
        else:
            pieces = [(-1, FLOW_NAME_WIDTH, width)]
        for head, left, piece_width in pieces:
            boxes.append(
                {
                    "x": left,
                    "x2": left + piece_width,
                    "y": top,
                    "y2": top + height,
                    "head": head,
                    "stage": names[stage.name],
                    "shape": shape,
                }
            )
        middle = top + height / 2
        texts += [
            {"x": 0.0, "y": middle - 8, "text": names[stage.name], "kind": "name"},
            {"x": 0.0, "y": middle + 9, "text": SYMBOLS[stage.name], "kind": "symbol"},
        ]
        shapes.append({"y": middle, "text": shape, "kind": "shape"})
        top += max(height, 34) + FLOW_ROW_GAP
    # The numeric shapes line up in one column just right of the widest stage.
    shape_x = max(box["x2"] for box in boxes) + FLOW_SHAPE_GAP
    texts += [{"x": shape_x, **row} for row in shapes]
    height = int(np.ceil(top - FLOW_ROW_GAP))
    return pd.DataFrame(boxes), pd.DataFrame(texts), height


def shape_flow(
    stages: Sequence[Stage], names: Mapping[str, str], *, title: str, head_title: str, shape_title: str
) -> Figure:
    """Every stage as boxes drawn to scale (width = columns, height = rows), a colour per head.

    ``names`` maps each stage name to its translated label."""
    boxes, texts, height = flow_layout(stages, names)
    return Figure(_flow_template(title, head_title, shape_title, height), {"boxes": boxes, "texts": texts})


@lru_cache(maxsize=64)
def _flow_template(title: str, head_title: str, shape_title: str, height: int) -> str:
    pixels = {"scale": None, "axis": None}
    head_colour = alt.Color(
        "head:N", scale=alt.Scale(domain=list(range(len(HEAD_COLOURS))), range=list(HEAD_COLOURS)), legend=None
    )
    rects = (
        alt.Chart(alt.Data(name="boxes"))
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("x:Q", **pixels),
            x2="x2:Q",
            y=alt.Y("y:Q", **pixels),
            y2="y2:Q",
            color=alt.condition("datum.head < 0", alt.value(WHOLE_COLOUR), head_colour),
            tooltip=[
                alt.Tooltip("stage:N", title=title),
                alt.Tooltip("shape:N", title=shape_title),
                alt.Tooltip("head:Q", title=head_title),
            ],
        )
    )
    base_text = alt.Chart(alt.Data(name="texts")).encode(
        x=alt.X("x:Q", **pixels), y=alt.Y("y:Q", **pixels), text="text:N"
    )
    layers = [
        base_text.transform_filter("datum.kind == 'name'").mark_text(align="left", baseline="middle", fontSize=13),
        base_text.transform_filter("datum.kind == 'symbol'").mark_text(
            align="left", baseline="middle", fontSize=12, font="monospace", color="#555555"
        ),
        base_text.transform_filter("datum.kind == 'shape'").mark_text(
            align="left", baseline="middle", fontSize=14, font="monospace", fontWeight="bold"
        ),
    ]
    chart = alt.layer(rects, *layers).properties(width=FLOW_WIDTH, height=height, title=title)
    return finish(chart)


# ── every head's weights ─────────────────────────────────────────────────────
# The grid itself is ui.charts.heads_grid (the canvas, and its Vega-Lite export); its layout rules are here
# under the lesson's name too.
