"""RoPE: the rotation of every pair of q/k dimensions, the measured fact that only m − n matters, and the
rotated scores beside the added sinusoidal encoding of the Position page."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.pipeline import self_attention
from core.position import shared_extent
from core.rope import angle_picture, check_shift, head_grid, rotate_half, rotate_interleaved
from ui.cache import cached_model, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.controls import PERSIST
from ui.i18n import language, t
from ui.lesson_page import lesson_header, lesson_inputs
from ui.markdown import literal
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.url_state import choice_param, int_param, page_params

FORMULA = (
    r"\theta_i = \text{base}^{-2i/d_k},\qquad "
    r"\begin{pmatrix} q'_{2i} \\ q'_{2i+1} \end{pmatrix} = "
    r"\begin{pmatrix} \cos m\theta_i & -\sin m\theta_i \\ \sin m\theta_i & \cos m\theta_i \end{pmatrix}"
    r"\begin{pmatrix} q_{2i} \\ q_{2i+1} \end{pmatrix},\qquad "
    r"q'_m \cdot k'_n = f(q, k, m - n)"
)
BASES = ("100", "1000", "10000", "100000", "500000", "1000000")
MAX_SHIFT = 1000
MAX_SPAN = 64
EQUAL_UP_TO = 1e-6  # the shift check runs in float64: rounding stays near 1e-15
CHART_SIZE = 240

# Signed charts without values; compared charts share one colour ``extent``, so float-rounding noise in a
# difference stays white.
signed_chart = partial(
    attention_heatmap, kind="signed", scale=chart_scale(), lang=language(), show_values=False, size=CHART_SIZE
)

lesson_header(t("rope.title"), t("rope.intro"), FORMULA)
page_params(
    "rope",
    {
        "rope_base": choice_param(BASES, "10000"),
        "rope_shift": int_param(0, MAX_SHIFT, 100),
        "rope_span": int_param(2, MAX_SPAN, 24),
    },
)
settings, sequence, head = lesson_inputs()
seq_len, d_k, heads, seed = settings.seq_len, settings.d_k, settings.heads, settings.seed
model = cached_model(d_k, heads, seed)
projected = self_attention(model, sequence.embeddings, None)
q, k = projected.q[0, head], projected.k[0, head]  # [L, d_k] each, before any rotation

left, middle, right = st.columns(3)
base = float(left.select_slider(t("rope.base"), BASES, key="rope_base", help=t("rope.base.help"), **PERSIST))
shift = int(middle.slider(t("rope.shift"), 0, MAX_SHIFT, key="rope_shift", help=t("rope.shift.help"), **PERSIST))
span = int(right.slider(t("rope.span"), 2, MAX_SPAN, key="rope_span", **PERSIST))
if d_k == 1:
    st.info(t("rope.no_pairs"))
elif d_k % 2:
    st.info(t("rope.odd", d_k=d_k))

check = check_shift(q, k, shift, base)
# ── 1. frequencies ───────────────────────────────────────────────────────────
st.subheader(t("rope.freq.title"), anchor=False)
pairs = d_k // 2
if pairs:
    picture = angle_picture(span, d_k, base)
    angles_chart = signed_chart(
        picture.cosines.numpy(),
        [str(m) for m in range(span)],
        [str(i) for i in range(pairs)],
        title=t("rope.chart.angles"),
        x_title=t("rope.axis.pair"),
        y_title=t("rope.axis.position"),
        extent=1.0,
    )
    show(st, angles_chart, key="rope_chart_angles")
    slow = dict(slow=picture.slowest, slow_period=picture.slow_period)
    st.caption(t("rope.freq.caption", fast=picture.fast_period, last=pairs - 1, **slow))

# ── 2. shift ─────────────────────────────────────────────────────────────────
st.subheader(t("rope.shift.title"), anchor=False)
# The question is about this section, so it is asked here; the first charts stay above the fold.
predict_then_reveal(
    "rope_shift",
    t("predict.rope.question", s=shift),
    {"same": t("predict.rope.same"), "changed": t("predict.rope.changed")},
    "same" if check.max_diff_both <= EQUAL_UP_TO else "changed",
    lambda: st.markdown(t("predict.rope.explain", both=check.max_diff_both, keys=check.max_diff_keys, s=shift)),
)
tokens = position_labels(sequence.tokens)
matrices = (check.scores, check.both_moved, check.keys_moved)
extent = shared_extent(*matrices)
titles = (t("rope.chart.scores"), t("rope.chart.both", s=shift), t("rope.chart.keys", s=shift))
keys = ("rope_chart_scores", "rope_chart_both", "rope_chart_keys")
for column, matrix, title, key in zip(st.columns(3, gap="small"), matrices, titles, keys, strict=True):
    show(column, signed_chart(matrix.numpy(), tokens, title=title, extent=extent), key=key)
metric_left, metric_right = st.columns(2)
metric_left.metric(t("rope.metric.both"), f"{check.max_diff_both:.2g}")
metric_right.metric(t("rope.metric.keys"), f"{check.max_diff_keys:.3g}")
both_key = "rope.both.same" if check.max_diff_both <= EQUAL_UP_TO else "rope.both.changed"
keys_key = "rope.keys.same" if check.max_diff_keys <= EQUAL_UP_TO else "rope.keys.changed"
st.markdown(t(both_key, s=shift, diff=check.max_diff_both))
st.markdown(t(keys_key, s=shift, diff=check.max_diff_keys))

# ── 3. rotated vs added ──────────────────────────────────────────────────────
st.subheader(t("rope.grid.title"), anchor=False)
query_token = 0
key_token = 1 if seq_len > 1 else 0
prose(t("rope.grid.intro", query=literal(sequence.tokens[query_token]), key_token=literal(sequence.tokens[key_token])))
pictured = head_grid(model, sequence.embeddings, head, query_token, key_token, span, base)
positions = [str(p) for p in range(span)]
for column, name in zip(st.columns(2, gap="small"), ("rotated", "added"), strict=True):
    grid_chart = signed_chart(
        getattr(pictured.grid, name).numpy(),
        positions,
        title=t(f"rope.chart.{name}"),
        x_title=t("rope.axis.key_position"),
        y_title=t("rope.axis.position"),
        extent=pictured.extent,
    )
    show(column, grid_chart, key=f"rope_chart_{name}")
    column.metric(t(f"rope.metric.spread_{name}"), f"{pictured.spreads[name]:.2g}")
for name, spread in pictured.spreads.items():
    wording = "rope.grid.distance" if spread <= EQUAL_UP_TO else "rope.grid.absolute"
    st.markdown(t(wording, name=t(f"rope.chart.{name}"), spread=spread))

with st.expander(t("rope.code")):
    prose(t("rope.code.caption"))
    st.code(source_of(rotate_interleaved), language="python")
    st.code(source_of(rotate_half), language="python")
