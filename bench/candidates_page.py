"""Drawing-path candidates on equal footing: the floor page's elements (bench/floor_page.py) plus the
playground's three matrices (scaled scores, weights with Σ, output) computed by core, drawn one of three ways,
chosen by the URL (``?path=``):

- ``canvas``: the app's components-v2 canvas heatmap (``ui.charts.attention_heatmap`` → ``ui.charts.show``);
- ``raster``: a Vega-Lite chart per matrix whose cells are ONE ``image`` mark (the matrix coloured here into a
  PNG, nearest-neighbour scaled by the browser), token axes from one invisible tick per label, a gradient
  legend; no per-cell marks, no hover layer (its best case: a hover layer would only add to it);
- ``fragment``: the canvas charts, with the three sliders and the charts inside ``st.fragment`` in the main
  area, so a slider step reruns only them (the sidebar keeps the floor's other widgets).

bench/latency.py serves it from a temporary folder whose ``static`` links to the repo's, so the canvas loader
finds its script. A benchmark page, not part of the app.
"""

import base64
import io
import json
import sys
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
import torch
from PIL import Image

# bench/latency.py runs a copy from a temporary folder whose static/ links to the repo's own.
REPO = (
    (Path(__file__).parent / "static").resolve().parent
    if (Path(__file__).parent / "static").exists()
    else Path(__file__).resolve().parents[1]
)
sys.path.insert(0, str(REPO))

from core.pipeline import build_mask, build_model, self_attention  # noqa: E402
from ui.charts import attention_heatmap, finish, position_labels, show  # noqa: E402

TEXT = "The animal didn't cross the street because it was tired"
SIZE = 200
PATH = st.query_params.get("path", "canvas")


def matrices(seq_len: int, d_k: int, heads: int) -> dict:
    tokens = (TEXT.split() + ["<pad>"] * seq_len)[:seq_len]
    embeddings = torch.from_numpy(np.random.default_rng(0).normal(size=(seq_len, heads * d_k))).float()
    attention = self_attention(build_model(d_k, heads, 0), embeddings, build_mask("none", seq_len)).attention
    weights = attention.weights[0, 0].numpy()
    return {
        "labels": position_labels(tokens),
        "scores": attention.masked_scores[0, 0].numpy(),
        "weights": weights,
        "sums": weights.sum(-1),
        "output": attention.output[0, 0].numpy(),
        "allowed": attention.allowed[0, 0].numpy(),
    }


def blues(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """RGB of each value on a light-to-dark blue ramp over [low, high]."""
    t = np.clip((values - low) / max(high - low, 1e-12), 0, 1)[..., None]
    light, dark = np.array([207, 225, 242]), np.array([10, 74, 144])
    return (light + (dark - light) * t).astype(np.uint8)


def raster_chart(matrix: np.ndarray, rows: list[str], cols: list[str], title: str, low: float, high: float):
    png = io.BytesIO()
    Image.fromarray(blues(matrix, low, high)).save(png, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode("ascii")
    image = (
        alt.Chart(pd.DataFrame({"url": [url]}))
        .mark_image(width=SIZE, height=SIZE, align="left", baseline="top", aspect=False, smooth=False)
        .encode(x=alt.value(0), y=alt.value(0), url="url:N")
    )
    # One invisible mark per label (the diagonal), not per cell: it makes both token axes and the legend.
    n = min(len(rows), len(cols))
    diagonal = pd.DataFrame({"query": rows[:n], "key": cols[:n], "v": np.linspace(low, high, n)})
    axes = (
        alt.Chart(diagonal)
        .mark_rect(opacity=0)
        .encode(
            x=alt.X("key:N", sort=cols, title="key token", scale=alt.Scale(domain=cols)),
            y=alt.Y("query:N", sort=rows, title="query token", scale=alt.Scale(domain=rows)),
            color=alt.Color("v:Q", scale=alt.Scale(scheme="blues", domain=[low, high]), title="value"),
        )
    )
    return alt.layer(axes, image).properties(width=SIZE, height=SIZE, title=title)


def sidebar_floor() -> None:
    bar = st.sidebar
    bar.radio("Language", ["English", "中文"], key="lang")
    bar.toggle("Presenter mode", key="present")
    bar.popover("Link to this view").write("link")
    bar.segmented_control("Input", ["Sentence", "Random tokens"], default="Sentence", key="source")
    bar.text_input("Sentence", TEXT, key="text")


def sliders(container) -> tuple[int, int, int]:
    seq_len = container.slider("Sequence length", 1, 64, int(st.query_params.get("L", 10)), key="L")
    d_k = container.slider("d_k", 1, 128, int(st.query_params.get("d_k", 8)), key="d_k")
    heads = container.slider("Heads", 1, 8, int(st.query_params.get("heads", 2)), key="heads")
    return seq_len, d_k, heads


def charts(seq_len: int, d_k: int, heads: int) -> None:
    m = matrices(seq_len, d_k, heads)
    labels, dims = m["labels"], [str(i) for i in range(d_k)]
    columns = st.columns(3, gap="small")
    if PATH == "raster":
        extent = float(np.abs(m["scores"]).max())
        figures = (
            raster_chart(m["scores"], labels, labels, "Scaled scores", -extent, extent),
            raster_chart(m["weights"], labels, labels, "Softmax weights", 0.0, 1.0),
            raster_chart(m["output"], labels, dims, "Output", float(m["output"].min()), float(m["output"].max())),
        )
        for column, figure, name in zip(columns, figures, ("scores", "weights", "output"), strict=True):
            column.vega_lite_chart(json.loads(finish(figure)), width="content", key=f"chart_{name}")
            column.popover("Export").write("export")
        return
    chart = dict(scale=1.0, lang="en", size=SIZE)
    figures = (
        attention_heatmap(m["scores"], labels, kind="signed", title="Scaled scores", allowed=m["allowed"], **chart),
        attention_heatmap(m["weights"], labels, kind="weights", title="Weights", row_sums=m["sums"], **chart),
        attention_heatmap(m["output"], labels, dims, kind="signed", title="Output", **chart),
    )
    for column, figure, name in zip(columns, figures, ("scores", "weights", "output"), strict=True):
        show(column, figure, key=f"chart_{name}")


sidebar_floor()
if PATH == "fragment":

    @st.fragment
    def lesson() -> None:
        charts(*sliders(st.container(horizontal=True)))

    st.header("Attention playground", anchor=False)
    st.caption("Each token's query is compared with every key, scaled, masked and mixed.")
    lesson()
else:
    settings = sliders(st.sidebar)
    st.header("Attention playground", anchor=False)
    st.caption("Each token's query is compared with every key, scaled, masked and mixed.")
    st.caption(f"d_model = {settings[1] * settings[2]} · L = {settings[0]}")
    charts(*settings)
bar = st.sidebar
bar.selectbox("Mask", ["none", "causal", "padding", "sliding window"], key="mask")
bar.number_input("Seed", 0, 10_000, 0, key="seed")
bar.radio("Head shown", [0, 1], horizontal=True, key="head")
bar.toggle("Show Q, K, V", key="qkv")
st.caption("Row sums: min 1.000000, max 1.000000")
st.caption("grey = masked (not allowed)")
st.expander("Code").write("code")
