"""Why √d_k: the sweep d_k = 1 … 512 (unscaled vs scaled), then two values of d_k on the sentence."""

from __future__ import annotations

import math

import streamlit as st

from core.why_scale import (
    SWEEP_D_KS,
    SWEEP_KEYS,
    SWEEP_QUERIES,
    embeddings_at_width,
    head_comparison,
    softmax_jacobian_norm,
    softmax_stats,
)
from ui.cache import cached_model, cached_why_scale_sweep, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.why_scale import METRICS, PAIR_ROWS, SETTINGS, TABLE_METRICS, numbers_frame, pair_frame, sweep_chart
from ui.controls import PlaygroundSettings, seed_control, sequence_controls
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import bool_param, page_params, power_of_two_param
from ui.why_scale_text import gradient_verdict, largest_weight_answer, scaled_summary, unscaled_summary

FORMULA = (
    r"\operatorname{Var}(q\cdot k)=\sum_{i=1}^{d_k}\operatorname{Var}(q_i k_i)=d_k"
    r"\qquad\Longrightarrow\qquad\operatorname{Var}\!\left(\frac{q\cdot k}{\sqrt{d_k}}\right)=1"
)
VALUES_IN_CELLS_UP_TO = 12
HEATMAP_SIZE = 300
# The top of each panel's y axis: a weight is at most 1, an entropy over S keys at most ln S (None = from the data).
Y_MAXES: dict[str, float | None] = {
    "variance": None,
    "max_weight": 1.0,
    "entropy": math.log(SWEEP_KEYS),
    "score_gradient": None,
}

lesson_header(t("scale.title"), t("scale.intro"), FORMULA)

page_params(
    "why_scale",
    {
        "scale_dk_left": power_of_two_param(SWEEP_D_KS, 4),
        "scale_dk_right": power_of_two_param(SWEEP_D_KS, 64),
        "scale_divide": bool_param(False),
    },
)
mode, text, seq_len = sequence_controls()
seed = seed_control()

# ── 1. The sweep ─────────────────────────────────────────────────────────────
frame, curves = cached_why_scale_sweep(seed)
unscaled_max = curves["unscaled"]["max_weight"]
scaled_max = curves["scaled"]["max_weight"]
predict_then_reveal(
    "scale_largest_weight",
    t("predict.scale.question", d_max=SWEEP_D_KS[-1]),
    {choice: t(f"predict.scale.{choice}") for choice in ("to_one", "same", "uniform")},
    largest_weight_answer(curves),
    lambda: st.markdown(
        t(
            "predict.scale.explain",
            first=unscaled_max.iloc[0],
            last=unscaled_max.iloc[-1],
            d_max=SWEEP_D_KS[-1],
            low=scaled_max.min(),
            high=scaled_max.max(),
        )
    ),
)
st.subheader(t("scale.sweep.header"), anchor=False)
prose(t("scale.sweep.caption", queries=SWEEP_QUERIES, keys=SWEEP_KEYS, seed=seed))
d_k_left, d_k_right = int(st.session_state["scale_dk_left"]), int(st.session_state["scale_dk_right"])
sweep_figure = sweep_chart(
    frame,
    setting_labels=(t("scale.setting.unscaled"), t("scale.setting.scaled")),
    marked_d_ks=(d_k_left, d_k_right),
    panel_titles=tuple(t(f"scale.chart.{metric}") for metric in METRICS),
    y_titles=tuple(t(f"scale.axis.{metric}") for metric in METRICS),
    y_maxes=tuple(Y_MAXES[metric] for metric in METRICS),
    x_title=t("scale.axis.d_k"),
    legend_title=t("scale.legend"),
    scale=chart_scale(),
)
show(st, sweep_figure, key="scale_sweep")

st.markdown(unscaled_summary(curves, SWEEP_KEYS))
st.markdown(scaled_summary(curves))
st.markdown(gradient_verdict(curves))
st.latex(
    r"p=\operatorname{softmax}(c\,q\cdot k),\qquad \frac{\partial p}{\partial (q\cdot k)}"
    r"=c\,\bigl(\operatorname{diag}(p)-p\,p^{\top}\bigr),\qquad c=1\ \text{or}\ \frac{1}{\sqrt{d_k}}"
)
prose(t("scale.gradient.explain"))
with st.expander(t("scale.numbers")):
    titles = {
        (metric, setting): t(f"scale.col.{metric}", setting=t(f"scale.short.{setting}"))
        for metric in TABLE_METRICS
        for setting in SETTINGS
    }
    st.dataframe(numbers_frame(curves, t("scale.col.d_k"), titles), hide_index=True)
with st.expander(t("scale.code")):
    st.code(source_of(softmax_stats, softmax_jacobian_norm), language="python")

# ── 2. Two values of d_k on the sentence ─────────────────────────────────────
st.subheader(t("scale.pair.header"), anchor=False)
prose(t("scale.pair.caption"))
left_control, right_control, divide_control = st.columns([2, 2, 1.4], vertical_alignment="bottom")
left_control.select_slider(t("scale.ctl.d_k_left"), options=SWEEP_D_KS, key="scale_dk_left", persist_state="session")
right_control.select_slider(t("scale.ctl.d_k_right"), options=SWEEP_D_KS, key="scale_dk_right", persist_state="session")
divide = divide_control.toggle(t("scale.ctl.divide"), key="scale_divide", persist_state="session")

# Tokens (and their notices) once, embedded at the left width; the right side embeds them at its own.
sequence = prepare_sequence(
    PlaygroundSettings(mode=mode, text=text, seq_len=seq_len, d_k=d_k_left, heads=1, mask="none", window=0, seed=seed)
)
labels = position_labels(sequence.tokens)
setting = "scaled" if divide else "unscaled"
# One head with d_model = d_k on each side.
comparisons = {
    "left": head_comparison(cached_model(d_k_left, 1, seed), sequence.embeddings),
    "right": head_comparison(
        cached_model(d_k_right, 1, seed), embeddings_at_width(sequence.tokens, mode, d_k_right, seed)
    ),
}
for column, (side, comparison) in zip(st.columns(2), comparisons.items(), strict=True):
    stats = getattr(comparison, setting)
    figure = attention_heatmap(
        stats.weights[0, 0].numpy(),
        labels,
        kind="weights",
        title=t(f"scale.chart.{setting}", d_k=comparison.d_k),
        scale=chart_scale(),
        lang=language(),
        show_values=seq_len <= VALUES_IN_CELLS_UP_TO,
        size=HEATMAP_SIZE,
    )
    show(column, figure, key=f"scale_pair_{side}")

pair_table = pair_frame(
    comparisons,
    setting,
    t("scale.pair.measure"),
    tuple(t(f"scale.row.{row}") for row in PAIR_ROWS),
    tuple(t("scale.pair.side", side=t(f"scale.pair.{side}"), d_k=c.d_k) for side, c in comparisons.items()),
)
st.table(pair_table, hide_index=True)
prose(t("scale.pair.note", cells=seq_len * seq_len, keys=seq_len, uniform=math.log(seq_len)))
