"""Sliding windows and attention sinks: the window counted precisely, the weights with and without the sinks,
and the receptive field measured by composing the masks layer after layer."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.pipeline import self_attention
from core.sliding_window import (
    attend_with_and_without_sinks,
    composed_reach,
    receptive_field,
    sink_effect,
    sink_mask,
    window_mask,
)
from ui.cache import cached_model, source_of
from ui.charts import attention_heatmap, position_labels, progress_heatmap, show
from ui.controls import PERSIST
from ui.i18n import language, t
from ui.lesson_page import lesson_header, lesson_inputs
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.url_state import int_param, page_params

FORMULA = (
    r"\text{allowed}(i, j) = \underbrace{[\,0 \le i - j < W\,]}_{\text{window}} \;\lor\; "
    r"\underbrace{[\,j < S \,\land\, j \le i\,]}_{\text{sinks}}"
)
MAX_WINDOW = 16
MAX_SINKS = 8
MAX_LAYERS = 6
CHART_SIZE = 240
REACH_SIZE = 420

lesson_header(t("sw.title"), t("sw.intro"), FORMULA)
page_params(
    "sliding_window",
    {
        "sw_window": int_param(1, MAX_WINDOW, 3),
        "sw_sinks": int_param(0, MAX_SINKS, 1),
        "sw_layers": int_param(1, MAX_LAYERS, 3),
    },
)
settings, sequence, head = lesson_inputs()
seq_len, d_k, heads, seed = settings.seq_len, settings.d_k, settings.heads, settings.seed

left, middle, right = st.columns(3)
window = int(left.slider(t("sw.window"), 1, MAX_WINDOW, key="sw_window", help=t("sw.window.help"), **PERSIST))
sinks = int(middle.slider(t("sw.sinks"), 0, MAX_SINKS, key="sw_sinks", help=t("sw.sinks.help"), **PERSIST))
layers = int(right.slider(t("sw.layers"), 1, MAX_LAYERS, key="sw_layers", **PERSIST))

field = receptive_field(window, layers)
back = field.back
# ── 1. the window and the sinks ──────────────────────────────────────────────
st.subheader(t("sw.convention.title"), anchor=False)
projected = self_attention(cached_model(d_k, heads, seed), sequence.embeddings, None)
run = attend_with_and_without_sinks(
    projected.q[0, head], projected.k[0, head], projected.v[0, head], window, sinks
)  # [L, d_k] each
labels = position_labels(sequence.tokens)
chart = partial(attention_heatmap, rows=labels, scale=chart_scale(), lang=language(), size=CHART_SIZE)
columns = st.columns(3, gap="small")
for column, (name, result) in zip(columns[:2], (("with", run.with_sinks), ("without", run.window_only)), strict=True):
    weights_chart = chart(
        result.weights.numpy(),
        kind="weights",
        title=t(f"sw.chart.{name}", S=sinks),
        allowed=result.allowed.numpy(),
        masked_text="−∞",
        row_sums=result.row_sums.numpy(),
    )
    show(column, weights_chart, key=f"sw_chart_{name}")
change = run.window_only.weights - run.with_sinks.weights
diff_chart = chart(change.numpy(), kind="signed", title=t("sw.chart.diff"), allowed=run.with_sinks.allowed.numpy())
show(columns[2], diff_chart, key="sw_chart_diff")

st.markdown(t("sw.convention", kept=field.kept))

# ── 2. removing the sinks ────────────────────────────────────────────────────
st.subheader(t("sw.sinks.title"), anchor=False)
effect = sink_effect(run, window)
if effect is None:
    st.info(t("sw.sinks.none_outside", L=seq_len, W=window, S=sinks))
else:
    measured = dict(rows=effect.rows, share=effect.mean_share, most=effect.most, factor=effect.factor)
    st.markdown(t("sw.sinks.measured", **measured))
    st.markdown(t("sw.sinks.more" if effect.more_than_uniform else "sw.sinks.less", uniform=effect.uniform))
prose(t("sw.sinks.trained"))

# ── 3. receptive field ───────────────────────────────────────────────────────
st.subheader(t("sw.reach.title"), anchor=False)
# The question is about this section, so it is asked here; the charts above stay above the fold.
predict_then_reveal(
    "sw_reach",
    t("predict.sw.question", W=window, layers=layers),
    {str(n): str(n) for n in field.candidates},  # equal values merge
    str(back[-1]),
    lambda: st.markdown(t("predict.sw.explain", back=back[-1], w_minus=window - 1)),
)
reached = field.reached.numpy()  # [layers, span]: what the last token has seen after each layer
reach_chart = progress_heatmap(
    reached,
    [str(n) for n in range(1, layers + 1)],
    [str(p) for p in range(field.span)],
    reached=reached,
    kind="weights",
    title=t("sw.chart.reach"),
    scale=chart_scale(),
    lang=language(),
    x_title=t("sw.axis.position"),
    y_title=t("sw.axis.layer"),
    show_values=False,
    size=REACH_SIZE,
)
show(st, reach_chart, key="sw_chart_reach")
if window == 1:
    st.markdown(t("sw.reach.one", back=back[-1]))
else:
    st.markdown(t("sw.reach.measured", layers=layers, back=back[-1], w_minus=window - 1, other=field.back_wider))
st.caption(t("sw.reach.per_layer", values=", ".join(str(n) for n in back)))
with st.expander(t("sw.code")):
    for function in (window_mask, sink_mask, composed_reach):
        st.code(source_of(function), language="python")
