"""The latency benchmark's baseline: one slider and one small Altair chart, nothing else.

bench/latency.py runs it from bench/ (no .streamlit/ folder, no pages) with the same fast server
settings as the app, so "playground / bare page" measures what the playground itself adds.
"""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

value = st.slider("Value", 1, 64, 10, key="v")
x = np.arange(12)
data = pd.DataFrame({"x": x, "y": np.sin(x * value / 8.0)})
st.altair_chart(alt.Chart(data).mark_bar().encode(x="x:O", y="y:Q"), width="content")
