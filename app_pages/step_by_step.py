"""Step by step: X → Q, K, V → QKᵀ → ÷√d_k → mask → softmax → ×V, one step at a time, with the
arithmetic of any attention weight the student clicks, and Q, K, V typed by hand for short sequences."""

from __future__ import annotations

from functools import partial

import streamlit as st
from torch import Tensor

from core.attention import scaled_dot_product_attention
from core.multihead import MultiHeadAttention
from core.pipeline import build_mask, self_attention
from core.step_by_step import cell_arithmetic, head_steps, step_facts, steps_from_qkv
from ui import step_by_step_controls as controls
from ui.cache import cached_model, source_of
from ui.charts import Heatmap, attention_heatmap, position_labels, show
from ui.controls import head_selector, playground_controls
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.step_by_step_text import step_claim
from ui.step_by_step_views import cell_summary, draw_arithmetic, explain

CELL_STEPS = (1, 2, 3, 4)  # steps whose matrix is [L, L]: a click there picks the cell to write out
CHART_SIZE = 300
SMALL_CHART_SIZE = 200
VALUES_IN_CELLS_UP_TO = 12
MAX_X_COLUMNS = 64  # X is [L, H·d_k]; wider than this it is cut (with a note) to stay readable and fast

# ── drawing ──────────────────────────────────────────────────────────────────


def signed_chart(matrix: Tensor, title: str, cols: list[str] | None = None, **titles: object) -> Heatmap:
    """A signed matrix over the tokens (rows), its values printed while it is at most 12 × 12."""
    return attention_heatmap(
        matrix.numpy(),
        labels,
        cols,
        kind="signed",
        title=title,
        scale=chart_scale(),
        lang=language(),
        show_values=max(matrix.shape) <= VALUES_IN_CELLS_UP_TO,
        **titles,
    )


# ── the page ─────────────────────────────────────────────────────────────────

lesson_header(t("nav.steps"), t("steps.intro"))
settings = playground_controls()
controls.step_params(settings.seq_len)
head = head_selector(settings.heads) if settings.heads > 1 else 0
typed = controls.typed_toggle(settings.seq_len)
step = controls.stepper()

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
    steps = steps_from_qkv(*controls.typed_matrices(steps, labels, expanded=step == 0), mask)
elif settings.heads > 1:
    source_note = t("steps.source.model", head=head, heads=settings.heads)
else:
    source_note = t("steps.source.model_one_head")

L = settings.seq_len
shape_values = {"L": L, "d_k": settings.d_k, "d_model": settings.d_model, "head": head}
attention = steps.attention
i, j = controls.selected_cell(L)
cell = (
    cell_arithmetic(steps.q, steps.k, attention.masked_scores[i], i, j, attention.scale) if step in CELL_STEPS else None
)
claim = step_claim(step, step_facts(steps), settings.mask)

st.subheader(t("steps.title.0.typed" if typed and step == 0 else f"steps.title.{step}"), anchor=False)
left, right = st.columns([1, 2] if step == 0 else [1, 1], gap="medium" if step == 0 else "large")
# Step 0's charts are small and many: its shapes go under them, where there is room for the long names.
charts_area = right.container() if step == 0 else right
if cell is not None:
    cell_summary(left, step, cell, sequence.tokens)
explain(left, right if step == 0 else left, step, shape_values, claim, source_note, typed)
if step == 0:
    qkv_column = charts_area
    if not typed:
        x_column, qkv_column = charts_area.columns(2, gap="small")
        x = sequence.embeddings[:, :MAX_X_COLUMNS]  # [L, ≤ MAX_X_COLUMNS]
        x_dims = [str(d) for d in range(x.size(-1))]
        x_chart = signed_chart(
            x, t("steps.chart.x", **shape_values), x_dims, x_title=t("axis.dim"), size=SMALL_CHART_SIZE
        )
        show(x_column, x_chart, key="steps_chart_x")
        if settings.d_model > MAX_X_COLUMNS:
            x_column.caption(t("steps.x_cut", d_model=settings.d_model, shown=MAX_X_COLUMNS))
    for tab, name, matrix in zip(qkv_column.tabs(["Q", "K", "V"]), "qkv", (steps.q, steps.k, steps.v), strict=True):
        y_title = t("axis.query") if name == "q" else t("axis.key")
        title = t(f"steps.chart.{name}", **shape_values)
        figure = signed_chart(matrix, title, dims, x_title=t("axis.dim"), y_title=y_title, size=SMALL_CHART_SIZE)
        show(tab, figure, key=f"steps_chart_{name}")
else:
    title = t(f"steps.chart.{('', 'scores', 'scaled', 'masked', 'weights', 'output')[step]}", **shape_values)
    if step == 4:
        figure = attention_heatmap(
            attention.weights.numpy(),
            labels,
            kind="weights",
            title=title,
            scale=chart_scale(),
            lang=language(),
            allowed=attention.allowed.numpy(),
            show_values=L <= VALUES_IN_CELLS_UP_TO,
            row_sums=attention.row_sums.numpy(),
            size=CHART_SIZE,
        )
    elif step == 5:
        figure = signed_chart(attention.output, title, dims, x_title=t("axis.dim"), size=CHART_SIZE)
    else:
        matrix = (attention.scores, attention.scaled, attention.masked_scores)[step - 1]
        figure = signed_chart(matrix, title, allowed=attention.allowed.numpy() if step == 3 else None, size=CHART_SIZE)
    if cell is not None:
        show(right, figure, controls.CELLS_CHART_KEY, on_click=partial(controls.take_click, L), selected_cell=(i, j))
        prose(t("steps.click_hint"), right)
        draw_arithmetic(step, cell, float(attention.weights[i, j]), sequence.tokens)
    else:
        show(right, figure, key="steps_chart_output")

# The core code that runs: the projection into Q, K, V on step 0, attention itself on every other step.
function = MultiHeadAttention.forward if step == 0 and not typed else scaled_dot_product_attention
with st.expander(t("steps.code", path=function.__module__.replace(".", "/") + ".py")):
    st.code(source_of(function), language="python")
