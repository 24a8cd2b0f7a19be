"""The step-by-step lesson's display builders: click parsing, the clickable heatmap's payload, escaping, LaTeX."""

import math

import numpy as np
import pytest
import torch
from heatmap_figures import square_heatmap

from core.attention import scaled_dot_product_attention
from core.step_by_step import cell_arithmetic
from ui.charts import show
from ui.charts.step_by_step import (
    mask_latex,
    products_table,
    scale_latex,
    score_latex,
    softmax_latex,
    tex_number,
    unshifted_latex,
)
from ui.heatmap import clicked
from ui.markdown import literal

LABELS = ["0 a", "1 b", "2 c"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"click": {"panel": 0, "row": 2, "col": 1}}, (0, 2, 1)),
        ({"click": {"row": 2, "col": 0}}, (0, 2, 0)),  # one panel: the panel may be left out
        ({"click": None}, None),
        ({}, None),
        ({"click": {}}, None),
        ({"click": {"row": "2", "col": 1}}, None),
        ({"click": {"row": True, "col": 1}}, None),
        ({"click": {"row": 3, "col": 0}}, None),  # outside a 3 × 3 matrix (the Σ column is not a cell)
        ({"click": {"row": -1, "col": 0}}, None),
        ({"click": {"panel": 1, "row": 0, "col": 0}}, None),  # one panel only
        ({"click": [0, 1]}, None),
        (None, None),
        ("not a mapping", None),
    ],
)
def test_clicked_reads_the_heatmaps_click_trigger_and_refuses_what_is_not_a_cell(state, expected) -> None:
    assert clicked(state, panels=1, rows=3, cols=3) == expected


def test_a_clickable_heatmap_sends_its_selected_cell_and_the_click_flag(monkeypatch) -> None:
    import ui.heatmap
    from ui.charts.heatmaps import decode_payload

    sent = {}
    monkeypatch.setattr(
        ui.heatmap, "mount", lambda container, wire, key, on_click=None: sent.update(decode_payload(wire))
    )
    monkeypatch.setattr("ui.charts.render.export_menu", lambda *args: None)
    weights = np.array([[1.0, 0, 0], [0.25, 0.75, 0], [0.2, 0.3, 0.5]])
    figure = square_heatmap(weights, LABELS)
    show(None, figure, "k", on_click=lambda: None, selected_cell=(2, 1))
    assert sent["clickable"] is True and sent["selected"] == [2, 1, 0] and sent["selectedPanel"] is None
    show(None, figure, "k")
    assert sent["clickable"] is False and sent["selected"] is None


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
    return cell_arithmetic(q, k, result.masked_scores[i], i, j, result.scale), result


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
