"""Step by step: X → Q, K, V → QKᵀ → ÷√d_k → mask → softmax → ×V, one step at a time, with the
arithmetic of any attention weight the student clicks, and Q, K, V typed by hand for short sequences."""

from __future__ import annotations

import inspect
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st
import torch
from torch import Tensor

from core.attention import scaled_dot_product_attention
from core.multihead import MultiHeadAttention
from core.pipeline import build_mask, self_attention
from core.step_by_step import (
    HeadSteps,
    cell_arithmetic,
    clean_matrix,
    head_steps,
    outputs_within_value_range,
    spread,
    steps_from_qkv,
)
from ui import deck
from ui.cache import cached_model
from ui.charts import Heatmap, heatmap, position_labels, show, to_long_df
from ui.charts.step_by_step import (
    mask_latex,
    products_table,
    scale_latex,
    score_latex,
    softmax_latex,
    tex_number,
    unshifted_latex,
)
from ui.controls import PlaygroundSettings, head_selector, playground_controls
from ui.heatmap import clicked
from ui.i18n import t
from ui.markdown import literal
from ui.presenter import chart_scale, presenting, prose
from ui.sequence import prepare_sequence
from ui.url_state import bool_param, int_param, page_params

STEP_COUNT = 6  # 0: X → Q, K, V; 1–5: the tutorials' five steps
CELL_STEPS = (1, 2, 3, 4)  # steps whose matrix is [L, L]: a click there picks the cell to write out
MAX_TYPED_LEN = 4
TYPED_LIMIT = 100
CHART_SIZE = 300
SMALL_CHART_SIZE = 200
VALUES_IN_CELLS_UP_TO = 12
MAX_X_COLUMNS = 64  # X is [L, H·d_k]; wider than this it is cut (with a note) to stay readable and fast
CELLS_CHART_KEY = "steps_cells"

