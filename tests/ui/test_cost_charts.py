"""Chart builders of the cost lesson, read back through their Vega-Lite specs."""

import numpy as np
import pandas as pd

from ui.charts.cost import (
    GUIDE_COLOUR,
    SERIES_COLOURS,
    counts_chart,
    counts_frame,
    pattern_panels,
    tiles_frame,
    times_frame,
    timing_chart,
)
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


def test_times_frame_is_one_row_per_series_and_length():
    df = times_frame([16, 32], {"naive": (1.0, 4.0), "fused": (0.5, 1.0), "guide": (1.0, 4.0)})
    assert df.columns.tolist() == ["L", "ms", "series"]
    assert df["L"].tolist() == [16, 32] * 3
    assert df["ms"].tolist() == [1.0, 4.0, 0.5, 1.0, 1.0, 4.0]
    assert df["series"].tolist() == ["naive"] * 2 + ["fused"] * 2 + ["guide"] * 2


def test_tiles_frame_is_one_row_per_panel_and_tile():
    shares = np.arange(2 * 3 * 3, dtype=np.float64).reshape(2, 3, 3) / 17
    df = tiles_frame(shares, ["a", "b"])
    assert df.columns.tolist() == ["panel", "row", "col", "value"]
    assert df["panel"].tolist() == ["a"] * 9 + ["b"] * 9 and df["panel"].cat.categories.tolist() == ["a", "b"]
    assert (df["row"].dtype, df["col"].dtype, df["value"].dtype) == (np.uint8, np.uint8, np.float32)
    for _, tile in df.iterrows():
        panel = ["a", "b"].index(tile["panel"])
        assert tile["value"] == np.float32(shares[panel, tile["row"], tile["col"]])


def test_counts_frame_is_one_row_per_series_and_length():
    df = counts_frame([16, 32], {"full": (256, 1024), "causal": (136, 528)})
    assert df.to_dict("list") == {
        "L": [16, 32, 16, 32],
        "count": [256, 1024, 136, 528],
        "series": ["full"] * 2 + ["causal"] * 2,
    }
