"""Chart builders: long-form frames and Altair specs (read through ``to_dict()``)."""

import numpy as np
import pandas as pd
import pytest

from ui.charts.heatmaps import (
    MASKED_COLOUR,
    ROW_SUM_LABEL,
    SIGNED_SCHEME,
    WEIGHTS_SCHEME,
    attention_heatmap,
    cell_size,
    decode_payload,
    encode_payload,
    figure_from_payload,
    heads_overview,
    position_labels,
    short_label,
    to_long_df,
)
from ui.i18n import STRINGS


def _layers(spec):
    return spec["layer"] if "layer" in spec else [spec]


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


def _layer_on(spec, dataset):
    return next(layer for layer in _layers(spec) if layer.get("data", {}).get("name") == dataset)


def test_weights_heatmap_uses_fixed_unit_domain_and_grey_overlay_for_masked():
    allowed = np.tril(np.ones((3, 3), bool))
    spec = attention_heatmap(
        np.full((3, 3), 1 / 3), ["a", "b", "c"], kind="weights", title="w", scale=1.0, lang="en", allowed=allowed,
        x_title="key", y_title="query", legend_title="v", masked_text="−∞", size=120,
    ).spec()  # fmt: skip
    assert _layer_on(spec, "cells")["encoding"]["color"]["scale"] == {"scheme": WEIGHTS_SCHEME, "domain": [0, 1]}
    assert _layer_on(spec, "masked")["mark"]["color"] == MASKED_COLOUR
    masked = spec["datasets"]["masked"]
    assert sorted(zip(masked["row"], masked["col"], strict=True)) == [(0, 1), (0, 2), (1, 2)]


def test_signed_heatmap_is_diverging_symmetric_and_centred_on_zero():
    matrix = np.array([[-3.0, 1.0], [0.5, 2.0]])
    spec = attention_heatmap(
        matrix, ["a", "b"], kind="signed", title="s", scale=1.0, lang="en", x_title="key", y_title="query",
        legend_title="v",
    ).spec()  # fmt: skip
    scale = _layer_on(spec, "cells")["encoding"]["color"]["scale"]
    assert scale["scheme"] == SIGNED_SCHEME
    assert scale["domain"] == {"expr": "[-signed_extent[1], signed_extent[1]]"}
    assert scale["domainMid"] == 0
    assert spec["datasets"]["extent"]["extent"].tolist() == [3.0]


def test_the_spec_does_not_depend_on_size_or_values_so_the_browser_can_swap_data():
    kwargs = dict(kind="signed", title="s", x_title="k", y_title="q", legend_title="v", scale=1.0, lang="en")
    small = attention_heatmap(np.array([[1.0, -2.0]]), ["a"], ["x", "y"], **kwargs)
    large = attention_heatmap(np.ones((30, 40)), [str(i) for i in range(30)], [str(j) for j in range(40)], **kwargs)
    assert small.template is large.template
    assert small.spec()["datasets"]["cells"]["value"].tolist() == [1.0, -2.0]
    # spec() hands out a fresh dict: Streamlit may edit it without touching the cache.
    spec = small.spec()
    spec["title"] = "edited"
    assert "edited" not in small.template


def test_no_expression_runs_per_cell():
    # Streamlit's Vega interprets expressions slowly; per-cell work is done in Python instead.
    allowed = np.tril(np.ones((3, 3), bool))
    for kind in ("signed", "weights"):
        spec = attention_heatmap(
            np.eye(3), list("abc"), kind=kind, title="t", scale=1.0, lang="en", allowed=allowed, x_title="k",
            y_title="q", legend_title="v", masked_text="−∞", row_sums=np.ones(3),
        ).spec()  # fmt: skip
        for layer in _layers(spec):
            assert "calculate" not in str(layer.get("transform", "")), layer
            assert "condition" not in str(layer.get("encoding", "")), layer


