"""Variants: four score functions on the same queries and keys, soft vs hard attention, and temperature."""

from __future__ import annotations

import inspect
import math
from functools import cache

import numpy as np
import pandas as pd
import streamlit as st
import torch

from core.pipeline import self_attention
from core.variants import (
    SCORING_NAMES,
    additive_scores,
    argmax_attention,
    general_scores,
    gradient_check,
    mean_entropy_curve,
    sample_attention,
    scaled_dot_scores,
    score_variants,
    scoring_params,
    with_temperature,
)
from ui.cache import cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.charts.variants import choice_bars, entropy_curve, panels_frame, weight_panels
from ui.controls import PlaygroundSettings, head_selector, model_controls, seed_control, sequence_controls
from ui.i18n import t
from ui.markdown import literal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import choice_param, int_param, page_params

TEMPERATURES = ("0.05", "0.07", "0.1", "0.15", "0.2", "0.3", "0.5", "0.7", "1", "1.5", "2", "3", "5", "7", "10")
DRAW_COUNTS = ("10", "100", "1000", "10000")
CONVERGENCE_DRAWS = (10, 100, 1_000, 10_000, 100_000)
CURVE_TEMPERATURES = tuple(float(tau) for tau in np.geomspace(0.05, 10, 41))
FORMULAS = {
    "dot": r"q\cdot k",
    "scaled_dot": r"\frac{q\cdot k}{\sqrt{d_k}}",
    "general": r"q^\top W k",
    "additive": r"v^\top \tanh(W q + U k)",
}
HEATMAP_SIZE = 230
VALUES_IN_CELLS_UP_TO = 10


def number_columns(df: pd.DataFrame, *, skip: int) -> dict[str, st.column_config.NumberColumn]:
    """Four decimals for every column after the first ``skip`` (labels and counts stay as they are)."""
    return {name: st.column_config.NumberColumn(format="%.4f") for name in df.columns[skip:]}


@cache
def scoring_source() -> str:
    return "\n\n".join(inspect.getsource(f) for f in (scaled_dot_scores, general_scores, additive_scores))


st.header(t("var.title"), anchor=False)
prose(t("var.intro"))

mode, text, seq_len = sequence_controls()
# After the shared controls: the query's range is the sentence's, so a link's out-of-range query is
# clamped once, to the query the page really shows, and the notice names it.
page_params(
    "variants",
    {
        "var_query": int_param(0, seq_len - 1, 0),
        "var_draws": choice_param(DRAW_COUNTS, "1000"),
        "var_tau": choice_param(TEMPERATURES, "1"),
    },
)
d_k, heads = model_controls()
seed = seed_control()
head = head_selector(heads) if heads > 1 else 0
settings = PlaygroundSettings(mode, text, seq_len, d_k, heads, "none", 1, seed)
sequence = prepare_sequence(settings)
labels = position_labels(sequence.tokens)

# One head's queries, keys and values, as in the playground; every variant below scores these same vectors.
projected = self_attention(cached_model(d_k, heads, seed), sequence.embeddings, None)
q, k, v = projected.q[0, head], projected.k[0, head], projected.v[0, head]  # [L, d_k] each
variants = {result.name: result for result in score_variants(q, k, scoring_params(d_k, seed))}
names = {name: t(f"var.name.{name}") for name in SCORING_NAMES}

# ── 1. four score functions ─────────────────────────────────────────────────
st.subheader(t("var.scoring.title"), anchor=False)
st.caption(t("var.scoring.inputs", head=head, d_k=d_k, L=seq_len))
for column, name in zip(st.columns(len(SCORING_NAMES)), SCORING_NAMES, strict=True):
    column.markdown(f"**{names[name]}**")
    column.latex(FORMULAS[name])
