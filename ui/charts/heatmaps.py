"""Heatmaps: matrices → a canvas on screen (``ui.heatmap``) and → long-form frames → Altair for export.

``attention_heatmap()`` (the one heatmap every page draws), ``heads_overview()``, ``heads_grid()`` and
``small_multiples()`` return a ``Heatmap``: what the screen's canvas component draws (one array per panel,
labels, titles, the colour rule) plus, built only when asked (export, a clickable Vega chart, tests), the
same figure as a Vega-Lite ``Figure`` (for ``attention_heatmap``, rebuilt from its payload by
``figure_from_payload`` through ``to_long_df``). ``show()`` draws either; every other chart module keeps
building a ``Figure`` directly. Why the canvas: docs/BENCHMARKS.md, "Heatmap drawing paths".

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
import os
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, partial
from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from core.tokens import has_cjk
from ui.charts.figure import Figure, finish
from ui.i18n import STRINGS

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
DEFAULT_SIZE = 360  # pixels per side of a heatmap's plot before presenter scaling

# "vega" draws heatmaps on screen with Vega as before the canvas component (kept for bench/latency.py's
# side-by-side comparison); anything else, the canvas.
SCREEN_PATH = os.environ.get("ATTENTION_LAB_HEATMAPS", "canvas")
TOOLTIP_DECIMALS = 6

MatrixKind = Literal["signed", "weights"]


@dataclass(frozen=True, eq=False)
class Heatmap:
    """One heatmap, or a grid of same-shaped panels (one per head): what the canvas draws.

    ``panels`` are ``[rows, cols]`` float64 arrays with masked cells set to 0; ``masked`` marks the cells
    that may not be attended (None: none). ``scale`` is the presenter factor the sizes already include.
    """

    panels: tuple[np.ndarray, ...]
    masked: tuple[np.ndarray | None, ...]
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    kind: MatrixKind
    title: str
    x_title: str
    y_title: str
    legend_title: str
    masked_text: str
    values_shown: bool  # the one rule: the page asked for values and the cells are big enough to print them
    value_font: int
    decimals: int
    size: int
    scale: float
    row_sums: np.ndarray | None = None
    panel_titles: tuple[str, ...] = ()
    panel_label: str = ""
    tooltip_decimals: int = TOOLTIP_DECIMALS
    fixed_extent: float | None = None  # one colour scale shared by charts that are compared side by side
    figure: str = "heatmap"  # which Vega-Lite builder makes its export: "heatmap", "overview", "heads", "grid"
    weights_top: float = 1.0  # a weights chart's colour runs over [0, weights_top]; darker beyond
    axis_labels: bool = True  # token labels beside and under the panels (a grid of small maps has none)
    per_row: int | None = None  # panels per row (a layer × head grid); None: as many as the column holds
    grid_titles: tuple[str, str] = ("", "")  # a grid's row and column titles (layer, head), for its export
    extras: tuple[np.ndarray, ...] = ()  # a second number per cell for the tooltip (e.g. the score), per panel
    extra_title: str = ""
    vega_factory: Callable[[], Figure] | None = field(default=None, repr=False)

    @cached_property
    def vega(self) -> Figure:
        """The same figure as Vega-Lite (for export and clickable charts), built on first use."""
        if self.vega_factory is None:
            return figure_from_payload(self.payload())
        return _with_extent(self.vega_factory(), self.fixed_extent)

    # A Heatmap stands in for its Figure wherever a Figure is read (export, steps_charts.clickable).
    @property
    def template(self) -> str:
        return self.vega.template

    @property
    def datasets(self) -> dict[str, pd.DataFrame]:
        return self.vega.datasets

    @property
    def params(self) -> dict[str, float]:
        return self.vega.params

    def spec(self) -> dict:
        return self.vega.spec()

    def extent(self) -> float:
        if self.fixed_extent is not None:
            return self.fixed_extent
        allowed = [p[~m] if m is not None else p.ravel() for p, m in zip(self.panels, self.masked, strict=True)]
        finite = np.concatenate([a[np.isfinite(a)] for a in allowed]) if allowed else np.zeros(0)
        extent = float(np.abs(finite).max()) if finite.size else 1.0
        return extent if extent > 0 else 1.0

    def payload(self) -> dict:
        """What the canvas component draws: titles, labels and rules, and each panel's ``values`` (little-endian
        float32 when that is exact, as for every matrix core computes, else float64: ``dtype``), ``masked``
        (uint8, None when nothing is) and ``extra`` arrays. ``encode_payload`` puts it on the wire."""
        return {
            "figure": self.figure,
            "kind": self.kind,
            "title": self.title,
            "xTitle": self.x_title,
            "yTitle": self.y_title,
            "legendTitle": self.legend_title,
            "rows": list(self.rows),
            "cols": list(self.cols),
            "panels": [
                {
                    "title": title,
                    "dtype": dtype,
                    "values": np.ascontiguousarray(values, dtype=dtype),
                    "masked": None if masked is None or not masked.any() else masked.astype(np.uint8),
                    "extra": np.ascontiguousarray(extra, dtype=dtype) if extra is not None else None,
                }
                for title, values, masked, extra, dtype in zip(
                    self.panel_titles or ("",) * len(self.panels),
                    self.panels,
                    self.masked,
                    self.extras or (None,) * len(self.panels),
                    [
                        wire_dtype(values, extra)
                        for values, extra in zip(self.panels, self.extras or (None,) * len(self.panels), strict=True)
                    ],
                    strict=True,
                )
            ],
            "extraTitle": self.extra_title,
            "panelTitle": self.panel_label,
            "sums": None if self.row_sums is None else [float(v) for v in self.row_sums],
            "sumLabel": ROW_SUM_LABEL,
            "maskedText": self.masked_text,
            "size": self.size,
            "scale": self.scale,
            "showValues": self.values_shown,
            "valueFont": self.value_font,
            "decimals": self.decimals,
            "extent": self.extent(),
            "fixedExtent": self.fixed_extent,
            "tooltipDecimals": self.tooltip_decimals,
            "weightsTop": self.weights_top,
            "axisLabels": self.axis_labels,
            "perRow": self.per_row,
            "gridTitles": list(self.grid_titles),
            "clickable": False,
            "selected": None,
            "selectedPanel": None,
        }


def wire_dtype(*arrays: np.ndarray | None) -> str:
    """ "<f4" when float32 holds every value exactly (what torch computed in float32), else "<f8"."""
    for array in arrays:
        if array is not None and not np.array_equal(array.astype(np.float32).astype(np.float64), array):
            return "<f8"
    return "<f4"


ARRAYS = ("values", "masked", "extra")  # a payload panel's arrays, in the order they travel
ALIGN = 8  # bytes: every array starts at a multiple of this, so the browser can view it as Float64Array


def encode_payload(payload: dict) -> bytes:
    """The canvas component's wire format, sent as the element's bytes (no JSON number lists, no base64, no
    second JSON pass for the element's identity): a little-endian uint32 header length; the header, UTF-8 JSON
    of the payload with each panel array replaced by its [offset, length] in the body (null when absent),
    padded to ``ALIGN``; then the body, the arrays' raw bytes, each padded to ``ALIGN``."""
    body: list[bytes] = []
    size = 0

    def place(array: np.ndarray | None) -> list[int] | None:
        nonlocal size
        if array is None:
            return None
        raw = array.tobytes()
        body.extend((raw, bytes(-len(raw) % ALIGN)))
        start, size = size, size + len(raw) + (-len(raw) % ALIGN)
        return [start, len(raw)]

    panels = [{**panel, **{name: place(panel[name]) for name in ARRAYS}} for panel in payload["panels"]]
    header = json.dumps({**payload, "panels": panels}, ensure_ascii=False).encode("utf-8")
    header += b" " * (-(4 + len(header)) % ALIGN)
    return struct.pack("<I", len(header)) + header + b"".join(body)


def decode_payload(wire: bytes) -> dict:
    """``encode_payload`` undone: the payload with its panel arrays (what tests read back from an element)."""
    (length,) = struct.unpack_from("<I", wire)
    payload = json.loads(wire[4 : 4 + length].decode("utf-8"))
    body = memoryview(wire)[4 + length :]

    def array(place: list[int] | None, dtype: str) -> np.ndarray | None:
        if place is None:
            return None
        start, size = place
        return np.frombuffer(body[start : start + size], dtype=dtype).copy()

    payload["panels"] = [
        {
            **panel,
            "values": array(panel["values"], panel["dtype"]),
            "masked": array(panel["masked"], "u1"),
            "extra": array(panel["extra"], panel["dtype"]),
        }
        for panel in payload["panels"]
    ]
    return payload


# Lesson chart modules that define their own kind of canvas figure register how its export is rebuilt from
# a payload: builder(payload, values, masked, extras) → Figure.
FIGURE_BUILDERS: dict[str, Callable[[dict, list, list, list], Figure]] = {}


def figure_from_payload(payload: dict) -> Figure:
    """The Vega-Lite figure of a canvas payload (what its export shows); tests read charts through this."""
    rows, cols = payload["rows"], payload["cols"]
    shape = (len(rows), len(cols))
    values = [np.asarray(p["values"], dtype=np.float64).reshape(shape) for p in payload["panels"]]
    masked = [
        np.zeros(shape, dtype=bool) if p["masked"] is None else np.asarray(p["masked"], dtype=bool).reshape(shape)
        for p in payload["panels"]
    ]
    if payload["figure"] in FIGURE_BUILDERS:
        extras = [
            None if p.get("extra") is None else np.asarray(p["extra"], dtype=np.float64).reshape(shape)
            for p in payload["panels"]
        ]
        return FIGURE_BUILDERS[payload["figure"]](payload, values, masked, extras)
    if payload["figure"] == "overview":
        return _vega_overview(
            np.stack(values), ~np.stack(masked), payload["title"], payload["panelTitle"], payload["legendTitle"]
        )
    if payload["figure"] == "heads":
        return _vega_heads_grid(
            np.stack(values),
            ~np.stack(masked),
            rows,
            cols,
            title=payload["title"],
            head_title=payload["panelTitle"],
            x_title=payload["xTitle"],
            y_title=payload["yTitle"],
            legend_title=payload["legendTitle"],
        )
    if payload["figure"] == "grid":
        per_row = payload["perRow"]
        grid = np.stack(values).reshape(len(values) // per_row, per_row, *shape)
        return vega_grid(grid, *payload["gridTitles"], payload["legendTitle"], payload["weightsTop"])
    scale = payload["scale"]
    figure = _vega_heatmap(
        to_long_df(values[0], rows, cols, ~masked[0]),
        kind=payload["kind"],
        title=payload["title"],
        x_title=payload["xTitle"],
        y_title=payload["yTitle"],
        legend_title=payload["legendTitle"],
        masked_text=payload["maskedText"],
        show_values=payload["showValues"],
        row_sums=None if payload["sums"] is None else np.asarray(payload["sums"]),
        size=round(payload["size"] / scale),
        scale=scale,
    )
    return _with_extent(figure, payload.get("fixedExtent"))


def _with_extent(figure: Figure, extent: float | None) -> Figure:
    """The signed figure with its colour range fixed to ±extent (the range Vega reads from the "extent" data)."""
    if extent is None or "extent" not in figure.datasets:
        return figure
    datasets = figure.datasets | {"extent": pd.DataFrame({"extent": [float(extent)]})}
    return replace(figure, datasets=datasets, params={"extent": float(extent)})


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


def attention_heatmap(
    matrix: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str] | None = None,
    *,
    kind: MatrixKind,
    title: str,
    scale: float,
    lang: str,
    allowed: np.ndarray | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    legend_title: str | None = None,
    masked_text: str | None = None,
    show_values: bool = True,
    row_sums: np.ndarray | None = None,
    size: int = DEFAULT_SIZE,
    extent: float | None = None,
) -> Heatmap:
    """The heatmap of a ``[rows, cols]`` matrix: cells coloured by value (``kind`` "signed": diverging around 0;
    "weights": [0, 1]), cells where ``allowed`` is False grey and labelled ``masked_text`` (−∞ for signed, 0
    for weights), the values printed while the cells are big enough, and, given ``row_sums``, a "Σ" column.

    ``cols`` defaults to ``rows`` (self-attention); the axis titles default to key token, query token and
    value in ``lang``. ``scale`` is the presenter factor (``ui.presenter.chart_scale()``); ``extent`` fixes a
    signed chart's colour range (±extent), so compared charts share one scale. Pure: reads no session."""
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"a heatmap needs a 2-D matrix, got shape {matrix.shape}")
    n_rows, n_cols = matrix.shape
    cols = rows if cols is None else cols
    if (len(rows), len(cols)) != matrix.shape:
        raise ValueError(f"{len(rows)} row and {len(cols)} column labels for a {matrix.shape} matrix")
    masked = np.zeros(matrix.shape, dtype=bool) if allowed is None else ~np.asarray(allowed, dtype=bool)
    values = np.where(masked | ~np.isfinite(matrix), 0.0, matrix)
    plot = round(size * scale)
    return Heatmap(
        panels=(values,),
        masked=(masked,),
        rows=tuple(str(label) for label in rows),
        cols=tuple(str(label) for label in cols),
        kind=kind,
        title=title,
        x_title=STRINGS["axis.key"][lang] if x_title is None else x_title,
        y_title=STRINGS["axis.query"][lang] if y_title is None else y_title,
        legend_title=STRINGS["axis.value"][lang] if legend_title is None else legend_title,
        masked_text=("0" if kind == "weights" else "−∞") if masked_text is None else masked_text,
        values_shown=bool(show_values) and values_fit(plot, n_rows, n_cols + (row_sums is not None)),
        value_font=round(FONT_SIZE * scale),
        decimals=_decimals(kind, min(cell_size(plot, n_cols), cell_size(plot, n_rows))),
        size=plot,
        scale=scale,
        row_sums=None if row_sums is None else np.asarray(row_sums, dtype=np.float64),
        fixed_extent=None if extent is None else float(extent),
    )


