"""Heatmaps for the chart tests: a square matrix with the same labels on both axes (queries down, keys across),
drawn by ``ui.charts.heatmaps.attention_heatmap`` with placeholder titles, so a test spells out only what it checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from ui.charts.heatmaps import Heatmap, attention_heatmap

PLACEHOLDER_TITLES = {"title": "A", "x_title": "key", "y_title": "query", "legend_title": "value", "masked_text": "−∞"}


def square_heatmap(
    matrix: np.ndarray,
    labels: list[str],
    *,
    kind: str = "weights",
    allowed: np.ndarray | None = None,
    scale: float = 1.0,
    **options: Any,
) -> Heatmap:
    """``attention_heatmap(matrix, labels, kind=kind, allowed=allowed, scale=scale, lang="en", ...)`` with the
    placeholder titles and "−∞" in masked cells; ``options`` replace any of them (``title``, ``x_title``,
    ``y_title``, ``legend_title``, ``masked_text``) or pass any other ``attention_heatmap`` argument
    (``row_sums``, ``size``, ``show_values``)."""
    arguments = PLACEHOLDER_TITLES | options
    return attention_heatmap(matrix, labels, kind=kind, allowed=allowed, scale=scale, lang="en", **arguments)