def test_values_are_printed_only_when_cells_are_big_enough():
    kwargs = dict(kind="signed", title="s", x_title="k", y_title="q", legend_title="v", size=200, scale=1.0, lang="en")

    def small(**options):
        matrix = np.array([[0.25, -0.04], [1.5, 0.0]])
        return attention_heatmap(matrix, list("ab"), allowed=np.array([[1, 0], [1, 1]]), **kwargs, **options)

    big = attention_heatmap(np.zeros((40, 40)), [str(i) for i in range(40)], **kwargs)
    texts = small().spec()["datasets"]["texts"]
    assert texts["text"].tolist() == ["0.25", "−∞", "1.50", "0.00"]  # no "-0.0", a real minus, −∞ where masked
    assert texts["ink"].tolist() == ["black", "black", "white", "black"]
    assert big.spec()["datasets"]["texts"].empty
    assert small(show_values=False).spec()["datasets"]["texts"].empty


def test_row_sums_add_a_sigma_column_after_the_keys():
    weights = np.array([[0.25, 0.75], [1.0, 0.0]])
    datasets = attention_heatmap(
        weights,
        ["a", "b"],
        kind="weights",
        title="w",
        x_title="k",
        y_title="q",
        legend_title="v",
        row_sums=weights.sum(-1),
        scale=1.0,
        lang="en",
    ).spec()["datasets"]
    assert datasets["sums"]["sum"].tolist() == [1.0, 1.0]
    assert datasets["sums"]["col"].tolist() == [2, 2]  # one column past the last key
    assert datasets["sums"]["col_label"].tolist() == [ROW_SUM_LABEL] * 2
    assert datasets["sums"]["text"].tolist() == ["1.00", "1.00"]


def test_tooltips_name_query_key_and_exact_value():
    spec = attention_heatmap(
        np.eye(2), ["q0", "q1"], ["k0", "k1"], kind="weights", title="w", x_title="key", y_title="query",
        legend_title="weight", scale=1.0, lang="en",
    ).spec()  # fmt: skip
    assert [tip["title"] for tip in _layer_on(spec, "cells")["encoding"]["tooltip"]] == ["query", "key", "weight"]


def test_charts_draw_at_own_size():
    spec = attention_heatmap(
        np.eye(2), ["a", "b"], kind="weights", title="w", x_title="k", y_title="q", legend_title="v", scale=1.0,
        lang="en",
    ).spec()  # fmt: skip
    assert spec["autosize"] == {"type": "pad", "contains": "padding"}


def test_heads_overview_has_one_panel_per_head():
    weights = np.full((3, 4, 4), 0.25)
    allowed = np.ones((3, 4, 4), bool)
    figure = heads_overview(weights, allowed, title="all", head_title="head", legend_title="w", scale=1.0)
    spec = figure.spec()
    assert spec["facet"]["field"] == "head"
    data = spec["datasets"]["heads"]
    assert sorted(data["head"].unique().tolist()) == [0, 1, 2]
    assert len(data) == 3 * 16


@pytest.mark.parametrize("kind", ["signed", "weights"])
@pytest.mark.parametrize("with_sums", [False, True])
def test_every_dataset_is_drawn_by_a_layer(kind, with_sums):
    # Streamlit swaps data in place by dataset name; Vega rejects a name no layer reads
    # ("Unrecognized data set"), which blanked charts after the first rerun.
    figure = attention_heatmap(
        np.eye(3),
        list("abc"),
        kind=kind,
        title="t",
        x_title="k",
        y_title="q",
        legend_title="v",
        row_sums=np.ones(3) if with_sums else None,
        scale=1.0,
        lang="en",
    )
    spec = figure.spec()
    drawn = {layer["data"]["name"] for layer in _layers(spec)}
    assert set(spec["datasets"]) == drawn


def test_attention_heatmap_defaults_its_titles_in_the_language_and_exports_the_long_form_cells():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(4, 4))
    allowed = np.tril(np.ones((4, 4), bool))
    labels = position_labels(["我", "在", "学", "习"])
    direct = attention_heatmap(matrix, labels, kind="signed", title="s", allowed=allowed, scale=1.5, lang="zh")
    zh = {name: STRINGS[f"axis.{key}"]["zh"] for name, key in (("x", "key"), ("y", "query"), ("legend", "value"))}
    spelled_out = attention_heatmap(
        matrix,
        labels,
        kind="signed",
        title="s",
        allowed=allowed,
        x_title=zh["x"],
        y_title=zh["y"],
        legend_title=zh["legend"],
        masked_text="−∞",
        scale=1.5,
        lang="en",
    )
    assert encode_payload(direct.payload()) == encode_payload(spelled_out.payload())
    # The export draws one row per cell, as ``to_long_df`` lays the matrix out (masked and −∞ cells 0, flagged).
    pd.testing.assert_frame_equal(direct.datasets["cells"], to_long_df(matrix, labels, labels, allowed))
    assert (direct.x_title, direct.y_title, direct.masked_text) == (zh["x"], zh["y"], "−∞")
    weights = attention_heatmap(np.full((2, 3), 1 / 3), ["a", "b"], ["x", "y", "z"], kind="weights", title="w",
                                scale=1.0, lang="en")  # fmt: skip
    assert (weights.x_title, weights.masked_text, weights.cols) == ("key token", "0", ("x", "y", "z"))


