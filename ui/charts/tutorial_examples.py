"""Charts of the tutorials' worked examples: the dimension comparison the tutorial draws, as grouped bars.

Like ``ui/charts.py``, the Vega-Lite spec depends only on the texts and is cached; each rerun attaches its data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import altair as alt
import pandas as pd

from core.tutorial_examples import TensorSize
from ui.charts.figure import Figure, finish
from ui.charts.multi_head import format_shape
from ui.presenter import chart_scale

COMPARED = ("q", "k", "v", "output")  # the tensors the tutorial's bar chart compares
MEASURE_COLOURS = ("#0072B2", "#E69F00")  # length, width (Okabe–Ito)
BAR_WIDTH, BAR_HEIGHT = 420, 220


def dimension_bars(
    sizes: Sequence[TensorSize],
    names: Mapping[str, str],
    *,
    title: str,
    length_title: str,
    width_title: str,
    value_title: str,
) -> Figure:
    """Length (positions) and width (features) of Q, K, V and the output, side by side per tensor."""
    rows = []
    for size in sizes:
        if size.name in COMPARED:
            for measure, value in ((length_title, size.length), (width_title, size.width)):
                rows.append(
                    {"tensor": names[size.name], "shape": format_shape(size.shape), "measure": measure, "value": value}
                )
    template = _bars_template(title, length_title, width_title, value_title, chart_scale())
    return Figure(template, {"bars": pd.DataFrame(rows)})


@lru_cache(maxsize=64)
def _bars_template(title: str, length_title: str, width_title: str, value_title: str, scale: float) -> str:
    base = alt.Chart(alt.Data(name="bars")).encode(
        x=alt.X("tensor:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("measure:N", sort=[length_title, width_title]),
        y=alt.Y("value:Q", title=value_title),
        color=alt.Color(
            "measure:N",
            scale=alt.Scale(domain=[length_title, width_title], range=list(MEASURE_COLOURS)),
            legend=alt.Legend(title=None, orient="top"),
        ),
        tooltip=[alt.Tooltip("tensor:N"), alt.Tooltip("shape:N"), alt.Tooltip("measure:N"), alt.Tooltip("value:Q")],
    )
    bars = base.mark_bar()
    labels = base.mark_text(dy=-6, fontSize=round(12 * scale)).encode(text="value:Q")
    chart = alt.layer(bars, labels).properties(
        width=round(BAR_WIDTH * scale), height=round(BAR_HEIGHT * scale), title=title
    )
    return finish(chart, text_scale=scale)


def shapes_table(
    sizes: Sequence[TensorSize], names: Mapping[str, str], *, tensor_title: str, shape_title: str
) -> pd.DataFrame:
    """One row per tensor: its name and its shape, read off the tensor."""
    return pd.DataFrame(
        {tensor_title: [names[s.name] for s in sizes], shape_title: [format_shape(s.shape) for s in sizes]}
    )
