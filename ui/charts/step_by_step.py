r"""Display builders for the step-by-step lesson: one weight's arithmetic in LaTeX and as a table.

The clickable heatmap is ``ui.charts.show(..., on_click=..., selected_cell=...)``. The arithmetic is written from a
``core.step_by_step.CellArithmetic``: only numbers and indices go into LaTeX, never a token's text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from torch import Tensor

from core.step_by_step import CellArithmetic

TERMS_PER_LINE = 4  # a line of four products fits the page's width at 1280 px
MAX_WRITTEN_TERMS = 16  # beyond this, a sum is cut with ⋯ (the full list is in a table)
DIGITS = 4


# ── LaTeX ────────────────────────────────────────────────────────────────────


def tex_number(x: float, digits: int = DIGITS) -> str:
    """A number for LaTeX: fixed decimals, scientific when tiny or huge, ∞ and NaN spelled out."""
    if math.isnan(x):
        return r"\mathrm{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    if x != 0 and (abs(x) < 10**-digits or abs(x) >= 1e6):
        mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no “-0.0000”


def _signed_sum(values: Sequence[float]) -> list[str]:
    """Terms of a sum as ``a``, ``- b``, ``+ c`` …, negatives folded into the operator."""
    terms = []
    for index, value in enumerate(values):
        number = tex_number(value)
        if index == 0:
            terms.append(number)
        elif number.startswith("-"):
            terms.append("- " + number[1:])
        else:
            terms.append("+ " + number)
    return terms


def _lines(terms: list[str], total: int, per_line: int = TERMS_PER_LINE) -> list[str]:
    """Break written terms into lines; ``+ ⋯`` marks terms left out."""
    if total > len(terms):
        terms = [*terms, r"+ \cdots"]
    return [" ".join(terms[start : start + per_line]) for start in range(0, len(terms), per_line)]


def _aligned(lhs: str, groups: list[list[str]]) -> str:
    """``lhs``, then ``= group`` for each group (its extra lines indented), all left-aligned on one line each.

    Starting every line at the left edge keeps the block as narrow as its longest line of terms.
    """
    rows = [f"&{lhs}"]
    for group in groups:
        rows.append("&= " + group[0])
        rows.extend(r"&\qquad " + line for line in group[1:])
    return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"


def score_latex(cell: CellArithmetic) -> str:
    """S_ij = q_i·k_j written as a sum of products, then as a sum of numbers, then its value."""
    i, j = cell.i, cell.j
    d_k = cell.products.numel()
    shown = min(d_k, MAX_WRITTEN_TERMS)
    pairs = [
        ("" if d == 0 else "+ ") + rf"({tex_number(float(cell.query[d]))})({tex_number(float(cell.key[d]))})"
        for d in range(shown)
    ]
    values = _signed_sum(cell.products[:shown].tolist())
    return _aligned(
        rf"S_{{{i},{j}}} = q_{{{i}}} \cdot k_{{{j}}}",
        [_lines(pairs, d_k), _lines(values, d_k), [tex_number(cell.score)]],
    )


def scale_latex(cell: CellArithmetic) -> str:
    """Ŝ_ij = S_ij / √d_k = S_ij × (1/√d_k)."""
    i, j, d_k = cell.i, cell.j, cell.products.numel()
    return (
        rf"\hat S_{{{i},{j}}} = \frac{{S_{{{i},{j}}}}}{{\sqrt{{d_k}}}}"
        rf" = \frac{{{tex_number(cell.score)}}}{{\sqrt{{{d_k}}}}}"
        rf" = {tex_number(cell.score)} \times {tex_number(cell.scale)} = {tex_number(cell.scaled)}"
    )


def mask_latex(cell: CellArithmetic) -> str:
    i, j = cell.i, cell.j
    value = rf"\hat S_{{{i},{j}}} = {tex_number(cell.masked_score)}" if cell.allowed else r"-\infty"
    return rf"\hat S'_{{{i},{j}}} = {value}"


def _row_sum(lhs: str, terms: Tensor, allowed: Tensor, total: float) -> str:
    """``lhs = t_0 + t_1 + … = total`` over lines; a masked key's term is exactly 0 and written so."""
    shown = min(terms.numel(), MAX_WRITTEN_TERMS)
    written = _signed_sum(terms[:shown].tolist())
    written = [text if allowed[k] else ("0" if k == 0 else "+ 0") for k, text in enumerate(written)]
    return _aligned(lhs, [_lines(written, terms.numel()), [tex_number(total)]])


