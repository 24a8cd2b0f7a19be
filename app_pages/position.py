"""Position: shuffle the tokens and self-attention's outputs shuffle the same way; sinusoidal position encodings
break that symmetry. With a heatmap of the encoding and of its dot products."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.position import check_permutation, shared_extent, shuffle_order, sinusoidal_encoding
from ui.cache import cached_encoding_pictures, cached_model, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.position import order_frame
from ui.controls import PERSIST, lesson_controls
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import bool_param, int_param, page_params

MAX_SHUFFLE_SEED = 9999
MAX_SPAN = 128
MAX_DIMS_SHOWN = 64  # wider outputs are measured in full but drawn only up to here
EQUAL_UP_TO = 1e-4  # float32 rounding stays far below this
CHART_SIZE = 200
PE_CHART_SIZE = 320


# Signed charts without values; compared charts share one colour ``extent``, so rounding noise in a difference
# stays white.
signed_chart = partial(attention_heatmap, kind="signed", scale=chart_scale(), lang=language(), show_values=False)

lesson_header(t("position.title"), t("position.intro"))
page_params(
    "position",
    {
        "position_add": bool_param(False),
        "position_shuffle": int_param(0, MAX_SHUFFLE_SEED, 1),
        "position_span": int_param(2, MAX_SPAN, 32),
    },
)
settings = lesson_controls()
seq_len, d_k, heads, seed = settings.seq_len, settings.d_k, settings.heads, settings.seed
sequence = prepare_sequence(settings)
d_model = settings.d_model

left, right = st.columns(2)
add_position = left.toggle(t("position.add"), key="position_add", help=t("position.add.help"), **PERSIST)
shuffle_seed = int(
    right.number_input(
        t("position.shuffle"),
        0,
        MAX_SHUFFLE_SEED,
        step=1,
        key="position_shuffle",
        help=t("position.shuffle.help"),
        **PERSIST,
    )
)
order = shuffle_order(seq_len, shuffle_seed)
check = check_permutation(cached_model(d_k, heads, seed), sequence.embeddings, order, add_position=add_position)

order_titles = (t("position.table.original"), t("position.table.shuffled"), t("position.table.from"))
st.dataframe(order_frame(sequence.tokens, check.order, order_titles), width="stretch")
if seq_len < 2:
    st.info(t("position.one_token"))

dims_shown = min(d_model, MAX_DIMS_SHOWN)
dims = [str(i) for i in range(dims_shown)]
rows = position_labels([sequence.tokens[i] for i in check.order.tolist()])
after, before = check.attend_then_shuffle[:, :dims_shown], check.shuffle_then_attend[:, :dims_shown]
extent = shared_extent(after, before)
charts = (
    ("after", after, "position_chart_after"),
    ("before", before, "position_chart_before"),
    ("diff", check.difference[:, :dims_shown], "position_chart_diff"),
)
for column, (name, matrix, key) in zip(st.columns(3, gap="small"), charts, strict=True):
    figure = signed_chart(
        matrix.numpy(),
        rows,
        dims,
        title=t(f"position.chart.{name}"),
        x_title=t("axis.dim"),
        y_title=t("position.axis.shuffled"),
        extent=extent,
        size=CHART_SIZE,
    )
    show(column, figure, key=key)
if dims_shown < d_model:
    st.caption(t("position.dims_cut", shown=dims_shown, d_model=d_model))

metric_left, metric_right = st.columns(2)
metric_left.metric(t("position.metric.output"), f"{check.max_output_diff:.3g}")
metric_right.metric(t("position.metric.weights"), f"{check.max_weight_diff:.3g}")
if check.max_output_diff <= EQUAL_UP_TO:
    st.success(t("position.equivariant", diff=check.max_output_diff))
else:
    st.warning(t("position.broken", diff=check.max_output_diff))
prose(t("position.why"))

st.subheader(t("position.pe.title"), anchor=False)
st.latex(
    r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{10000^{2i/d_{model}}}\right) \qquad "
    r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{10000^{2i/d_{model}}}\right)"
)
span = int(st.slider(t("position.span"), 2, MAX_SPAN, key="position_span", **PERSIST))
pictures = cached_encoding_pictures(span, d_model)
positions = [str(p) for p in range(span)]
pe_left, pe_right = st.columns(2, gap="small")
pe_chart = signed_chart(
    pictures.encoding[:, :dims_shown].numpy(),
    positions,
    dims,
    title=t("position.chart.pe"),
    x_title=t("axis.dim"),
    y_title=t("position.axis.pos"),
    extent=1.0,
    size=PE_CHART_SIZE,
)
show(pe_left, pe_chart, key="position_chart_pe")
similarity_chart = signed_chart(
    pictures.similarity.numpy(),
    positions,
    positions,
    title=t("position.chart.similarity"),
    x_title=t("position.axis.pos_j"),
    y_title=t("position.axis.pos"),
    extent=pictures.extent,
    size=PE_CHART_SIZE,
)
show(pe_right, similarity_chart, key="position_chart_similarity")
prose(t("position.pe.caption", L=seq_len, d_model=d_model))
st.caption(t(f"position.similarity.{'even' if d_model % 2 == 0 else 'odd'}", spread=pictures.spread))
with st.expander(t("position.code")):
    st.code(source_of(sinusoidal_encoding), language="python")
