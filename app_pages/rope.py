"""RoPE: the rotation of every pair of q/k dimensions, the measured fact that only m − n matters, and the
rotated scores beside the added sinusoidal encoding of the Position page."""

from __future__ import annotations

import inspect
import math

import numpy as np
import streamlit as st
import torch

from core.pipeline import self_attention
from core.position import diagonal_spread, sinusoidal_encoding
from core.rope import check_shift, position_grid, rope_angles, rotate_half, rotate_interleaved
from ui.cache import cached_model
from ui.charts import Figure, heatmap, position_labels, show, to_long_df
from ui.controls import PlaygroundSettings, head_selector, model_controls, seed_control, sequence_controls
from ui.i18n import t
from ui.markdown import literal
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import choice_param, int_param, page_params

BASES = ("100", "1000", "10000", "100000", "500000", "1000000")
MAX_SHIFT = 1000
MAX_SPAN = 64
EQUAL_UP_TO = 1e-6  # the shift check runs in float64: rounding stays near 1e-15
CHART_SIZE = 240
_PERSIST = {"persist_state": "session"}


def signed_chart(matrix: np.ndarray, rows, cols, title: str, x_title: str, y_title: str, extent: float) -> Figure:
    # One colour scale for the compared charts, so float-rounding noise in a difference stays white.
    return heatmap(
        to_long_df(matrix, rows, cols),
        kind="signed",
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend_title=t("axis.value"),
        show_values=False,
        size=CHART_SIZE,
        extent=extent,
        scale=chart_scale(),
    )


def extent_of(*matrices: np.ndarray) -> float:
    return float(max((np.abs(m).max(initial=0.0) for m in matrices), default=0.0)) or 1.0


st.header(t("rope.title"), anchor=False)
prose(t("rope.intro"))
st.latex(
    r"\theta_i = \text{base}^{-2i/d_k},\qquad "
    r"\begin{pmatrix} q'_{2i} \\ q'_{2i+1} \end{pmatrix} = "
    r"\begin{pmatrix} \cos m\theta_i & -\sin m\theta_i \\ \sin m\theta_i & \cos m\theta_i \end{pmatrix}"
    r"\begin{pmatrix} q_{2i} \\ q_{2i+1} \end{pmatrix},\qquad "
    r"q'_m \cdot k'_n = f(q, k, m - n)"
)
page_params(
    "rope",
    {
        "rope_base": choice_param(BASES, "10000"),
        "rope_shift": int_param(0, MAX_SHIFT, 100),
        "rope_span": int_param(2, MAX_SPAN, 24),
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
model = cached_model(d_k, heads, seed)
projected = self_attention(model, sequence.embeddings, None)
q, k = projected.q[0, head], projected.k[0, head]  # [L, d_k] each, before any rotation

left, middle, right = st.columns(3)
base = float(left.select_slider(t("rope.base"), BASES, key="rope_base", help=t("rope.base.help"), **_PERSIST))
shift = int(middle.slider(t("rope.shift"), 0, MAX_SHIFT, key="rope_shift", help=t("rope.shift.help"), **_PERSIST))
span = int(right.slider(t("rope.span"), 2, MAX_SPAN, key="rope_span", **_PERSIST))
if d_k == 1:
    st.info(t("rope.no_pairs"))
elif d_k % 2:
    st.info(t("rope.odd", d_k=d_k))

check = check_shift(q, k, shift, base)
# ── 1. frequencies ───────────────────────────────────────────────────────────
st.subheader(t("rope.freq.title"), anchor=False)
pairs = d_k // 2
if pairs:
    angles = rope_angles(torch.arange(span), d_k, base)  # [span, d_k/2]
    show(
        st,
        signed_chart(
            angles.cos().numpy(),
            [str(m) for m in range(span)],
            [str(i) for i in range(pairs)],
            t("rope.chart.angles"),
            t("rope.axis.pair"),
            t("rope.axis.position"),
            1.0,
        ),
        key="rope_chart_angles",
    )
    slowest = float(angles[1, -1]) if span > 1 else 1.0  # θ of the last pair: the angle at position 1
    st.caption(
        t(
            "rope.freq.caption",
            fast=2 * math.pi,
            last=pairs - 1,
            slow=slowest,
            slow_period=2 * math.pi / slowest,
        )
    )

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
matrices = (check.scores.numpy(), check.both_moved.numpy(), check.keys_moved.numpy())
extent = extent_of(*matrices)
titles = (t("rope.chart.scores"), t("rope.chart.both", s=shift), t("rope.chart.keys", s=shift))
keys = ("rope_chart_scores", "rope_chart_both", "rope_chart_keys")
for column, matrix, title, key in zip(st.columns(3, gap="small"), matrices, titles, keys, strict=True):
    show(column, signed_chart(matrix, tokens, tokens, title, t("axis.key"), t("axis.query"), extent), key=key)
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
rows = slice(head * d_k, (head + 1) * d_k)  # this head's rows of W_q and W_k
with torch.no_grad():
    grid = position_grid(
        sequence.embeddings[query_token],
        sequence.embeddings[key_token],
        model.w_q.weight[rows],
        model.w_k.weight[rows],
        sinusoidal_encoding(span, settings.d_model),
        base,
    )
positions = [str(p) for p in range(span)]
spreads = {"rotated": diagonal_spread(grid.rotated), "added": diagonal_spread(grid.added)}
grid_extent = extent_of(grid.rotated.numpy(), grid.added.numpy())
for column, name in zip(st.columns(2, gap="small"), ("rotated", "added"), strict=True):
    show(
        column,
        signed_chart(
            getattr(grid, name).numpy(),
            positions,
            positions,
            t(f"rope.chart.{name}"),
            t("rope.axis.key_position"),
            t("rope.axis.position"),
            grid_extent,
        ),
        key=f"rope_chart_{name}",
    )
    column.metric(t(f"rope.metric.spread_{name}"), f"{spreads[name]:.2g}")
for name, spread in spreads.items():
    wording = "rope.grid.distance" if spread <= EQUAL_UP_TO else "rope.grid.absolute"
    st.markdown(t(wording, name=t(f"rope.chart.{name}"), spread=spread))

with st.expander(t("rope.code")):
    st.caption(t("rope.code.caption"))
    st.code(inspect.getsource(rotate_interleaved), language="python")
    st.code(inspect.getsource(rotate_half), language="python")
