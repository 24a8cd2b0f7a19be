"""Heatmaps for the chart tests: a square matrix with the same labels on both axes (queries down, keys across),
drawn by ``ui.charts.heatmaps.heatmap`` with placeholder titles, so a test spells out only what it checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from ui.charts.heatmaps import Figure, heatmap, to_long_df

PLACEHOLDER_TITLES = {"title": "A", "x_title": "key", "y_title": "query", "legend_title": "value"}


def square_heatmap(
    matrix: np.ndarray,
    labels: list[str],
    *,
    kind: str = "weights",
    allowed: np.ndarray | None = None,
    scale: float = 1.0,
    **options: Any,
) -> Figure:
    """``heatmap(to_long_df(matrix, labels, labels, allowed), kind=kind, scale=scale, ...)`` with the placeholder
    titles; ``options`` replace any of them (``title``, ``x_title``, ``y_title``, ``legend_title``) or pass any
    other ``heatmap`` argument (``row_sums``, ``size``, ``masked_text``)."""
    arguments = PLACEHOLDER_TITLES | options
    return heatmap(to_long_df(matrix, labels, labels, allowed), kind=kind, scale=scale, **arguments)
