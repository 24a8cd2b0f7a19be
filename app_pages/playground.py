"""The playground: sentence → Q, K, V → scaled scores, softmax weights and output, per head."""

from __future__ import annotations

from functools import partial

import numpy as np
import streamlit as st

from core.padding import pad_attention
from core.pipeline import build_mask, self_attention
from core.tokens import PAD_TOKEN
from ui.cache import cached_model
from ui.charts import attention_heatmap, heads_overview, position_labels, show
from ui.charts.heatmaps import MIN_CELL_FOR_TEXT
from ui.controls import head_selector, playground_controls, qkv_toggle
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.snippet import playground_snippet

VALUES_IN_CELLS_UP_TO = 12
CHART_SIZE = 200


def use_padding_mask() -> None:
    st.session_state["mask"] = "padding"


lesson_header(t("pg.title"), t("pg.intro"))
settings = playground_controls()

sequence = prepare_sequence(settings, say_padded=False)  # the pad sentence says it, with numbers

# Attention, computed once; every chart below only reads the result.
mask = build_mask(settings.mask, settings.seq_len, real_len=sequence.real_len, window=settings.window)
result = self_attention(cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings, mask)
attention = result.attention

st.caption(
    t("ctl.d_model", heads=settings.heads, d_k=settings.d_k, d_model=settings.d_model)
    + " · "
    + t("note.scale", d_k=settings.d_k, scale=attention.scale, d_model=settings.d_model)
)
head = head_selector(settings.heads) if settings.heads > 1 else 0

# Above the charts, where the eye is: the <pad> tokens L adds beyond the sentence, and the weight the sentence's
# rows give them in this head.
pads = pad_attention(attention.weights[0, head], sequence.real_len) if settings.mode == "sentence" else None
if pads is not None and pads.ignored:
    mask_name = t(f"ctl.mask.{settings.mask}")
    st.success(t("pg.pads.ignored", pads=pads.pads, L=settings.seq_len, pad=PAD_TOKEN, mask=mask_name, n=pads.real))
elif pads is not None:
    low, high = f"{pads.lowest:.2f}", f"{pads.highest:.2f}"
    said, button = st.columns([5, 2], vertical_alignment="center")
    said.warning(
        t(
            "pg.pads.attended",
            pads=pads.pads,
            L=settings.seq_len,
            pad=PAD_TOKEN,
            n=pads.real,
            weight=low if low == high else f"{low}–{high}",
            share=pads.mean_share,
            head=head,
        )
    )
    button.button(t("pg.pads.use_mask"), key="pg_use_padding_mask", on_click=use_padding_mask, width="stretch")

labels = position_labels(sequence.tokens)
dims = [str(i) for i in range(settings.d_k)]
show_values = settings.seq_len <= VALUES_IN_CELLS_UP_TO
allowed = attention.allowed[0, head].numpy()
masked_scores = attention.masked_scores[0, head].numpy()
weights = attention.weights[0, head].numpy()
output = attention.output[0, head].numpy()
row_sums = attention.row_sums[0, head].numpy()
fully_masked = attention.fully_masked_rows[0, head].numpy()

chart = partial(attention_heatmap, rows=labels, scale=chart_scale(), lang=language(), size=CHART_SIZE)
scores_chart = chart(masked_scores, kind="signed", title=t("chart.scaled"), allowed=allowed, show_values=show_values)
weights_chart = chart(
    weights, kind="weights", title=t("chart.weights"), allowed=allowed, show_values=show_values, row_sums=row_sums
)
output_chart = chart(
    output,
    cols=dims,
    kind="signed",
    title=t("chart.output"),
    x_title=t("axis.dim"),
    show_values=show_values and settings.d_k <= VALUES_IN_CELLS_UP_TO,
)
left, middle, right = st.columns(3, gap="small")
for column, figure, key in zip(
    (left, middle, right),
    (scores_chart, weights_chart, output_chart),
    ("chart_scaled", "chart_weights", "chart_output"),
    strict=True,
):
    show(column, figure, key=key)
live_row_sums = row_sums[~fully_masked]  # fully masked rows are 0 by design and explained below
if live_row_sums.size:
    st.caption(t("note.row_sums", low=float(live_row_sums.min()), high=float(live_row_sums.max())))
prose(t("legend.masked") + " · " + t("note.mask_convention"))
if not show_values:
    prose(t("note.values_hidden", n=VALUES_IN_CELLS_UP_TO))
elif not all(chart.values_shown for chart in (scores_chart, weights_chart)):
    # The charts' own rule decides, so this caption appears exactly when a chart leaves its numbers out.
    prose(t("note.values_small", px=MIN_CELL_FOR_TEXT))
if fully_masked.any():
    st.warning(t("msg.fully_masked", rows=", ".join(str(i) for i in np.flatnonzero(fully_masked))))

if settings.heads > 1:
    overview = heads_overview(
        attention.weights[0].numpy(),
        attention.allowed[0].numpy(),
        title=t("chart.overview"),
        head_title=t("axis.head"),
        legend_title=t("axis.value"),
        labels=labels,
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        scale=chart_scale(),
    )
    show(st, overview, key="chart_overview")

if qkv_toggle():
    for column, name, matrix in zip(st.columns(3), ("q", "k", "v"), (result.q, result.k, result.v), strict=True):
        projected = chart(
            matrix[0, head].numpy(),
            cols=dims,
            kind="signed",
            title=t(f"chart.{name}"),
            x_title=t("axis.dim"),
            y_title=t("axis.query") if name == "q" else t("axis.key"),
            show_values=False,
        )
        show(column, projected, key=f"chart_{name}")

# Drawn only while open (opening it reruns the page), so a closed expander costs a rerun almost nothing.
code = st.expander(t("export.code"), icon=":material/code:", key="playground_code", on_change="rerun")
if code.open:
    code.caption(t("export.code.caption", head=head))
    snippet = playground_snippet(settings, sequence, head)
    code.code(snippet, language="python")
    code.download_button(
        t("export.code.download"),
        snippet.encode,  # a callable: the file is made on click only
        file_name="attention_lab_playground.py",
        mime="text/x-python",
        key="playground_code_download",
        icon=":material/download:",
        on_click="ignore",
    )
