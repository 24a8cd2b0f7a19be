"""Masks: which scores a query may use, how −∞ turns into an exact 0, and the traps around it
(padding a batch, −∞ versus −1e9 in float32/float16, PyTorch's two opposite bool conventions)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.masks import CUSTOM_MAX_LEN, MASK_FUNCTIONS, causal_mask, exact_zeros, row_counts, summarize_mask
from core.pipeline import self_attention
from ui.cache import cached_model, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.masks import CHART_SIZE, VALUES_IN_CELLS_UP_TO, mask_chart, weights_chart
from ui.controls import MAX_SEQ_LEN, PlaygroundSettings, translated_choice
from ui.i18n import language, t
from ui.lesson_page import lesson_header, lesson_inputs
from ui.masks_controls import KINDS, kind_summary_table, pattern_controls, stored_code
from ui.masks_views import (
    SCORE_SCALES,
    convention_view,
    fill_view,
    number,
    padding_view,
    toy_view,
    warn_fully_masked,
)
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, presenting, prose
from ui.sequence import TokenSequence
from ui.url_state import bool_param, choice_param, int_param, page_params, text_param

VIEWS = ("patterns", "padding", "fill", "convention", "toy")


def patterns_view(sequence: TokenSequence, settings: PlaygroundSettings, head: int) -> None:
    labels = position_labels(sequence.tokens)
    spec, allowed = pattern_controls(labels)
    size = allowed.size(0)
    if size < len(labels):
        st.info(t("masks.custom.cut", max=CUSTOM_MAX_LEN))
    result = self_attention(
        cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings[:size], allowed
    )
    attention = result.attention
    labels = labels[:size]
    allowed_np = allowed.numpy()
    summary = summarize_mask(allowed)

    scale, lang = chart_scale(), language()
    mask = mask_chart(
        allowed_np,
        labels,
        labels,
        title=t("chart.mask"),
        legend_title=t("masks.legend.allowed"),
        scale=scale,
        lang=lang,
    )
    scores = attention_heatmap(
        attention.masked_scores[0, head].numpy(),
        labels,
        kind="signed",
        title=t("chart.scaled"),
        scale=scale,
        lang=lang,
        allowed=allowed_np,
        show_values=size <= VALUES_IN_CELLS_UP_TO,
        size=CHART_SIZE,
    )
    weights = weights_chart(
        attention.weights[0, head].numpy(), allowed_np, labels, title=t("chart.weights"), scale=scale, lang=lang
    )
    left, middle, right = st.columns(3, gap="small")
    show(left, mask, key="masks_chart_mask")
    show(middle, scores, key="masks_chart_scores")
    show(right, weights, key="masks_chart_weights")
    zeros = exact_zeros(allowed, attention.masked_scores[0, head], attention.weights)
    st.caption(
        t("masks.stats", allowed=summary.allowed, total=summary.total, share=summary.share)
        + " "
        + t(
            "masks.exact_zero",
            masked=zeros.not_allowed,
            neg_inf=zeros.neg_inf,
            largest=number(zeros.largest_weight),
        )
    )
    warn_fully_masked(summary.fully_masked_rows)
    st.latex(
        r"s = \frac{QK^\top}{\sqrt{d_k}}, \quad M_{ij} = \begin{cases} 0 & \text{"
        + t("masks.latex.allowed")
        + r"} \\ -\infty & \text{"
        + t("masks.latex.masked")
        + r"} \end{cases}, \quad w_{ij} = \frac{e^{s_{ij} + M_{ij}}}{\sum_{j'} e^{s_{ij'} + M_{ij'}}}, "
        r"\quad e^{-\infty} = 0"
    )

    st.subheader(t("masks.table.title"), anchor=False)
    prose(t("masks.table.caption", L=len(sequence.tokens)))
    table = kind_summary_table(replace(spec, code=stored_code()), len(sequence.tokens))
    st.dataframe(table, hide_index=True, width="content")
    if spec.kind in MASK_FUNCTIONS:
        with st.expander(t("masks.code")):
            st.code(source_of(MASK_FUNCTIONS[spec.kind]), language="python")


# ── page ────────────────────────────────────────────────────────────────────

lesson_header(t("masks.title"), t("masks.intro"))
page_params(
    "masks",
    {
        "masks_view": choice_param(VIEWS, "patterns"),
        "masks_kind": choice_param(KINDS, "causal"),
        "masks_window": int_param(0, MAX_SEQ_LEN - 1, 1),
        "masks_block": int_param(1, MAX_SEQ_LEN, 3),
        "masks_stride": int_param(1, MAX_SEQ_LEN, 3),
        "masks_global": text_param("0"),
        "masks_cells": text_param(""),
        "masks_pad_mask": bool_param(True),
        "masks_scale": choice_param(SCORE_SCALES, "1"),
    },
)
settings, sequence, head = lesson_inputs()
seq_len, heads = settings.seq_len, settings.heads

per_row = row_counts(causal_mask(seq_len))  # keys each query may attend to under the causal mask
first_row = per_row[0]
predict_then_reveal(
    "masks_causal_first",
    t("predict.masks.question", L=seq_len),
    {str(count): str(count) for count in (0, 1, seq_len // 2, seq_len)},  # equal counts (L ≤ 2) merge
    str(first_row),
    lambda: st.markdown(
        t(
            "predict.masks.explain",
            first=first_row,
            last=per_row[-1],
            allowed=sum(per_row),
            cells=seq_len * seq_len,
        )
    ),
)

# The parts name themselves: on the projector their label row goes, and the first chart stays above the fold.
visibility = "collapsed" if presenting() else "visible"
view = translated_choice(st.segmented_control, "masks.view", VIEWS, key="masks_view", label_visibility=visibility)
{"patterns": patterns_view, "padding": padding_view, "fill": fill_view, "convention": convention_view, "toy": toy_view}[
    view or "patterns"
](sequence, settings, head)
