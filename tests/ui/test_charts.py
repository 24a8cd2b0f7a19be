"""Chart builders: long-form frames and Altair specs (read through ``to_dict()``)."""

import numpy as np
import pytest

from ui.charts import (
    MASKED_COLOUR,
    ROW_SUM_LABEL,
    SIGNED_SCHEME,
    WEIGHTS_SCHEME,
    cell_size,
    heads_overview,
    heatmap,
    position_labels,
    short_label,
    to_long_df,
)


def _layers(spec):
    return spec["layer"] if "layer" in spec else [spec]


def _colour_field(spec):
    """The conditional colour encoding of the rect layer."""
    return next(layer["encoding"]["color"] for layer in _layers(spec) if layer["mark"]["type"] == "rect")


def test_long_df_has_one_row_per_cell_in_row_major_order():
    matrix = np.arange(6, dtype=float).reshape(2, 3)
    df = to_long_df(matrix, ["a", "b"], ["x", "y", "z"])
    assert len(df) == 6
    assert df["row"].tolist() == [0, 0, 0, 1, 1, 1]
    assert df["col"].tolist() == [0, 1, 2, 0, 1, 2]
    assert df["row_label"].tolist() == ["a"] * 3 + ["b"] * 3
    assert df["col_label"].tolist() == ["x", "y", "z"] * 2
    assert df["value"].tolist() == [0, 1, 2, 3, 4, 5]
    assert not df["masked"].any()


def test_masked_and_non_finite_cells_become_zero_with_masked_flag():
    matrix = np.array([[1.5, -np.inf], [np.nan, 2.0]])
    allowed = np.array([[True, False], [True, True]])
    df = to_long_df(matrix, ["a", "b"], ["x", "y"], allowed)
    assert df["masked"].tolist() == [False, True, False, False]
    assert np.isfinite(df["value"]).all()  # nothing non-finite ever reaches a chart
    assert df["value"].tolist() == [1.5, 0.0, 0.0, 2.0]


def test_position_labels_keep_repeated_tokens_apart_and_cut_long_ones():
    labels = position_labels(["the", "cat", "the", "x" * 50])
    assert labels[:3] == ["0 the", "1 cat", "2 the"]
    assert len(set(labels)) == 4
    assert labels[3].endswith("…") and len(short_label("x" * 50)) == 12


@pytest.mark.parametrize(("size", "cells", "expected"), [(200, 10, 20), (200, 1, 48), (200, 128, 1), (200, 0, 48)])
def test_cell_size_fits_cells_in_size(size, cells, expected):
    assert cell_size(size, cells) == expected


def test_weights_heatmap_uses_fixed_unit_domain_and_grey_for_masked():
    df = to_long_df(np.full((3, 3), 1 / 3), ["a", "b", "c"], ["a", "b", "c"], np.tril(np.ones((3, 3), bool)))
    spec = heatmap(
        df, kind="weights", title="w", x_title="key", y_title="query", legend_title="v", size=120
    ).spec()
    colour = _colour_field(spec)
    assert colour["condition"]["test"] == "datum.masked"
    assert colour["condition"]["value"] == MASKED_COLOUR
    assert colour["scale"] == {"scheme": WEIGHTS_SCHEME, "domain": [0, 1]}


def test_signed_heatmap_is_diverging_symmetric_and_centred_on_zero():
    df = to_long_df(np.array([[-3.0, 1.0], [0.5, 2.0]]), ["a", "b"], ["a", "b"])
    spec = heatmap(df, kind="signed", title="s", x_title="key", y_title="query", legend_title="v").spec()
    scale = _colour_field(spec)["scale"]
    assert scale["scheme"] == SIGNED_SCHEME
    assert scale["domain"] == {"expr": "[-extent, extent]"}
    assert scale["domainMid"] == 0
    assert spec["params"] == [{"name": "extent", "value": 3.0}]


def test_specs_are_cached_per_shape_and_data_travels_separately():
    kwargs = dict(kind="signed", title="s", x_title="k", y_title="q", legend_title="v")
    first = heatmap(to_long_df(np.array([[1.0, -2.0]]), ["a"], ["x", "y"]), **kwargs)
    second = heatmap(to_long_df(np.array([[5.0, 0.5]]), ["a"], ["x", "y"]), **kwargs)
    assert first.template is second.template
    assert first.spec()["datasets"]["cells"]["value"].tolist() == [1.0, -2.0]
    assert second.spec()["datasets"]["cells"]["value"].tolist() == [5.0, 0.5]
    assert second.spec()["params"][0]["value"] == 5.0
    # spec() hands out a fresh dict: Streamlit may edit it without touching the cache.
    spec = first.spec()
    spec["title"] = "edited"
    assert "edited" not in first.template


def test_values_are_printed_only_when_cells_are_big_enough():
    small = to_long_df(np.zeros((4, 4)), list("abcd"), list("abcd"))
    big = to_long_df(np.zeros((40, 40)), [str(i) for i in range(40)], [str(i) for i in range(40)])
    kwargs = dict(kind="signed", title="s", x_title="k", y_title="q", legend_title="v", size=200)
    assert any(layer["mark"]["type"] == "text" for layer in _layers(heatmap(small, **kwargs).spec()))
    assert not any(layer["mark"]["type"] == "text" for layer in _layers(heatmap(big, **kwargs).spec()))
    hidden = heatmap(small, show_values=False, **kwargs).spec()
    assert not any(layer["mark"]["type"] == "text" for layer in _layers(hidden))


def test_row_sums_add_a_sigma_column_after_the_keys():
    weights = np.array([[0.25, 0.75], [1.0, 0.0]])
    df = to_long_df(weights, ["a", "b"], ["a", "b"])
    spec = heatmap(
        df, kind="weights", title="w", x_title="k", y_title="q", legend_title="v", row_sums=weights.sum(-1)
    ).spec()
    sorts = [layer["encoding"]["x"]["sort"] for layer in _layers(spec)]
    assert all(sort == ["a", "b", ROW_SUM_LABEL] for sort in sorts)
    sum_layers = [layer for layer in _layers(spec) if layer["encoding"].get("text", {}).get("field") == "sum"]
    assert len(sum_layers) == 1


def test_tooltips_name_query_key_and_exact_value():
    df = to_long_df(np.eye(2), ["q0", "q1"], ["k0", "k1"])
    spec = heatmap(df, kind="weights", title="w", x_title="key", y_title="query", legend_title="weight").spec()
    rect = next(layer for layer in _layers(spec) if layer["mark"]["type"] == "rect")
    assert [tip["title"] for tip in rect["encoding"]["tooltip"]] == ["query", "key", "weight"]


def test_charts_draw_at_own_size():
    df = to_long_df(np.eye(2), ["a", "b"], ["a", "b"])
    spec = heatmap(df, kind="weights", title="w", x_title="k", y_title="q", legend_title="v").spec()
    assert spec["autosize"] == {"type": "pad", "contains": "padding"}


def test_heads_overview_has_one_panel_per_head():
    weights = np.full((3, 4, 4), 0.25)
    allowed = np.ones((3, 4, 4), bool)
    figure = heads_overview(weights, allowed, title="all", head_title="head", legend_title="w")
    spec = figure.spec()
    assert spec["facet"]["field"] == "head"
    data = spec["datasets"]["heads"]
    assert sorted(data["head"].unique().tolist()) == [0, 1, 2]
    assert len(data) == 3 * 16
