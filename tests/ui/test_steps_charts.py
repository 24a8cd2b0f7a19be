"""The step-by-step lesson's display builders: the clickable heatmap spec, click parsing, escaping, LaTeX."""

import json
import math

import numpy as np
import pytest
import torch

from core.attention import scaled_dot_product_attention
from core.stepwise import cell_arithmetic
from ui.charts import heatmap, to_long_df
from ui.markdown import literal
from ui.steps_charts import (
    CELL_PARAM,
    clickable,
    clicked_cell,
    mask_latex,
    products_table,
    scale_latex,
    score_latex,
    softmax_latex,
    tex_number,
    unshifted_latex,
)

LABELS = ["0 a", "1 b", "2 c"]


def weights_figure():
    weights = np.array([[1.0, 0, 0], [0.25, 0.75, 0], [0.2, 0.3, 0.5]])
    allowed = np.tril(np.ones((3, 3), dtype=bool))
    return heatmap(
        to_long_df(weights, LABELS, LABELS, allowed),
        kind="weights",
        title="A",
        x_title="key",
        y_title="query",
        legend_title="value",
        row_sums=weights.sum(axis=1),
    )


def test_clickable_adds_a_point_selection_on_the_cells_and_an_outline() -> None:
    figure = weights_figure()
    spec = clickable(figure, (2, 1)).spec()
    cells_layer = spec["layer"][0]
    assert cells_layer["params"] == [
        {"name": CELL_PARAM, "select": {"type": "point", "fields": ["row", "col"], "on": "click", "toggle": False}}
    ]
    outline_layers = [layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "selected"]
    assert [layer["mark"]["stroke"] for layer in outline_layers] == ["white", "black"]
    for layer in outline_layers:  # same axes and order as the cells, so the outline sits on the cell
        assert layer["encoding"]["x"] == cells_layer["encoding"]["x"]
        assert layer["encoding"]["y"] == cells_layer["encoding"]["y"]
    outline = spec["datasets"]["selected"]
    assert outline.to_dict("records") == [{"row": 2, "col": 1, "row_label": "2 c", "col_label": "1 b"}]
    assert spec["datasets"]["cells"] is figure.datasets["cells"]
    assert spec.get("usermeta") == json.loads(figure.template).get("usermeta")  # rendered as the heatmap is
    # The heatmap's own template is untouched (it is cached and shared).
    assert "params" not in json.loads(figure.template)["layer"][0]


def test_clickable_spec_passes_streamlits_selection_check() -> None:
    from streamlit.elements.vega_charts import _parse_selection_mode

    assert _parse_selection_mode(clickable(weights_figure(), (0, 0)).spec(), CELL_PARAM) == [CELL_PARAM]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"selection": {"cell": [{"row": 2, "col": 1}]}}, (2, 1)),
        ({"selection": {"cell": [{"row": 2.0, "col": 0.0}]}}, (2, 0)),
        ({"selection": {"cell": []}}, None),
        ({"selection": {"cell": {}}}, None),  # Streamlit's empty state
        ({"selection": {"cell": [{}]}}, None),  # a click on the Σ column: no row or col
        ({"selection": {"cell": [{"row": "2", "col": 1}]}}, None),
        ({"selection": {"cell": [{"row": 3, "col": 0}]}}, None),  # outside a 3 × 3 matrix
        ({"selection": {"cell": [{"row": -1, "col": 0}]}}, None),
        (None, None),
    ],
)
def test_clicked_cell_reads_streamlits_selection_state(state, expected) -> None:
    assert clicked_cell(state, 3, 3) == expected


def test_plain_escapes_markdown_and_math_but_not_words() -> None:
    assert literal("我在") == "我在"
    assert literal("[x](javascript:1)") == r"\[x\]\(javascript\:1\)"
    assert literal("$x$ *b* <i>") == r"\$x\$ \*b\* \<i\>"
    assert literal("don't") == r"don\'t"


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.123456, "0.1235"),
        (-2.5, "-2.5000"),
        (-0.00001, r"-1.000\times 10^{-5}"),
        (-0.0, "0.0000"),
        (-0.00004999, r"-4.999\times 10^{-5}"),
        (0.0, "0.0000"),
        (3.2e12, r"3.200\times 10^{12}"),
        (math.inf, r"\infty"),
        (-math.inf, r"-\infty"),
        (math.nan, r"\mathrm{NaN}"),
    ],
)
def test_tex_number(x: float, text: str) -> None:
    assert tex_number(x) == text


def cell_for(q, k, i, j, mask=None):
    result = scaled_dot_product_attention(q, k, torch.zeros_like(k), attn_mask=mask)
    return cell_arithmetic(q, k, result.masked[i], i, j, result.scale), result


def test_arithmetic_latex_writes_every_number() -> None:
    q = torch.tensor([[0.5, -1.0], [2.0, 0.25]])
    k = torch.tensor([[1.0, 2.0], [-0.5, 0.125]])
    cell, result = cell_for(q, k, 1, 0)
    score = score_latex(cell)
    assert "(2.0000)(1.0000)" in score and "+ (0.2500)(2.0000)" in score
    assert "2.0000 + 0.5000" in score and score.endswith(r"&= 2.5000 \end{aligned}")
    assert r"\frac{2.5000}{\sqrt{2}} = 2.5000 \times 0.7071 = 1.7678" in scale_latex(cell)
    assert mask_latex(cell) == r"\hat S'_{1,0} = \hat S_{1,0} = 1.7678"
    softmax = "\n".join(softmax_latex(cell))
    assert f"= {tex_number(float(result.weights[1, 0]))}" in softmax
    assert f"= {tex_number(float(result.weights[1, 0]))}" in "\n".join(unshifted_latex(cell))
    table = products_table(cell)
    assert table["q_1[d]·k_0[d]"].tolist() == pytest.approx([2.0, 0.5])


def test_a_masked_key_is_minus_infinity_and_its_exp_term_is_written_as_zero() -> None:
    q, k = torch.ones(2, 2), torch.tensor([[1.0, 0.0], [0.0, 3.0]])
    causal = torch.tensor([[True, False], [True, True]])
    cell, _ = cell_for(q, k, 0, 1, causal)
    assert mask_latex(cell) == r"\hat S'_{0,1} = -\infty"
    row_sum = softmax_latex(cell)[2]
    assert "&= 1.0000 + 0 " in row_sum  # the masked term is exactly 0
    assert softmax_latex(cell)[3].endswith("= 0.0000")


def test_long_sums_are_cut_with_dots() -> None:
    q, k = torch.ones(1, 40), torch.ones(1, 40)
    cell, _ = cell_for(q, k, 0, 0)
    score = score_latex(cell)
    assert score.count("(1.0000)(1.0000)") == 16 and r"+ \cdots" in score
    assert score.endswith(r"&= 40.0000 \end{aligned}")
