"""Charts of a pretrained model's attention: every head at once, and one query token across every head.

Both specs depend only on the model's shape (layers × heads) and fixed pixel sizes, never on the
sentence's length, so a new sentence swaps the data in place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from core.pretrained import Link, PronounChoice
from ui.charts.heatmaps import WEIGHTS_SCHEME, Figure, Heatmap, finish, small_multiples
from ui.i18n import STRINGS

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


def _titles(lang: str, *keys: str) -> list[str]:
    return [STRINGS[key][lang] for key in keys]


def head_grid(attentions: np.ndarray, labels: Sequence[str], *, lang: str, scale: float = 1.0) -> Heatmap:
    """Every head's weights as a small heatmap, a row of heads per layer, hover naming the head, the query
    and the key; shown with ``show(..., on_click=..., selected_panel=layer * heads + head)``, a click picks a
    head and the chosen one is outlined. ``attentions [layers, heads, L, L]``; titles in ``lang``.

    The colour runs over [0, top], ``top`` = ``grid_colour_top``: on [0, 1] a head that spreads its weight
    over 20 tokens (0.05 each) is as pale as one that ignores them, and most of the grid was near-white."""
    panel_title, layer_title, head_title, query_title, key_title, value_title = _titles(
        lang, "pt.grid.panel", "pt.axis.layer", "pt.axis.head", "axis.query", "axis.key", "axis.value"
    )
    layers, heads, rows, cols = attentions.shape
    panels = tuple(np.ascontiguousarray(attentions.reshape(layers * heads, rows, cols), dtype=np.float64))
    return small_multiples(
        panels=panels,
        masked=(None,) * len(panels),
        rows=tuple(labels),
        cols=tuple(labels),
        title="",
        x_title=key_title,
        y_title=query_title,
        legend_title=value_title,
        size=round(GRID_CELL * scale),
        scale=scale,
        panel_titles=tuple(panel_title.format(layer=n // heads, head=n % heads) for n in range(layers * heads)),
        panel_label=f"{layer_title} · {head_title}",
        figure="grid",
        weights_top=grid_colour_top(attentions),
        axis_labels=False,
        per_row=heads,
        grid_titles=(layer_title, head_title),
    )


def grid_colour_top(attentions: np.ndarray) -> float:
    """The top of the grid's colour scale: the 98th percentile of every weight, rounded up to 0.05 and kept in
    [0.1, 1], so the few near-1 weights (mostly to [SEP]) do not leave everything else pale."""
    if attentions.size == 0:
        return 1.0
    top = math.ceil(float(np.quantile(attentions, 0.98)) * 20) / 20
    return min(1.0, max(0.1, top))


def links_frame(links: Sequence[Link], labels: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """The strongest links as a table: layer, head, key, weight (three decimals), under ``columns``' names."""
    cells = [(link.layer, link.head, labels[link.key], f"{link.weight:.3f}") for link in links]
    return pd.DataFrame(cells, columns=list(columns))


def pair_frame(choices: Sequence[PronounChoice], layer: int, head: int, columns: Sequence[str]) -> pd.DataFrame:
    """The pronoun pair as a table: each sentence's last word, what head ``layer``/``head``'s "it" gives the
    animal and the street, and how many heads prefer the animal."""
    cells = [
        (c.last_word, f"{float(c.animal[layer, head]):.3f}", f"{float(c.street[layer, head]):.3f}", c.preferring_animal)
        for c in choices
    ]
    return pd.DataFrame(cells, columns=list(columns))


def summary_frame(shares: np.ndarray, target_names: Sequence[str], layer_title: str, head_title: str) -> pd.DataFrame:
    """Every head's shares, one row per head: ``shares [layers, heads, targets]``, four decimals."""
    layers, heads, _ = shares.shape
    table = {layer_title: np.repeat(np.arange(layers), heads), head_title: np.tile(np.arange(heads), layers)}
    for index, name in enumerate(target_names):
        table[name] = shares[:, :, index].ravel().round(4)
    return pd.DataFrame(table)


def picked_head(click: tuple[int, int, int] | None, heads: int) -> tuple[int, int] | None:
    """The (layer, head) of a click on the grid (``ui.heatmap.clicked``'s (panel, row, col)), or None."""
    return None if click is None else divmod(click[0], heads)


def token_across_heads(weights: np.ndarray, key_labels: list[str], *, title: str, lang: str) -> Figure:
    """One query token's weights in every head: a panel per layer, heads down, keys across.
    ``weights [layers, heads, L]``; axis titles in ``lang``."""
    layer_title, head_title, key_title, value_title = _titles(
        lang, "pt.axis.layer", "pt.axis.head", "axis.key", "axis.value"
    )
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
