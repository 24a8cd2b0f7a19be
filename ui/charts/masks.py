"""Charts of the masks lesson: a mask drawn as allowed (1) / not allowed (✗) cells, and attention weights whose
not-allowed cells read "0". Pure: the presenter scale and the language are arguments."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ui.charts.heatmaps import Heatmap, attention_heatmap

CHART_SIZE = 200
VALUES_IN_CELLS_UP_TO = 12  # tokens; longer sequences show their numbers only in the tooltip


def mask_chart(
    allowed: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    title: str,
    legend_title: str,
    scale: float,
    lang: str,
    size: int = CHART_SIZE,
) -> Heatmap:
    """Shapes: allowed ``[rows, cols]`` bool. Allowed cells are 1 (dark), the others grey and marked ✗."""
    return attention_heatmap(
        allowed.astype(np.float64),
        rows,
        cols,
        kind="weights",
        title=title,
        scale=scale,
        lang=lang,
        allowed=allowed,
        legend_title=legend_title,
        masked_text="✗",
        show_values=False,
        size=size,
    )


def weights_chart(
    weights: np.ndarray,
    allowed: np.ndarray,
    labels: Sequence[str],
    *,
    title: str,
    scale: float,
    lang: str,
    size: int = CHART_SIZE,
) -> Heatmap:
    """Shapes: weights and allowed ``[L, L]``. Values in the cells up to 12 tokens, and each row's sum, except when
    a row is NaN (PyTorch's fully masked rows in the conventions part): such a row has no sum to show."""
    return attention_heatmap(
        weights,
        labels,
        kind="weights",
        title=title,
        scale=scale,
        lang=lang,
        allowed=allowed,
        show_values=len(labels) <= VALUES_IN_CELLS_UP_TO,
        row_sums=None if np.isnan(weights).any() else weights.sum(axis=-1),
        size=size,
    )
