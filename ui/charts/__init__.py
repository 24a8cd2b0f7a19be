"""Charts: matrices and lesson results → figures on screen (a canvas heatmap, ``ui.heatmap``) and for export
(Altair/Vega-Lite through vl-convert, ``ui.export``).

- ``figure``: the ``Figure`` type (a cached Vega-Lite spec plus this rerun's data); imports nothing from ``ui``.
- ``heatmaps``: ``attention_heatmap`` and the small-multiple builders (pure: the presenter scale and the
  language are arguments), their ``Heatmap`` payload for the canvas and their Vega-Lite export.
- ``render``: ``show`` puts any figure on the page with its export menu.
- one module per lesson, named as its page (``step_by_step``, ``why_scale``, ``multi_head``, …).
"""

from ui.charts.figure import Figure, finish
from ui.charts.heatmaps import (
    Heatmap,
    attention_heatmap,
    heads_grid,
    heads_overview,
    position_labels,
    progress_heatmap,
    short_label,
    small_multiples,
    to_long_df,
)
from ui.charts.render import show

__all__ = [
    "Figure",
    "Heatmap",
    "attention_heatmap",
    "finish",
    "heads_grid",
    "heads_overview",
    "position_labels",
    "progress_heatmap",
    "short_label",
    "show",
    "small_multiples",
    "to_long_df",
]
