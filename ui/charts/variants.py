"""Charts of the variants lesson: weight heatmaps of several score functions side by side, soft vs hard
weights of one query as grouped bars, and the softmax entropy against the temperature.

Same scheme as ``ui/charts.py``: the Vega-Lite spec depends only on the chart's shape and texts and is
built once and cached; each rerun attaches its own long-form data. Weights use the fixed [0, 1] blue scale;
series colours are Okabe–Ito (colour-blind safe).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, partial

import altair as alt
import numpy as np
import pandas as pd

from core.variants import GradientCheck, ScoringSummary, SoftVsHard
from ui.charts.heatmaps import FIGURE_BUILDERS, WEIGHTS_SCHEME, Figure, Heatmap, cell_size, finish, small_multiples
from ui.presenter import chart_scale

SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
BOUND_COLOUR = "#555555"
PANEL_SIZE = 160  # four panels and the token labels fit the ~820 px content column at 1280×720
BARS_WIDTH = 560
BARS_HEIGHT = 200
CURVE_WIDTH = 520
CURVE_HEIGHT = 190
TAU_TICKS = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
CURVE_TEMPERATURES = tuple(float(tau) for tau in np.geomspace(0.05, 10, 41))  # where the entropy curve is drawn


def panels_frame(
    weights: Sequence[np.ndarray],
    scores: Sequence[np.ndarray],
    panels: Sequence[str],
    row_labels: Sequence[str],
    col_labels: Sequence[str],
) -> pd.DataFrame:
    """One row per (panel, query, key): panel, row, col, row_label, col_label, value (weight), score."""
    rows, cols = weights[0].shape
    row_index, col_index = np.repeat(np.arange(rows), cols), np.tile(np.arange(cols), rows)
    return pd.DataFrame(
        {
            "panel": np.repeat(np.asarray(panels, dtype=object), rows * cols),
            "row": np.tile(row_index, len(panels)),
            "col": np.tile(col_index, len(panels)),
            "row_label": np.tile(np.asarray(row_labels, dtype=object)[row_index], len(panels)),
            "col_label": np.tile(np.asarray(col_labels, dtype=object)[col_index], len(panels)),
            "value": np.concatenate([w.astype(np.float64).ravel() for w in weights]),
            "score": np.concatenate([s.astype(np.float64).ravel() for s in scores]),
        }
    )


def weight_panels(
    df: pd.DataFrame,
    *,
    panels: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    score_title: str,
    scale: float | None = None,
) -> Heatmap:
    """Weight heatmaps in a row, one per panel, sharing the token axes and the [0, 1] colour scale; the
    tooltip gives each cell's score and weight. ``df`` is ``panels_frame``'s."""
    scale = chart_scale() if scale is None else scale
    rows = list(dict.fromkeys(df["row_label"]))
    cols = list(dict.fromkeys(df["col_label"]))
    shape = (len(rows), len(cols))

    def per_panel(column: str) -> tuple[np.ndarray, ...]:
        ordered = df.sort_values(["row", "col"], kind="stable")
        return tuple(
            ordered.loc[ordered["panel"] == name, column].to_numpy(dtype=np.float64).reshape(shape) for name in panels
        )

    arguments = dict(
        panels=list(panels),
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend_title=legend_title,
        score_title=score_title,
    )
    weights = per_panel("value")
    return small_multiples(
        panels=weights,
        masked=(None,) * len(weights),
        rows=tuple(rows),
        cols=tuple(cols),
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend_title=legend_title,
        size=round(cell_size(PANEL_SIZE, max(shape)) * max(shape) * scale),
        scale=scale,
        panel_titles=tuple(panels),
        panel_label=" ",
        figure=PANELS_FIGURE,
        extras=per_panel("score"),
        extra_title=score_title,
        vega_factory=partial(_vega_weight_panels, df, **arguments),
    )


def _panels_from_payload(payload: dict, values: list, masked: list, extras: list) -> Figure:
    titles = [p["title"] for p in payload["panels"]]
    frame = panels_frame(values, extras, titles, payload["rows"], payload["cols"])
    return _vega_weight_panels(
        frame,
        panels=titles,
        title=payload["title"],
        x_title=payload["xTitle"],
        y_title=payload["yTitle"],
        legend_title=payload["legendTitle"],
        score_title=payload["extraTitle"],
    )


PANELS_FIGURE = "variants_panels"
FIGURE_BUILDERS[PANELS_FIGURE] = _panels_from_payload


def _vega_weight_panels(
    df: pd.DataFrame,
    *,
    panels: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    score_title: str,
) -> Figure:
    """The panels as Vega-Lite (their export): one facet column per panel."""
    template = _panels_template(
        tuple(panels),
        tuple(dict.fromkeys(df["row_label"])),
        tuple(dict.fromkeys(df["col_label"])),
        title,
        x_title,
        y_title,
        legend_title,
        score_title,
    )
    return Figure(template, {"panels": df})


@lru_cache(maxsize=256)
def _panels_template(
    panels: tuple[str, ...],
    row_order: tuple[str, ...],
    col_order: tuple[str, ...],
    title: str,
    x_title: str,
    y_title: str,
    legend_title: str,
    score_title: str,
) -> str:
    cell = cell_size(PANEL_SIZE, max(len(row_order), len(col_order)))
    label_size = max(8, min(12, cell - 2))

    def token_axis(**kwargs: object) -> alt.Axis:
        # Every token keeps its label while cells are ≥ 10 px; below that, Vega thins them.
        return alt.Axis(labelLimit=80, labelOverlap=cell < 10, labelFontSize=label_size, **kwargs)

    chart = (
        alt.Chart(alt.Data(name="panels"))
        .mark_rect(stroke="white", strokeWidth=0.5 if cell >= 8 else 0)
        .encode(
            x=alt.X("col_label:O", sort=list(col_order), title=x_title, axis=token_axis(labelAngle=-90)),
            y=alt.Y("row_label:O", sort=list(row_order), title=None, axis=token_axis()),
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, 1]),
                title=legend_title,
                legend=alt.Legend(orient="bottom", gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip("panel:N", title=" "),
                alt.Tooltip("row_label:N", title=y_title),
                alt.Tooltip("col_label:N", title=x_title),
                alt.Tooltip("score:Q", title=score_title, format=".4f"),
                alt.Tooltip("value:Q", title=legend_title, format=".4f"),
            ],
        )
        .properties(width=cell * len(col_order), height=cell * len(row_order))
        .facet(
            column=alt.Column("panel:N", sort=list(panels), title=None, header=alt.Header(labelFontSize=13)),
            spacing=12,
            title=title,
        )
    )
    return finish(chart)


def summary_frame(summaries: dict[str, ScoringSummary], names: dict[str, str], columns: Sequence[str]) -> pd.DataFrame:
    """One row per score function (``names`` order): its name, then ``ScoringSummary``'s numbers."""
    fields = ("same_top", "score_min", "score_max", "max_weight", "mean_entropy")
    rows = [(label, *(getattr(summaries[name], field) for field in fields)) for name, label in names.items()]
    return pd.DataFrame(rows, columns=list(columns))


