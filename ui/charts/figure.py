"""The chart type every chart module returns: a Vega-Lite spec built once per shape, plus this rerun's data.

It imports nothing from ``ui``: chart builders, the export and the render module all depend on it, not on each
other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart


@dataclass(frozen=True)
class Figure:
    """A cached Vega-Lite spec (built with Altair, without data) plus this rerun's data and params."""

    template: str  # JSON of the spec; shared between reruns and sessions, so kept immutable
    datasets: dict[str, pd.DataFrame]
    params: dict[str, float] = field(default_factory=dict)

    def spec(self) -> dict:
        spec = json.loads(self.template)
        if self.params:
            # Keep the template's own params (e.g. a click selection); set the per-rerun values.
            kept = [param for param in spec.get("params", []) if param.get("name") not in self.params]
            spec["params"] = kept + [{"name": name, "value": value} for name, value in self.params.items()]
        spec["datasets"] = dict(self.datasets)
        return spec


def finish(chart: AnyChart, text_scale: float = 1.0) -> str:
    """The spec as JSON, drawn at its own size (Streamlit would squeeze layers to fit), projector-sized text
    (``text_scale`` times larger in presenter mode)."""
    axis, title, legend = round(12 * text_scale), round(14 * text_scale), round(11 * text_scale)
    finished = (
        chart.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))
        .configure_axis(labelFontSize=axis, titleFontSize=axis, titleFontWeight="normal")
        .configure_title(fontSize=title, anchor="start")
        .configure_legend(labelFontSize=legend, titleFontSize=legend)
        .configure_view(strokeWidth=0)
    )
    spec = finished.to_dict(validate=False)
    # Canvas, not SVG: a heatmap redraw then creates no DOM nodes (SVG made ~8,600 DOM changes per
    # slider step at the defaults and ~135,000 at L = 64, most of the slider-to-repaint time).
    spec["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    return json.dumps(spec, ensure_ascii=False)
