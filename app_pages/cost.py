"""Cost: time and memory of attention as L grows (measured live, bounded), and how many scores masks keep."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from core.cost import (
    COST_MASK_KINDS,
    GROWTH,
    MaskShape,
    count_curves,
    doubling_lengths,
    io_bytes,
    naive_matrix_bytes,
    rule,
    score_counts,
    timing_curves,
)
from ui.cache import TIMING_CACHE_SECONDS, cached_tile_fractions, cached_timing
from ui.charts import show
from ui.charts.cost import counts_chart, counts_frame, pattern_panels, tiles_frame, times_frame, timing_chart
from ui.controls import PERSIST
from ui.i18n import t
from ui.lesson_page import lesson_header
from ui.presenter import presenting, prose
from ui.url_state import choice_param, int_param, page_params

D_KS = ("16", "32", "64", "128")
LONGEST = ("512", "1024", "2048", "4096")
MASK_LENGTHS = tuple(str(16 * 2**i) for i in range(9))  # 16 … 4096
SHORTEST = 16
BUDGET_SECONDS = 1.5
REPEATS = 5
MAX_SPAN = 512  # window, block and stride sliders
MAX_TILES = 64
MB = 2**20


page_params(
    "cost",
    {
        "cost_d_k": choice_param(D_KS, "64"),
        "cost_longest": choice_param(LONGEST, "2048"),
        "cost_len": choice_param(MASK_LENGTHS, "1024"),
        "cost_window": int_param(0, MAX_SPAN, 32),
        "cost_block": int_param(1, MAX_SPAN, 64),
        "cost_stride": int_param(1, MAX_SPAN, 32),
    },
)

lesson_header(t("cost.title"), t("cost.intro"))

# ── 1. time and memory ──────────────────────────────────────────────────────
st.subheader(t("cost.time.title"), anchor=False)
st.latex(
    r"S = \frac{QK^\top}{\sqrt{d_k}} \in \mathbb{R}^{L\times L}, \qquad W = \operatorname{softmax}(S), \qquad O = WV"
)
prose(t("cost.time.intro", budget=BUDGET_SECONDS, repeats=REPEATS))
left, middle, right = st.columns([2, 3, 2], vertical_alignment="bottom")
d_k = int(left.select_slider("d_k", D_KS, key="cost_d_k", **PERSIST))
longest = int(middle.select_slider(t("cost.longest"), LONGEST, key="cost_longest", **PERSIST))
timing = (doubling_lengths(SHORTEST, longest), d_k, REPEATS, BUDGET_SECONDS)
if right.button(t("cost.again"), key="cost_again", icon=":material/refresh:"):
    cached_timing.clear(*timing)

asked_at = time.time()
with st.spinner(t("cost.measuring", budget=BUDGET_SECONDS), show_time=True):
    run = cached_timing(*timing)
if run.measured_at >= asked_at:
    status, icon = t("cost.fresh", seconds=run.elapsed_seconds, n=len(run.points)), ":material/timer:"
    box = st.success
else:
    age = time.time() - run.measured_at
    status, icon = t("cost.cached", age=age, left=max(TIMING_CACHE_SECONDS - age, 0.0)), ":material/history:"
    box = st.info
if presenting():
    st.caption(status)  # one small line: the chart stays above a projector's fold
else:
    box(status, icon=icon)
if run.stopped_early:
    skipped = run.requested[len(run.points)]
    st.caption(t("cost.stopped", L=skipped, predicted=run.skipped_prediction, budget=BUDGET_SECONDS))

curves = timing_curves(run)
lengths = curves.lengths
naive, fused, guide = t("cost.series.naive"), t("cost.series.fused"), t("cost.series.guide")
times = times_frame(lengths, {naive: curves.naive_ms, fused: curves.fused_ms, guide: curves.guide_ms})
if len(lengths) > 1:  # the budget always allows several lengths; one point would make no line
    show(
        st,
        timing_chart(
            times,
            series=[naive, fused],
            guide=guide,
            title=t("cost.chart.time", d_k=d_k),
            x_title=t("cost.axis.L"),
            y_title=t("cost.axis.ms"),
        ),
        key="cost_chart_time",
    )
if curves.naive_growth is not None:
    st.caption(
        t(
            "cost.growth",
            first=curves.fitted[0],
            last=curves.fitted[-1],
            naive=curves.naive_growth,
            fused=curves.fused_growth,
            ratio=curves.ratio[-1],
            L=lengths[-1],
        )
    )
table = pd.DataFrame(
    {
        "L": lengths,
        t("cost.col.naive_ms"): curves.naive_ms,
        t("cost.col.fused_ms"): curves.fused_ms,
        t("cost.col.ratio"): curves.ratio,
        t("cost.col.matrix_mb"): [naive_matrix_bytes(n) / MB for n in lengths],
        t("cost.col.io_mb"): [io_bytes(n, d_k) / MB for n in lengths],
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="content",
    column_config={name: st.column_config.NumberColumn(format="%.3f") for name in table.columns[1:]},
)
st.caption(t("cost.memory.note", L=lengths[-1], mb=naive_matrix_bytes(lengths[-1]) / MB))

# ── 2. masks: how many scores are kept ──────────────────────────────────────
st.subheader(t("cost.masks.title"), anchor=False)
prose(t("cost.masks.intro"))
columns = st.columns(4)
seq_len = int(columns[0].select_slider("L", MASK_LENGTHS, key="cost_len", **PERSIST))
window = int(columns[1].slider(t("cost.window"), 0, MAX_SPAN, key="cost_window", help=t("cost.window.help"), **PERSIST))
block = int(columns[2].slider(t("cost.block"), 1, MAX_SPAN, key="cost_block", help=t("cost.block.help"), **PERSIST))
stride = int(columns[3].slider(t("cost.stride"), 1, MAX_SPAN, key="cost_stride", help=t("cost.stride.help"), **PERSIST))
shape = MaskShape(window=window, block=block, stride=stride)
kinds = {kind: t(f"cost.kind.{kind}") for kind in COST_MASK_KINDS}

counts = score_counts(seq_len, shape)
st.dataframe(
    pd.DataFrame(
        {
            t("cost.col.mask"): [kinds[c.kind] for c in counts],
            t("cost.col.rule"): [rule(c.kind, shape) or t("cost.always") for c in counts],
            t("cost.col.count"): [c.count for c in counts],
            t("cost.col.share"): [100 * c.fraction for c in counts],
            t("cost.col.growth"): [GROWTH[c.kind] for c in counts],
        }
    ),
    hide_index=True,
    width="content",
    column_config={
        t("cost.col.count"): st.column_config.NumberColumn(format="localized"),
        t("cost.col.share"): st.column_config.NumberColumn(format="%.2f %%"),
    },
)

tiles = min(seq_len, MAX_TILES)
side = seq_len // tiles
shares = cached_tile_fractions(seq_len, shape, tiles)  # [kinds, tiles, tiles]
show(
    st,
    pattern_panels(
        tiles_frame(shares, list(kinds.values())),
        panels=list(kinds.values()),
        tiles=tiles,
        side=side,
        title=t("cost.chart.patterns", L=seq_len, side=side),
        legend_title=t("cost.share"),
    ),
    key="cost_chart_patterns",
)

curve_lengths = [int(n) for n in MASK_LENGTHS]
curve = count_curves(curve_lengths, shape)
show(
    st,
    counts_chart(
        counts_frame(curve_lengths, {kinds[kind]: counts for kind, counts in curve.items()}),
        seq_len,
        series=list(kinds.values()),
        title=t("cost.chart.counts"),
        x_title=t("cost.axis.L"),
        y_title=t("cost.axis.count"),
    ),
    key="cost_chart_counts",
)
prose(t("cost.masks.note"))