LL = (r"[L,\,L]", "[{L},\\,{L}]")
SHAPES = {  # operands and result of each step: (symbol, symbolic shape, this run's shape); {…} = shape_values
    0: [
        ("X", r"[L,\,d_\text{model}]", "[{L},\\,{d_model}]"),
        ("W_Q", r"[d_\text{model},\,d_k]", "[{d_model},\\,{d_k}]"),
        ("Q = XW_Q", r"[L,\,d_k]", "[{L},\\,{d_k}]"),
    ],
    1: [("Q", r"[L,\,d_k]", "[{L},\\,{d_k}]"), ("K^\\top", r"[d_k,\,L]", "[{d_k},\\,{L}]"), ("S = QK^\\top", *LL)],
    2: [("S", *LL), (r"\hat S = S / \sqrt{{{d_k}}}", *LL)],
    3: [(r"\hat S,\ M", *LL), (r"\hat S' = \hat S + M", *LL)],
    4: [(r"\hat S'", *LL), (r"A = \operatorname{{softmax}}_\text{{row}}(\hat S')", *LL)],
    5: [("A", *LL), ("V", r"[L,\,d_k]", "[{L},\\,{d_k}]"), ("O = AV", r"[L,\,d_k]", "[{L},\\,{d_k}]")],
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

# ── controls ─────────────────────────────────────────────────────────────────


def _move(delta: int) -> None:
    st.session_state["steps_step"] = min(max(st.session_state["steps_step"] + delta, 0), STEP_COUNT - 1)


def stepper() -> int:
    """Previous / next buttons around the list of steps; the list also answers the arrow keys once clicked.

    In presenter mode the ← → keys press the buttons from anywhere on the page (a focused input, such as a
    slider, keeps its own keys), and a second pair in the folded sidebar answers PageUp / PageDown, which
    presentation clickers send: a button takes one shortcut.
    """
    current = st.session_state["steps_step"]
    keys = presenting() and not deck.running()  # in a lecture, the arrow keys move between scenes
    back, steps_list, forward = st.columns([1, 6, 1], vertical_alignment="center")
    first, last = current == 0, current == STEP_COUNT - 1
    back.button(
        t("steps.prev"),
        key="steps_prev",
        on_click=_move,
        args=(-1,),
        disabled=first,
        width="stretch",
        shortcut="Left" if keys else None,
    )
    forward.button(
        t("steps.next"),
        key="steps_next",
        on_click=_move,
        args=(1,),
        disabled=last,
        width="stretch",
        shortcut="Right" if keys else None,
    )
    if keys:
        clicker_back, clicker_forward = st.sidebar.columns(2)
        clicker_back.button(
            t("presenter.prev"), key="steps_page_up", on_click=_move, args=(-1,), disabled=first, shortcut="PageUp"
        )
        clicker_forward.button(
            t("presenter.next"), key="steps_page_down", on_click=_move, args=(1,), disabled=last, shortcut="PageDown"
        )
    return int(
        steps_list.radio(
            t("steps.step"),
            list(range(STEP_COUNT)),
            format_func=lambda step: t(f"steps.name.{step}"),
            key="steps_step",
            horizontal=True,
            label_visibility="collapsed",
            persist_state="session",
        )
    )


def typed_toggle(seq_len: int) -> bool:
    too_long = seq_len > MAX_TYPED_LEN
    on = st.sidebar.toggle(
        t("steps.typed.toggle"),
        key="steps_typed",
        disabled=too_long,
        help=t("steps.typed.help", max=MAX_TYPED_LEN),
        persist_state="session",
    )
    if on and too_long:
        st.sidebar.info(t("steps.typed.too_long", max=MAX_TYPED_LEN, L=seq_len))
    return bool(on) and not too_long


def _reset_typed() -> None:
    # A new key gives fresh editors: the old edits are dropped with the old widgets.
    st.session_state["steps_typed_version"] = st.session_state.get("steps_typed_version", 0) + 1


def typed_matrices(model: HeadSteps, labels: list[str], expanded: bool) -> tuple[Tensor, Tensor, Tensor]:
    """Three editable tables, starting from the model's Q, K, V (2 decimals). Returns them cleaned, float32.

    They are drawn on every step (folded away after step 0): a data editor that is not drawn loses its edits.
    """
    version = st.session_state.get("steps_typed_version", 0)
    d_k = model.q.size(-1)
    columns = [str(d) for d in range(d_k)]
    number = st.column_config.NumberColumn(min_value=-TYPED_LIMIT, max_value=TYPED_LIMIT, step=0.01, format="%.2f")
    typed = []
    with st.expander(t("steps.typed.editors"), expanded=expanded):
        st.caption(t("steps.typed.start", limit=TYPED_LIMIT))
        for column, name, tensor in zip(st.columns(3), "QKV", (model.q, model.k, model.v), strict=True):
            column.markdown(f"**{name}**  [L, d_k] = [{len(labels)}, {d_k}]")
            start = pd.DataFrame(np.round(tensor.numpy().astype(np.float64), 2), index=labels, columns=columns)
            edited = column.data_editor(
                start,
                key=f"steps_typed_{name.lower()}_{version}",
                num_rows="fixed",
                column_config=dict.fromkeys(columns, number),
            )
            cleaned = clean_matrix(torch.tensor(edited.to_numpy(dtype=np.float64, na_value=np.nan)), TYPED_LIMIT)
            if cleaned.not_numbers:
                column.warning(t("steps.typed.not_numbers", matrix=name, n=cleaned.not_numbers))
            if cleaned.clamped:
                column.warning(t("steps.typed.clamped", matrix=name, n=cleaned.clamped, limit=TYPED_LIMIT))
            typed.append(cleaned.values.float())
        st.button(t("steps.typed.reset"), key="steps_typed_reset", on_click=_reset_typed)
    return typed[0], typed[1], typed[2]


def selected_cell(seq_len: int) -> tuple[int, int]:
    """The cell whose arithmetic is shown, kept inside the matrix when L shrinks."""
    i = min(st.session_state["steps_i"], seq_len - 1)
    j = min(st.session_state["steps_j"], seq_len - 1)
    st.session_state["steps_i"], st.session_state["steps_j"] = i, j
    return i, j


def _take_click(seq_len: int) -> None:
    cell = clicked(st.session_state.get(CELLS_CHART_KEY), panels=1, rows=seq_len, cols=seq_len)
    if cell is not None:
        st.session_state["steps_i"], st.session_state["steps_j"] = cell[1:]


# ── drawing ──────────────────────────────────────────────────────────────────


def signed_chart(
    matrix: Tensor,
    title: str,
    rows: list[str],
    cols: list[str],
    *,
    x_title: str,
    y_title: str,
    size: int,
    allowed: np.ndarray | None = None,
) -> Heatmap:
    return heatmap(
        to_long_df(matrix.numpy(), rows, cols, allowed),
        kind="signed",
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend_title=t("axis.value"),
        show_values=len(rows) <= VALUES_IN_CELLS_UP_TO and len(cols) <= VALUES_IN_CELLS_UP_TO,
        size=size,
        scale=chart_scale(),
    )


def show_cells_chart(container, figure: Heatmap, cell: tuple[int, int], seq_len: int) -> None:
    show(container, figure, CELLS_CHART_KEY, on_click=partial(_take_click, seq_len), selected_cell=cell)
    prose(t("steps.click_hint"), container)


def explain(
    container, shapes_container, step: int, shape_values: dict[str, int], claim: str | None, note: str, typed: bool
) -> None:
    """The step's formula, what it does, the live number that backs it and the shapes it maps between."""
    if typed and step == 0:  # no X and no W: the student typed Q, K, V
        container.latex(TYPED_FORMULA)
        container.markdown(t("steps.explain.0.typed"))
    else:
        container.latex(FORMULAS[step])
        container.markdown(t("steps.explain.0", **shape_values) if step == 0 else t(f"steps.explain.{step}"))
    if claim:
        container.info(claim)
    shapes_container.caption(t("steps.shapes"))
    rows = [
        rf"{symbol.format(**shape_values)} &: {symbolic} = {numbers.format(**shape_values)}"
        for symbol, symbolic, numbers in (TYPED_SHAPES if typed and step == 0 else SHAPES[step])
    ]
    shapes_container.latex(r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}")
    prose(note, container)


def cell_summary(container, step: int, steps: HeadSteps, tokens: list[str], cell_index: tuple[int, int]) -> None:
    """The clicked cell's numbers up to the current step, beside the chart, where the eye is after a click."""
    i, j = cell_index
    cell = cell_arithmetic(steps.q, steps.k, steps.attention.masked[i], i, j, steps.attention.scale)
    box = container.container(border=True, key="steps_cell_summary")
    title = t("steps.summary.title", i=i, j=j, query_token=literal(tokens[i]), key_token=literal(tokens[j]))
    box.markdown(f":material/ads_click: **{title}**")
    lines = [rf"S_{{{i},{j}}} &= q_{{{i}}} \cdot k_{{{j}}} = {tex_number(cell.score)}"]
    if step >= 2:
        lines.append(
            rf"\hat S_{{{i},{j}}} &= {tex_number(cell.score)} \times {tex_number(cell.scale)}"
            rf" = {tex_number(cell.scaled)}"
        )
    if step >= 3:
        lines.append(rf"\hat S'_{{{i},{j}}} &= {tex_number(cell.masked)}")
    if step >= 4:
        fraction = rf"\frac{{{tex_number(cell.exp_shifted)}}}{{{tex_number(cell.row_sum_shifted)}}}"
        weight = "0" if cell.fully_masked_row else rf"{fraction} = {tex_number(cell.weight)}"
        lines.append(rf"A_{{{i},{j}}} &= {weight}")
    box.latex(r"\begin{aligned} " + r" \\ ".join(lines) + r" \end{aligned}")
    prose(t("steps.summary.more"), box)


def draw_arithmetic(step: int, steps: HeadSteps, tokens: list[str], cell_index: tuple[int, int]) -> None:
    """Cell (i, j) written out up to the current step: products, sum, ÷√d_k, mask, exp, ÷ row sum."""
    i, j = cell_index
    attention = steps.attention
    cell = cell_arithmetic(steps.q, steps.k, attention.masked[i], i, j, attention.scale)
    st.divider()
    st.markdown(
        "**" + t("steps.cell.title", i=i, j=j, query_token=literal(tokens[i]), key_token=literal(tokens[j])) + "**"
    )
    st.latex(score_latex(cell))
    with st.expander(t("steps.cell.products", n=cell.products.numel())):
        st.dataframe(products_table(cell), hide_index=True)
    if step >= 2:
        st.latex(scale_latex(cell))
    if step >= 3:
        st.caption(t("steps.cell.allowed" if cell.allowed else "steps.cell.masked", i=i, j=j))
        st.latex(mask_latex(cell))
    if step >= 4:
        if cell.fully_masked_row:
            st.warning(t("steps.cell.fully_masked", i=i))
        else:
            shifted, unshifted = st.columns(2, gap="large")
            shifted.markdown(t("steps.cell.shifted", i=i))
            for line in softmax_latex(cell):
                shifted.latex(line)
            shifted.success(t("steps.cell.matches_chart", weight=float(attention.weights[i, j])))
            unshifted.markdown(t("steps.cell.unshifted", i=i))
            for line in unshifted_latex(cell):
                unshifted.latex(line)
            if cell.overflow:
                unshifted.warning(t("steps.cell.overflow"))
            elif cell.underflow:
                unshifted.warning(t("steps.cell.underflow"))
            else:
                unshifted.caption(t("steps.cell.same", i=i))
    prose(t("steps.cell.rounding"))


def step_claim(step: int, steps: HeadSteps, settings: PlaygroundSettings) -> str | None:
    """One sentence per step that a live number backs."""
    attention = steps.attention
    root_d_k = 1 / attention.scale
    if step == 1:
        s = spread(attention.scores)
        return t("steps.claim.1", n=attention.scores.numel(), low=s.low, high=s.high, std=s.std, root=root_d_k)
    if step == 2:
        before, after = spread(attention.scores).std, spread(attention.scaled).std
        return t("steps.claim.2", before=before, after=after, d_k=steps.q.size(-1), scale=attention.scale)
    if step == 3:
        if settings.mask == "none":
            return t("steps.claim.3.none")
        masked = int((~attention.allowed).sum())
        return t("steps.claim.3", kind=t(f"ctl.mask.{settings.mask}"), masked=masked, total=attention.allowed.numel())
    if step == 4:
        live = ~attention.fully_masked_rows
        if not live.any():
            return None
        sums = attention.weights.sum(dim=-1)[live]
        on_masked = attention.weights[~attention.allowed]
        masked_max = f"{float(on_masked.max()):g}" if on_masked.numel() else t("steps.claim.4.no_masked")
        return t("steps.claim.4", low=float(sums.min()), high=float(sums.max()), masked_max=masked_max)
    if step == 5:
        verdict = t("steps.claim.5.true" if outputs_within_value_range(steps) else "steps.claim.5.false")
        live_rows = int((~attention.fully_masked_rows).sum())
        return t("steps.claim.5", verdict=verdict, n=live_rows * steps.v.size(-1))
    return None


@st.cache_data(show_spinner=False)
def source_of(projection: bool) -> tuple[str, str]:
    """(file, source) of the core code that runs: the projection into Q, K, V, or attention itself."""
    function = MultiHeadAttention.forward if projection else scaled_dot_product_attention
    return "core/" + inspect.getfile(function).rsplit("/", 1)[-1], inspect.getsource(function)


# ── the page ─────────────────────────────────────────────────────────────────

st.header(t("nav.steps"), anchor=False)
prose(t("steps.intro"))
settings = playground_controls()
last = settings.seq_len - 1
# After the shared controls: the clicked cell's range is the sentence's, so a link's out-of-range
# cell is clamped once, to the cell the page really shows, and the notice names it.
page_params(
    "steps",
    {
        "steps_step": int_param(0, STEP_COUNT - 1, 0),
        "steps_typed": bool_param(False),
        "steps_i": int_param(0, last, min(1, last)),  # the cell whose arithmetic is written out
        "steps_j": int_param(0, last, 0),
    },
)
head = head_selector(settings.heads) if settings.heads > 1 else 0
typed = typed_toggle(settings.seq_len)
step = stepper()

sequence = prepare_sequence(settings)
mask = build_mask(settings.mask, settings.seq_len, real_len=sequence.real_len, window=settings.window)
# The same call the playground makes, so one head here shows the playground's numbers for that head.
steps = head_steps(
    self_attention(cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings, mask), head
)
labels = position_labels(sequence.tokens)
dims = [str(d) for d in range(settings.d_k)]
if typed:
    source_note = t("steps.source.typed")
    steps = steps_from_qkv(*typed_matrices(steps, labels, expanded=step == 0), mask)
elif settings.heads > 1:
    source_note = t("steps.source.model", head=head, heads=settings.heads)
else:
    source_note = t("steps.source.model_one_head")

L = settings.seq_len
shape_values = {"L": L, "d_k": settings.d_k, "d_model": settings.d_model, "head": head}
attention = steps.attention
cell = selected_cell(L)

st.subheader(t("steps.title.0.typed" if typed and step == 0 else f"steps.title.{step}"), anchor=False)
left, right = st.columns([1, 2] if step == 0 else [1, 1], gap="medium" if step == 0 else "large")
# Step 0's charts are small and many: its shapes go under them, where there is room for the long names.
charts_area = right.container() if step == 0 else right
if step in CELL_STEPS:
    cell_summary(left, step, steps, sequence.tokens, cell)
explain(left, right if step == 0 else left, step, shape_values, step_claim(step, steps, settings), source_note, typed)
if step == 0:
    qkv_column = charts_area
    if not typed:
        x_column, qkv_column = charts_area.columns(2, gap="small")
        x = sequence.embeddings[:, :MAX_X_COLUMNS]  # [L, ≤ MAX_X_COLUMNS]
        x_chart = signed_chart(
            x,
            t("steps.chart.x", **shape_values),
            labels,
            [str(d) for d in range(x.size(-1))],
            x_title=t("axis.dim"),
            y_title=t("axis.query"),
            size=SMALL_CHART_SIZE,
        )
        show(x_column, x_chart, key="steps_chart_x")
        if settings.d_model > MAX_X_COLUMNS:
            x_column.caption(t("steps.x_cut", d_model=settings.d_model, shown=MAX_X_COLUMNS))
    for tab, name, matrix in zip(qkv_column.tabs(["Q", "K", "V"]), "qkv", (steps.q, steps.k, steps.v), strict=True):
        y_title = t("axis.query") if name == "q" else t("axis.key")
        title = t(f"steps.chart.{name}", **shape_values)
        figure = signed_chart(
            matrix, title, labels, dims, x_title=t("axis.dim"), y_title=y_title, size=SMALL_CHART_SIZE
        )
        show(tab, figure, key=f"steps_chart_{name}")
else:
    square = {"x_title": t("axis.key"), "y_title": t("axis.query"), "size": CHART_SIZE}
    if step == 1:
        figure = signed_chart(attention.scores, t("steps.chart.scores", **shape_values), labels, labels, **square)
    elif step == 2:
        figure = signed_chart(attention.scaled, t("steps.chart.scaled", **shape_values), labels, labels, **square)
    elif step == 3:
        title = t("steps.chart.masked", **shape_values)
        figure = signed_chart(attention.masked, title, labels, labels, allowed=attention.allowed.numpy(), **square)
    elif step == 4:
        figure = heatmap(
            to_long_df(attention.weights.numpy(), labels, labels, attention.allowed.numpy()),
            kind="weights",
            title=t("steps.chart.weights", **shape_values),
            x_title=t("axis.key"),
            y_title=t("axis.query"),
            legend_title=t("axis.value"),
            masked_text="0",
            show_values=L <= VALUES_IN_CELLS_UP_TO,
            row_sums=attention.weights.sum(dim=-1).numpy(),
            size=CHART_SIZE,
            scale=chart_scale(),
        )
    else:
        title = t("steps.chart.output", **shape_values)
        figure = signed_chart(
            attention.output, title, labels, dims, x_title=t("axis.dim"), y_title=t("axis.query"), size=CHART_SIZE
        )
    if step in CELL_STEPS:
        show_cells_chart(right, figure, cell, L)
        draw_arithmetic(step, steps, sequence.tokens, cell)
    else:
        show(right, figure, key="steps_chart_output")

path, source = source_of(step == 0 and not typed)
with st.expander(t("steps.code", path=path)):
    st.code(source, language="python")