def softmax_latex(cell: CellArithmetic) -> list[str]:
    """What softmax computes: the row max m_i, exp(x − m_i), their row sum, the quotient. One LaTeX block each."""
    i, j = cell.i, cell.j
    return [
        rf"m_{{{i}}} = \max_k \hat S'_{{{i},k}} = {tex_number(cell.row_max)}",
        _aligned(
            rf"e^{{\hat S'_{{{i},{j}}} - m_{{{i}}}}}",
            [
                [rf"e^{{{tex_number(cell.masked_score)} - {_parenthesised(cell.row_max)}}}"],
                [rf"e^{{{tex_number(cell.shifted)}}} = {tex_number(cell.exp_shifted)}"],
            ],
        ),
        _row_sum(
            rf"\sum_k e^{{\hat S'_{{{i},k}} - m_{{{i}}}}}", cell.row_exp_shifted, cell.row_allowed, cell.row_sum_shifted
        ),
        rf"A_{{{i},{j}}} = \frac{{{tex_number(cell.exp_shifted)}}}{{{tex_number(cell.row_sum_shifted)}}}"
        rf" = {tex_number(cell.weight)}",
    ]


def unshifted_latex(cell: CellArithmetic) -> list[str]:
    """The same weight without subtracting the row max: e^x, Σ_k e^{x_k}, the quotient."""
    i, j = cell.i, cell.j
    return [
        rf"e^{{\hat S'_{{{i},{j}}}}} = e^{{{tex_number(cell.masked_score)}}} = {tex_number(cell.exp_unshifted)}",
        _row_sum(rf"\sum_k e^{{\hat S'_{{{i},k}}}}", cell.row_exp, cell.row_allowed, cell.row_sum_unshifted),
        rf"\frac{{e^{{\hat S'_{{{i},{j}}}}}}}{{\sum_k e^{{\hat S'_{{{i},k}}}}}}"
        rf" = \frac{{{tex_number(cell.exp_unshifted)}}}{{{tex_number(cell.row_sum_unshifted)}}}"
        rf" = {tex_number(cell.weight_unshifted)}",
    ]


def _parenthesised(x: float) -> str:
    number = tex_number(x)
    return f"({number})" if number.startswith("-") else number


def products_table(cell: CellArithmetic) -> pd.DataFrame:
    """One row per dimension d: q_i[d], k_j[d] and their product. The headers are math, the same in every language."""
    query, key = f"q_{cell.i}[d]", f"k_{cell.j}[d]"
    return pd.DataFrame(
        {
            "d": range(cell.products.numel()),
            query: cell.query.double().numpy(),
            key: cell.key.double().numpy(),
            f"{query}·{key}": cell.products.double().numpy(),
        }
    )


# ── each step's formula, shapes and the clicked cell's summary ───────────────

