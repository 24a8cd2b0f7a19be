"""The √d_k sweep as one chart: a 2 × 2 grid of panels, one metric each, against d_k (log scale),
unscaled vs scaled.

Same scheme as ``ui/charts.py``: the Vega-Lite spec depends only on titles and labels, so it is built
once and cached; each rerun attaches the data (one dataset for all four panels). Colours are
Okabe–Ito orange and blue (colour-blind safe), and the two settings also differ by dash and point
shape, so they read in greyscale too.
"""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from core.why_scale import ScalingComparison, ScalingSweep
from ui.charts.figure import Figure, finish

SETTINGS = ("unscaled", "scaled")
SETTING_COLOURS = ("#E69F00", "#0072B2")
SETTING_DASHES = ((6, 3), (1, 0))
SETTING_SHAPES = ("triangle-up", "circle")
# Each metric's SoftmaxStats field. The first four are charted (one panel each); all are in the numbers table.
METRIC_FIELDS = {
    "variance": "logit_variance",
    "max_weight": "mean_max_weight",
    "entropy": "mean_entropy",
    "score_gradient": "median_score_gradient",  # what reaches q·k, for the typical row
    "score_gradient_mean": "mean_score_gradient",
    "jacobian": "mean_jacobian_norm",  # at the softmax's own input: not what reaches W_q, W_k
}
METRICS = ("variance", "max_weight", "entropy", "score_gradient")
TABLE_METRICS = tuple(METRIC_FIELDS)
# Variance grows like d_k (a straight line on log–log axes); the unscaled median gradient spans orders of magnitude.
LOG_Y_METRICS = frozenset({"variance", "score_gradient"})
MARK_COLOUR = "#555555"
PANEL_WIDTH = 330
PANEL_HEIGHT = 160


def sweep_frame(sweep: ScalingSweep) -> pd.DataFrame:
    """One row per (d_k, setting, metric): columns d_k, setting, metric, value."""
    records = []
    for point in sweep.points:
        for setting in SETTINGS:
            stats = getattr(point, setting)
            records.extend(
                (point.d_k, setting, metric, getattr(stats, field)) for metric, field in METRIC_FIELDS.items()
            )
    return pd.DataFrame.from_records(records, columns=["d_k", "setting", "metric", "value"])


def sweep_chart(
    frame: pd.DataFrame,
    *,
    setting_labels: tuple[str, str],
    marked_d_ks: tuple[int, ...],
    panel_titles: tuple[str, ...],
    y_titles: tuple[str, ...],
    y_maxes: tuple[float | None, ...],
    x_title: str,
    legend_title: str,
    scale: float = 1.0,
) -> Figure:
    """``sweep_frame`` drawn as one panel per metric (in METRICS order), dotted rules at ``marked_d_ks``; ``scale``
    is the presenter factor (``ui.presenter.chart_scale()``). Pure: reads no session.

    ``setting_labels`` are the shown names of ("unscaled", "scaled"); ``y_maxes`` fix the top of each
    linear y axis (None = from the data; ignored for the log-scale variance).
    """
    curve = pd.DataFrame(
        {
            "d_k": frame["d_k"].to_numpy(),
            "setting": frame["setting"].map(dict(zip(SETTINGS, setting_labels, strict=True))).to_numpy(),
            "metric": frame["metric"].to_numpy(),
            "value": frame["value"].to_numpy(dtype=np.float64),
        }
    )
    marks = pd.DataFrame({"d_k": sorted(set(marked_d_ks))})
    d_ks = tuple(int(d) for d in sorted(frame["d_k"].unique()))
    template = _sweep_template(setting_labels, d_ks, panel_titles, y_titles, y_maxes, x_title, legend_title, scale)
    return Figure(template, {"curve": curve, "marks": marks})


