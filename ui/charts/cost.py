"""Charts of the cost lesson: measured time against L (log–log, with an O(L²) guide), mask patterns drawn
as tiles, and the number of scores each mask keeps against L.

Same scheme as ``ui/charts.py``: the Vega-Lite spec depends only on the chart's shape and texts and is
built once and cached; each rerun attaches its own long-form data. Series colours are Okabe–Ito
(colour-blind safe) and also differ by dash, so they read in greyscale; shares use the [0, 1] blue scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from ui.charts.heatmaps import WEIGHTS_SCHEME, Figure, finish

SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00")
GUIDE_COLOUR = "#777777"
MARK_COLOUR = "#555555"
LINE_WIDTH = 560
LINE_HEIGHT = 260
PATTERN_SIZE = 128  # five panels fit the ~820 px content column at 1280×720


def timing_chart(
    df: pd.DataFrame,
    *,
    series: Sequence[str],
    guide: str,
    title: str,
    x_title: str,
    y_title: str,
) -> Figure:
    """Median time against L on log–log axes: one line with points per measured ``series`` and a dashed
    ``guide`` line without points. Columns of ``df``: L, ms, series."""
    lengths = tuple(int(n) for n in sorted(df["L"].unique()))
    return Figure(_timing_template(tuple(series), guide, lengths, title, x_title, y_title), {"times": df})


@lru_cache(maxsize=128)
def _timing_template(
    series: tuple[str, ...], guide: str, lengths: tuple[int, ...], title: str, x_title: str, y_title: str
) -> str:
    domain = [*series, guide]
    legend = alt.Legend(orient="top", title=None, labelLimit=300, symbolType="stroke", symbolStrokeWidth=2.5)
    x = alt.X(
        "L:Q",
        scale=alt.Scale(type="log", base=2, domain=[lengths[0], lengths[-1]]),
        title=x_title,
        axis=alt.Axis(values=list(lengths), format="d", grid=False),
    )
    y = alt.Y("ms:Q", scale=alt.Scale(type="log"), title=y_title, axis=alt.Axis(format="~g", tickCount=5))
    base = alt.Chart(alt.Data(name="times")).encode(
        x=x,
        y=y,
        color=alt.Color(
            "series:N",
            scale=alt.Scale(domain=domain, range=[*SERIES_COLOURS[: len(series)], GUIDE_COLOUR]),
            legend=legend,
        ),
        strokeDash=alt.StrokeDash(
            "series:N", scale=alt.Scale(domain=domain, range=[[1, 0]] * len(series) + [[6, 4]]), legend=legend
        ),
    )
    tooltip = [
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("L:Q", title=x_title),
        alt.Tooltip("ms:Q", title=y_title, format=".4g"),
    ]
    lines = base.mark_line(strokeWidth=2.5)
    points = base.transform_filter(alt.FieldOneOfPredicate("series", list(series))).mark_point(filled=True, size=50)
    chart = alt.layer(lines, points.encode(tooltip=tooltip)).properties(
        width=LINE_WIDTH, height=LINE_HEIGHT, title=title
    )
    return finish(chart)


def pattern_panels(
    df: pd.DataFrame, *, panels: Sequence[str], tiles: int, side: int, title: str, legend_title: str
) -> Figure:
    """One small square per mask: ``tiles`` × ``tiles`` tiles of ``side`` × ``side`` query–key pairs, each
    coloured by the share of allowed pairs in it. Columns of ``df``: panel, row, col (tile indices), value."""
    return Figure(_pattern_template(tuple(panels), tiles, side, title, legend_title), {"tiles": df})


def _positions(field: str, side: int) -> str:
    """A Vega expression for the positions a tile covers: "0–15", or "7" for tiles of one position."""
    first = f"datum.{field} * {side}"
    return f"'' + ({first})" if side == 1 else f"({first}) + '–' + ({first} + {side - 1})"


@lru_cache(maxsize=128)
def _pattern_template(panels: tuple[str, ...], tiles: int, side: int, title: str, legend_title: str) -> str:
    cell = max(1, PATTERN_SIZE // tiles)
    chart = (
        alt.Chart(alt.Data(name="tiles"))
        # The position ranges are computed in the browser: as data they would triple what each rerun sends.
        .transform_calculate(queries=_positions("row", side), keys=_positions("col", side))
        .mark_rect()
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(scheme=WEIGHTS_SCHEME, domain=[0, 1]),
                title=legend_title,
                legend=alt.Legend(orient="bottom", gradientLength=160, format="%"),
            ),
            tooltip=[
                alt.Tooltip("panel:N", title=" "),
                alt.Tooltip("queries:N", title="i"),
                alt.Tooltip("keys:N", title="j"),
                alt.Tooltip("value:Q", title=legend_title, format=".1%"),
            ],
        )
        .properties(width=cell * tiles, height=cell * tiles)
        .facet(
            column=alt.Column("panel:N", sort=list(panels), title=None, header=alt.Header(labelFontSize=12)),
            spacing=10,
            title=title,
        )
    )
    return finish(chart)


def counts_chart(
    df: pd.DataFrame,
    marker: int,
    *,
    series: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
) -> Figure:
    """Scores kept against L on log–log axes, one line per mask (``series`` order), a rule at L = ``marker``.

    Columns of ``df``: L, count, series.
    """
    lengths = tuple(int(n) for n in sorted(df["L"].unique()))
    template = _counts_template(tuple(series), lengths, title, x_title, y_title)
    return Figure(template, {"counts": df, "marker": pd.DataFrame({"L": [marker]})})


@lru_cache(maxsize=128)
def _counts_template(series: tuple[str, ...], lengths: tuple[int, ...], title: str, x_title: str, y_title: str) -> str:
    x_scale = alt.Scale(type="log", base=2, domain=[lengths[0], lengths[-1]])
    x = alt.X("L:Q", scale=x_scale, title=x_title, axis=alt.Axis(values=list(lengths), format="d", grid=False))
    y = alt.Y("count:Q", scale=alt.Scale(type="log"), title=y_title, axis=alt.Axis(format="~s", tickCount=5))
    dashes = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4]]
    legend = alt.Legend(orient="right", title=None, labelLimit=220, symbolType="stroke", symbolStrokeWidth=2.5)
    line = (
        alt.Chart(alt.Data(name="counts"))
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(filled=True, size=30))
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=list(series), range=list(SERIES_COLOURS[: len(series)])),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=list(series), range=dashes[: len(series)]), legend=legend
            ),
            tooltip=[
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("L:Q", title=x_title),
                alt.Tooltip("count:Q", title=y_title, format=","),
            ],
        )
    )
    rule = (
        alt.Chart(alt.Data(name="marker"))
        .mark_rule(color=MARK_COLOUR, strokeDash=[2, 3], strokeWidth=1.2)
        .encode(x=alt.X("L:Q", scale=x_scale))
    )
    chart = alt.layer(rule, line).properties(width=LINE_WIDTH - 120, height=LINE_HEIGHT, title=title)
    return finish(chart)


# ── long-form frames of the lesson's numbers ─────────────────────────────────


def times_frame(lengths: Sequence[int], series: dict[str, Sequence[float]]) -> pd.DataFrame:
    """One row per (series, L): columns L, ms, series; ``series`` maps a label to its times, one per length."""
    return pd.DataFrame(
        {
            "L": np.tile(lengths, len(series)),
            "ms": np.concatenate([np.asarray(times, dtype=np.float64) for times in series.values()]),
            "series": np.repeat(list(series), len(lengths)),
        }
    )


def tiles_frame(shares: np.ndarray, panels: Sequence[str]) -> pd.DataFrame:
    """Shapes: shares ``[panels, tiles, tiles]`` → one row per tile: panel, row, col (tile indices), value."""
    kind_count, tiles = shares.shape[0], shares.shape[1]
    cells = tiles * tiles
    return pd.DataFrame(
        {
            "panel": pd.Categorical.from_codes(np.repeat(np.arange(kind_count), cells), categories=list(panels)),
            "row": np.tile(np.repeat(np.arange(tiles, dtype=np.uint8), tiles), kind_count),
            "col": np.tile(np.tile(np.arange(tiles, dtype=np.uint8), tiles), kind_count),
            "value": shares.reshape(-1).astype(np.float32),  # shares of at most 64² pairs: exact enough for colour
        }
    )


def counts_frame(lengths: Sequence[int], counts: dict[str, Sequence[int]]) -> pd.DataFrame:
    """One row per (series, L): columns L, count, series; ``counts`` maps a label to its counts, one per length."""
    return pd.DataFrame(
        [
            {"L": n, "count": count, "series": label}
            for label, row in counts.items()
            for n, count in zip(lengths, row, strict=True)
        ]
    )