def progress_heatmap(
    matrix: np.ndarray, rows: Sequence[str], cols: Sequence[str] | None = None, *, reached: np.ndarray, **options
) -> Heatmap:
    """``attention_heatmap`` of a computation part done (the rows generated so far, the blocks read so far, the
    positions reached after each layer): the cells not ``reached`` yet are grey and blank, for nothing masks them
    (no "−∞" or "0" in them). ``options`` are ``attention_heatmap``'s."""
    return attention_heatmap(matrix, rows, cols, allowed=reached, masked_text="", **options)


def values_fit(plot: int, rows: int, cols: int) -> bool:
    """The one rule for printing values in cells: each cell of a ``plot``-pixel chart is at least
    ``MIN_CELL_FOR_TEXT`` pixels."""
    return cell_size(plot, max(cols, rows)) >= MIN_CELL_FOR_TEXT


def _decimals(kind: MatrixKind, cell: int) -> int:
    # Small cells get one decimal for signed values so the number still fits inside the cell.
    return 2 if kind == "weights" or cell >= 30 else 1


def _vega_heatmap(
    df: pd.DataFrame,
    *,
    kind: MatrixKind,
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    masked_text: str,
    show_values: bool,
    row_sums: np.ndarray | None,
    size: int,
    scale: float,
) -> Figure:
    """The heatmap as Vega-Lite: cells coloured by value, masked cells grey on top, the values
    printed in the cells when they fit, and, given ``row_sums``, an extra "Σ" column.

    Two rules keep slider steps fast in the browser. The spec never depends on the matrix's size or
    values, so when only numbers change Streamlit swaps the data in place instead of rebuilding the
    chart. And no expression runs per cell (Streamlit's Vega uses a slow CSP-safe expression
    interpreter): texts, their colours and sizes are computed here, only for cells that show them.

    The chart and its text are ``scale`` times larger (presenter mode).
    """
    size = round(size * scale)
    n_rows = int(df["row"].max()) + 1 if len(df) else 1
    n_cols = int(df["col"].max()) + 1 if len(df) else 1
    fits = cell_size(size, max(n_cols + (row_sums is not None), n_rows)) >= MIN_CELL_FOR_TEXT
    cell = min(cell_size(size, n_cols), cell_size(size, n_rows))
    font = max(9, min(round(FONT_SIZE * scale), cell // 2 - 2))
    drawn_cell = min(cell_size(size, n_cols + (row_sums is not None)), cell_size(size, n_rows))  # the Σ column too
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
        datasets[name] = datasets[name].assign(font=fitted_fonts(datasets[name]["text"], font, drawn_cell))
    col_labels = df.drop_duplicates("col")["col_label"].astype(str)
    upright = any(map(has_cjk, col_labels)) and max(map(len, col_labels), default=0) <= UPRIGHT_LABEL_CHARS
    template = _heatmap_template(
        kind, title, x_title, y_title, legend_title, size, row_sums is not None, scale, upright
    )  # fmt: skip
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


# Column labels holding Chinese and at most this many characters ("12 学") are stacked upright in exports.
UPRIGHT_LABEL_CHARS = 6
UPRIGHT_LABEL_EXPR = "split(replace(datum.label, ' ', ''), '')"  # an array of lines: one character each
# Advance widths in em of the characters a printed value uses, in Liberation Sans / Arial (the export's font).
_GLYPH_EM = {".": 0.278, "−": 0.584, "∞": 0.713}  # any other character: a digit's 0.556
CELL_TEXT_MARGIN = 2  # pixels kept free on each side of a printed value


def fitted_fonts(texts: pd.Series, font: int, cell: int) -> np.ndarray:
    """The printed values' font size, one per chart: ``font``, or smaller so the widest value fits its cell
    with a margin and neighbouring values never touch (the canvas fits the text it measures the same way)."""
    if not len(texts):
        return np.zeros(0, dtype=np.int64)
    widest = max(sum(_GLYPH_EM.get(char, 0.556) for char in text) for text in texts)
    fitting = int((cell - 2 * CELL_TEXT_MARGIN) // max(widest, 1e-9))
    return np.full(len(texts), max(6, min(font, fitting)), dtype=np.int64)


def _cell_texts(df: pd.DataFrame, kind: MatrixKind, masked_text: str, cell: int) -> pd.DataFrame:
    """The printed value of each cell and an ink colour that stays readable on its fill."""
    values, masked = df["value"].to_numpy(), df["masked"].to_numpy()
    decimals = _decimals(kind, cell)
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
    upright: bool = False,
) -> str:
    # Chinese key labels are written one character per line (as the canvas does), not lying on their side.
    stacked = dict(labelAngle=0, labelAlign="center", labelBaseline="top", labelExpr=UPRIGHT_LABEL_EXPR)
    x_axis = _token_axis("x", text_scale, **(stacked if upright else {"labelAngle": -90}))
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


def small_multiples(
    panels: Sequence[np.ndarray],
    masked: Sequence[np.ndarray | None],
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    scale: float,
    **fields: object,
) -> Heatmap:
    """Weight maps side by side (one per head, per layer × head, or per score function): the [0, 1] scale,
    no numbers printed in the small cells, four decimals on hover. ``fields`` are the other ``Heatmap`` fields
    (titles, size, panel titles, figure, vega_factory, …)."""
    return Heatmap(
        panels=tuple(panels),
        masked=tuple(masked),
        rows=tuple(rows),
        cols=tuple(cols),
        kind="weights",
        masked_text="0",
        values_shown=False,
        value_font=round(FONT_SIZE * scale),
        decimals=2,
        scale=scale,
        tooltip_decimals=4,
        **fields,
    )


def heads_overview(
    weights: np.ndarray,
    allowed: np.ndarray,
    *,
    title: str,
    head_title: str,
    legend_title: str,
    labels: Sequence[str] | None = None,
    x_title: str = "",
    y_title: str = "",
    scale: float,
) -> Heatmap:
    """Small weight heatmaps, one per head, wrapped to the column's width, with the token labels where
    they fit and one legend. Shapes: weights/allowed ``[H, L, S]``."""
    heads, rows, cols = weights.shape
    allowed = allowed.astype(bool)
    values = np.where(allowed & np.isfinite(weights), weights, 0.0).astype(np.float64)
    row_labels = tuple(labels) if labels is not None else tuple(str(i) for i in range(rows))
    return small_multiples(
        panels=tuple(values),
        masked=tuple(~allowed),
        rows=row_labels,
        cols=row_labels if len(row_labels) == cols else tuple(str(j) for j in range(cols)),
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend_title=legend_title,
        size=round(OVERVIEW_SIZE * scale),
        scale=scale,
        panel_titles=tuple(f"{head_title} {h}" for h in range(heads)),
        panel_label=head_title,
        figure="overview",
        vega_factory=partial(_vega_overview, weights, allowed, title, head_title, legend_title),
    )


def vega_grid(grid: np.ndarray, row_title: str, col_title: str, legend_title: str, top: float = 1.0) -> Figure:
    """A ``[rows, cols, L, L]`` grid of weight maps (layers × heads) as a faceted Vega-Lite figure: the
    export of a grid Heatmap. Colour over [0, top]."""
    n_rows, n_cols, rows, cols = grid.shape
    row_index = np.repeat(np.arange(n_rows), n_cols * rows * cols)
    frame = pd.DataFrame(
        {
            "layer": row_index,
            "head": np.tile(np.repeat(np.arange(n_cols), rows * cols), n_rows),
            "row": np.tile(np.repeat(np.arange(rows), cols), n_rows * n_cols),
            "col": np.tile(np.arange(cols), n_rows * n_cols * rows),
            "value": grid.astype(np.float64).ravel(),
        }
    )
    return Figure(_grid_template(row_title, col_title, legend_title, float(top)), {"grid": frame})


@lru_cache(maxsize=32)
def _grid_template(row_title: str, col_title: str, legend_title: str, top: float) -> str:
    chart = (
        alt.Chart(alt.Data(name="grid"))
        .mark_rect()
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, top], clamp=True),
                title=legend_title,
                legend=alt.Legend(orient="bottom", gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip("layer:O", title=row_title),
                alt.Tooltip("head:O", title=col_title),
                alt.Tooltip("value:Q", format=".4f", title=legend_title),
            ],
        )
        .properties(width=54, height=54)
        .facet(
            row=alt.Row("layer:O", title=row_title, header=alt.Header(labelFontSize=14, titleFontSize=14)),
            column=alt.Column("head:O", title=col_title, header=alt.Header(labelFontSize=14, titleFontSize=14)),
            spacing=4,
        )
    )
    return finish(chart)


