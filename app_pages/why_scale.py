"""Why √d_k: the sweep d_k = 1 … 512 (unscaled vs scaled), then two values of d_k on the sentence."""

from __future__ import annotations

import inspect
import math

import pandas as pd
import streamlit as st
from torch import Tensor

from core.pipeline import self_attention
from core.scaling import (
    SWEEP_D_KS,
    SWEEP_KEYS,
    SWEEP_QUERIES,
    ScalingComparison,
    compare_scaling,
    scaling_sweep,
    softmax_jacobian_norm,
    softmax_stats,
)
from core.tokens import embed_tokens, random_embeddings
from ui.cache import cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.charts.why_scale import METRICS, SETTINGS, TABLE_METRICS, sweep_chart, sweep_frame
from ui.controls import PlaygroundSettings, seed_control, sequence_controls
from ui.i18n import t
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.scaling_text import gradient_verdict, scaled_summary, unscaled_summary
from ui.sequence import TokenSequence, prepare_sequence
from ui.url_state import Param, bool_param, int_param, page_params

VALUES_IN_CELLS_UP_TO = 12
HEATMAP_SIZE = 300
# The top of each panel's y axis: a weight is at most 1, an entropy over S keys at most ln S (None = from the data).
Y_MAXES: dict[str, float | None] = {
    "variance": None,
    "max_weight": 1.0,
    "entropy": math.log(SWEEP_KEYS),
    "score_gradient": None,
}
PAIR_ROWS = ("variance", "max_weight", "entropy", "score_gradient", "score_gradient_mean")


def power_of_two_param(default: int) -> Param:
    """A d_k from SWEEP_D_KS; another number in range snaps to the nearest one (with the clamped notice)."""
    as_int = int_param(SWEEP_D_KS[0], SWEEP_D_KS[-1], default)

    def parse(raw: str) -> tuple[object, str]:
        value, status = as_int.parse(raw)
        if value is None:
            return None, status
        nearest = min(SWEEP_D_KS, key=lambda d: abs(math.log2(d) - math.log2(value)))
        return nearest, status if nearest == value else "clamped"

    return Param(parse, default)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_sweep(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sweep long-form (for the charts) and wide: one column per (setting, metric), indexed by d_k."""
    frame = sweep_frame(scaling_sweep(seed=seed))
    return frame, frame.pivot(index="d_k", columns=["setting", "metric"], values="value").sort_index()


def embeddings_for(sequence: TokenSequence, mode: str, d_model: int, seed: int) -> Tensor:
    """The sequence's tokens embedded at another width, as ``prepare_sequence`` does. Shapes: ``[L, d_model]``."""
    if mode == "sentence":
        return embed_tokens(sequence.tokens, d_model, seed)
    return random_embeddings(len(sequence.tokens), d_model, seed)


def on_sentence(embeddings: Tensor, d_k: int, seed: int) -> ScalingComparison:
    """One head with d_model = d_k: its q and k for the sequence, through the softmax both ways."""
    result = self_attention(cached_model(d_k, 1, seed), embeddings, None)
    return compare_scaling(result.q, result.k)


st.header(t("scale.title"), anchor=False)
prose(t("scale.intro"))
st.latex(
    r"\operatorname{Var}(q\cdot k)=\sum_{i=1}^{d_k}\operatorname{Var}(q_i k_i)=d_k"
    r"\qquad\Longrightarrow\qquad\operatorname{Var}\!\left(\frac{q\cdot k}{\sqrt{d_k}}\right)=1"
)

page_params(
    "why_scale",
    {
        "scale_dk_left": power_of_two_param(4),
        "scale_dk_right": power_of_two_param(64),
        "scale_divide": bool_param(False),
    },
)
mode, text, seq_len = sequence_controls()
seed = seed_control()

# ── 1. The sweep ─────────────────────────────────────────────────────────────
frame, curves = cached_sweep(seed)
unscaled_max = curves["unscaled"]["max_weight"]
scaled_max = curves["scaled"]["max_weight"]
growth = unscaled_max.iloc[-1] - unscaled_max.iloc[0]
predict_then_reveal(
    "scale_largest_weight",
    t("predict.scale.question", d_max=SWEEP_D_KS[-1]),
    {choice: t(f"predict.scale.{choice}") for choice in ("to_one", "same", "uniform")},
    # From the sweep itself: "same" unless the largest weight moved by more than 0.1.
    "to_one" if growth > 0.1 else "uniform" if growth < -0.1 else "same",
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
    numbers = {t("scale.col.d_k"): curves.index.to_numpy()}
    for metric in TABLE_METRICS:
        for setting in SETTINGS:
            numbers[t(f"scale.col.{metric}", setting=t(f"scale.short.{setting}"))] = curves[setting][metric].to_numpy()
    st.dataframe(pd.DataFrame(numbers), hide_index=True)
with st.expander(t("scale.code")):
    st.code(inspect.getsource(softmax_stats) + "\n\n" + inspect.getsource(softmax_jacobian_norm), language="python")

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
comparisons = {
    "left": on_sentence(sequence.embeddings, d_k_left, seed),
    "right": on_sentence(embeddings_for(sequence, mode, d_k_right, seed), d_k_right, seed),
}
for column, (side, comparison) in zip(st.columns(2), comparisons.items(), strict=True):
    stats = getattr(comparison, setting)
    figure = heatmap(
        to_long_df(stats.weights[0, 0].numpy(), labels, labels),
        kind="weights",
        title=t(f"scale.chart.{setting}", d_k=comparison.d_k),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        show_values=seq_len <= VALUES_IN_CELLS_UP_TO,
        size=HEATMAP_SIZE,
        scale=chart_scale(),
    )
    show(column, figure, key=f"scale_pair_{side}")

pair_table = pd.DataFrame({t("scale.pair.measure"): [t(f"scale.row.{row}") for row in PAIR_ROWS]})
for side, comparison in comparisons.items():
    shown_stats = getattr(comparison, setting)
    values = (
        comparison.unscaled.logit_variance,  # the raw scores' variance, whichever softmax is shown
        shown_stats.mean_max_weight,
        shown_stats.mean_entropy,
        shown_stats.median_score_gradient,
        shown_stats.mean_score_gradient,
    )
    header = t("scale.pair.side", side=t(f"scale.pair.{side}"), d_k=comparison.d_k)
    pair_table[header] = [f"{value:.4f}" for value in values]
st.table(pair_table, hide_index=True)
prose(t("scale.pair.note", cells=seq_len * seq_len, keys=seq_len, uniform=math.log(seq_len)))
