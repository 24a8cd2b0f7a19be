"""The √d_k sweep charts: the long-form frame holds the sweep's numbers, and the specs draw them on log axes."""

import numpy as np
import pytest

from core.why_scale import scaling_sweep
from ui.charts.why_scale import (
    METRIC_FIELDS,
    METRICS,
    SETTING_COLOURS,
    SETTINGS,
    _sweep_template,
    sweep_chart,
    sweep_frame,
)

D_KS = (1, 4, 16, 64)
LABELS = ("q·k", "q·k/√d_k")


@pytest.fixture(scope="module")
def sweep():
    return scaling_sweep(D_KS, num_queries=64, seed=3)


@pytest.fixture(scope="module")
def frame(sweep):
    return sweep_frame(sweep)


def chart_spec(frame, **overrides) -> dict:
    options = {
        "setting_labels": LABELS,
        "marked_d_ks": (4, 64),
        "panel_titles": ("variance", "max weight", "entropy", "gradient"),
        "y_titles": ("v", "m", "e", "g"),
        "y_maxes": (None, 1.0, 2.0, None),
        "x_title": "d_k",
        "legend_title": "softmax of",
    }
    return sweep_chart(frame, **(options | overrides)).spec()


def panel(spec: dict, metric: str) -> dict:
    """The line layer of one metric's panel."""
    layers = spec["concat"][METRICS.index(metric)]["layer"]
    return next(layer for layer in layers if layer["mark"]["type"] == "line")


def test_frame_has_every_d_k_setting_and_metric_with_the_sweeps_numbers(sweep, frame) -> None:
    assert len(frame) == len(D_KS) * len(SETTINGS) * len(METRIC_FIELDS)
    assert np.isfinite(frame["value"]).all()
    assert METRIC_FIELDS["score_gradient"] == "median_score_gradient"  # the charted gradient reaches q·k
    for point in sweep.points:
        for setting in SETTINGS:
            for metric, field in METRIC_FIELDS.items():
                row = frame[(frame["d_k"] == point.d_k) & (frame["setting"] == setting) & (frame["metric"] == metric)]
                assert row["value"].tolist() == [getattr(getattr(point, setting), field)]


def test_chart_data_has_translated_settings_and_the_marked_d_ks(frame) -> None:
    spec = chart_spec(frame)
    curve = spec["datasets"]["curve"]
    assert len(curve) == len(frame)
    assert set(curve["setting"]) == set(LABELS)
    scaled = frame["setting"] == "scaled"
    assert curve.loc[scaled.to_numpy(), "setting"].unique().tolist() == [LABELS[1]]
    np.testing.assert_array_equal(curve["value"].to_numpy(), frame["value"].to_numpy())
    assert spec["datasets"]["marks"]["d_k"].tolist() == [4, 64]


def test_one_panel_per_metric_each_filtered_to_its_metric(frame) -> None:
    spec = chart_spec(frame)
    assert [p["title"] for p in spec["concat"]] == ["variance", "max weight", "entropy", "gradient"]
    for metric in METRICS:
        assert {"filter": f"(datum.metric === '{metric}')"} in panel(spec, metric)["transform"]
    assert spec["resolve"]["scale"]["y"] == "independent"


def test_x_is_log2_over_the_sweep_and_colours_are_fixed_per_setting(frame) -> None:
    spec = chart_spec(frame)
    line = panel(spec, "entropy")
    x = line["encoding"]["x"]
    assert x["scale"] == {"type": "log", "base": 2, "domain": [1, 64]}
    assert x["axis"]["values"] == list(D_KS)
    assert line["encoding"]["color"]["scale"] == {"domain": list(LABELS), "range": list(SETTING_COLOURS)}
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 2.0]
    assert panel(spec, "max_weight")["encoding"]["y"]["scale"]["domain"] == [0, 1.0]
    assert panel(spec, "score_gradient")["encoding"]["y"]["scale"] == {"type": "log", "base": 10}


def test_variance_uses_a_log_y_axis(frame) -> None:
    assert panel(chart_spec(frame), "variance")["encoding"]["y"]["scale"] == {"type": "log", "base": 2}


def test_template_is_cached_per_shape(frame) -> None:
    _sweep_template.cache_clear()
    chart_spec(frame)
    chart_spec(frame, marked_d_ks=(1, 16))  # new data, same shape
    info = _sweep_template.cache_info()
    assert (info.misses, info.hits) == (1, 1)
