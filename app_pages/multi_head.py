"""Multi-head lesson: every head's weights, the shapes from X to the output, how much the heads differ,
and a live parity check against torch.nn.MultiheadAttention."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.head_diversity import head_diversity, head_pairs
from core.multihead import MultiHeadAttention, merge_heads, split_heads
from core.parity import compare_with_torch, seeded_torch_attention
from core.pipeline import build_mask, self_attention
from core.shapes import STAGE_NAMES, shape_flow
from ui.cache import cached_example_sizes, cached_torch_and_copy, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.multi_head import flow_unit, heads_grid, top_keys_frame
from ui.charts.multi_head import shape_flow as shape_flow_chart
from ui.controls import playground_controls, translated_choice
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.multi_head_text import example_sentence
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.tutorial_examples_views import sizes_view
from ui.url_state import choice_param, page_params

METRICS = ("js", "tv")
EXAMPLES = ("toy", "base")  # the tutorials' worked examples (core/tutorial_examples.py)
DISTANCE_FORMULAS = {
    "js": r"\mathrm{JS}(p, q) = \tfrac12\,\mathrm{KL}(p\,\|\,m) + \tfrac12\,\mathrm{KL}(q\,\|\,m),\quad "
    r"m = \tfrac12(p + q),\quad \log_2 \;\Rightarrow\; 0 \le \mathrm{JS} \le 1",
    "tv": r"\mathrm{TV}(p, q) = \tfrac12 \sum_j |p_j - q_j| \quad\Rightarrow\quad 0 \le \mathrm{TV} \le 1",
}
PARITY_TOLERANCE = 1e-5
DIVERSITY_SIZE = 260
TABLE_MAX_HEIGHT = 423  # 11 rows of 35 px + header: L = 10 fits without scrolling


lesson_header(t("mh.title"), t("mh.intro"))
page_params("multi_head", {"mh_metric": choice_param(METRICS, "js"), "mh_example": choice_param(EXAMPLES, None)})
settings = playground_controls()
sequence = prepare_sequence(settings)

# One forward pass of our copy of PyTorch's layer; every section reads this result.
mask = build_mask(settings.mask, settings.seq_len, real_len=sequence.real_len, window=settings.window)
module, model = cached_torch_and_copy(settings.d_k, settings.heads, settings.seed)
result = self_attention(model, sequence.embeddings, mask)
attention = result.attention
labels = position_labels(sequence.tokens)
head_names = [f"{t('axis.head')} {h}" for h in range(settings.heads)]

st.latex(
    r"\begin{aligned}\mathrm{MultiHead}(X) &= \mathrm{Concat}(\mathrm{head}_0, \dots, \mathrm{head}_{H-1})\,W_O"
    r"\\ \mathrm{head}_i &= \mathrm{softmax}\!\left(\frac{Q_i K_i^{\top}}{\sqrt{d_k}} + M\right) V_i,\quad "
    r"Q_i = X W_Q^{(i)},\ K_i = X W_K^{(i)},\ V_i = X W_V^{(i)}\end{aligned}"
)
st.caption(
    t("ctl.d_model", heads=settings.heads, d_k=settings.d_k, d_model=settings.d_model)
    + " · "
    + t("note.scale", d_k=settings.d_k, scale=attention.scale, d_model=settings.d_model)
)

# ── every head ──
st.subheader(t("mh.grid.header"), anchor=False)
fully_masked = attention.fully_masked_rows[0, 0]  # the mask is shared by all heads
show(
    st,
    heads_grid(
        attention.weights[0].numpy(),
        attention.allowed[0].numpy(),
        labels,
        labels,
        title=t("mh.grid.title"),
        head_title=t("axis.head"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        scale=chart_scale(),
    ),
    key="mh_grid",
)
prose(t("mh.grid.caption", heads=settings.heads) + " " + t("legend.masked"))
if fully_masked.any():
    st.warning(t("msg.fully_masked", rows=", ".join(str(i) for i in fully_masked.nonzero().flatten().tolist())))

# ── shapes ──
st.subheader(t("mh.shapes.header"), anchor=False)
stages = shape_flow(sequence.embeddings, result)
stage_names = {name: t(f"mh.stage.{name}") for name in STAGE_NAMES}
show(
    st,
    shape_flow_chart(
        stages, stage_names, title=t("mh.shapes.title"), head_title=t("axis.head"), shape_title=t("mh.shapes.shape")
    ),
    key="mh_shapes",
)
prose(t("mh.shapes.caption", unit=flow_unit(stages), heads=settings.heads, d_k=settings.d_k, d_model=settings.d_model))
with st.expander(t("mh.code.split")):
    st.code(source_of(split_heads, merge_heads), language="python")
with st.expander(t("mh.code.forward")):
    st.code(source_of(MultiHeadAttention.forward), language="python")

# ── the tutorials' examples ──
st.subheader(t("mh.example.header"), anchor=False)
example = st.segmented_control(
    t("mh.example.choose"),
    EXAMPLES,
    format_func=lambda e: t(f"mh.example.{e}"),
    key="mh_example",
    persist_state="session",
)
if example is None:
    prose(t("mh.example.hint"))
else:
    sizes = cached_example_sizes(example, settings.seed)
    names = {size.name: t(f"example.name.{size.name}") for size in sizes}
    sizes_view(sizes, names, key="mh_example_bars")
    st.markdown(example_sentence(example, sizes))

# ── different heads ──
st.subheader(t("mh.div.header"), anchor=False)
if settings.heads == 1:
    st.info(t("mh.div.one_head"))
else:
    metric = translated_choice(
        st.segmented_control, "mh.div.metric", METRICS, key="mh_metric", help=t("mh.div.metric.help")
    )
    metric = metric or "js"  # a segmented control can be deselected
    diversity = head_diversity(attention.weights[0], ~attention.fully_masked_rows[0, 0])
    distances = diversity.js_bits if metric == "js" else diversity.total_variation
    pairs = head_pairs(distances)
    st.latex(DISTANCE_FORMULAS[metric])
    left, right = st.columns([2, 3], gap="medium")
    heatmap = partial(attention_heatmap, scale=chart_scale(), lang=language(), size=DIVERSITY_SIZE)
    chart = heatmap(
        distances.numpy(),
        head_names,
        kind="weights",
        title=t(f"mh.div.title.{metric}"),
        x_title=t("axis.head"),
        y_title=t("axis.head"),
        legend_title=t("mh.div.value"),
    )
    show(left, chart, key="mh_diversity")
    table = top_keys_frame(diversity, labels, head_names, t("mh.div.query"))
    right.markdown(f"**{t('mh.div.top_title')}**")
    right.dataframe(table, height=min(35 * (settings.seq_len + 1) + 3, TABLE_MAX_HEIGHT))
    if settings.heads == 2:
        summary = t("mh.div.summary_pair", distance=pairs.mean)
    else:
        near, far = {"near_a": pairs.near[0], "near_b": pairs.near[1]}, {"far_a": pairs.far[0], "far_b": pairs.far[1]}
        summary = t("mh.div.summary", mean=pairs.mean, near=pairs.near_distance, far=pairs.far_distance, **near, **far)
    st.caption(summary + " " + t("mh.div.disagree", disagree=diversity.disagreeing_rows, live=diversity.live_count))
    prose(t("mh.div.untrained"))

# ── parity with PyTorch ──
st.subheader(t("mh.parity.header"), anchor=False)
prose(t("mh.parity.intro", d_model=settings.d_model, heads=settings.heads, seed=settings.seed))
report = compare_with_torch(module, sequence.embeddings, mask, result)
if report.output_max_abs_diff is None or report.weights_max_abs_diff is None:
    st.warning(t("mh.parity.nothing"))
else:
    output_column, weights_column, rows_column = st.columns(3)
    output_column.metric(t("mh.parity.output"), f"{report.output_max_abs_diff:.2e}")
    weights_column.metric(t("mh.parity.weights"), f"{report.weights_max_abs_diff:.2e}")
    rows_column.metric(t("mh.parity.rows"), f"{report.compared_count} / {settings.seq_len}")
    if max(report.output_max_abs_diff, report.weights_max_abs_diff) <= PARITY_TOLERANCE:
        st.success(t("mh.parity.pass"))
    else:
        st.error(t("mh.parity.fail"))
if not report.compared_rows.all():
    skipped = ", ".join(str(i) for i in (~report.compared_rows).nonzero().flatten().tolist())
    st.info(t("mh.parity.nan_rows", rows=skipped, nan=report.torch_nan_rows))
prose(t("mh.parity.mask_note"))
with st.expander(t("mh.parity.code")):
    st.code(source_of(seeded_torch_attention, compare_with_torch), "python")
