"""FlashAttention's online softmax: one query row over the keys block by block (running max, sum, rescale
factor, running output), equal at the end to ordinary softmax attention; and the memory traffic it saves."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd
import streamlit as st

from core import online_softmax
from core.online_softmax import block_bounds, memory_traffic, online_softmax_attention
from core.pipeline import self_attention
from ui.cache import cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.controls import PlaygroundSettings, head_selector, model_controls, seed_control, sequence_controls
from ui.i18n import t
from ui.markdown import literal
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import choice_param, int_param, page_params

LENGTHS = tuple(str(2**i) for i in range(8, 16))  # 256 … 32768
TILES = ("16", "32", "64", "128", "256")
FLOAT_BYTES = 4  # float32, as on the Cost page
MIB, KIB = 2**20, 2**10
CHART_SIZE = 300
DEFAULT_BLOCK = 3
_PERSIST = {"persist_state": "session"}

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

st.header(t("os.title"), anchor=False)
prose(t("os.intro"))
prose(t("os.cite"))

mode, text, seq_len = sequence_controls()
d_k, heads = model_controls()
seed = seed_control()
settings = PlaygroundSettings(
    mode=mode, text=text, seq_len=seq_len, d_k=d_k, heads=heads, mask="none", window=0, seed=seed
)
sequence = prepare_sequence(settings)
head = head_selector(heads) if heads > 1 else 0

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
processed = np.arange(n_blocks + 1) < step
processed[-1] = True
weights = np.stack([s.weights_so_far.numpy() for s in run.steps] + [run.reference_weights.numpy()])
seen = np.stack([np.arange(seq_len) < s.end for s in run.steps] + [np.ones(seq_len, dtype=bool)])
outputs = np.stack([s.output.numpy() for s in run.steps] + [run.reference_output.numpy()])
chart_left, chart_right = st.columns(2, gap="small")
show(
    chart_left,
    heatmap(
        to_long_df(weights, row_labels, position_labels(tokens), allowed=seen & processed[:, None]),
        kind="weights",
        title=t("os.chart.weights"),
        x_title=t("axis.key"),
        y_title=t("os.axis.after"),
        legend_title=t("os.axis.weight"),
        masked_text="",
        size=CHART_SIZE,
        scale=chart_scale(),
    ),
    key="os_chart_weights",
)
dims = [str(i) for i in range(outputs.shape[1])]
show(
    chart_right,
    heatmap(
        to_long_df(outputs, row_labels, dims, allowed=np.repeat(processed[:, None], len(dims), axis=1)),
        kind="signed",
        title=t("os.chart.output"),
        x_title=t("axis.dim"),
        y_title=t("os.axis.after"),
        legend_title=t("axis.value"),
        masked_text="",
        show_values=False,
        size=CHART_SIZE,
        scale=chart_scale(),
    ),
    key="os_chart_output",
)
prose(t("os.charts.note"))
st.caption(t("os.raises", n=n_blocks, raises=run.max_raises, rescaled=run.max_raises - 1))

diff = run.max_output_diff
answer = (
    "exact" if diff == 0 else "rounding" if diff <= online_softmax.EQUAL_UP_TO else "approx" if diff <= 1e-2 else "far"
)
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


def shown(value: float) -> str:
    return "−∞" if value == -math.inf else f"{value:.4f}".replace("-", "−")


st.dataframe(
    pd.DataFrame(
        {
            t("os.col.block"): [str(i + 1) for i in range(step)],
            t("os.col.keys"): [f"{s.start}–{s.end - 1}" for s in run.steps[:step]],
            t("os.col.block_max"): [shown(s.block_max) for s in run.steps[:step]],
            "m_old": [shown(s.m_old) for s in run.steps[:step]],
            "m_new": [shown(s.m_new) for s in run.steps[:step]],
            t("os.col.factor"): [shown(s.rescale) for s in run.steps[:step]],
            t("os.col.sum"): [shown(s.running_sum) for s in run.steps[:step]],
        }
    ),
    hide_index=True,
    width="content",
)

# One row per block and a last row with ordinary softmax attention; blocks after the current step are grey.
predict_then_reveal(
    "os_difference",
    t("os.predict.question", B=block),
    {choice: t(f"os.predict.{choice}") for choice in ("exact", "rounding", "approx", "far")},
    answer,
    lambda: st.markdown(t("os.predict.explain", diff=diff)),
)
metric_left, metric_right = st.columns(2)
metric_left.metric(t("os.metric.output", n=n_blocks), f"{diff:.2e}")
metric_right.metric(t("os.metric.weights"), f"{run.max_weight_diff:.2e}")
if diff <= online_softmax.EQUAL_UP_TO:
    st.success(t("os.equal", diff=diff))
else:
    st.warning(t("os.differ", diff=diff))
with st.expander(t("os.code")):
    st.code(inspect.getsource(online_softmax_attention), language="python")

# ── memory traffic ──────────────────────────────────────────────────────────
st.subheader(t("os.traffic.title"), anchor=False)
prose(t("os.traffic.model"))
st.latex(
    r"\text{naive} = 4Ld + 4L^2 \qquad \text{fused} = 2Ld + 2Ld\left\lceil \tfrac{L}{B} \right\rceil"
    r"\qquad \text{(elements)}"
)
traffic_left, traffic_right = st.columns(2)
long_len = int(traffic_left.select_slider(t("os.len"), LENGTHS, key="os_len", **_PERSIST))
tile = int(traffic_right.select_slider(t("os.tile"), TILES, key="os_tile", **_PERSIST))
traffic = memory_traffic(long_len, d_k, tile)
metric_columns = st.columns(3)
metric_columns[0].metric(t("os.metric.naive"), f"{traffic.naive * FLOAT_BYTES / MIB:.2f}")
metric_columns[1].metric(t("os.metric.fused"), f"{traffic.fused * FLOAT_BYTES / MIB:.2f}")
metric_columns[2].metric(t("os.metric.chip"), f"{traffic.on_chip * FLOAT_BYTES / KIB:.1f}")
tiles = math.ceil(long_len / tile)
ratio = traffic.naive / traffic.fused
if ratio > 1:
    share = 100 * traffic.naive_matrix / traffic.naive
    st.markdown(t("os.traffic.less", L=long_len, d_k=d_k, B=tile, ratio=ratio, share=share, tiles=tiles))
else:
    st.markdown(t("os.traffic.more", L=long_len, d_k=d_k, B=tile, ratio=1 / ratio, tiles=tiles))
lengths = [int(n) for n in LENGTHS if int(n) <= long_len]
table = [memory_traffic(n, d_k, tile) for n in lengths]
st.dataframe(
    pd.DataFrame(
        {
            t("os.col.L"): lengths,
            t("os.col.naive"): [x.naive * FLOAT_BYTES / MIB for x in table],
            t("os.col.matrix"): [x.naive_matrix * FLOAT_BYTES / MIB for x in table],
            t("os.col.fused"): [x.fused * FLOAT_BYTES / MIB for x in table],
            t("os.col.ratio"): [x.naive / x.fused for x in table],
        }
    ),
    hide_index=True,
    width="content",
    column_config={
        name: st.column_config.NumberColumn(format="%.2f")
        for name in (t("os.col.naive"), t("os.col.matrix"), t("os.col.fused"), t("os.col.ratio"))
    },
)
prose(t("os.cost"))
st.page_link("app_pages/cost.py", label=t("os.cost.link"), icon=":material/timer:")
