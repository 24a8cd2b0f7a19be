"""The latency benchmark's floor: the playground's element list at its defaults (36 elements: the
sidebar's widgets, a header, captions, three columns, an expander, five popovers), with each heatmap
replaced by a one-line caption in a keyed container. Nothing is computed or drawn.

bench/latency.py runs it beside the app and the bare page: playground / floor is what the heatmaps and the
attention math add; floor / bare is what Streamlit costs for a page with this many elements, a floor no
chart path can go below.
"""

import streamlit as st

bar = st.sidebar
bar.radio("Language", ["English", "中文"], key="lang")
bar.toggle("Presenter mode", key="present")
bar.popover("Link to this view").write("link")
bar.segmented_control("Input", ["Sentence", "Random tokens"], default="Sentence", key="source")
bar.text_input("Sentence", "The animal didn't cross the street because it was tired", key="text")
seq_len = bar.slider("Sequence length", 1, 64, 10, key="L")
bar.slider("d_k", 1, 128, 8, key="d_k")
bar.slider("Heads", 1, 8, 2, key="heads")
bar.selectbox("Mask", ["none", "causal", "padding", "sliding window"], key="mask")
bar.number_input("Seed", 0, 10_000, 0, key="seed")
bar.radio("Head shown", [0, 1], horizontal=True, key="head")
bar.toggle("Show Q, K, V", key="qkv")

st.header("Attention playground", anchor=False)
st.caption("Each token's query is compared with every key, scaled, masked and mixed.")
st.caption(f"d_model = 16 · L = {seq_len}")
# Each heatmap's stand-in is a caption in a keyed container; bench/latency.py counts those containers as charts.
for column, name in zip(st.columns(3, gap="small"), ("scores", "weights", "output"), strict=True):
    column.container(key=f"bench-chart-{name}").caption(f"{name}: {seq_len} × {seq_len}")
    column.popover("Export").write("export")
st.caption(f"Row sums: min 1.000000, max 1.000000 (L = {seq_len})")
st.caption("grey = masked (not allowed)")
st.container(key="bench-chart-overview").caption(f"all heads: {seq_len} × {seq_len}")
st.popover("Export", key="overview_export").write("export")
st.expander("Code").write("code")
