"""FlashAttention's online softmax: one query row over the keys block by block (running max, sum, rescale
factor, running output), equal at the end to ordinary softmax attention; and the memory traffic it saves."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.online_softmax import (
    EQUAL_UP_TO,
    block_bounds,
    block_progress,
    how_close,
    memory_traffic,
    online_softmax_attention,
)
from core.pipeline import self_attention
from ui.cache import cached_model, source_of
from ui.charts import position_labels, progress_heatmap, show
from ui.charts.online_softmax import FLOAT_BYTES, KIB, MIB, steps_frame, traffic_frame
from ui.controls import PERSIST
from ui.i18n import language, t
from ui.lesson_page import lesson_header, lesson_inputs
from ui.markdown import literal
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.url_state import choice_param, int_param, page_params

LENGTHS = tuple(str(2**i) for i in range(8, 16))  # 256 … 32768
TILES = ("16", "32", "64", "128", "256")
CHART_SIZE = 300
DEFAULT_BLOCK = 3

# L comes from the shared controls (restored before the page runs); the row and block are bounded by it, and
# the step by the number of blocks, so the step's parameter is declared once the block is known.
length_now = int(st.session_state.get("L", 1))
page_params(
    "online_softmax",
    {
        "os_row": int_param(0, length_now - 1, length_now - 1),
        "os_block": int_param(1, length_now, min(DEFAULT_BLOCK, length_now)),
        "os_len": choice_param(LENGTHS, "4096"),
        "os_tile": choice_param(TILES, "128"),
    },
)

lesson_header(t("os.title"), t("os.intro"))
prose(t("os.cite"))

settings, sequence, head = lesson_inputs()
text, seq_len, d_k, heads, seed = settings.text, settings.seq_len, settings.d_k, settings.heads, settings.seed

# The sentence may have changed L since the link was read: keep the row and the block inside it.
for key, high in (("os_row", seq_len - 1), ("os_block", seq_len)):
    if int(st.session_state[key]) > high:
        st.session_state[key] = high
n_blocks = len(block_bounds(seq_len, int(st.session_state["os_block"])))
page_params("online_softmax_step", {"os_step": int_param(1, n_blocks, n_blocks)})
if int(st.session_state["os_step"]) > n_blocks:
    st.session_state["os_step"] = n_blocks

left, middle, right = st.columns(3)
row = int(left.slider(t("os.row"), 0, seq_len - 1, key="os_row", help=t("os.row.help"))) if seq_len > 1 else 0
block = int(middle.slider(t("os.block"), 1, seq_len, key="os_block", help=t("os.block.help"))) if seq_len > 1 else 1
# The block slider can return another value than the state held (e.g. when its range changed with L).
n_blocks = len(block_bounds(seq_len, block))
st.session_state["os_step"] = min(int(st.session_state["os_step"]), n_blocks)
step = int(right.slider(t("os.step"), 1, n_blocks, key="os_step")) if n_blocks > 1 else 1

result = self_attention(cached_model(d_k, heads, seed), sequence.embeddings, None)
q, k, v = result.q[0, head], result.k[0, head], result.v[0, head]  # [L, d_k] each
run = online_softmax_attention(q[row], k, v, block)
tokens = sequence.tokens
st.markdown(t("os.setup", token=literal(tokens[row]), row=row, head=head, L=seq_len, n=n_blocks, B=block))

row_labels = [t("os.row.block", k=i + 1) for i in range(n_blocks)] + [t("os.row.reference")]
progress = block_progress(run, step)
chart_left, chart_right = st.columns(2, gap="small")
# One row per block and a last row with ordinary softmax attention; blocks after the current step are blank.
chart = partial(progress_heatmap, scale=chart_scale(), lang=language(), y_title=t("os.axis.after"), size=CHART_SIZE)
weights_chart = chart(
    progress.weights.numpy(),
    row_labels,
    position_labels(tokens),
    reached=progress.weights_shown.numpy(),
    kind="weights",
    title=t("os.chart.weights"),
    legend_title=t("os.axis.weight"),
)
show(chart_left, weights_chart, key="os_chart_weights")
output_chart = chart(
    progress.outputs.numpy(),
    row_labels,
    [str(i) for i in range(progress.outputs.size(1))],
    reached=progress.outputs_shown.numpy(),
    kind="signed",
    title=t("os.chart.output"),
    x_title=t("axis.dim"),
    show_values=False,
)
show(chart_right, output_chart, key="os_chart_output")
prose(t("os.charts.note"))
st.caption(t("os.raises", n=n_blocks, raises=run.max_raises, rescaled=run.max_raises - 1))

diff = run.max_output_diff
# The step's numbers under its charts, so the charts stay above a projector's fold.
current = run.steps[step - 1]
described = dict(
    k=step,
    start=current.start,
    end=current.end - 1,
    block_max=current.block_max,
    m_old=current.m_old,
    m_new=current.m_new,
    rescale=current.rescale,
    ell=current.running_sum,
)
if step == 1:
    st.markdown(t("os.first", **described))
elif current.raised_max:
    st.markdown(t("os.raised", **described))
else:
    st.markdown(t("os.kept", **described))


columns = ("block", "keys", "block_max", "factor", "sum")
step_titles = {name: t(f"os.col.{name}") for name in columns}
st.dataframe(steps_frame(run, step, step_titles), hide_index=True, width="content")

predict_then_reveal(
    "os_difference",
    t("os.predict.question", B=block),
    {choice: t(f"os.predict.{choice}") for choice in ("exact", "rounding", "approx", "far")},
    how_close(diff),
    lambda: st.markdown(t("os.predict.explain", diff=diff)),
)
metric_left, metric_right = st.columns(2)
metric_left.metric(t("os.metric.output", n=n_blocks), f"{diff:.2e}")
metric_right.metric(t("os.metric.weights"), f"{run.max_weight_diff:.2e}")
if diff <= EQUAL_UP_TO:
    st.success(t("os.equal", diff=diff))
else:
    st.warning(t("os.differ", diff=diff))
with st.expander(t("os.code")):
    st.code(source_of(online_softmax_attention), language="python")

# ── memory traffic ──────────────────────────────────────────────────────────
st.subheader(t("os.traffic.title"), anchor=False)
prose(t("os.traffic.model"))
st.latex(
    r"\text{naive} = 4Ld + 4L^2 \qquad \text{fused} = 2Ld + 2Ld\left\lceil \tfrac{L}{B} \right\rceil"
    r"\qquad \text{(elements)}"
)
traffic_left, traffic_right = st.columns(2)
long_len = int(traffic_left.select_slider(t("os.len"), LENGTHS, key="os_len", **PERSIST))
tile = int(traffic_right.select_slider(t("os.tile"), TILES, key="os_tile", **PERSIST))
traffic = memory_traffic(long_len, d_k, tile)
metric_columns = st.columns(3)
metric_columns[0].metric(t("os.metric.naive"), f"{traffic.naive * FLOAT_BYTES / MIB:.2f}")
metric_columns[1].metric(t("os.metric.fused"), f"{traffic.fused * FLOAT_BYTES / MIB:.2f}")
metric_columns[2].metric(t("os.metric.chip"), f"{traffic.on_chip * FLOAT_BYTES / KIB:.1f}")
sizes = dict(L=long_len, d_k=d_k, B=tile, tiles=traffic.tiles)
if traffic.ratio > 1:
    st.markdown(t("os.traffic.less", ratio=traffic.ratio, share=traffic.matrix_share, **sizes))
else:
    st.markdown(t("os.traffic.more", ratio=1 / traffic.ratio, **sizes))
traffic_titles = {name: t(f"os.col.{name}") for name in ("L", "naive", "matrix", "fused", "ratio")}
st.dataframe(
    traffic_frame([int(n) for n in LENGTHS if int(n) <= long_len], d_k, tile, traffic_titles),
    hide_index=True,
    width="content",
    column_config={
        traffic_titles[name]: st.column_config.NumberColumn(format="%.2f")
        for name in ("naive", "matrix", "fused", "ratio")
    },
)
prose(t("os.cost"))
st.page_link("app_pages/cost.py", label=t("os.cost.link"), icon=":material/timer:")
