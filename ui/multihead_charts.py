"""Charts of the multi-head lesson: the shape flow drawn to scale, and every head's weights as small multiples.

Both follow ``ui/charts.py``: the Vega-Lite spec depends only on the chart's shape and texts and is
cached; each rerun attaches its own long-form data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from core.shapes import Stage
from ui.charts import MASKED_COLOUR, WEIGHTS_SCHEME, Figure, finish, to_long_df

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

GRID_WIDTH = 800
GRID_LABEL_SPACE = 90  # y-axis token labels and title, left of the first column
GRID_SPACING = 14
GRID_MAX_CELL = 26


GRID_MAX_PER_ROW = 4


def grid_rows(heads: int) -> list[range]:
    """Heads per row, balanced (6 → 3 + 3, 7 → 4 + 3), at most four per row: no empty slot in the grid."""
    n_rows = -(-heads // GRID_MAX_PER_ROW)
    per_row = -(-heads // n_rows)
    return [range(start, min(start + per_row, heads)) for start in range(0, heads, per_row)]


def grid_columns(heads: int) -> int:
    return len(grid_rows(heads)[0])


def grid_cell(heads: int, cols: int) -> int:
    columns = grid_columns(heads)
    available = GRID_WIDTH - GRID_LABEL_SPACE - (columns - 1) * GRID_SPACING
    return int(max(2, min(GRID_MAX_CELL, available // (columns * max(cols, 1)))))


def heads_grid(
    weights: np.ndarray,
    allowed: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    title: str,
    head_title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
) -> Figure:
    """One weights heatmap per head, with token labels. Shapes: weights/allowed ``[H, L, S]``."""
    heads = weights.shape[0]
    head_names = _head_names(heads, head_title)
    frames = []
    for h in range(heads):
        frame = to_long_df(weights[h], row_labels, col_labels, allowed[h])
        frame.insert(0, "head", pd.Categorical.from_codes(np.full(len(frame), h), categories=head_names))
        frame.insert(1, "head_index", h)
        frames.append(frame)
    cells = pd.concat(frames, ignore_index=True)
    template = _grid_template(
        heads, head_title, tuple(row_labels), tuple(col_labels), title, x_title, y_title, legend_title
    )
    return Figure(template, {"grid": cells})


def _head_names(heads: int, head_title: str) -> list[str]:
    return [f"{head_title} {h}" for h in range(heads)]


def _token_axis(cell: int, **kwargs: object) -> alt.Axis:
    # Every label while a cell is ≥ 10 px (smaller font down to 8 px); below that Vega thins them out.
    return alt.Axis(labelLimit=70, labelOverlap=cell < 10, labelFontSize=max(8, min(12, cell - 5)), **kwargs)


@lru_cache(maxsize=128)
def _grid_template(
    heads: int,
    head_title: str,
    row_order: tuple[str, ...],
    col_order: tuple[str, ...],
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
) -> str:
    head_names = _head_names(heads, head_title)
    cell = grid_cell(heads, len(col_order))
    colour = alt.Color(
        "value:Q",
        scale=alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, 1]),
        title=legend_title,
        legend=alt.Legend(orient="bottom", gradientLength=160),
    )
    cell_chart = (
        alt.Chart(alt.Data(name="grid"))
        .transform_calculate(exact="datum.masked ? '0' : format(datum.value, '.6f')")
        .mark_rect(stroke="white", strokeWidth=0.5 if cell >= 8 else 0)
        .encode(
            x=alt.X("col_label:O", sort=list(col_order), title=x_title, axis=_token_axis(cell, labelAngle=-90)),
            y=alt.Y("row_label:O", sort=list(row_order), title=y_title, axis=_token_axis(cell)),
            color=alt.condition("datum.masked", alt.value(MASKED_COLOUR), colour),
            tooltip=[
                alt.Tooltip("head:N", title=head_title),
                alt.Tooltip("row_label:N", title=y_title),
                alt.Tooltip("col_label:N", title=x_title),
                alt.Tooltip("exact:N", title=legend_title),
            ],
        )
        .properties(width=cell * len(col_order), height=cell * len(row_order))
    )
    # One facet per row of heads, stacked: a wrapped facet would draw axes under the empty slots of its last row.
    rows = [
        cell_chart.transform_filter(f"datum.head_index >= {row.start} && datum.head_index < {row.stop}").facet(
            column=alt.Column(
                "head:N", sort=[head_names[h] for h in row], title=None, header=alt.Header(labelFontSize=13)
            ),
            spacing=GRID_SPACING,
        )
        for row in grid_rows(heads)
    ]
    chart = alt.vconcat(*rows, spacing=GRID_SPACING).properties(title=title)
    return finish(chart)