def _vega_overview(weights: np.ndarray, allowed: np.ndarray, title: str, head_title: str, legend_title: str) -> Figure:
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


# ── small multiples with token labels: every head of a layer ─────────────────

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


def _vega_heads_grid(
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
    """The heads grid as Vega-Lite (its export): one facet row per row of heads."""
    heads = weights.shape[0]
    head_names = _head_names(heads, head_title)
    frames = []
    for h in range(heads):
        frame = to_long_df(weights[h], row_labels, col_labels, allowed[h])
        frame.insert(0, "head", pd.Categorical.from_codes(np.full(len(frame), h), categories=head_names))
        frame.insert(1, "head_index", h)
        frames.append(frame)
    cells = pd.concat(frames, ignore_index=True)
    template = _heads_grid_template(
        heads, head_title, tuple(row_labels), tuple(col_labels), title, x_title, y_title, legend_title
    )
    return Figure(template, {"grid": cells})


def _head_names(heads: int, head_title: str) -> list[str]:
    return [f"{head_title} {h}" for h in range(heads)]


def _grid_token_axis(cell: int, **kwargs: object) -> alt.Axis:
    # Every label while a cell is ≥ 10 px (smaller font down to 8 px); below that Vega thins them out.
    return alt.Axis(labelLimit=70, labelOverlap=cell < 10, labelFontSize=max(8, min(12, cell - 5)), **kwargs)


@lru_cache(maxsize=128)
def _heads_grid_template(
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
            x=alt.X("col_label:O", sort=list(col_order), title=x_title, axis=_grid_token_axis(cell, labelAngle=-90)),
            y=alt.Y("row_label:O", sort=list(row_order), title=y_title, axis=_grid_token_axis(cell)),
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
    scale: float,
) -> Heatmap:
    """One weights heatmap per head with token labels, in balanced rows of at most four (``grid_rows``), one
    legend. Shapes: weights/allowed ``[H, L, S]``."""
    heads, rows, cols = weights.shape
    allowed = allowed.astype(bool)
    arguments = dict(title=title, head_title=head_title, x_title=x_title, y_title=y_title, legend_title=legend_title)
    return small_multiples(
        panels=tuple(np.where(allowed & np.isfinite(weights), weights, 0.0).astype(np.float64)),
        masked=tuple(~allowed),
        rows=tuple(row_labels),
        cols=tuple(col_labels),
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend_title=legend_title,
        size=round(grid_cell(heads, max(cols, rows)) * max(cols, rows) * scale),
        scale=scale,
        panel_titles=tuple(_head_names(heads, head_title)),
        panel_label=head_title,
        figure="heads",
        per_row=grid_columns(heads),
        vega_factory=partial(_vega_heads_grid, weights, allowed, list(row_labels), list(col_labels), **arguments),
    )
