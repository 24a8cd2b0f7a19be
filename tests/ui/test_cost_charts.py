"""Chart builders of the cost lesson, read back through their Vega-Lite specs."""

import pandas as pd

from ui.charts.cost import GUIDE_COLOUR, SERIES_COLOURS, counts_chart, pattern_panels, timing_chart
from ui.charts.heatmaps import WEIGHTS_SCHEME


def _times() -> pd.DataFrame:
    lengths = [16, 32, 64]
    return pd.DataFrame(
        {
            "L": lengths * 3,
            "ms": [0.01, 0.02, 0.05, 0.005, 0.01, 0.03, 0.003, 0.0125, 0.05],
            "series": ["naive"] * 3 + ["fused"] * 3 + ["guide"] * 3,
        }
    )


def test_timing_chart_is_log_log_with_a_dashed_guide_without_points():
    spec = timing_chart(_times(), series=["naive", "fused"], guide="guide", title="T", x_title="L", y_title="ms").spec()
    lines, points = spec["layer"]
    assert lines["encoding"]["x"]["scale"]["type"] == "log" and lines["encoding"]["x"]["scale"]["base"] == 2
    assert lines["encoding"]["x"]["axis"]["values"] == [16, 32, 64]
    assert lines["encoding"]["y"]["scale"]["type"] == "log"
    assert lines["encoding"]["color"]["scale"]["range"] == [*SERIES_COLOURS[:2], GUIDE_COLOUR]
    assert lines["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [1, 0], [6, 4]]
    assert points["transform"] == [{"filter": {"field": "series", "oneOf": ["naive", "fused"]}}]


def test_pattern_panels_are_square_shares_on_a_fixed_scale():
    df = pd.DataFrame({"panel": ["full"] * 4, "row": [0, 0, 1, 1], "col": [0, 1, 0, 1], "value": [1.0, 0.0, 0.5, 1.0]})
    spec = pattern_panels(df, panels=["full"], tiles=2, side=8, title="T", legend_title="share").spec()
    inner = spec["spec"]
    assert inner["width"] == inner["height"] == 64 * 2
    assert inner["encoding"]["color"]["scale"] == {"scheme": WEIGHTS_SCHEME, "domain": [0, 1]}
    assert spec["facet"]["column"]["sort"] == ["full"]
    assert inner["transform"][1] == {"calculate": "(datum.col * 8) + '–' + (datum.col * 8 + 7)", "as": "keys"}


def test_counts_chart_marks_the_chosen_length():
    df = pd.DataFrame({"L": [16, 32, 16, 32], "count": [256, 1024, 136, 528], "series": ["full"] * 2 + ["causal"] * 2})
    figure = counts_chart(df, 32, series=["full", "causal"], title="T", x_title="L", y_title="n")
    assert figure.datasets["marker"]["L"].tolist() == [32]
    rule, line = figure.spec()["layer"]
    assert rule["mark"]["type"] == "rule"
    assert line["encoding"]["y"]["scale"]["type"] == "log"
    assert line["encoding"]["strokeDash"]["scale"]["domain"] == ["full", "causal"]