panel_df = panels_frame(
    [variants[n].weights.numpy() for n in SCORING_NAMES],
    [variants[n].scores.numpy() for n in SCORING_NAMES],
    [names[n] for n in SCORING_NAMES],
    labels,
    labels,
)
show(
    st,
    weight_panels(
        panel_df,
        panels=[names[n] for n in SCORING_NAMES],
        title=t("var.chart.panels"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("var.weight"),
        score_title=t("var.score"),
    ),
    key="var_chart_panels",
)
top_keys = {n: argmax_attention(variants[n].scores).index for n in SCORING_NAMES}
same_top = {n: int((top_keys[n] == top_keys["scaled_dot"]).sum()) for n in SCORING_NAMES}
summary = pd.DataFrame(
    {
        t("var.col.variant"): [names[n] for n in SCORING_NAMES],
        t("var.col.same_top", L=seq_len): [same_top[n] for n in SCORING_NAMES],
        t("var.col.score_min"): [float(variants[n].scores.min()) for n in SCORING_NAMES],
        t("var.col.score_max"): [float(variants[n].scores.max()) for n in SCORING_NAMES],
        t("var.col.max_weight"): [float(variants[n].weights.max()) for n in SCORING_NAMES],
        t("var.col.entropy"): [float(variants[n].entropy.mean()) for n in SCORING_NAMES],
    }
)
st.dataframe(summary, hide_index=True, width="content", column_config=number_columns(summary, skip=2))
st.caption(
    t(
        "var.scoring.note",
        sqrt=math.sqrt(d_k),
        same=same_top["dot"],
        L=seq_len,
        dot=float(variants["dot"].entropy.mean()),
        scaled=float(variants["scaled_dot"].entropy.mean()),
        ln=math.log(seq_len),
    )
)
with st.expander(t("var.code")):
    st.code(scoring_source(), language="python")

# ── 2. soft vs hard ─────────────────────────────────────────────────────────
st.subheader(t("var.hard.title"), anchor=False)
prose(t("var.hard.intro"))
if st.session_state.get("var_query", 0) >= seq_len:
    st.session_state["var_query"] = 0  # the sequence got shorter than the chosen query
left, right = st.columns(2)
query = int(
    left.selectbox(
        t("var.query"), list(range(seq_len)), format_func=labels.__getitem__, key="var_query", persist_state="session"
    )
)
draws = int(
    right.select_slider(
        t("var.draws"), DRAW_COUNTS, format_func=lambda n: f"{int(n):,}", key="var_draws", persist_state="session"
    )
)

row_scores = variants["scaled_dot"].scores[query]
row_weights = variants["scaled_dot"].weights[query]
hard = argmax_attention(row_scores)
generator = torch.Generator().manual_seed(seed)
sampled = sample_attention(row_weights, draws, generator)
series = [t("var.series.soft"), t("var.series.argmax"), t("var.series.sampled", n=draws)]
bars = pd.DataFrame(
    {
        "key": np.tile(np.arange(seq_len), 3),
        "key_label": labels * 3,
        "series": np.repeat(series, seq_len),
        "value": np.concatenate([row_weights.numpy(), hard.one_hot.numpy(), sampled.frequencies.numpy()]),
    }
)
show(
    st,
    choice_bars(
        bars,
        series=series,
        title=t("var.chart.bars", query=labels[query]),
        x_title=t("axis.key"),
        y_title=t("var.weight"),
    ),
    key="var_chart_bars",
)
st.caption(
    t("var.hard.argmax", chosen=literal(labels[int(hard.index)]), weight=float(row_weights[hard.index]))
    + " "
    + t("var.hard.sampled", n=draws, error=float(sampled.max_error))
)
if bool(hard.tied):
    st.caption(t("var.hard.tied", keys=", ".join(literal(labels[j]) for j in np.flatnonzero(hard.maxima.numpy()))))
errors = [float(sample_attention(row_weights, n, generator).max_error) for n in CONVERGENCE_DRAWS]
st.caption(
    t("var.hard.convergence")
    + " "
    + " · ".join(f"N = {n:,}: {e:.4f}" for n, e in zip(CONVERGENCE_DRAWS, errors, strict=True))
)

st.markdown("**" + t("var.grad.title") + "**")
check = gradient_check(row_scores, v)
gradients = pd.DataFrame(
    {
        t("axis.key"): labels,
        t("var.col.soft_weight"): check.soft_weights.numpy(),
        t("var.col.soft_autograd"): check.soft_autograd.numpy(),
        t("var.col.soft_fd"): check.soft_finite_difference.numpy(),
        t("var.col.hard_weight"): check.hard_one_hot.numpy(),
        t("var.col.hard_fd"): check.hard_finite_difference.numpy(),
    }
)
st.dataframe(gradients, hide_index=True, width="content", column_config=number_columns(gradients, skip=1))
st.caption(
    t(
        "var.grad.note",
        soft=float(check.soft_autograd.norm()),
        hard="None" if check.hard_autograd is None else f"{float(check.hard_autograd.norm()):.4f}",
        eps=check.epsilon,
        moved=float(check.hard_finite_difference.abs().max()),
    )
)

# ── 3. temperature ──────────────────────────────────────────────────────────
st.subheader(t("var.tau.title"), anchor=False)
st.latex(
    r"w_{ij} = \frac{\exp(s_{ij}/\tau)}{\sum_{j'} \exp(s_{ij'}/\tau)}, \qquad s_{ij} = \frac{q_i\cdot k_j}{\sqrt{d_k}}"
)
tau = float(
    st.select_slider(t("var.tau"), TEMPERATURES, key="var_tau", help=t("var.tau.help"), persist_state="session")
)
cooled = with_temperature(variants["scaled_dot"].scores, tau)
show_values = seq_len <= VALUES_IN_CELLS_UP_TO
all_keys = np.ones((seq_len, seq_len), dtype=bool)
left, right = st.columns(2)
show(
    left,
    heatmap(
        to_long_df(cooled.weights.numpy(), labels, labels, all_keys),
        kind="weights",
        title=t("var.chart.tau", tau=tau),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("var.weight"),
        show_values=show_values,
        size=HEATMAP_SIZE,
        scale=chart_scale(),
    ),
    key="var_chart_tau",
)
show(
    right,
    heatmap(
        to_long_df(cooled.limit.numpy(), labels, labels, all_keys),
        kind="weights",
        title=t("var.chart.limit"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("var.weight"),
        show_values=show_values,
        size=HEATMAP_SIZE,
        scale=chart_scale(),
    ),
    key="var_chart_limit",
)
mean_entropy = float(cooled.entropy.mean())
curve = pd.DataFrame(
    {
        "tau": CURVE_TEMPERATURES,
        "entropy": mean_entropy_curve(variants["scaled_dot"].scores, CURVE_TEMPERATURES).double().numpy(),
    }
)
bounds = pd.DataFrame(
    {"entropy": [math.log(seq_len), 0.0], "label": [t("var.bound.uniform", ln=math.log(seq_len)), t("var.bound.hard")]}
)
show(
    st,
    entropy_curve(
        curve,
        pd.DataFrame({"tau": [tau], "entropy": [mean_entropy]}),
        bounds,
        title=t("var.chart.entropy"),
        x_title=t("var.tau"),
        y_title=t("var.col.entropy"),
    ),
    key="var_chart_entropy",
)
st.caption(
    t(
        "var.tau.note",
        tau=tau,
        entropy=mean_entropy,
        ln=math.log(seq_len),
        distance=float(cooled.distance_to_limit.max()),
        dot_tau=1 / math.sqrt(d_k),
    )
)
