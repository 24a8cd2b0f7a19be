"""Charts of the Inside-the-model page: the layer × head grid of one measure, the map of heads by
Jensen–Shannon distance, and the per-layer cosines of a word's senses.

Same scheme as ``ui/charts/why_scale.py``: each Vega-Lite spec depends only on titles and labels, so it is
built once and cached; each rerun attaches the data."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from ui.charts.figure import Figure, finish
from ui.presenter import chart_scale

SENSE_COLOURS = ("#0072B2", "#E69F00")  # Okabe–Ito blue and orange: colour-blind safe
CELL = 30
MAP_SIZE = 300


def taxonomy_frame(
    measures: np.ndarray, category_names: Sequence[str], measure_names: Sequence[str], columns: Sequence[str]
) -> pd.DataFrame:
    """One row per head: layer, head, category (``columns`` names these three), then each measure under
    ``measure_names``. ``measures [layers, heads, measures]``."""
    layers, heads, _ = measures.shape
    layer_title, head_title, category_title = columns
    table = {
        layer_title: np.repeat(np.arange(layers), heads),
        head_title: np.tile(np.arange(heads), layers),
        category_title: list(category_names),
    }
    return pd.DataFrame(table | {name: measures[:, :, i].ravel() for i, name in enumerate(measure_names)})


def measure_grid(
    values: np.ndarray,
    categories: list[str],
    *,
    title: str,
    layer_title: str,
    head_title: str,
    value_title: str,
    category_title: str,
) -> Figure:
    """``values [layers, heads]`` as coloured cells (the scale starts at 0 and ends at the largest value)."""
    layers, heads = values.shape
    frame = pd.DataFrame(
        {
            "layer": np.repeat(np.arange(layers), heads),
            "head": np.tile(np.arange(heads), layers),
            "value": values.astype(np.float64).ravel(),
            "category": categories,
        }
    )
    return Figure(
        _grid_template(title, layer_title, head_title, value_title, category_title, chart_scale()), {"grid": frame}
    )


@lru_cache(maxsize=64)
def _grid_template(
    title: str, layer_title: str, head_title: str, value_title: str, category_title: str, scale: float
) -> str:
    cell = round(CELL * scale)
    chart = (
        alt.Chart(alt.Data(name="grid"))
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("head:O", title=head_title),
            y=alt.Y("layer:O", title=layer_title),
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme="blues", zero=True),
                title=value_title,
                legend=alt.Legend(orient="bottom", gradientLength=round(160 * scale)),
            ),
            tooltip=[
                alt.Tooltip("layer:O", title=layer_title),
                alt.Tooltip("head:O", title=head_title),
                alt.Tooltip("value:Q", title=value_title, format=".4f"),
                alt.Tooltip("category:N", title=category_title),
            ],
        )
        .properties(width=12 * cell, height=6 * cell, title=title)
    )
    return finish(chart, scale)


def head_map(
    points: np.ndarray, categories: list[str], *, title: str, layer_title: str, head_title: str, category_title: str
) -> Figure:
    """Each head at its ``points [N, 2]`` (layer-major order), coloured by layer, shaped by category."""
    count = points.shape[0]
    heads = count // 6 if count % 6 == 0 else count
    frame = pd.DataFrame(
        {
            "x": points[:, 0].astype(np.float64),
            "y": points[:, 1].astype(np.float64),
            "layer": np.arange(count) // heads,
            "head": np.arange(count) % heads,
            "category": categories,
        }
    )
    return Figure(_map_template(title, layer_title, head_title, category_title, chart_scale()), {"map": frame})


@lru_cache(maxsize=64)
def _map_template(title: str, layer_title: str, head_title: str, category_title: str, scale: float) -> str:
    size = round(MAP_SIZE * scale)
    chart = (
        alt.Chart(alt.Data(name="map"))
        .mark_point(filled=True, size=round(70 * scale), opacity=0.85)
        .encode(
            x=alt.X("x:Q", axis=alt.Axis(labels=False, ticks=False, title=None, grid=False)),
            y=alt.Y("y:Q", axis=alt.Axis(labels=False, ticks=False, title=None, grid=False)),
            color=alt.Color("layer:O", scale=alt.Scale(scheme="viridis"), title=layer_title),
            shape=alt.Shape("category:N", title=category_title),
            tooltip=[
                alt.Tooltip("layer:O", title=layer_title),
                alt.Tooltip("head:O", title=head_title),
                alt.Tooltip("category:N", title=category_title),
            ],
        )
        .properties(width=size, height=size, title=title)
    )
    return finish(chart, scale)


def senses_chart(
    same: np.ndarray,
    different: np.ndarray,
    *,
    labels: tuple[str, str],
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
) -> Figure:
    """Mean cosine per hidden state for same-sense and different-sense pairs."""
    states = np.arange(same.size)
    frame = pd.DataFrame(
        {
            "state": np.concatenate([states, states]),
            "pairs": [labels[0]] * same.size + [labels[1]] * different.size,
            "cosine": np.concatenate([same, different]).astype(np.float64),
        }
    )
    return Figure(_senses_template(labels, title, x_title, y_title, legend_title, chart_scale()), {"senses": frame})


@lru_cache(maxsize=64)
def _senses_template(
    labels: tuple[str, str], title: str, x_title: str, y_title: str, legend_title: str, scale: float
) -> str:
    colour = alt.Color(
        "pairs:N",
        scale=alt.Scale(domain=list(labels), range=list(SENSE_COLOURS)),
        legend=alt.Legend(orient="top", title=None),
    )
    base = alt.Chart(alt.Data(name="senses")).encode(
        x=alt.X("state:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cosine:Q", title=y_title, scale=alt.Scale(zero=False)),
        color=colour,
        tooltip=[
            alt.Tooltip("pairs:N", title=legend_title),
            alt.Tooltip("state:O", title=x_title),
            alt.Tooltip("cosine:Q", title=y_title, format=".4f"),
        ],
    )
    chart = (base.mark_line(strokeWidth=2.5) + base.mark_point(size=60, filled=True)).properties(
        width=round(360 * scale), height=round(200 * scale), title=title
    )
    return finish(chart, scale)
