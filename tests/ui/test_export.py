"""Chart export: PNG and SVG rendered by vl-convert, CSV from the chart's long-form data."""

from __future__ import annotations

import io
import json
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from heatmap_figures import square_heatmap

from ui.charts import Figure, heads_overview, position_labels
from ui.export import PNG_SCALE, cjk_font, main_dataset, standalone_spec, to_csv, to_png, to_svg

SVG_NS = "{http://www.w3.org/2000/svg}"
TOKEN_AXES = {"x_title": "key token", "y_title": "query token"}  # the app's English axis titles
HOSTILE_TOKENS = ["<script>alert(1)</script>", "Tom & Jerry", 'say "hi"', "it's", "]]>"]


def signed_figure(tokens: list[str], *, title: str = "Scaled scores", allowed: np.ndarray | None = None) -> Figure:
    labels = position_labels(tokens)
    matrix = np.random.default_rng(0).normal(size=(len(tokens), len(tokens)))
    return square_heatmap(matrix, labels, kind="signed", allowed=allowed, title=title, **TOKEN_AXES)


def weights_figure(tokens: list[str], allowed: np.ndarray) -> tuple[Figure, np.ndarray]:
    labels = position_labels(tokens)
    scores = np.where(allowed, np.random.default_rng(1).normal(size=allowed.shape), -np.inf)
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    figure = square_heatmap(
        weights,
        labels,
        allowed=allowed,
        title="Softmax weights",
        legend_title="weight",
        masked_text="0",
        row_sums=weights.sum(axis=1),
        **TOKEN_AXES,
    )
    return figure, weights


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    return ["".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")]


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text.removeprefix("\ufeff")), keep_default_na=False, na_values=["nan"])


# ── the standalone spec ──────────────────────────────────────────────────────


def test_standalone_spec_inlines_every_dataset_as_plain_json() -> None:
    figure = signed_figure(["The", "cat", "sat"])
    spec = standalone_spec(figure)
    assert set(spec["datasets"]) == set(figure.datasets)
    for name, records in spec["datasets"].items():
        assert records == json.loads(json.dumps(records))  # plain JSON: no numpy or pandas objects left
        assert len(records) == len(figure.datasets[name])
    assert spec["datasets"]["cells"][1]["col_label"] == "1 cat"
    assert "font" not in spec.get("config", {})  # Latin text keeps vl-convert's default sans-serif


def test_standalone_spec_names_a_cjk_font_for_chinese_text() -> None:
    if cjk_font() is None:
        pytest.skip("no CJK sans-serif font installed here")
    spec = standalone_spec(signed_figure(list("我在学习")))
    assert spec["config"]["font"] == f"{cjk_font()}, sans-serif"


# ── SVG ──────────────────────────────────────────────────────────────────────


def test_svg_parses_and_shows_the_title_axes_and_token_labels() -> None:
    texts = svg_texts(to_svg(signed_figure(["The", "cat", "sat"])))
    for expected in ("Scaled scores", "key token", "value", "0 The", "1 cat", "2 sat"):
        assert expected in texts, expected
    printed = [text for text in texts if text.replace("−", "-").replace(".", "", 1).lstrip("-").isdigit()]
    assert len(printed) >= 9  # the values printed in the 3 × 3 cells


def test_svg_escapes_user_text() -> None:
    """SVG is XML: a sentence with markup must arrive as text, never as elements."""
    svg = to_svg(signed_figure(HOSTILE_TOKENS, title="<b>title</b> & more"))
    root = ET.fromstring(svg)
    assert not [node for node in root.iter() if node.tag.split("}")[-1].lower() in ("script", "b", "foreignobject")]
    assert "<script" not in svg and "<b>" not in svg
    texts = svg_texts(svg)
    assert "<b>title</b> & more" in texts
    # Labels longer than MAX_LABEL_CHARS are shortened on the axes, but what is shown is the raw text.
    assert "1 Tom & Jerry" in texts
    assert '2 say "hi"' in texts
    assert any(text.startswith("0 <script>") for text in texts)


# ── PNG ──────────────────────────────────────────────────────────────────────


def test_png_is_a_png_of_the_chart_at_twice_its_size() -> None:
    figure = signed_figure(["The", "cat", "sat"])
    root = ET.fromstring(to_svg(figure))
    width, height = png_size(to_png(figure))
    assert (width, height) == (
        round(float(root.get("width")) * PNG_SCALE),
        round(float(root.get("height")) * PNG_SCALE),
    )
    assert width > 300 and height > 300


def test_png_draws_chinese_characters_not_boxes() -> None:
    """Two charts that differ only in one Chinese character: a missing glyph draws the same box for both."""
    if cjk_font() is None:
        pytest.skip("no CJK sans-serif font installed here")
    first, second = (to_png(signed_figure(["我", "在", ch], title=f"缩放后的得分{ch}")) for ch in "学习")
    assert png_size(first) == png_size(second)
    assert first != second


def test_render_refuses_external_urls() -> None:
    """Everything a chart shows is inlined; a spec that asks for a URL fails instead of going online."""
    template = json.dumps({"data": {"url": "https://example.com/data.json"}, "mark": "point"})
    with pytest.raises(ValueError, match="not allowed"):
        to_svg(Figure(template, {}))


# ── CSV ──────────────────────────────────────────────────────────────────────


def test_csv_holds_every_cell_with_the_values_shown() -> None:
    tokens = ["The", "cat", "猫", "<pad>"]
    allowed = np.tril(np.ones((4, 4), dtype=bool))
    figure, weights = weights_figure(tokens, allowed)
    text = to_csv(figure)
    assert text.startswith("\ufeff")  # spreadsheets then read the Chinese label as UTF-8
    frame = read_csv(text)
    assert list(frame.columns) == ["row", "col", "row_label", "col_label", "value", "masked"]
    assert len(frame) == 16
    assert frame["row_label"].unique().tolist() == position_labels(tokens)
    matrix = frame.pivot(index="row", columns="col", values="value").to_numpy()
    np.testing.assert_array_equal(matrix, weights)  # full precision: written and read back exactly
    assert (frame["masked"] == ~allowed.ravel()).all()


def test_csv_writes_minus_infinity_for_masked_scores() -> None:
    allowed = np.tril(np.ones((3, 3), dtype=bool))
    figure = signed_figure(["a", "b", "c"], allowed=allowed)
    frame = read_csv(to_csv(figure))
    values = frame.pivot(index="row", columns="col", values="value").to_numpy()
    assert np.isneginf(values[~allowed]).all()
    np.testing.assert_array_equal(values[allowed], figure.datasets["cells"]["value"].to_numpy()[allowed.ravel()])


def test_csv_of_the_heads_overview_has_one_row_per_head_and_cell() -> None:
    weights = np.full((3, 2, 2), 0.5)
    allowed = np.ones((3, 2, 2), dtype=bool)
    figure = heads_overview(weights, allowed, title="All heads", head_title="head", legend_title="weight", scale=1.0)
    assert main_dataset(figure) == "heads"
    frame = read_csv(to_csv(figure))
    assert frame["head"].tolist() == [0] * 4 + [1] * 4 + [2] * 4
    assert (frame["value"] == 0.5).all()
