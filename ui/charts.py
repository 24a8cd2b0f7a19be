"""Matrices → long-form pandas frames → Altair heatmaps.

Colour rules: signed matrices (scores, outputs) use a diverging blue–orange scale centred on 0;
weights use a sequential blue scale fixed to [0, 1]. Both are colour-blind-safe. Masked cells are
grey, so they never look like a small value. Every number in a dataset is finite: a masked score
(−∞) is stored as 0 with ``masked = True`` and drawn as “−∞”.

Speed: a chart's Vega-Lite spec depends only on its shape (labels, sizes, titles), so it is built
with Altair once per shape and cached; each rerun attaches fresh data and a few values (the colour
extent) as Vega-Lite params. Building and validating Altair charts on every rerun cost ~60 ms.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from ui.export import export_menu
from ui.presenter import chart_scale

MASKED_COLOUR = "#c8c8c8"
# The Σ column's background: its black sums then read on the dark theme's background too.
SUMS_COLOUR = "#eeeeee"
SIGNED_SCHEME = "blueorange"
WEIGHTS_SCHEME = "blues"
MAX_LABEL_CHARS = 12
FONT_SIZE = 13
ROW_SUM_LABEL = "Σ"
OVERVIEW_SIZE = 110  # pixels per head in the all-heads overview
MIN_CELL_FOR_TEXT = 18  # pixels; below this, values are only in the tooltip

MatrixKind = Literal["signed", "weights"]
AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart


@dataclass(frozen=True)
class Figure:
    """A cached Vega-Lite spec (built with Altair, without data) plus this rerun's data and params."""

    template: str  # JSON of the spec; shared between reruns and sessions, so kept immutable
    datasets: dict[str, pd.DataFrame]
    params: dict[str, float] = field(default_factory=dict)

    def spec(self) -> dict:
        spec = json.loads(self.template)
        if self.params:
            # Keep the template's own params (e.g. a click selection); set the per-rerun values.
            kept = [param for param in spec.get("params", []) if param.get("name") not in self.params]
            spec["params"] = kept + [{"name": name, "value": value} for name, value in self.params.items()]
        spec["datasets"] = dict(self.datasets)
        return spec


def show(container, figure: Figure, key: str) -> None:
    """Draw ``figure`` in a Streamlit container (``st``, a column, the sidebar), with an export menu under it."""
    container.vega_lite_chart(figure.spec(), width="content", key=key)
    export_menu(container, figure, key)