def gradients_frame(check: GradientCheck, key_labels: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """One row per key: soft weight, its autograd and finite-difference gradients, hard weight and its finite
    difference (``columns`` names the key column and these five)."""
    values = (
        check.soft_weights,
        check.soft_autograd,
        check.soft_finite_difference,
        check.hard_one_hot,
        check.hard_finite_difference,
    )
    return pd.DataFrame(dict(zip(columns, [list(key_labels), *(value.numpy() for value in values)], strict=True)))


def bars_frame(choice: SoftVsHard, key_labels: Sequence[str], series: Sequence[str]) -> pd.DataFrame:
    """``choice_bars``' data: for each key, its soft weight, its argmax one-hot and its sampled frequency, under the
    three ``series`` names."""
    keys = len(key_labels)
    values = (choice.weights, choice.hard.one_hot, choice.sampled.frequencies)
    return pd.DataFrame(
        {
            "key": np.tile(np.arange(keys), 3),
            "key_label": list(key_labels) * 3,
            "series": np.repeat(list(series), keys),
            "value": np.concatenate([value.numpy() for value in values]),
        }
    )


def choice_bars(
    df: pd.DataFrame,
    *,
    series: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
) -> Figure:
    """Grouped bars on a [0, 1] axis: for each key (``key_label``, in ``key`` order) one bar per ``series``.

    Columns of ``df``: key, key_label, series, value.
    """
    keys = tuple(df.sort_values("key")["key_label"].drop_duplicates())
    return Figure(_bars_template(tuple(series), keys, title, x_title, y_title), {"bars": df})


@lru_cache(maxsize=256)
def _bars_template(series: tuple[str, ...], keys: tuple[str, ...], title: str, x_title: str, y_title: str) -> str:
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=list(series), range=list(SERIES_COLOURS[: len(series)])),
        sort=list(series),
        legend=alt.Legend(orient="top", title=None, labelLimit=260),
    )
    chart = (
        alt.Chart(alt.Data(name="bars"))
        .mark_bar()
        .encode(
            x=alt.X("key_label:N", sort=list(keys), title=x_title, axis=alt.Axis(labelAngle=-90, labelLimit=90)),
            xOffset=alt.XOffset("series:N", sort=list(series)),
            y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 1]), title=y_title),
            color=colour,
            tooltip=[
                alt.Tooltip("key_label:N", title=x_title),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=y_title, format=".4f"),
            ],
        )
        .properties(width=BARS_WIDTH, height=BARS_HEIGHT, title=title)
    )
    return finish(chart)


