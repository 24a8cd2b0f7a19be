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

MASKED_COLOUR = "#c8c8c8"
SIGNED_SCHEME = "blueorange"
WEIGHTS_SCHEME = "blues"
MAX_LABEL_CHARS = 12
FONT_SIZE = 13
ROW_SUM_LABEL = "Σ"
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
    """Draw ``figure`` in a Streamlit container (``st``, a column, the sidebar)."""
    container.vega_lite_chart(figure.spec(), width="content", key=key)


def finish(chart: AnyChart) -> str:
    """The spec as JSON, drawn at its own size (Streamlit would squeeze layers to fit), projector-sized text."""
    finished = (
        chart.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))
        .configure_axis(labelFontSize=12, titleFontSize=12, titleFontWeight="normal")
        .configure_title(fontSize=14, anchor="start")
        .configure_legend(labelFontSize=11, titleFontSize=11)
        .configure_view(strokeWidth=0)
    )
    return json.dumps(finished.to_dict(validate=False), ensure_ascii=False)


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
    """A rect layer coloured by value (grey where masked), a text layer with the values if asked and
    if they fit, and, given ``row_sums``, an extra "Σ" column with each row's sum."""
    row_order = tuple(dict.fromkeys(df["row_label"]))
    col_order = tuple(dict.fromkeys(df["col_label"]))
    template = _heatmap_template(
        kind,
        title,
        x_title,
        y_title,
        legend_title,
        masked_text,
        show_values,
        row_order,
        col_order,
        row_sums is not None,
        size,
    )
    datasets = {"cells": df}
    if row_sums is not None:
        datasets["sums"] = pd.DataFrame(
            {"row_label": list(row_order), "col_label": ROW_SUM_LABEL, "sum": row_sums.astype(np.float64)}
        )
    params = {} if kind == "weights" else {"extent": _extent(df)}
    return Figure(template, datasets, params)


def _token_axis(cell: int, **kwargs: object) -> alt.Axis:
    # Every token keeps its label while cells are ≥ 10 px (font shrinks to fit); below that, Vega thins them.
    return alt.Axis(labelLimit=80, labelOverlap=cell < 10, labelFontSize=max(8, min(12, cell - 2)), **kwargs)


@lru_cache(maxsize=512)
def _heatmap_template(
    kind: MatrixKind,
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    masked_text: str,
    show_values: bool,
    row_order: tuple[str, ...],
    col_order: tuple[str, ...],
    with_row_sums: bool,
    size: int,
) -> str:
    n_rows = max(len(row_order), 1)
    # The Σ column is text, so it only appears when a cell can hold a number.
    with_row_sums = with_row_sums and cell_size(size, max(len(col_order) + 1, n_rows)) >= MIN_CELL_FOR_TEXT
    x_order = [*col_order, ROW_SUM_LABEL] if with_row_sums else list(col_order)
    n_cols = max(len(x_order), 1)
    cell_w, cell_h = cell_size(size, n_cols), cell_size(size, n_rows)
    cell = min(cell_w, cell_h)
    font_size = max(9, min(FONT_SIZE, cell // 2 - 2))
    # Small cells get one decimal for signed values so the number still fits inside the cell.
    short_format = ".2f" if kind == "weights" or cell >= 30 else ".1f"
    x = alt.X("col_label:O", sort=x_order, title=x_title, axis=_token_axis(cell_w, labelAngle=-90))
    y = alt.Y("row_label:O", sort=list(row_order), title=None, axis=_token_axis(cell_h))
    base = (
        alt.Chart(alt.Data(name="cells"))
        .transform_calculate(
            shown=f"datum.masked ? '{masked_text}' : format(datum.value, '{short_format}')",
            exact=f"datum.masked ? '{masked_text}' : format(datum.value, '.6f')",
        )
        .encode(x=x, y=y)
        .properties(width=cell_w * n_cols, height=cell_h * n_rows, title=title)
    )
    if kind == "weights":
        scale = alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, 1])
        dark = "datum.value > 0.5"
    else:
        # Symmetric around 0 so equal magnitudes get equal colour strength; `extent` is a param set per rerun.
        scale = alt.Scale(scheme=SIGNED_SCHEME, domain={"expr": "[-extent, extent]"}, domainMid=0)
        dark = "abs(datum.value) > 0.6 * extent"
    colour = alt.Color(
        "value:Q", scale=scale, title=legend_title, legend=alt.Legend(orient="bottom", gradientLength=160)
    )
    layers = [
        base.mark_rect(stroke="white", strokeWidth=0.5 if cell >= 8 else 0).encode(
            color=alt.condition("datum.masked", alt.value(MASKED_COLOUR), colour),
            tooltip=[
                alt.Tooltip("row_label:N", title=y_title),
                alt.Tooltip("col_label:N", title=x_title),
                alt.Tooltip("exact:N", title=legend_title),
            ],
        )
    ]
    if with_row_sums:
        layers.append(
            alt.Chart(alt.Data(name="sums"))
            .mark_text(fontSize=font_size, fontWeight="bold")
            .encode(
                x=x,
                y=y,
                text=alt.Text("sum:Q", format=".2f"),
                tooltip=[alt.Tooltip("row_label:N", title=y_title), alt.Tooltip("sum:Q", format=".6f", title="Σ")],
            )
        )
    if show_values and cell >= MIN_CELL_FOR_TEXT:
        layers.append(
            base.mark_text(fontSize=font_size).encode(
                text="shown:N",
                color=alt.condition(f"!datum.masked && {dark}", alt.value("white"), alt.value("black")),
            )
        )
    return finish(alt.layer(*layers))


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
    return Figure(_overview_template(rows, cols, title, head_title, legend_title), {"heads": frame})


@lru_cache(maxsize=128)
def _overview_template(rows: int, cols: int, title: str, head_title: str, legend_title: str) -> str:
    cell = max(2, 120 // max(rows, cols))
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
        .properties(width=cell * cols, height=cell * rows)
        .facet(facet=alt.Facet("head:O", title=head_title), columns=8, title=title)
    )
    return finish(chart)
