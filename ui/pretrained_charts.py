"""Charts of a pretrained model's attention: every head at once, and one query token across every head.

Both specs depend only on the model's shape (layers × heads) and fixed pixel sizes, never on the
sentence's length, so a new sentence swaps the data in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from ui.charts import WEIGHTS_SCHEME, Figure, finish

HEAD_PARAM = "head_pick"  # the grid's click selection: which (layer, head) to show large
DIMMED = 0.45  # opacity of the heads not shown large, so the chosen one stands out
GRID_CELL = 54  # pixels per head in the layer × head grid: 12 heads fit beside the sidebar at 1280 pixels
ROW_HEIGHT = 11  # pixels per head in the token-across-heads chart
TOKEN_CHART_WIDTH = 640


def _weights_colour(legend: bool, title: str = "") -> alt.Color:
    return alt.Color(
        "value:Q",
        scale=alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, 1]),
        title=title,
        legend=alt.Legend(orient="bottom", gradientLength=160) if legend else None,
    )


def head_grid(
    attentions: np.ndarray, chosen: tuple[int, int], *, layer_title: str, head_title: str, value_title: str
) -> Figure:
    """Every head's weights as a small heatmap, layers down and heads across; a click picks a head, and the
    ``chosen`` (layer, head) is drawn at full strength, the others dimmed. ``attentions [layers, heads, L, L]``."""
    layers, heads, rows, cols = attentions.shape
    layer_index = np.repeat(np.arange(layers), heads * rows * cols)
    head_index = np.tile(np.repeat(np.arange(heads), rows * cols), layers)
    frame = pd.DataFrame(
        {
            "layer": layer_index,
            "head": head_index,
            "row": np.tile(np.repeat(np.arange(rows), cols), layers * heads),
            "col": np.tile(np.arange(cols), layers * heads * rows),
            "value": attentions.astype(np.float64).ravel(),
            "focus": np.where((layer_index == chosen[0]) & (head_index == chosen[1]), 1.0, DIMMED),
        }
    )
    return Figure(_grid_template(layer_title, head_title, value_title), {"grid": frame})


def picked_head(state: Mapping | None, layers: int, heads: int) -> tuple[int, int] | None:
    """The (layer, head) a click on the grid selected, or None (no click, or a value out of range)."""
    points = ((state or {}).get("selection") or {}).get(HEAD_PARAM) or []
    if not points:
        return None
    layer, head = points[0].get("layer"), points[0].get("head")
    if not (isinstance(layer, int | float) and isinstance(head, int | float)):
        return None
    layer, head = int(layer), int(head)
    return (layer, head) if 0 <= layer < layers and 0 <= head < heads else None


@lru_cache(maxsize=32)
def _grid_template(layer_title: str, head_title: str, value_title: str) -> str:
    chart = (
        alt.Chart(alt.Data(name="grid"))
        .mark_rect(cursor="pointer")
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=_weights_colour(legend=False),
            opacity=alt.Opacity("focus:Q", scale=None, legend=None),
            tooltip=[
                alt.Tooltip("layer:O", title=layer_title),
                alt.Tooltip("head:O", title=head_title),
                alt.Tooltip("row:O"),
                alt.Tooltip("col:O"),
                alt.Tooltip("value:Q", format=".4f", title=value_title),
            ],
        )
        .properties(width=GRID_CELL, height=GRID_CELL)
        .add_params(alt.selection_point(name=HEAD_PARAM, fields=["layer", "head"], on="click", toggle=False))
        .facet(
            row=alt.Row("layer:O", title=layer_title, header=alt.Header(labelFontSize=14, titleFontSize=14)),
            column=alt.Column("head:O", title=head_title, header=alt.Header(labelFontSize=14, titleFontSize=14)),
            spacing=4,
        )
    )
    return finish(chart)


def token_across_heads(
    weights: np.ndarray,
    key_labels: list[str],
    *,
    title: str,
    layer_title: str,
    head_title: str,
    key_title: str,
    value_title: str,
) -> Figure:
    """One query token's weights in every head: a panel per layer, heads down, keys across.
    ``weights [layers, heads, L]``."""
    layers, heads, cols = weights.shape
    frame = pd.DataFrame(
        {
            "layer": np.repeat(np.arange(layers), heads * cols),
            "head": np.tile(np.repeat(np.arange(heads), cols), layers),
            "col": np.tile(np.arange(cols), layers * heads),
            "key": pd.Categorical.from_codes(np.tile(np.arange(cols), layers * heads), categories=_unique(key_labels)),
            "value": weights.astype(np.float64).ravel(),
        }
    )
    return Figure(_token_template(title, layer_title, head_title, key_title, value_title), {"token": frame})


def _unique(labels: list[str]) -> list[str]:
    """Categories must differ; the pages' position labels ("3 · the") already do, this is a guard."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


@lru_cache(maxsize=32)
def _token_template(title: str, layer_title: str, head_title: str, key_title: str, value_title: str) -> str:
    chart = (
        alt.Chart(alt.Data(name="token"))
        .mark_rect(stroke="white", strokeWidth=0.3)
        .encode(
            x=alt.X(
                "key:O",
                sort=alt.EncodingSortField("col", op="min"),
                title=key_title,
                axis=alt.Axis(labelAngle=-90, labelLimit=80, labelFontSize=11, labelOverlap=True),
            ),
            y=alt.Y("head:O", title=head_title, axis=alt.Axis(labelFontSize=9, titleFontSize=11)),
            color=_weights_colour(legend=True, title=value_title),
            tooltip=[
                alt.Tooltip("layer:O", title=layer_title),
                alt.Tooltip("head:O", title=head_title),
                alt.Tooltip("key:N", title=key_title),
                alt.Tooltip("value:Q", format=".4f", title=value_title),
            ],
        )
        .properties(width=TOKEN_CHART_WIDTH, height=ROW_HEIGHT * 12)
        .facet(
            row=alt.Row("layer:O", title=layer_title, header=alt.Header(labelFontSize=13, titleFontSize=13)),
            spacing=6,
            title=title,
        )
    )
    return finish(chart)