def test_attention_heatmap_refuses_labels_that_do_not_match_the_matrix():
    with pytest.raises(ValueError, match="labels"):
        attention_heatmap(np.zeros((2, 3)), ["a", "b"], kind="signed", title="t", scale=1.0, lang="en")


def test_exported_values_keep_a_margin_in_their_cells():
    # 20 px cells: "−1.9" at the 9 px default would run into its neighbours; the chart's one font shrinks.
    matrix = np.tile([-1.9, 0.2], (10, 5))
    labels = [str(i) for i in range(10)]
    texts = attention_heatmap(matrix, labels, kind="signed", title="s", scale=1.0, lang="en", size=200).datasets[
        "texts"
    ]
    widest_em = 0.584 + 0.556 + 0.278 + 0.556  # "−1.9"
    assert texts["font"].nunique() == 1
    assert texts["font"].iloc[0] * widest_em <= 20 - 2 * 2
    positive = attention_heatmap(np.abs(matrix), labels, kind="signed", title="s", scale=1.0, lang="en", size=200)
    assert positive.datasets["texts"]["font"].iloc[0] > texts["font"].iloc[0]  # no minus: room for a larger font


def test_exported_chinese_key_labels_stand_upright_and_english_ones_are_rotated():
    def x_axis(tokens):
        labels = position_labels(tokens)
        spec = attention_heatmap(np.eye(len(tokens)), labels, kind="weights", title="w", scale=1.0, lang="zh").spec()
        return _layer_on(spec, "cells")["encoding"]["x"]["axis"]

    chinese = x_axis(list("我在学习"))
    assert chinese["labelAngle"] == 0 and "split(" in chinese["labelExpr"]
    english = x_axis(["The", "animal", "was", "tired"])
    assert english["labelAngle"] == -90 and "labelExpr" not in english


def test_payloads_send_float32_only_when_it_is_exact():
    rng = np.random.default_rng(5)
    from_torch = rng.random((5, 5)).astype(np.float32)  # what core computes
    precise = rng.random((5, 5))  # float64 values float32 would round
    for matrix, dtype in ((from_torch, "<f4"), (precise, "<f8")):
        figure = attention_heatmap(matrix, list("abcde"), kind="weights", title="w", scale=1.0, lang="en")
        payload = decode_payload(encode_payload(figure.payload()))  # through the wire format
        assert payload["panels"][0]["dtype"] == dtype
        shown = figure_from_payload(payload).datasets["cells"].sort_values(["row", "col"])["value"].to_numpy()
        np.testing.assert_array_equal(shown, matrix.astype(np.float64).ravel())  # exact either way


def test_the_wire_format_round_trips_every_array_and_label():
    rng = np.random.default_rng(9)
    rows = ["0 我", "1 <b>x</b>", "2 👩‍👩‍👧‍👦"]  # odd byte lengths, CJK, HTML and an emoji family
    allowed = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1]], bool)  # 9 mask bytes: the next array needs padding
    figure = attention_heatmap(rng.normal(size=(3, 3)), rows, kind="signed", title="标题", allowed=allowed,
                               scale=1.0, lang="zh")  # fmt: skip
    wire = encode_payload(figure.payload())
    assert len(wire) % 8 == 0
    back = decode_payload(wire)
    (panel,) = back["panels"]
    np.testing.assert_array_equal(panel["values"].reshape(3, 3), figure.panels[0])
    np.testing.assert_array_equal(panel["masked"].reshape(3, 3).astype(bool), ~allowed)
    assert back["rows"] == rows and back["title"] == "标题" and panel["extra"] is None
