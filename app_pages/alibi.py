"""ALiBi: the heads' slopes, one head's bias beside its weights (and, on demand, the weights without the bias),
how far each head looks back, and live parity with PyTorch given the bias as a float mask."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.alibi import SAME_UP_TO, alibi_attention, alibi_bias, alibi_slopes, first_token_probe, power_of_two_below
from core.pipeline import self_attention
from ui.cache import cached_model, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.alibi import slopes_frame
from ui.controls import PERSIST
from ui.i18n import language, t
from ui.lesson_page import lesson_header, lesson_inputs
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.url_state import bool_param, page_params

FORMULA = (
    r"\operatorname{softmax}\!\left(\frac{q_i k_j^\top}{\sqrt{d_k}} - m_h\,(i - j)\right),\quad j \le i,"
    r"\qquad m_h = 2^{-8h/H},\; h = 1, \dots, H"
)
CHART_SIZE = 260

lesson_header(t("alibi.title"), t("alibi.intro"), FORMULA)
page_params("alibi", {"alibi_compare": bool_param(False)})
settings, sequence, head = lesson_inputs(mask="causal")
d_k, heads, seed = settings.d_k, settings.heads, settings.seed
projected = self_attention(cached_model(d_k, heads, seed), sequence.embeddings, None)
run = alibi_attention(projected.q[0], projected.k[0], projected.v[0])  # [H, L, d_k] each
slopes = run.slopes.tolist()

probe = first_token_probe(run)
predict_then_reveal(
    "alibi_first_token",
    t("predict.alibi.question", h=probe.head + 1, m=probe.slope),
    {choice: t(f"predict.alibi.{choice}") for choice in ("more", "less", "same")},
    probe.answer,
    lambda: st.markdown(
        t(
            "predict.alibi.explain",
            with_=probe.with_bias,
            without=probe.without,
            d=probe.distance,
            penalty=probe.penalty,
        )
    ),
)

# ── 1. one head, first: its charts stay above a projector's fold ─────────────────────
st.subheader(t("alibi.head.title", h=head + 1), anchor=False)
labels = position_labels(sequence.tokens)
allowed = run.with_bias.allowed[head].numpy()
compare = bool(st.session_state["alibi_compare"])  # its switch is drawn under the charts, which stay above the fold
columns = st.columns(3 if compare else 2, gap="small")
chart = partial(attention_heatmap, rows=labels, scale=chart_scale(), lang=language(), allowed=allowed, size=CHART_SIZE)
bias_chart = chart(run.bias[head].numpy(), kind="signed", title=t("alibi.chart.bias", m=slopes[head]))
show(columns[0], bias_chart, key="alibi_chart_bias")
panels = [("weights", run.with_bias)] + ([("without", run.without)] if compare else [])
for column, (name, result) in zip(columns[1:], panels, strict=True):
    title = t(f"alibi.chart.{name}")
    # Masked weights are labelled −∞ here, as the bias beside them (the future keys it forbids).
    weights_chart = chart(
        result.weights[head].numpy(),
        kind="weights",
        title=title,
        masked_text="−∞",
        row_sums=result.row_sums[head].numpy(),
    )
    show(column, weights_chart, key=f"alibi_chart_{name}")
st.toggle(t("alibi.compare"), key="alibi_compare", help=t("alibi.compare.help"), **PERSIST)
near_with = float(run.mean_distance_with[head])
near_without = float(run.mean_distance_without[head])
wording = "alibi.same" if abs(near_with - near_without) <= SAME_UP_TO else "alibi.nearer"
st.markdown(t(wording, h=head + 1, m=slopes[head], with_=near_with, without=near_without))
st.caption(t("alibi.parity", diff=run.torch_max_diff))
prose(t("alibi.trained"))

# ── 2. slopes ────────────────────────────────────────────────────────────────
st.subheader(t("alibi.slopes.title", H=heads), anchor=False)
below = power_of_two_below(heads)
if heads == 1:
    st.caption(t("alibi.slopes.single", first=slopes[0]))
elif below == heads:
    st.caption(t("alibi.slopes.caption", H=heads, first=slopes[0], last=slopes[-1], ratio=slopes[1] / slopes[0]))
else:
    st.caption(t("alibi.slopes.not_power", H=heads, below=below, twice=2 * below))
columns = ("head", "slope", "power", "with", "without")
st.dataframe(slopes_frame(run, {name: t(f"alibi.table.{name}") for name in columns}), hide_index=True, width="stretch")
with st.expander(t("alibi.code")):
    st.code(source_of(alibi_slopes), language="python")
    st.code(source_of(alibi_bias), language="python")
