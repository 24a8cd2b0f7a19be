"""ALiBi: the heads' slopes, one head's bias beside its weights (and, on demand, the weights without the bias),
how far each head looks back, and live parity with PyTorch given the bias as a float mask."""

from __future__ import annotations

import inspect
import math

import pandas as pd
import streamlit as st

from core.alibi import alibi_attention, alibi_bias, alibi_slopes
from core.pipeline import self_attention
from ui.cache import cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.controls import PlaygroundSettings, head_selector, model_controls, seed_control, sequence_controls
from ui.i18n import t
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import bool_param, page_params

CHART_SIZE = 260
SAME_UP_TO = 1e-6
_PERSIST = {"persist_state": "session"}


def power_of_two(slope: float) -> str:
    """``0.25`` → ``"2^−2"``; slopes of non-power-of-2 head counts get a fractional exponent."""
    exponent = math.log2(slope)
    shown = f"{exponent:.0f}" if abs(exponent - round(exponent)) < 1e-9 else f"{exponent:.2f}"
    return f"2^{shown}".replace("-", "−")


st.header(t("alibi.title"), anchor=False)
prose(t("alibi.intro"))
st.latex(
    r"\operatorname{softmax}\!\left(\frac{q_i k_j^\top}{\sqrt{d_k}} - m_h\,(i - j)\right),\quad j \le i,"
    r"\qquad m_h = 2^{-8h/H},\; h = 1, \dots, H"
)
page_params("alibi", {"alibi_compare": bool_param(False)})
mode, text, seq_len = sequence_controls()
d_k, heads = model_controls()
seed = seed_control()
settings = PlaygroundSettings(
    mode=mode, text=text, seq_len=seq_len, d_k=d_k, heads=heads, mask="causal", window=0, seed=seed
)
sequence = prepare_sequence(settings)
head = head_selector(heads) if heads > 1 else 0
projected = self_attention(cached_model(d_k, heads, seed), sequence.embeddings, None)
run = alibi_attention(projected.q[0], projected.k[0], projected.v[0])  # [H, L, d_k] each
slopes = run.slopes.tolist()

steepest = int(run.slopes.argmax())
with_first = float(run.with_bias.weights[steepest, -1, 0])
without_first = float(run.without.weights[steepest, -1, 0])
change = with_first - without_first
predict_then_reveal(
    "alibi_first_token",
    t("predict.alibi.question", h=steepest + 1, m=slopes[steepest]),
    {choice: t(f"predict.alibi.{choice}") for choice in ("more", "less", "same")},
    "same" if abs(change) <= SAME_UP_TO else "more" if change > 0 else "less",
    lambda: st.markdown(
        t(
            "predict.alibi.explain",
            with_=with_first,
            without=without_first,
            d=seq_len - 1,
            penalty=slopes[steepest] * (seq_len - 1),
        )
    ),
)

# ── 1. one head, first: its charts stay above a projector's fold ─────────────────────
st.subheader(t("alibi.head.title", h=head + 1), anchor=False)
labels = position_labels(sequence.tokens)
allowed = run.with_bias.allowed[head].numpy()
compare = bool(st.session_state["alibi_compare"])  # its switch is drawn under the charts, which stay above the fold
columns = st.columns(3 if compare else 2, gap="small")
bias = run.bias[head].numpy()
show(
    columns[0],
    heatmap(
        to_long_df(bias, labels, labels, allowed),
        kind="signed",
        title=t("alibi.chart.bias", m=slopes[head]),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        size=CHART_SIZE,
        scale=chart_scale(),
    ),
    key="alibi_chart_bias",
)
panels = [("weights", run.with_bias)] + ([("without", run.without)] if compare else [])
for column, (name, result) in zip(columns[1:], panels, strict=True):
    weights = result.weights[head].numpy()
    show(
        column,
        heatmap(
            to_long_df(weights, labels, labels, allowed),
            kind="weights",
            title=t(f"alibi.chart.{name}"),
            x_title=t("axis.key"),
            y_title=t("axis.query"),
            legend_title=t("axis.value"),
            row_sums=weights.sum(-1),
            size=CHART_SIZE,
            scale=chart_scale(),
        ),
        key=f"alibi_chart_{name}",
    )
st.toggle(t("alibi.compare"), key="alibi_compare", help=t("alibi.compare.help"), **_PERSIST)
near_with = float(run.mean_distance_with[head])
near_without = float(run.mean_distance_without[head])
wording = "alibi.same" if abs(near_with - near_without) <= SAME_UP_TO else "alibi.nearer"
st.markdown(t(wording, h=head + 1, m=slopes[head], with_=near_with, without=near_without))
st.caption(t("alibi.parity", diff=run.torch_max_diff))
prose(t("alibi.trained"))

# ── 2. slopes ────────────────────────────────────────────────────────────────
st.subheader(t("alibi.slopes.title", H=heads), anchor=False)
below = 2 ** math.floor(math.log2(heads))
if heads == 1:
    st.caption(t("alibi.slopes.single", first=slopes[0]))
elif below == heads:
    st.caption(t("alibi.slopes.caption", H=heads, first=slopes[0], last=slopes[-1], ratio=slopes[1] / slopes[0]))
else:
    st.caption(t("alibi.slopes.not_power", H=heads, below=below, twice=2 * below))
table = pd.DataFrame(
    {
        t("alibi.table.head"): [str(h + 1) for h in range(heads)],
        t("alibi.table.slope"): slopes,
        t("alibi.table.power"): [power_of_two(m) for m in slopes],
        t("alibi.table.with"): run.mean_distance_with.tolist(),
        t("alibi.table.without"): run.mean_distance_without.tolist(),
    }
)
st.dataframe(table, hide_index=True, width="stretch")
with st.expander(t("alibi.code")):
    st.code(inspect.getsource(alibi_slopes), language="python")
    st.code(inspect.getsource(alibi_bias), language="python")
