"""Chart builders of the training lesson, read back through their Vega-Lite specs (and rendered once)."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from ui.charts import attention_heatmap, to_long_df
from ui.charts.training import LOG_FLOOR, OUTLINE_COLOUR, SERIES_COLOURS, history_chart, with_outlines


def _layers(spec):
    return spec["layer"] if "layer" in spec else [spec]


def _outlined(size: int, seed: int = 0):
    weights = np.random.default_rng(seed).dirichlet(np.ones(size), size=size)
    labels = [f"{i} {i % 10}" for i in range(size)]
    allowed = np.tril(np.ones((size, size), bool))
    figure = attention_heatmap(
        weights, labels, kind="weights", title="w", scale=1.0, lang="en", allowed=allowed, x_title="key",
        y_title="query", legend_title="weight", masked_text="−∞",
    )  # fmt: skip
    cells = to_long_df(weights, labels, labels, allowed=allowed)  # the cells to outline, as probe_heatmap picks them
    keep = cells["col"].to_numpy() == size - 1 - cells["row"].to_numpy()  # the anti-diagonal
    return figure, with_outlines(figure, cells[keep])


def _history(steps: list[int], values: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "step": steps * len(values),
            "series": [name for name in values for _ in steps],
            "value": [v for series in values.values() for v in series],
        }
    )


def _render(figure) -> str:
    vl_convert = pytest.importorskip("vl_convert")
    spec = figure.spec()
    spec["datasets"] = {name: json.loads(df.to_json(orient="records")) for name, df in spec["datasets"].items()}
    return vl_convert.vegalite_to_svg(spec)


def test_outlines_are_an_unfilled_frame_on_the_heatmap_cells_own_scales():
    plain, outlined = _outlined(4)
    layers = _layers(outlined.spec())
    assert len(layers) == len(_layers(plain.spec())) + 1
    frame = layers[-1]
    assert frame["data"] == {"name": "outlined"}
    assert frame["mark"] == {"type": "rect", "filled": False, "stroke": OUTLINE_COLOUR, "strokeWidth": 3}
    for channel in ("x", "y", "tooltip"):
        assert frame["encoding"][channel] == layers[0]["encoding"][channel]
    assert "color" not in frame["encoding"]
    rows = outlined.datasets["outlined"]
    assert list(zip(rows["row"], rows["col"], strict=True)) == [(0, 3), (1, 2), (2, 1), (3, 0)]
    assert rows["masked"].tolist() == [True, True, False, False]  # an expected key the mask hides is still framed


def test_outlines_leave_the_heatmap_alone_and_do_not_depend_on_the_data():
    plain, outlined = _outlined(4)
    assert set(plain.datasets) | {"outlined"} == set(outlined.datasets)
    assert "outlined" not in plain.template
    _, other = _outlined(9, seed=3)
    assert other.template is outlined.template  # scrubbing or a new L swaps data, not the spec


def test_every_dataset_is_drawn_by_a_layer():
    for figure in (
        _outlined(5)[1],
        history_chart(_history([0, 1], {"a": [1.0, 0.5]}), step=1, series=["a"], **_titles()),
    ):
        spec = figure.spec()
        assert set(spec["datasets"]) == {layer["data"]["name"] for layer in _layers(spec)}


def _titles() -> dict[str, str]:
    return {"title": "T", "x_title": "step", "y_title": "y"}


def test_history_chart_is_percent_lines_with_a_rule_at_the_step():
    df = _history([0, 10, 20], {"held-out": [0.0, 0.5, 1.0], "share": [0.125, 0.6, 0.95]})
    figure = history_chart(df, step=10, series=["held-out", "share"], **_titles())
    lines, rule = _layers(figure.spec())
    assert lines["mark"]["type"] == "line" and rule["mark"]["type"] == "rule"
    assert lines["encoding"]["y"]["scale"] == {"domain": [0, 1]}
    assert lines["encoding"]["y"]["axis"]["format"] == "%"
    assert lines["encoding"]["color"]["scale"] == {"domain": ["held-out", "share"], "range": list(SERIES_COLOURS[:2])}
    assert lines["encoding"]["strokeDash"]["scale"]["domain"] == ["held-out", "share"]
    assert rule["encoding"]["x"]["field"] == "step"
    assert figure.datasets["mark"]["step"].tolist() == [10]
    pd.testing.assert_frame_equal(figure.datasets["curves"], df)


def test_history_chart_on_a_log_axis_floors_zero_losses():
    df = _history([0, 1, 2], {"train": [2.3, 0.1, 0.0]})
    figure = history_chart(df, step=2, series=["train"], log_y=True, **_titles())
    lines, _ = _layers(figure.spec())
    assert lines["encoding"]["y"]["scale"] == {"type": "log"}
    assert figure.datasets["curves"]["value"].tolist() == [2.3, 0.1, LOG_FLOOR]
    assert df["value"].tolist() == [2.3, 0.1, 0.0]  # the caller's frame is not changed


def test_history_spec_does_not_depend_on_the_data_or_the_step():
    one = history_chart(_history([0, 6], {"a": [0.1, 0.2]}), step=0, series=["a"], **_titles())
    two = history_chart(_history([0, 16, 32, 48], {"a": [0.1, 0.2, 0.9, 1.0]}), step=32, series=["a"], **_titles())
    assert one.template is two.template


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def _marks(svg: str, mark: str) -> list[int]:
    """How many shapes each ``mark`` group of a Vega SVG draws, in layer order."""
    groups = re.findall(rf'<g class="mark-{mark} role-mark[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S)
    return [group.count("<path") + group.count("<line") for group in groups]


def test_both_charts_render_their_marks_and_texts():
    svg = _render(_outlined(6)[1])
    assert len([text for text in _texts(svg) if re.fullmatch(r"−∞|\d\.\d\d", text)]) == 36  # every cell's number
    assert _marks(svg, "rect")[-1] == 6  # the outline: one frame per anti-diagonal cell
    svg = _render(history_chart(_history([0, 5], {"a": [2.0, 0.5]}), step=5, series=["a"], log_y=True, **_titles()))
    assert {"T", "step", "y", "a"} <= set(_texts(svg))
    assert _marks(svg, "line") == [1] and _marks(svg, "rule") == [1]