_LL = (r"[L,\,L]", "[{L},\\,{L}]")
# Operands and result of each step: (symbol, symbolic shape, this run's shape); {…} are filled from shape_values.
SHAPES = {
    0: [
        ("X", r"[L,\,d_\text{model}]", "[{L},\\,{d_model}]"),
        ("W_Q", r"[d_\text{model},\,d_k]", "[{d_model},\\,{d_k}]"),
        ("Q = XW_Q", r"[L,\,d_k]", "[{L},\\,{d_k}]"),
    ],
    1: [("Q", r"[L,\,d_k]", "[{L},\\,{d_k}]"), ("K^\\top", r"[d_k,\,L]", "[{d_k},\\,{L}]"), ("S = QK^\\top", *_LL)],
    2: [("S", *_LL), (r"\hat S = S / \sqrt{{{d_k}}}", *_LL)],
    3: [(r"\hat S,\ M", *_LL), (r"\hat S' = \hat S + M", *_LL)],
    4: [(r"\hat S'", *_LL), (r"A = \operatorname{{softmax}}_\text{{row}}(\hat S')", *_LL)],
    5: [("A", *_LL), ("V", r"[L,\,d_k]", "[{L},\\,{d_k}]"), ("O = AV", r"[L,\,d_k]", "[{L},\\,{d_k}]")],
}
TYPED_SHAPES = [(r"Q,\ K,\ V", r"[L,\,d_k]", "[{L},\\,{d_k}]")]
TYPED_FORMULA = r"Q,\ K,\ V \in \mathbb{R}^{L \times d_k}"
FORMULAS = {
    0: r"\begin{aligned} Q &= XW_Q \\ K &= XW_K \\ V &= XW_V \end{aligned}",
    1: r"S = QK^\top,\qquad S_{ij} = q_i \cdot k_j = \sum_{d=0}^{d_k-1} q_{i,d}\,k_{j,d}",
    2: r"\hat S = \frac{QK^\top}{\sqrt{d_k}} = \frac{S}{\sqrt{d_k}}",
    3: r"\hat S'_{ij} = \begin{cases} \hat S_{ij} & M_{ij} = \text{True} \\"
    r" -\infty & M_{ij} = \text{False} \end{cases}",
    4: r"A_{ij} = \frac{e^{\hat S'_{ij} - m_i}}{\sum_k e^{\hat S'_{ik} - m_i}},\qquad m_i = \max_k \hat S'_{ik}",
    5: r"O = AV,\qquad o_i = \sum_j A_{ij}\, v_j",
}


def formula_latex(step: int, typed: bool) -> str:
    """The step's formula; step 0 with hand-typed Q, K, V has no X and no W."""
    return TYPED_FORMULA if typed and step == 0 else FORMULAS[step]


def shapes_latex(step: int, shape_values: dict[str, int], typed: bool) -> str:
    """The shapes a step maps between, symbolic and with this run's numbers (``shape_values``: L, d_k, d_model,
    head)."""
    rows = [
        rf"{symbol.format(**shape_values)} &: {symbolic} = {numbers.format(**shape_values)}"
        for symbol, symbolic, numbers in (TYPED_SHAPES if typed and step == 0 else SHAPES[step])
    ]
    return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"


def summary_latex(cell: CellArithmetic, step: int) -> str:
    """The clicked cell's numbers up to ``step``: S_ij, then Ŝ_ij, Ŝ'_ij and A_ij as the steps reach them."""
    i, j = cell.i, cell.j
    lines = [rf"S_{{{i},{j}}} &= q_{{{i}}} \cdot k_{{{j}}} = {tex_number(cell.score)}"]
    if step >= 2:
        lines.append(
            rf"\hat S_{{{i},{j}}} &= {tex_number(cell.score)} \times {tex_number(cell.scale)}"
            rf" = {tex_number(cell.scaled)}"
        )
    if step >= 3:
        lines.append(rf"\hat S'_{{{i},{j}}} &= {tex_number(cell.masked_score)}")
    if step >= 4:
        fraction = rf"\frac{{{tex_number(cell.exp_shifted)}}}{{{tex_number(cell.row_sum_shifted)}}}"
        weight = "0" if cell.fully_masked_row else rf"{fraction} = {tex_number(cell.weight)}"
        lines.append(rf"A_{{{i},{j}}} &= {weight}")
    return r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}"