def entropy_frames(
    temperatures: Sequence[float], entropies: np.ndarray, tau: float, entropy: float, bounds: dict[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``entropy_curve``'s curve, its point at the current ``tau`` and its horizontal ``bounds`` (label → entropy:
    ln L for uniform weights, 0 for hard attention)."""
    curve = pd.DataFrame({"tau": temperatures, "entropy": entropies})
    current = pd.DataFrame({"tau": [tau], "entropy": [entropy]})
    return curve, current, pd.DataFrame({"entropy": list(bounds.values()), "label": list(bounds)})


def entropy_curve(
    curve: pd.DataFrame,
    current: pd.DataFrame,
    bounds: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
) -> Figure:
    """Mean entropy against τ (log axis), a point at the current τ, and labelled horizontal bounds.

    Columns: curve and current ``tau, entropy``; bounds ``entropy, label``.
    """
    tau_range = (float(curve["tau"].min()), float(curve["tau"].max()))
    template = _curve_template(tau_range, title, x_title, y_title)
    return Figure(template, {"curve": curve, "current": current, "bounds": bounds})


@lru_cache(maxsize=64)
def _curve_template(tau_range: tuple[float, float], title: str, x_title: str, y_title: str) -> str:
    ticks = [tau for tau in TAU_TICKS if tau_range[0] <= tau <= tau_range[1]]
    x = alt.X(
        "tau:Q",
        scale=alt.Scale(type="log", domain=list(tau_range)),
        title=x_title,
        axis=alt.Axis(format="~g", values=ticks),
    )
    y = alt.Y("entropy:Q", title=y_title, scale=alt.Scale(zero=True))
    tooltip = [alt.Tooltip("tau:Q", title="τ", format=".3g"), alt.Tooltip("entropy:Q", title=y_title, format=".4f")]
    line = alt.Chart(alt.Data(name="curve")).mark_line(color=SERIES_COLOURS[0], strokeWidth=2.5).encode(x=x, y=y)
    point = (
        alt.Chart(alt.Data(name="current"))
        .mark_point(color=SERIES_COLOURS[1], filled=True, size=110)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    bound = alt.Chart(alt.Data(name="bounds"))
    rules = bound.mark_rule(color=BOUND_COLOUR, strokeDash=[4, 3]).encode(y="entropy:Q")
    # The curve rises from near 0 to near ln L: the upper label sits at the left, the lower one at the right.
    labels = [
        bound.transform_filter(keep)
        .mark_text(align=align, dx=dx, dy=-7, color=BOUND_COLOUR, fontSize=11)
        .encode(x=alt.value(x_pixel), y="entropy:Q", text="label:N")
        for keep, align, dx, x_pixel in (
            ("datum.entropy > 0", "left", 4, 0),
            ("datum.entropy <= 0", "right", -4, CURVE_WIDTH),
        )
    ]
    chart = alt.layer(rules, *labels, line, point).properties(width=CURVE_WIDTH, height=CURVE_HEIGHT, title=title)
    return finish(chart)
