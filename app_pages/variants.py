"""Variants: four score functions on the same queries and keys, soft vs hard attention, and temperature."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import streamlit as st

from core import variants as lesson
from core.pipeline import self_attention
from core.variants import SCORING_NAMES
from ui.cache import cached_model, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.variants import (
    CURVE_TEMPERATURES,
    bars_frame,
    choice_bars,
    entropy_curve,
    entropy_frames,
    gradients_frame,
    panels_frame,
    summary_frame,
    weight_panels,
)
from ui.controls import PlaygroundSettings, head_selector, model_controls, seed_control, sequence_controls
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.markdown import literal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import choice_param, int_param, page_params

TEMPERATURES = ("0.05", "0.07", "0.1", "0.15", "0.2", "0.3", "0.5", "0.7", "1", "1.5", "2", "3", "5", "7", "10")
DRAW_COUNTS = ("10", "100", "1000", "10000")
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


lesson_header(t("var.title"), t("var.intro"))

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
variants = {result.name: result for result in lesson.score_variants(q, k, lesson.scoring_params(d_k, seed))}
summaries = lesson.summarize_scorings(tuple(variants.values()))
names = {name: t(f"var.name.{name}") for name in SCORING_NAMES}

# ── 1. four score functions ─────────────────────────────────────────────────
st.subheader(t("var.scoring.title"), anchor=False)
st.caption(t("var.scoring.inputs", head=head, d_k=d_k, L=seq_len))
for column, name in zip(st.columns(len(SCORING_NAMES)), SCORING_NAMES, strict=True):
    column.markdown(f"**{names[name]}**")
    column.latex(FORMULAS[name])
scorings, panel_names = [variants[n] for n in SCORING_NAMES], [names[n] for n in SCORING_NAMES]
weights, scores = [s.weights.numpy() for s in scorings], [s.scores.numpy() for s in scorings]
show(
    st,
    weight_panels(
        panels_frame(weights, scores, panel_names, labels, labels),
        panels=panel_names,
        title=t("var.chart.panels"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("var.weight"),
        score_title=t("var.score"),
    ),
    key="var_chart_panels",
)
columns = ("variant", "same_top", "score_min", "score_max", "max_weight", "entropy")
summary = summary_frame(summaries, names, [t(f"var.col.{name}", L=seq_len) for name in columns])
st.dataframe(summary, hide_index=True, width="content", column_config=number_columns(summary, skip=2))
dot, scaled = summaries["dot"], summaries["scaled_dot"]
mean_entropies = {"dot": dot.mean_entropy, "scaled": scaled.mean_entropy, "ln": math.log(seq_len)}
st.caption(t("var.scoring.note", sqrt=math.sqrt(d_k), same=dot.same_top, L=seq_len, **mean_entropies))
with st.expander(t("var.code")):
    st.code(source_of(lesson.scaled_dot_scores, lesson.general_scores, lesson.additive_scores), language="python")

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

choice = lesson.soft_vs_hard(variants["scaled_dot"], query, draws, seed)
hard, sampled, row_weights = choice.hard, choice.sampled, choice.weights
series = [t("var.series.soft"), t("var.series.argmax"), t("var.series.sampled", n=draws)]
show(
    st,
    choice_bars(
        bars_frame(choice, labels, series),
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
    st.caption(t("var.hard.tied", keys=", ".join(literal(labels[j]) for j in hard.maxima.nonzero().flatten().tolist())))
st.caption(t("var.hard.convergence") + " " + " · ".join(f"N = {n:,}: {e:.4f}" for n, e in choice.convergence))

st.markdown("**" + t("var.grad.title") + "**")
check = lesson.gradient_check(variants["scaled_dot"].scores[query], v)
columns = ["soft_weight", "soft_autograd", "soft_fd", "hard_weight", "hard_fd"]
gradients = gradients_frame(check, labels, [t("axis.key")] + [t(f"var.col.{name}") for name in columns])
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
cooled = lesson.with_temperature(variants["scaled_dot"].scores, tau)
heatmap = partial(
    attention_heatmap,
    rows=labels,
    kind="weights",
    scale=chart_scale(),
    lang=language(),
    legend_title=t("var.weight"),
    show_values=seq_len <= VALUES_IN_CELLS_UP_TO,
    size=HEATMAP_SIZE,
)
left, right = st.columns(2)
show(left, heatmap(cooled.weights.numpy(), title=t("var.chart.tau", tau=tau)), key="var_chart_tau")
show(right, heatmap(cooled.limit.numpy(), title=t("var.chart.limit")), key="var_chart_limit")
mean_entropy = float(cooled.entropy.mean())
entropies = lesson.mean_entropy_curve(variants["scaled_dot"].scores, CURVE_TEMPERATURES).double().numpy()
bounds = {t("var.bound.uniform", ln=math.log(seq_len)): math.log(seq_len), t("var.bound.hard"): 0.0}
show(
    st,
    entropy_curve(
        *entropy_frames(CURVE_TEMPERATURES, entropies, tau, mean_entropy, bounds),
        title=t("var.chart.entropy"),
        x_title=t("var.tau"),
        y_title=t("var.col.entropy"),
    ),
    key="var_chart_entropy",
)
limits = {"ln": math.log(seq_len), "distance": float(cooled.distance_to_limit.max()), "dot_tau": 1 / math.sqrt(d_k)}
st.caption(t("var.tau.note", tau=tau, entropy=mean_entropy, **limits))
