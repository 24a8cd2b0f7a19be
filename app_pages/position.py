"""Position: shuffle the tokens and self-attention's outputs shuffle the same way; sinusoidal position encodings
break that symmetry. With a heatmap of the encoding and of its dot products."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import streamlit as st

from core.position import (
    check_permutation,
    diagonal_spread,
    encoding_similarity,
    shuffle_order,
    sinusoidal_encoding,
)
from ui.cache import cached_model
from ui.charts import Figure, heatmap, position_labels, show, to_long_df
from ui.controls import PlaygroundSettings, model_controls, seed_control, sequence_controls
from ui.i18n import t
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import bool_param, int_param, page_params

MAX_SHUFFLE_SEED = 9999
MAX_SPAN = 128
MAX_DIMS_SHOWN = 64  # wider outputs are measured in full but drawn only up to here
EQUAL_UP_TO = 1e-4  # float32 rounding stays far below this
CHART_SIZE = 200
PE_CHART_SIZE = 320
_PERSIST = {"persist_state": "session"}


@st.cache_data(show_spinner=False, max_entries=32)
def encoding_pictures(span: int, d_model: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(PE ``[span, d_model]``, PE·PEᵀ ``[span, span]``, its diagonal spread) for the pictures."""
    encoding = sinusoidal_encoding(span, d_model)
    similarity = encoding_similarity(encoding)
    return encoding.numpy(), similarity.numpy(), diagonal_spread(similarity)


def signed_chart(
    matrix: np.ndarray,
    rows: list[str],
    cols: list[str],
    title: str,
    x_title: str,
    y_title: str,
    extent: float,
    size: int = CHART_SIZE,
) -> Figure:
    # One colour scale for the compared charts, so float-rounding noise in a difference stays white.
    return heatmap(
        to_long_df(matrix, rows, cols),
        kind="signed",
        title=title,
        x_title=x_title,
        y_title=y_title,
        legend_title=t("axis.value"),
        show_values=False,
        size=size,
        extent=extent,
        scale=chart_scale(),
    )


st.header(t("position.title"), anchor=False)
prose(t("position.intro"))
page_params(
    "position",
    {
        "position_add": bool_param(False),
        "position_shuffle": int_param(0, MAX_SHUFFLE_SEED, 1),
        "position_span": int_param(2, MAX_SPAN, 32),
    },
)
mode, text, seq_len = sequence_controls()
d_k, heads = model_controls()
seed = seed_control()
settings = PlaygroundSettings(
    mode=mode, text=text, seq_len=seq_len, d_k=d_k, heads=heads, mask="none", window=0, seed=seed
)
sequence = prepare_sequence(settings)
d_model = settings.d_model

left, right = st.columns(2)
add_position = left.toggle(t("position.add"), key="position_add", help=t("position.add.help"), **_PERSIST)
shuffle_seed = int(
    right.number_input(
        t("position.shuffle"),
        0,
        MAX_SHUFFLE_SEED,
        step=1,
        key="position_shuffle",
        help=t("position.shuffle.help"),
        **_PERSIST,
    )
)
order = shuffle_order(seq_len, shuffle_seed)
check = check_permutation(cached_model(d_k, heads, seed), sequence.embeddings, order, add_position=add_position)

tokens = sequence.tokens
shuffled_tokens = [tokens[i] for i in check.order.tolist()]
# One column per position; every cell is text, so the table has one type per column.
order_table = pd.DataFrame(
    [tokens, shuffled_tokens, [str(i) for i in check.order.tolist()]],
    index=[t("position.table.original"), t("position.table.shuffled"), t("position.table.from")],
    columns=[str(p) for p in range(seq_len)],
)
st.dataframe(order_table, width="stretch")
if seq_len < 2:
    st.info(t("position.one_token"))

dims_shown = min(d_model, MAX_DIMS_SHOWN)
dims = [str(i) for i in range(dims_shown)]
rows = position_labels(shuffled_tokens)
after = check.attend_then_shuffle[:, :dims_shown].numpy()
before = check.shuffle_then_attend[:, :dims_shown].numpy()
extent = float(max(np.abs(after).max(initial=0.0), np.abs(before).max(initial=0.0))) or 1.0
charts = (
    ("after", after, "position_chart_after"),
    ("before", before, "position_chart_before"),
    ("diff", check.difference[:, :dims_shown].numpy(), "position_chart_diff"),
)
for column, (name, matrix, key) in zip(st.columns(3, gap="small"), charts, strict=True):
    title = t(f"position.chart.{name}")
    show(column, signed_chart(matrix, rows, dims, title, t("axis.dim"), t("position.axis.shuffled"), extent), key=key)
if dims_shown < d_model:
    st.caption(t("position.dims_cut", shown=dims_shown, d_model=d_model))

metric_left, metric_right = st.columns(2)
metric_left.metric(t("position.metric.output"), f"{check.max_output_diff:.3g}")
metric_right.metric(t("position.metric.weights"), f"{check.max_weight_diff:.3g}")
if check.max_output_diff <= EQUAL_UP_TO:
    st.success(t("position.equivariant", diff=check.max_output_diff))
else:
    st.warning(t("position.broken", diff=check.max_output_diff))
st.caption(t("position.why"))

st.subheader(t("position.pe.title"), anchor=False)
st.latex(
    r"PE_{(pos,\,2i)} = \sin\!\left(\frac{pos}{10000^{2i/d_{model}}}\right) \qquad "
    r"PE_{(pos,\,2i+1)} = \cos\!\left(\frac{pos}{10000^{2i/d_{model}}}\right)"
)
span = int(st.slider(t("position.span"), 2, MAX_SPAN, key="position_span", **_PERSIST))
encoding, similarity, spread = encoding_pictures(span, d_model)
positions = [str(p) for p in range(span)]
pe_left, pe_right = st.columns(2, gap="small")
show(
    pe_left,
    signed_chart(
        encoding[:, :dims_shown],
        positions,
        dims,
        t("position.chart.pe"),
        t("axis.dim"),
        t("position.axis.pos"),
        1.0,
        PE_CHART_SIZE,
    ),
    key="position_chart_pe",
)
show(
    pe_right,
    signed_chart(
        similarity,
        positions,
        positions,
        t("position.chart.similarity"),
        t("position.axis.pos_j"),
        t("position.axis.pos"),
        float(np.abs(similarity).max()) or 1.0,
        PE_CHART_SIZE,
    ),
    key="position_chart_similarity",
)
st.caption(t("position.pe.caption", L=seq_len, d_model=d_model))
if d_model % 2 == 0:
    st.caption(t("position.similarity.even", spread=spread))
else:
    st.caption(t("position.similarity.odd", spread=spread))
with st.expander(t("position.code")):
    st.code(inspect.getsource(sinusoidal_encoding), language="python")
