"""Common mistakes: each broken attention beside the right one, on the shared sentence, and what breaks."""

from __future__ import annotations

import streamlit as st

from core.mistakes import MISTAKES, Mistake
from core.pipeline import build_mask, self_attention
from ui.cache import cached_mistake_diagnosis, cached_model, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.controls import head_selector, playground_controls
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.mistakes_text import diagnostics_table, what_breaks
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import choice_param, page_params

VALUES_IN_CELLS_UP_TO = 12
HEATMAP_SIZE = 320
RIGHT_FORMULA = r"\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(\frac{QK^\top}{\sqrt{d_k}}+M\right)V"
WRONG_FORMULAS: dict[Mistake, str] = {
    "no_scaling": r"\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(QK^\top+M\right)V",
    "softmax_over_queries": r"\operatorname{softmax}_{\,\mathrm{dim}=-2}\!\left(\frac{QK^\top}{\sqrt{d_k}}+M\right)V",
    "mask_after_softmax": r"\left(\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right)"
    r"\odot\mathrm{mask}\right)V",
    "scale_by_d_model": r"\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(\frac{QK^\top}{\sqrt{d_{\mathrm{model}}}}"
    r"+M\right)V",
}

lesson_header(t("mistakes.title"), t("mistakes.intro"))
page_params("mistakes", {"mistakes_kind": choice_param(MISTAKES, "no_scaling")})

settings = playground_controls()
head = head_selector(settings.heads) if settings.heads > 1 else 0

mistake: Mistake = st.segmented_control(
    t("mistakes.pick"),
    options=list(MISTAKES),
    format_func=lambda m: t(f"mistakes.kind.{m}"),
    key="mistakes_kind",
    required=True,
    persist_state="session",
)
st.markdown(t(f"mistakes.what.{mistake}"))

mask_kind = settings.mask
if mistake == "mask_after_softmax" and mask_kind == "none":
    mask_kind = "causal"
    st.info(t("mistakes.causal_used"))
sequence = prepare_sequence(settings)
mask = build_mask(mask_kind, settings.seq_len, real_len=sequence.real_len, window=settings.window)
model_result = self_attention(cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings, mask)
report = cached_mistake_diagnosis(mistake, model_result.q, model_result.k, model_result.v, mask, settings.seed)

labels = position_labels(sequence.tokens)
show_values = settings.seq_len <= VALUES_IN_CELLS_UP_TO
allowed = report.correct.allowed[0, head].numpy()
sides = {
    "correct": (t("mistakes.right"), RIGHT_FORMULA, report.correct, report.correct_checks),
    "broken": (t("mistakes.wrong"), WRONG_FORMULAS[mistake], report.broken, report.broken_checks),
}
for column, (name, formula, _, _) in zip(st.columns(2), sides.values(), strict=True):
    column.markdown(f"**{name}**")
    column.latex(formula)
# A row of their own, so the heatmaps line up whatever the formulas' heights.
for column, (side, (_, _, result, checks)) in zip(st.columns(2), sides.items(), strict=True):
    weights, row_sums = result.weights[0, head], checks.row_sums[0, head]
    figure = attention_heatmap(
        weights.numpy(),
        labels,
        kind="weights",
        title=t(f"mistakes.chart.{side}"),
        scale=chart_scale(),
        lang=language(),
        allowed=allowed,
        masked_text="NaN" if weights.isnan().any() else "0",
        show_values=show_values,
        row_sums=row_sums.numpy() if row_sums.isfinite().all() else None,  # NaN sums are reported below instead
        size=HEATMAP_SIZE,
    )
    show(column, figure, key=f"mistakes_chart_{side}")
st.caption(t("mistakes.head", head=head, heads=settings.heads))

for text in what_breaks(report, settings, labels, mask_kind):
    st.markdown(text)
if report.broken_checks.nan_weights:
    nan = report.broken_checks
    st.warning(t("mistakes.nan", count=nan.nan_weights, outputs=nan.nan_outputs))
st.table(diagnostics_table(report), hide_index=True)
if report.masks_something:
    prose(t("mistakes.influence.how"))
with st.expander(t("mistakes.code")):
    st.code(source_of(MISTAKES[mistake]), language="python")