def finish(chart: AnyChart, text_scale: float = 1.0) -> str:
    """The spec as JSON, drawn at its own size (Streamlit would squeeze layers to fit), projector-sized text
    (``text_scale`` times larger in presenter mode)."""
    axis, title, legend = round(12 * text_scale), round(14 * text_scale), round(11 * text_scale)
    finished = (
        chart.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))
        .configure_axis(labelFontSize=axis, titleFontSize=axis, titleFontWeight="normal")
        .configure_title(fontSize=title, anchor="start")
        .configure_legend(labelFontSize=legend, titleFontSize=legend)
        .configure_view(strokeWidth=0)
    )
    spec = finished.to_dict(validate=False)
    # Canvas, not SVG: a heatmap redraw then creates no DOM nodes (SVG made ~8,600 DOM changes per
    # slider step at the defaults and ~135,000 at L = 64, most of the slider-to-repaint time).
    spec["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    return json.dumps(spec, ensure_ascii=False)


def short_label(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"


def position_labels(tokens: Sequence[str]) -> list[str]:
    """``["0 The", "1 cat", …]``: the position keeps repeated tokens apart and matches row numbers."""
    return [f"{i} {short_label(token)}" for i, token in enumerate(tokens)]


def to_long_df(
    matrix: np.ndarray,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    allowed: np.ndarray | None = None,
) -> pd.DataFrame:
    """A ``[rows, cols]`` matrix as one row per cell: row, col, row_label, col_label, value, masked."""
    rows, cols = matrix.shape
    masked = np.zeros((rows, cols), dtype=bool) if allowed is None else ~allowed.astype(bool)
    values = np.where(masked | ~np.isfinite(matrix), 0.0, matrix)
    row_index, col_index = np.repeat(np.arange(rows), cols), np.tile(np.arange(cols), rows)
    return pd.DataFrame(
        {
            "row": row_index,
            "col": col_index,
            "row_label": _labels(row_labels, row_index),
            "col_label": _labels(col_labels, col_index),
            "value": values.astype(np.float64).ravel(),
            "masked": masked.ravel(),
        }
    )


def _labels(labels: Sequence[str], index: np.ndarray) -> pd.Categorical | np.ndarray:
    # Categorical labels travel as Arrow dictionaries: each string is sent once, not once per cell.
    if len(set(labels)) == len(labels):
        return pd.Categorical.from_codes(index, categories=list(labels))
    return np.asarray(labels, dtype=object)[index]


def cell_size(size: int, cells: int) -> int:
    """Pixels per cell so ``cells`` cells fit in ``size`` pixels (1 to 48)."""
    return max(1, min(48, size // max(cells, 1)))


def _extent(df: pd.DataFrame) -> float:
    extent = float(df["value"].abs().max()) if len(df) else 1.0
    return extent if extent > 0 else 1.0


def heatmap(
    df: pd.DataFrame,
    *,
    kind: MatrixKind,
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    masked_text: str = "−∞",
    show_values: bool = True,
    row_sums: np.ndarray | None = None,
    size: int = 360,
) -> Figure:
    """A heatmap of a long-form matrix: cells coloured by value, masked cells grey on top, the values
    printed in the cells when they fit, and, given ``row_sums``, an extra "Σ" column.

    Two rules keep slider steps fast in the browser. The spec never depends on the matrix's size or
    values, so when only numbers change Streamlit swaps the data in place instead of rebuilding the
    chart. And no expression runs per cell (Streamlit's Vega uses a slow CSP-safe expression
    interpreter): texts, their colours and sizes are computed here, only for cells that show them.

    In presenter mode the chart and its text are ``chart_scale()`` times larger.
    """
    scale = chart_scale()
    size = round(size * scale)
    n_rows = int(df["row"].max()) + 1 if len(df) else 1
    n_cols = int(df["col"].max()) + 1 if len(df) else 1
    fits = cell_size(size, max(n_cols + (row_sums is not None), n_rows)) >= MIN_CELL_FOR_TEXT
    cell = min(cell_size(size, n_cols), cell_size(size, n_rows))
    font = max(9, min(round(FONT_SIZE * scale), cell // 2 - 2))
    masked = df["masked"].to_numpy()
    positions = ["row", "col", "row_label", "col_label"]
    datasets = {
        "cells": df,
        "masked": df.loc[masked, positions].assign(exact=masked_text),
        "texts": _cell_texts(df, kind, masked_text, cell) if show_values and fits else _EMPTY_TEXTS,
    }
    if kind != "weights":  # only signed charts have the extent layer; Vega rejects data it has no source for
        datasets["extent"] = pd.DataFrame({"extent": [float(np.abs(df["value"]).max()) if len(df) else 1.0]})
    if row_sums is not None:
        rows = df.drop_duplicates("row")[["row", "row_label"]]
        sums = row_sums.astype(np.float64)[rows["row"].to_numpy()]
        # Exact sums travel with the chart even when the Σ column is too narrow to print them (show = False).
        datasets["sums"] = rows.assign(
            col=n_cols, col_label=ROW_SUM_LABEL, sum=sums, text=[f"{v:.2f}" for v in sums], ink="black", show=fits
        )
    for name in ("texts", "sums") if row_sums is not None else ("texts",):
        datasets[name] = datasets[name].assign(font=font)
    template = _heatmap_template(kind, title, x_title, y_title, legend_title, size, row_sums is not None, scale)
    return Figure(template, datasets)


_EMPTY_TEXTS = pd.DataFrame(
    {
        "row": pd.Series(dtype="int64"),
        "col": pd.Series(dtype="int64"),
        "row_label": pd.Series(dtype=str),
        "col_label": pd.Series(dtype=str),
        "text": pd.Series(dtype=str),
        "ink": pd.Series(dtype=str),
    }
)


def _cell_texts(df: pd.DataFrame, kind: MatrixKind, masked_text: str, cell: int) -> pd.DataFrame:
    """The printed value of each cell and an ink colour that stays readable on its fill."""
    values, masked = df["value"].to_numpy(), df["masked"].to_numpy()
    # Small cells get one decimal for signed values so the number still fits inside the cell.
    decimals = 2 if kind == "weights" or cell >= 30 else 1
    # Rounding first turns −0.04 into 0.0 rather than "-0.0"; a real minus sign as in the axes.
    rounded = np.round(values, decimals) + 0.0
    text = [masked_text if m else f"{v:.{decimals}f}".replace("-", "−") for v, m in zip(rounded, masked, strict=True)]
    extent = np.abs(values).max() if len(values) else 1.0
    dark_fill = values > 0.5 if kind == "weights" else np.abs(values) > 0.6 * extent
    ink = np.where(dark_fill & ~masked, "white", "black")
    return df[["row", "col", "row_label", "col_label"]].assign(text=text, ink=ink)


def _token_axis(band: str, text_scale: float, **kwargs: object) -> alt.Axis:
    # Label font follows the cell size so every token keeps its label while cells are ≥ ~11 px;
    # below that, Vega thins overlapping labels. Evaluated once per label, not per cell. Streamlit's theme
    # sets labelFlush, which moves the end labels off their rows onto their neighbours; with presenter-size
    # type Vega then dropped every other label.
    font = alt.ExprRef(f"clamp(bandwidth('{band}') * 0.7, 8, {round(12 * text_scale)})")
    return alt.Axis(
        labelLimit=round(80 * text_scale), labelOverlap=True, labelFlush=False, labelFontSize=font, **kwargs
    )


@lru_cache(maxsize=256)
def _heatmap_template(
    kind: MatrixKind,
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    size: int,
    with_row_sums: bool,
    text_scale: float,
) -> str:
    x_axis = _token_axis("x", text_scale, labelAngle=-90)
    x = alt.X("col_label:O", sort=alt.EncodingSortField("col", op="min"), title=x_title, axis=x_axis)
    y = alt.Y("row_label:O", sort=alt.EncodingSortField("row", op="min"), title=None, axis=_token_axis("y", text_scale))
    tooltip_position = [alt.Tooltip("row_label:N", title=y_title), alt.Tooltip("col_label:N", title=x_title)]
    if kind == "weights":
        scale = alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, 1])
    else:
        # Symmetric around 0, so equal magnitudes get equal colour strength; the extent comes with the data.
        scale = alt.Scale(
            scheme=SIGNED_SCHEME, domain=alt.ExprRef("[-signed_extent[1], signed_extent[1]]"), domainMid=0
        )
    cells = (
        alt.Chart(alt.Data(name="cells"))
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "value:Q",
                scale=scale,
                title=legend_title,
                legend=alt.Legend(orient="bottom", gradientLength=round(160 * text_scale)),
            ),
            tooltip=[*tooltip_position, alt.Tooltip("value:Q", format=".6f", title=legend_title)],
        )
        .properties(width=size, height=size, title=title)
    )
    masked = (
        alt.Chart(alt.Data(name="masked"))
        .mark_rect(color=MASKED_COLOUR, stroke="white", strokeWidth=0.5)
        .encode(x=x, y=y, tooltip=[*tooltip_position, alt.Tooltip("exact:N", title=legend_title)])
    )
    text_encoding = dict(
        x=x,
        y=y,
        text="text:N",
        # An explicit two-colour scale: Streamlit's theming breaks on `scale: null` for colour.
        color=alt.Color("ink:N", scale=alt.Scale(domain=["black", "white"], range=["black", "white"]), legend=None),
        size=alt.Size("font:Q", scale=None),
    )
    texts = [alt.Chart(alt.Data(name="texts")).mark_text().encode(**text_encoding)]
    sum_cells = []
    if with_row_sums:
        # One row per query: these filters run L times, not once per cell.
        sum_tooltip = [alt.Tooltip("row_label:N", title=y_title), alt.Tooltip("sum:Q", format=".6f", title="Σ")]
        sums = alt.Chart(alt.Data(name="sums")).transform_filter("datum.show")
        sum_cells.append(sums.mark_rect(color=SUMS_COLOUR, stroke="white", strokeWidth=0.5).encode(x=x, y=y))
        texts.append(sums.mark_text(fontWeight="bold").encode(**text_encoding, tooltip=sum_tooltip))
    layers = [cells, masked, *sum_cells, *texts]
    if kind != "weights":
        layers.append(
            alt.Chart(alt.Data(name="extent")).mark_point(opacity=0).transform_extent("extent", param="signed_extent")
        )
    return finish(alt.layer(*layers), text_scale)


def heads_overview(
    weights: np.ndarray, allowed: np.ndarray, *, title: str, head_title: str, legend_title: str
) -> Figure:
    """Small weight heatmaps, one per head. Shapes: weights/allowed ``[H, L, S]``."""
    heads, rows, cols = weights.shape
    frame = pd.DataFrame(
        {
            "head": np.repeat(np.arange(heads), rows * cols),
            "row": np.tile(np.repeat(np.arange(rows), cols), heads),
            "col": np.tile(np.arange(cols), heads * rows),
            "value": np.where(allowed, weights, 0.0).astype(np.float64).ravel(),
            "masked": ~allowed.astype(bool).ravel(),
        }
    )
    return Figure(_overview_template(title, head_title, legend_title), {"heads": frame})


@lru_cache(maxsize=128)
def _overview_template(title: str, head_title: str, legend_title: str) -> str:
    weights_colour = alt.Color(
        "value:Q", scale=alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, 1]), title=legend_title, legend=None
    )
    chart = (
        alt.Chart(alt.Data(name="heads"))
        .mark_rect()
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.condition("datum.masked", alt.value(MASKED_COLOUR), weights_colour),
            tooltip=[
                alt.Tooltip("head:O", title=head_title),
                alt.Tooltip("row:O"),
                alt.Tooltip("col:O"),
                alt.Tooltip("value:Q", format=".4f", title=legend_title),
            ],
        )
        .properties(width=OVERVIEW_SIZE, height=OVERVIEW_SIZE)  # fixed, so the spec is the same for every L
        .facet(facet=alt.Facet("head:O", title=head_title), columns=8, title=title)
    )
    return finish(chart)
