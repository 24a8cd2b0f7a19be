"""The playground: sentence → Q, K, V → scaled scores, softmax weights and output, per head."""

from __future__ import annotations

import streamlit as st
import torch

from core.pipeline import build_mask, self_attention
from core.tokens import embed_tokens, fit_to_length, random_embeddings, tokenize
from ui.cache import cached_model
from ui.charts import heads_overview, heatmap, position_labels, show, to_long_df
from ui.controls import MAX_SEQ_LEN, MAX_TEXT_CHARS, head_selector, playground_controls
from ui.i18n import t

VALUES_IN_CELLS_UP_TO = 12
CHART_SIZE = 200

st.header(t("pg.title"), anchor=False)
st.caption(t("pg.intro"))
settings = playground_controls()

# Tokens
if settings.mode == "sentence":
    text = settings.text
    if len(text) > MAX_TEXT_CHARS:
        st.info(t("msg.too_long_text", n=len(text), max=MAX_TEXT_CHARS))
        text = text[:MAX_TEXT_CHARS]
    sentence_tokens = tokenize(text)
    n = len(sentence_tokens)
    if n == 0:
        st.warning(t("msg.empty"))
    elif n > MAX_SEQ_LEN:
        st.info(t("msg.cut", n=n, max=MAX_SEQ_LEN))
    elif n > settings.seq_len:
        st.info(t("msg.shortened", n=n, L=settings.seq_len))
    elif n < settings.seq_len:
        st.info(t("msg.padded", n=n, pad=settings.seq_len - n, L=settings.seq_len))
    tokens = fit_to_length(sentence_tokens, settings.seq_len)
    real_len = min(n, settings.seq_len)
    embeddings = embed_tokens(tokens, settings.d_model, settings.seed)
else:
    tokens = [f"t{i}" for i in range(settings.seq_len)]
    real_len = settings.seq_len
    embeddings = random_embeddings(settings.seq_len, settings.d_model, settings.seed)
    if settings.mask == "padding":
        st.info(t("msg.pad_mask_random"))

# Attention, computed once; every chart below only reads the result.
mask = build_mask(settings.mask, settings.seq_len, real_len=real_len, window=settings.window)
result = self_attention(cached_model(settings.d_k, settings.heads, settings.seed), embeddings, mask)
attention = result.attention

st.caption(
    t("ctl.d_model", heads=settings.heads, d_k=settings.d_k, d_model=settings.d_model)
    + " · "
    + t("note.scale", d_k=settings.d_k, scale=attention.scale, d_model=settings.d_model)
)
head = head_selector(settings.heads) if settings.heads > 1 else 0

labels = position_labels(tokens)
dims = [str(i) for i in range(settings.d_k)]
show_values = settings.seq_len <= VALUES_IN_CELLS_UP_TO
allowed = attention.allowed[0, head].numpy()
masked_scores = attention.masked[0, head].numpy()
weights = attention.weights[0, head].numpy()
output = attention.output[0, head].numpy()

left, middle, right = st.columns(3, gap="small")
show(
    left,
    heatmap(
        to_long_df(masked_scores, labels, labels, allowed),
        kind="signed",
        title=t("chart.scaled"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        show_values=show_values,
        size=CHART_SIZE,
    ),
    key="chart_scaled",
)
show(
    middle,
    heatmap(
        to_long_df(weights, labels, labels, allowed),
        kind="weights",
        title=t("chart.weights"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        masked_text="0",
        show_values=show_values,
        row_sums=weights.sum(axis=-1),
        size=CHART_SIZE,
    ),
    key="chart_weights",
)
show(
    right,
    heatmap(
        to_long_df(output, labels, dims),
        kind="signed",
        title=t("chart.output"),
        x_title=t("axis.dim"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        show_values=show_values and settings.d_k <= VALUES_IN_CELLS_UP_TO,
        size=CHART_SIZE,
    ),
    key="chart_output",
)
st.caption(t("legend.masked") + " · " + t("note.mask_convention"))
if not show_values:
    st.caption(t("note.values_hidden", n=VALUES_IN_CELLS_UP_TO))

fully_masked = attention.fully_masked_rows[0, head]
if bool(fully_masked.any()):
    rows = ", ".join(str(i) for i in torch.nonzero(fully_masked).flatten().tolist())
    st.warning(t("msg.fully_masked", rows=rows))

if settings.heads > 1:
    overview = heads_overview(
        attention.weights[0].numpy(),
        attention.allowed[0].numpy(),
        title=t("chart.overview"),
        head_title=t("axis.head"),
        legend_title=t("axis.value"),
    )
    show(st, overview, key="chart_overview")

if st.sidebar.toggle(t("ctl.show_qkv"), key="qkv", bind="query-params"):
    for column, name, matrix in zip(st.columns(3), ("q", "k", "v"), (result.q, result.k, result.v), strict=True):
        projected = heatmap(
            to_long_df(matrix[0, head].numpy(), labels, dims),
            kind="signed",
            title=t(f"chart.{name}"),
            x_title=t("axis.dim"),
            y_title=t("axis.query") if name == "q" else t("axis.key"),
            legend_title=t("axis.value"),
            show_values=False,
            size=CHART_SIZE,
        )
        show(column, projected, key=f"chart_{name}")
