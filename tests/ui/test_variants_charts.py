"""Chart builders of the variants lesson, read back through their Vega-Lite specs."""

import numpy as np
import pandas as pd

from ui.charts.heatmaps import WEIGHTS_SCHEME
from ui.charts.variants import (
    SERIES_COLOURS,
    TAU_TICKS,
    choice_bars,
    entropy_curve,
    panels_frame,
    weight_panels,
)

PANELS = ["dot", "scaled dot", "general", "additive"]


def _frame(rows: int = 3, cols: int = 3) -> pd.DataFrame:
    weights = [np.full((rows, cols), 1 / cols) * (i + 1) / 4 for i in range(4)]
    scores = [np.arange(rows * cols, dtype=float).reshape(rows, cols) * i for i in range(4)]
    return panels_frame(weights, scores, PANELS, [f"q{i}" for i in range(rows)], [f"k{j}" for j in range(cols)])


def test_panels_frame_has_one_row_per_panel_and_cell():
    df = _frame(2, 3)
    assert len(df) == 4 * 6
    assert df["panel"].tolist()[:6] == ["dot"] * 6 and df["panel"].tolist()[-1] == "additive"
    assert df["row"].tolist()[:6] == [0, 0, 0, 1, 1, 1] and df["col"].tolist()[:6] == [0, 1, 2, 0, 1, 2]
    assert df["row_label"].tolist()[:4] == ["q0", "q0", "q0", "q1"] and df["col_label"].tolist()[:4] == [
        "k0",
        "k1",
        "k2",
        "k0",
    ]
    assert df[df["panel"] == "general"]["score"].tolist() == [2.0 * i for i in range(6)]
    assert df[df["panel"] == "additive"]["value"].tolist() == [1 / 3] * 6


def test_weight_panels_facet_in_order_on_a_fixed_weight_scale():
    figure = weight_panels(
        _frame(), panels=PANELS, title="T", x_title="key", y_title="query", legend_title="w", score_title="s"
    )
    spec = figure.spec()
    assert spec["facet"]["column"]["sort"] == PANELS
    colour = spec["spec"]["encoding"]["color"]
    assert colour["scale"] == {"scheme": WEIGHTS_SCHEME, "domain": [0, 1]}
    assert [t["field"] for t in spec["spec"]["encoding"]["tooltip"]] == [
        "panel",
        "row_label",
        "col_label",
        "score",
        "value",
    ]
    assert spec["spec"]["encoding"]["y"]["sort"] == ["q0", "q1", "q2"]
    assert spec["datasets"]["panels"] is figure.datasets["panels"]


def test_templates_are_cached_per_shape_and_texts():
    args = {"panels": PANELS, "title": "T", "x_title": "k", "y_title": "q", "legend_title": "w", "score_title": "s"}
    assert weight_panels(_frame(), **args).template is weight_panels(_frame(), **args).template
    assert weight_panels(_frame(), **args).template is not weight_panels(_frame(4, 4), **args).template


def test_choice_bars_group_series_on_a_zero_to_one_axis():
    df = pd.DataFrame(
        {
            "key": [1, 0, 1, 0],
            "key_label": ["1 b", "0 a", "1 b", "0 a"],
            "series": ["s", "s", "h", "h"],
            "value": [0.4, 0.6, 1.0, 0.0],
        }
    )
    spec = choice_bars(df, series=["s", "h"], title="T", x_title="key", y_title="weight").spec()
    encoding = spec["encoding"]
    assert encoding["x"]["sort"] == ["0 a", "1 b"]  # key order, not data order
    assert encoding["xOffset"]["sort"] == ["s", "h"]
    assert encoding["y"]["scale"]["domain"] == [0, 1]
    assert encoding["color"]["scale"] == {"domain": ["s", "h"], "range": list(SERIES_COLOURS[:2])}


def test_entropy_curve_uses_a_log_tau_axis_and_places_both_bound_labels():
    curve = pd.DataFrame({"tau": [0.05, 1.0, 10.0], "entropy": [0.1, 1.0, 2.0]})
    figure = entropy_curve(
        curve,
        pd.DataFrame({"tau": [1.0], "entropy": [1.0]}),
        pd.DataFrame({"entropy": [2.3, 0.0], "label": ["uniform", "one-hot"]}),
        title="T",
        x_title="τ",
        y_title="H",
    )
    spec = figure.spec()
    line = next(layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "curve")
    assert line["encoding"]["x"]["scale"] == {"type": "log", "domain": [0.05, 10.0]}
    assert line["encoding"]["x"]["axis"]["values"] == list(TAU_TICKS)
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert sorted(layer["mark"]["align"] for layer in texts) == ["left", "right"]
    assert set(figure.datasets) == {"curve", "current", "bounds"}
