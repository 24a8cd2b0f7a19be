"""Charts of the training lesson: a heatmap with some cells outlined (the expected keys), and curves of a
run's history against the training step with a rule at the step being looked at.

Same scheme as ``ui/charts.py``: the Vega-Lite spec depends only on titles and labels and is cached; each
rerun attaches its data, so scrubbing through training swaps data in place. In presenter mode both are
``chart_scale()`` times larger. Series are Okabe–Ito colours
(colour-blind safe) and also differ by dash, so they read in greyscale.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler
from torch import Tensor

from core.induction import DROP_FRACTION, DROP_WINDOW, smoothed
from ui.charts.figure import Figure, finish
from ui.charts.heatmaps import attention_heatmap, position_labels, to_long_df
from ui.i18n import STRINGS
from ui.presenter import chart_scale

OUTLINE_COLOUR = "#D55E00"  # Okabe–Ito vermillion: stands out on the whole blue scale
OUTLINE_WIDTH = 3
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7")
SERIES_DASHES = ((1, 0), (6, 3), (2, 2), (8, 2, 2, 2))
MARK_COLOUR = "#555555"
CURVE_WIDTH = 360
PAIRED_CURVE_WIDTH = 290  # two curve charts side by side in the main column at 1280 px
CURVE_HEIGHT = 140
LOG_FLOOR = 1e-6  # a loss can round to 0 in float32; a log axis cannot draw 0


def probe_heatmap(
    weights: Tensor,
    tokens: Tensor,
    allowed: Tensor,
    keys: Tensor,
    *,
    title: str,
    lang: str,
    scale: float,
    size: int,
    axis_keys: tuple[str, str] = ("train.axis.key", "train.axis.query"),
) -> Figure:
    """The probe's attention ``weights [L, L]`` (its digits ``tokens [L]``, ``allowed [L, L]``), with the keys the
    task expects (``keys [L]``: one per query; −1 = none) outlined; axis titles (``axis_keys``: x, y) in ``lang``."""
    labels = position_labels([str(digit) for digit in tokens.tolist()])
    figure = attention_heatmap(
        weights.numpy(),
        labels,
        kind="weights",
        title=title,
        scale=scale,
        lang=lang,
        allowed=allowed.numpy(),
        x_title=STRINGS[axis_keys[0]][lang],
        y_title=STRINGS[axis_keys[1]][lang],
        legend_title=STRINGS["train.axis.weight"][lang],
        size=size,
    )
    cells = to_long_df(weights.numpy(), labels, labels, allowed=allowed.numpy())
    return with_outlines(figure, cells[cells["col"].to_numpy() == keys.numpy()[cells["row"].to_numpy()]])


def with_drop(figure: Figure, step: int | None, label: str) -> Figure:
    """A ``history_chart`` with a solid vermillion rule at ``step`` (the loss drop) labelled ``label``; unchanged
    when there is no drop."""
    if step is None:
        return figure
    drop = pd.DataFrame({"step": [step], "label": [label]})
    return Figure(_drop_template(figure.template), {**figure.datasets, "drop": drop}, figure.params)


@lru_cache(maxsize=128)
def _drop_template(template: str) -> str:
    spec = json.loads(template)
    x = {"field": "step", "type": "quantitative"}
    spec["layer"].append(
        {
            "data": {"name": "drop"},
            "mark": {"type": "rule", "color": OUTLINE_COLOUR, "strokeWidth": 2},
            "encoding": {"x": x},
        }
    )
    spec["layer"].append(
        {
            "data": {"name": "drop"},
            "mark": {"type": "text", "color": OUTLINE_COLOUR, "align": "left", "baseline": "top", "dx": 4, "y": 4},
            "encoding": {"x": x, "text": {"field": "label", "type": "nominal"}},
        }
    )
    return json.dumps(spec, ensure_ascii=False)


def history_frame(steps: np.ndarray, series: dict[str, np.ndarray]) -> pd.DataFrame:
    """Long form for ``history_chart``: one row per (series, snapshot)."""
    return pd.DataFrame(
        {
            "step": np.tile(steps, len(series)),
            "series": np.repeat(list(series), len(steps)),
            "value": np.concatenate([values.astype(np.float64) for values in series.values()]),
        }
    )


def loss_drop_series(loss: Tensor, plateau: float, names: Sequence[str]) -> dict[str, np.ndarray]:
    """The induction run's ``loss [steps + 1]``, the same averaged over the drop's window (2·DROP_WINDOW + 1
    steps), its ``plateau`` and the drop's threshold (DROP_FRACTION of it), named ``names`` in that order: the
    ``series`` of ``history_frame`` against ``loss_steps(loss)``."""
    values = (
        loss.numpy(),
        smoothed(loss, DROP_WINDOW).numpy(),
        np.full(len(loss), plateau),
        np.full(len(loss), DROP_FRACTION * plateau),
    )
    return dict(zip(names, values, strict=True))


def loss_steps(loss: Tensor) -> np.ndarray:
    """The step of each entry of a per-step ``loss [steps + 1]``: 0, 1, …, steps."""
    return np.arange(len(loss), dtype=np.int64)


def probe_table(tokens: Tensor, targets: Tensor, predictions: Tensor, rows: Sequence[str], wrong_style: str) -> Styler:
    """The probe's digits, the right answers and the model's (``rows`` names the three), wrong answers styled."""
    table = pd.DataFrame(
        [tokens.tolist(), targets.tolist(), predictions.tolist()],
        index=list(rows),
        columns=[str(i) for i in range(len(predictions))],
    )
    marks = pd.DataFrame("", index=list(rows), columns=table.columns)
    marks.loc[rows[-1], (predictions != targets).numpy()] = wrong_style
    return table.style.apply(lambda _: marks, axis=None)


def with_outlines(figure: Figure, outlined: pd.DataFrame) -> Figure:
    """``figure`` (a ``ui.charts.heatmaps``) with a frame drawn around the cells in ``outlined``, which has
    the heatmap cells' columns (row, col, row_label, col_label, value, masked): a subset of its cells."""
    return Figure(_outlined_template(figure.template), {**figure.datasets, "outlined": outlined}, figure.params)