@lru_cache(maxsize=64)
def _sweep_template(
    setting_labels: tuple[str, str],
    d_ks: tuple[int, ...],
    panel_titles: tuple[str, ...],
    y_titles: tuple[str, ...],
    y_maxes: tuple[float | None, ...],
    x_title: str,
    legend_title: str,
    scale: float,  # presenter mode draws the panels and their text larger
) -> str:
    x_scale = alt.Scale(type="log", base=2, domain=[d_ks[0], d_ks[-1]])
    x = alt.X("d_k:Q", scale=x_scale, title=x_title, axis=alt.Axis(values=list(d_ks), format="d", grid=False))
    domain = list(setting_labels)
    # Colour, dash and shape share one field and one legend, so Vega-Lite merges them into a single key.
    legend = alt.Legend(
        orient="top", title=None, symbolStrokeWidth=2.5, symbolSize=120, labelFontSize=round(12 * scale)
    )
    colour = alt.Color("setting:N", scale=alt.Scale(domain=domain, range=list(SETTING_COLOURS)), legend=legend)
    dash = alt.StrokeDash(
        "setting:N", scale=alt.Scale(domain=domain, range=[list(d) for d in SETTING_DASHES]), legend=legend
    )
    shape = alt.Shape("setting:N", scale=alt.Scale(domain=domain, range=list(SETTING_SHAPES)), legend=legend)
    rules = (
        alt.Chart(alt.Data(name="marks"))
        .mark_rule(color=MARK_COLOUR, strokeDash=[2, 3], strokeWidth=1.2)
        .encode(x=alt.X("d_k:Q", scale=x_scale), tooltip=[alt.Tooltip("d_k:Q", title="d_k")])
    )
    panels = []
    for metric, panel_title, y_title, y_max in zip(METRICS, panel_titles, y_titles, y_maxes, strict=True):
        tick_values: dict[str, list[float]] = {}
        if metric == "variance":
            y_scale, y_format = alt.Scale(type="log", base=2), "d"
        elif metric in LOG_Y_METRICS:
            y_scale, y_format = alt.Scale(type="log", base=10), "~g"
            tick_values = {"values": [10.0**k for k in range(-8, 2)]}  # powers of ten: no line per 2…9 × 10^k
        else:
            y_scale = alt.Scale(zero=True) if y_max is None else alt.Scale(domain=[0, y_max], zero=True)
            y_format = ".2f"
        y = alt.Y("value:Q", scale=y_scale, title=y_title, axis=alt.Axis(format=y_format, tickCount=5, **tick_values))
        tooltip = [
            alt.Tooltip("setting:N", title=legend_title),
            alt.Tooltip("d_k:Q", title="d_k"),
            alt.Tooltip("value:Q", title=y_title, format=".4g"),
        ]
        base = (
            alt.Chart(alt.Data(name="curve"))
            .transform_filter(alt.datum.metric == metric)
            .encode(x=x, y=y, color=colour, strokeDash=dash, shape=shape)
        )
        lines = base.mark_line(strokeWidth=2.5)
        points = base.mark_point(size=45, filled=True).encode(tooltip=tooltip)
        panels.append(
            alt.layer(rules, lines, points).properties(
                width=round(PANEL_WIDTH * scale), height=round(PANEL_HEIGHT * scale), title=panel_title
            )
        )
    grid = alt.concat(*panels, columns=2, spacing=28).resolve_scale(y="independent")
    return finish(grid, scale)


def sweep_curves(frame: pd.DataFrame) -> pd.DataFrame:
    """``sweep_frame`` wide: index d_k, one column per (setting, metric)."""
    return frame.pivot(index="d_k", columns=["setting", "metric"], values="value").sort_index()


def numbers_frame(curves: pd.DataFrame, d_k_title: str, titles: dict[tuple[str, str], str]) -> pd.DataFrame:
    """The sweep's numbers table: d_k, then each metric (TABLE_METRICS order) for each setting; ``titles`` names
    each (metric, setting) column."""
    numbers = {d_k_title: curves.index.to_numpy()}
    for metric in TABLE_METRICS:
        for setting in SETTINGS:
            numbers[titles[metric, setting]] = curves[setting][metric].to_numpy()
    return pd.DataFrame(numbers)


PAIR_ROWS = ("variance", "max_weight", "entropy", "score_gradient", "score_gradient_mean")


def pair_frame(
    comparisons: dict[str, ScalingComparison],
    setting: str,
    measure_title: str,
    row_titles: tuple[str, ...],
    side_titles: tuple[str, ...],
) -> pd.DataFrame:
    """The two values of d_k side by side, one row per PAIR_ROWS measure (``row_titles``), one column per side
    (``side_titles``, in ``comparisons``' order), each value to four decimals. The variance is the raw scores',
    whichever softmax (``setting``) is shown."""
    table = pd.DataFrame({measure_title: list(row_titles)})
    for title, comparison in zip(side_titles, comparisons.values(), strict=True):
        shown = getattr(comparison, setting)
        values = (
            comparison.unscaled.logit_variance,
            shown.mean_max_weight,
            shown.mean_entropy,
            shown.median_score_gradient,
            shown.mean_score_gradient,
        )
        table[title] = [f"{value:.4f}" for value in values]
    return table
