"""The Step-by-step page's text beside and under its chart: the step's formula and shapes, the clicked cell's
numbers in a box, and that cell's arithmetic written out up to the current step."""

from __future__ import annotations

import streamlit as st

from core.step_by_step import CellArithmetic
from ui.charts import step_by_step as tex
from ui.i18n import t
from ui.markdown import literal
from ui.presenter import prose


def explain(
    container, shapes_container, step: int, shape_values: dict[str, int], claim: str | None, note: str, typed: bool
) -> None:
    """The step's formula, what it does, the live number that backs it and the shapes it maps between."""
    container.latex(tex.formula_latex(step, typed))
    if typed and step == 0:  # no X and no W: the student typed Q, K, V
        container.markdown(t("steps.explain.0.typed"))
    else:
        container.markdown(t("steps.explain.0", **shape_values) if step == 0 else t(f"steps.explain.{step}"))
    if claim:
        container.info(claim)
    shapes_container.caption(t("steps.shapes"))
    shapes_container.latex(tex.shapes_latex(step, shape_values, typed))
    prose(note, container)


def cell_summary(container, step: int, cell: CellArithmetic, tokens: list[str]) -> None:
    """The clicked cell's numbers up to the current step, beside the chart, where the eye is after a click."""
    box = container.container(border=True, key="steps_cell_summary")
    query_token, key_token = literal(tokens[cell.i]), literal(tokens[cell.j])
    title = t("steps.summary.title", i=cell.i, j=cell.j, query_token=query_token, key_token=key_token)
    box.markdown(f":material/ads_click: **{title}**")
    box.latex(tex.summary_latex(cell, step))
    prose(t("steps.summary.more"), box)


def draw_arithmetic(step: int, cell: CellArithmetic, chart_weight: float, tokens: list[str]) -> None:
    """Cell (i, j) written out up to the current step: products, sum, ÷√d_k, mask, exp, ÷ row sum."""
    i, j = cell.i, cell.j
    st.divider()
    st.markdown(
        "**" + t("steps.cell.title", i=i, j=j, query_token=literal(tokens[i]), key_token=literal(tokens[j])) + "**"
    )
    st.latex(tex.score_latex(cell))
    with st.expander(t("steps.cell.products", n=cell.products.numel())):
        st.dataframe(tex.products_table(cell), hide_index=True)
    if step >= 2:
        st.latex(tex.scale_latex(cell))
    if step >= 3:
        st.caption(t("steps.cell.allowed" if cell.allowed else "steps.cell.masked", i=i, j=j))
        st.latex(tex.mask_latex(cell))
    if step >= 4:
        if cell.fully_masked_row:
            st.warning(t("steps.cell.fully_masked", i=i))
        else:
            shifted, unshifted = st.columns(2, gap="large")
            shifted.markdown(t("steps.cell.shifted", i=i))
            for line in tex.softmax_latex(cell):
                shifted.latex(line)
            shifted.success(t("steps.cell.matches_chart", weight=chart_weight))
            unshifted.markdown(t("steps.cell.unshifted", i=i))
            for line in tex.unshifted_latex(cell):
                unshifted.latex(line)
            if cell.overflow:
                unshifted.warning(t("steps.cell.overflow"))
            elif cell.underflow:
                unshifted.warning(t("steps.cell.underflow"))
            else:
                prose(t("steps.cell.same", i=i), unshifted)
    prose(t("steps.cell.rounding"))
