"""Sliding windows and attention sinks: the window counted precisely, the weights with and without the sinks,
and the receptive field measured by composing the masks layer after layer."""

from __future__ import annotations

import inspect

import numpy as np
import streamlit as st

from core.pipeline import self_attention
from core.sinks import attend_with_and_without_sinks, composed_reach, reach_back, sink_mask, window_mask
from ui.cache import cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.controls import PlaygroundSettings, head_selector, model_controls, seed_control, sequence_controls
from ui.i18n import t
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import int_param, page_params

MAX_WINDOW = 16
MAX_SINKS = 8
MAX_LAYERS = 6
CHART_SIZE = 240
REACH_SIZE = 420
_PERSIST = {"persist_state": "session"}

st.header(t("sw.title"), anchor=False)
prose(t("sw.intro"))
st.latex(
    r"\text{allowed}(i, j) = \underbrace{[\,0 \le i - j < W\,]}_{\text{window}} \;\lor\; "
    r"\underbrace{[\,j < S \,\land\, j \le i\,]}_{\text{sinks}}"
)
page_params(
    "sliding_window",
    {
        "sw_window": int_param(1, MAX_WINDOW, 3),
        "sw_sinks": int_param(0, MAX_SINKS, 1),
        "sw_layers": int_param(1, MAX_LAYERS, 3),
    },
)
mode, text, seq_len = sequence_controls()
d_k, heads = model_controls()
seed = seed_control()
settings = PlaygroundSettings(
    mode=mode, text=text, seq_len=seq_len, d_k=d_k, heads=heads, mask="none", window=0, seed=seed
)
sequence = prepare_sequence(settings)
head = head_selector(heads) if heads > 1 else 0

left, middle, right = st.columns(3)
window = int(left.slider(t("sw.window"), 1, MAX_WINDOW, key="sw_window", help=t("sw.window.help"), **_PERSIST))
sinks = int(middle.slider(t("sw.sinks"), 0, MAX_SINKS, key="sw_sinks", help=t("sw.sinks.help"), **_PERSIST))
layers = int(right.slider(t("sw.layers"), 1, MAX_LAYERS, key="sw_layers", **_PERSIST))

# The receptive field is measured on a sequence long enough that neither convention runs out of tokens.
span = layers * window + 1
reach = composed_reach(window_mask(span, window), layers)  # [layers, span, span]
back = reach_back(reach)
other = reach_back(composed_reach(window_mask(span, window + 1), layers))[-1]  # W + 1 keys per window
choices = {str(n): str(n) for n in (layers * (window - 1), layers * window, window - 1)}  # equal values merge
# ── 1. the window and the sinks ──────────────────────────────────────────────
st.subheader(t("sw.convention.title"), anchor=False)
projected = self_attention(cached_model(d_k, heads, seed), sequence.embeddings, None)
run = attend_with_and_without_sinks(
    projected.q[0, head], projected.k[0, head], projected.v[0, head], window, sinks
)  # [L, d_k] each
labels = position_labels(sequence.tokens)
columns = st.columns(3, gap="small")
for column, (name, result) in zip(columns[:2], (("with", run.with_sinks), ("without", run.window_only)), strict=True):
    weights = result.weights.numpy()
    show(
        column,
        heatmap(
            to_long_df(weights, labels, labels, result.allowed.numpy()),
            kind="weights",
            title=t(f"sw.chart.{name}", S=sinks),
            x_title=t("axis.key"),
            y_title=t("axis.query"),
            legend_title=t("axis.value"),
            row_sums=weights.sum(-1),
            size=CHART_SIZE,
            scale=chart_scale(),
        ),
        key=f"sw_chart_{name}",
    )
change = (run.window_only.weights - run.with_sinks.weights).numpy()
show(
    columns[2],
    heatmap(
        to_long_df(change, labels, labels, run.with_sinks.allowed.numpy()),
        kind="signed",
        title=t("sw.chart.diff"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        size=CHART_SIZE,
        scale=chart_scale(),
    ),
    key="sw_chart_diff",
)

st.markdown(t("sw.convention", kept=int(window_mask(span, window)[-1].sum())))

# ── 2. removing the sinks ────────────────────────────────────────────────────
st.subheader(t("sw.sinks.title"), anchor=False)
outside = (run.with_sinks.allowed & ~run.window_only.allowed).any(-1)  # [L]: rows that lose something
if not bool(outside.any()):
    st.info(t("sw.sinks.none_outside", L=seq_len, W=window, S=sinks))
else:
    shares = run.sink_share[outside]
    mean_share = float(shares.mean())
    st.markdown(
        t(
            "sw.sinks.measured",
            rows=int(outside.sum()),
            share=mean_share,
            most=float(shares.max()),
            factor=float(run.factor[outside].max()),
        )
    )
    uniform = sinks / (sinks + window)
    st.markdown(t("sw.sinks.more" if mean_share > uniform else "sw.sinks.less", uniform=uniform))
prose(t("sw.sinks.trained"))

# ── 3. receptive field ───────────────────────────────────────────────────────
st.subheader(t("sw.reach.title"), anchor=False)
# The question is about this section, so it is asked here; the charts above stay above the fold.
predict_then_reveal(
    "sw_reach",
    t("predict.sw.question", W=window, layers=layers),
    choices,
    str(back[-1]),
    lambda: st.markdown(t("predict.sw.explain", back=back[-1], w_minus=window - 1)),
)
reached = reach[:, -1, :].numpy()  # [layers, span]: what the last token has seen after each layer
show(
    st,
    heatmap(
        to_long_df(
            reached.astype(np.float64), [str(n) for n in range(1, layers + 1)], [str(p) for p in range(span)], reached
        ),
        kind="weights",
        title=t("sw.chart.reach"),
        x_title=t("sw.axis.position"),
        y_title=t("sw.axis.layer"),
        legend_title=t("axis.value"),
        masked_text="",
        show_values=False,
        size=REACH_SIZE,
        scale=chart_scale(),
    ),
    key="sw_chart_reach",
)
if window == 1:
    st.markdown(t("sw.reach.one", back=back[-1]))
else:
    st.markdown(t("sw.reach.measured", layers=layers, back=back[-1], w_minus=window - 1, other=other))
st.caption(t("sw.reach.per_layer", values=", ".join(str(n) for n in back)))
with st.expander(t("sw.code")):
    st.code(inspect.getsource(window_mask), language="python")
    st.code(inspect.getsource(sink_mask), language="python")
    st.code(inspect.getsource(composed_reach), language="python")
