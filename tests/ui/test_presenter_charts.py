"""Presenter mode's pieces outside a page: the ``present`` URL switch and the one chart-scale factor."""

import json

import numpy as np
import pytest
from heatmap_figures import square_heatmap

import ui.charts.heatmaps as charts
from core.why_scale import scaling_sweep
from ui.charts.heatmaps import SUMS_COLOUR, position_labels
from ui.presenter import CHART_SCALE, chart_scale, presenter_param

SCALE = CHART_SCALE


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("true", True), ("0", False), ("false", False)])
def test_present_param_reads_1_0_true_false(raw, value):
    assert presenter_param().parse(raw) == (value, "ok")


@pytest.mark.parametrize("raw", ["", "yes", "on", "2", "TRUE", " 1", "<b>1</b>"])
def test_present_param_ignores_anything_else(raw):
    assert presenter_param().parse(raw) == (None, "invalid")


def test_present_param_is_written_as_1_and_off_by_default():
    param = presenter_param()
    assert param.default is False
    assert (param.serialize(True), param.serialize(False)) == ("1", "0")


def test_outside_a_session_charts_are_not_scaled():
    assert chart_scale() == 1.0


def _weights(n: int, size: int = 200, scale: float = 1.0) -> charts.Figure:
    rng = np.random.default_rng(n)
    weights = rng.random((n, n))
    weights /= weights.sum(axis=1, keepdims=True)
    labels = position_labels([f"t{i}" for i in range(n)])
    return square_heatmap(weights, labels, row_sums=weights.sum(axis=1), size=size, scale=scale)


def test_heatmap_size_and_text_grow_by_the_factor():
    spec = json.loads(_weights(6, scale=SCALE).template)
    assert (spec["width"], spec["height"]) == (round(200 * SCALE), round(200 * SCALE))
    assert spec["config"]["axis"]["labelFontSize"] == round(12 * SCALE)
    assert spec["config"]["title"]["fontSize"] == round(14 * SCALE)
    x_axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert x_axis["labelLimit"] == round(80 * SCALE)
    assert x_axis["labelFontSize"]["expr"].endswith(f", {round(12 * SCALE)})")


def test_heatmap_without_presenter_keeps_its_size():
    spec = json.loads(_weights(6).template)
    assert (spec["width"], spec["height"]) == (200, 200)
    assert spec["config"]["axis"]["labelFontSize"] == 12


def test_presenter_spec_still_does_not_depend_on_the_data():
    assert _weights(3, scale=SCALE).template == _weights(12, scale=SCALE).template


def test_cell_values_get_larger_type_where_cells_allow():
    texts = _weights(6, scale=SCALE).datasets["texts"]
    assert texts["font"].iloc[0] == round(13 * SCALE)  # 280 px / 7 columns = 40 px cells: room for it


def test_token_labels_stay_on_their_rows():
    # Streamlit's theme makes end labels flush with the axis ends, off their rows; the heatmap turns that off.
    spec = json.loads(_weights(6).template)
    for channel in ("x", "y"):
        assert spec["layer"][0]["encoding"][channel]["axis"]["labelFlush"] is False


def test_row_sums_sit_on_a_light_column_that_reads_on_a_dark_theme():
    spec = json.loads(_weights(6).template)
    sum_layers = [layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "sums"]
    rects = [layer for layer in sum_layers if layer["mark"]["type"] == "rect"]
    assert len(rects) == 1 and rects[0]["mark"]["color"] == SUMS_COLOUR
    texts = [layer for layer in sum_layers if layer["mark"]["type"] == "text"]
    assert spec["layer"].index(rects[0]) < spec["layer"].index(texts[0])  # the fill under the numbers


def test_sweep_panels_grow_by_the_factor():
    from ui.charts.why_scale import METRICS, PANEL_HEIGHT, PANEL_WIDTH, sweep_chart, sweep_frame

    figure = sweep_chart(
        sweep_frame(scaling_sweep(seed=0, d_ks=(1, 4))),
        setting_labels=("u", "s"),
        marked_d_ks=(4,),
        panel_titles=tuple(METRICS),
        y_titles=tuple(METRICS),
        y_maxes=(None,) * 4,
        x_title="d_k",
        legend_title="setting",
        scale=SCALE,
    )
    spec = json.loads(figure.template)
    panel = spec["concat"][0]
    assert (panel["width"], panel["height"]) == (round(PANEL_WIDTH * SCALE), round(PANEL_HEIGHT * SCALE))
    assert spec["config"]["axis"]["labelFontSize"] == round(12 * SCALE)