@lru_cache(maxsize=128)
def _outlined_template(template: str) -> str:
    spec = json.loads(template)
    cells = spec["layer"][0]["encoding"]  # the heatmap's first layer: its x/y scales and tooltip are reused
    frame = {
        "data": {"name": "outlined"},
        "mark": {"type": "rect", "filled": False, "stroke": OUTLINE_COLOUR, "strokeWidth": OUTLINE_WIDTH},
        "encoding": {name: cells[name] for name in ("x", "y", "tooltip")},
    }
    spec["layer"].append(frame)
    return json.dumps(spec, ensure_ascii=False)


def history_chart(
    df: pd.DataFrame,
    *,
    step: int,
    series: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
    log_y: bool = False,
    width: int = CURVE_WIDTH,
) -> Figure:
    """Lines of ``value`` against ``step``, one per ``series`` label (columns of ``df``: step, series, value),
    and a dashed rule at ``step``. A linear y axis runs from 0 to 1 as a percentage; a log one starts at
    ``LOG_FLOOR``. ``width``: the plot's pixels before presenter scaling (two charts side by side need less)."""
    curves = df[["step", "series", "value"]].copy()
    if log_y:
        curves["value"] = curves["value"].clip(lower=LOG_FLOOR)
    template = _history_template(tuple(series), title, x_title, y_title, log_y, chart_scale(), width)
    return Figure(template, {"curves": curves, "mark": pd.DataFrame({"step": [step]})})


@lru_cache(maxsize=128)
def _history_template(
    series: tuple[str, ...], title: str, x_title: str, y_title: str, log_y: bool, scale: float, width: int
) -> str:
    count = len(series)
    legend = alt.Legend(
        orient="bottom",
        title=None,
        columns=2,
        labelLimit=round(260 * scale),
        symbolType="stroke",
        symbolStrokeWidth=2.5,
    )
    if log_y:
        y_scale, y_axis = alt.Scale(type="log"), alt.Axis(format="~g", tickCount=5)
    else:
        y_scale, y_axis = alt.Scale(domain=[0, 1]), alt.Axis(format="%", tickCount=5)
    x = alt.X("step:Q", title=x_title, axis=alt.Axis(format="d", tickCount=6), scale=alt.Scale(nice=False))
    lines = (
        alt.Chart(alt.Data(name="curves"))
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title, scale=y_scale, axis=y_axis),
            color=alt.Color(
                "series:N", scale=alt.Scale(domain=list(series), range=list(SERIES_COLOURS[:count])), legend=legend
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=list(series), range=[list(dash) for dash in SERIES_DASHES[:count]]),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("step:Q", title=x_title),
                alt.Tooltip("value:Q", title=y_title, format=".4g" if log_y else ".1%"),
            ],
        )
    )
    rule = alt.Chart(alt.Data(name="mark")).mark_rule(color=MARK_COLOUR, strokeWidth=2, strokeDash=[4, 3]).encode(x=x)
    size = {"width": round(width * scale), "height": round(CURVE_HEIGHT * scale)}
    return finish(alt.layer(lines, rule).properties(**size, title=title), text_scale=scale)
