"""KV cache, multi-query and grouped-query attention: generate token by token from a cache, equal to the full
causal computation; choose how many K/V heads the query heads share; and size the cache of real models."""

from __future__ import annotations

from functools import partial

import streamlit as st
import torch

from core import kv_cache as lesson
from core.kv_cache import BYTES_PER_VALUE, PRESETS, attention_kind, binary_size, toy_cache_floats
from ui.cache import source_of
from ui.charts import attention_heatmap, position_labels, progress_heatmap, show
from ui.charts.kv_cache import presets_frame
from ui.controls import PERSIST, translated_choice
from ui.i18n import language, t
from ui.kv_cache_text import cache_sentence, head_groups, preset_label
from ui.lesson_page import lesson_header, lesson_inputs
from ui.markdown import literal
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.url_state import choice_param, int_param, page_params

CONTEXTS = tuple(str(2**i) for i in range(10, 18))  # 1024 … 131072 tokens
CHART_SIZE = 260
SHARING_SIZE = 160

# H and L come from the shared controls, restored before the page runs; G and t are bounded by them.
heads_now = int(st.session_state.get("heads", 2))
length_now = int(st.session_state.get("L", 1))
page_params(
    "kv_cache",
    {
        "kv_heads": int_param(1, heads_now, 1),
        "kv_step": int_param(1, length_now, length_now),
        "kv_preset": choice_param(PRESETS, "llama3-8b"),
        "kv_dtype": choice_param(BYTES_PER_VALUE, "bf16"),
        "kv_context": choice_param(CONTEXTS, "8192"),
    },
)

lesson_header(t("kv.title"), t("kv.intro"))
prose(t("kv.cite"))

settings, sequence, head = lesson_inputs(mask="causal")
text, seq_len, d_k, heads, seed = settings.text, settings.seq_len, settings.d_k, settings.heads, settings.seed

# ── 1. which query heads share which K/V ────────────────────────────────────
st.subheader(t("kv.heads.title"), anchor=False)
asked = int(st.session_state["kv_heads"])
if (used := lesson.snap_kv_heads(asked, heads)) != asked:  # heads shrank, or a link asked for a G not dividing H
    st.info(t("kv.snapped", asked=asked, heads=heads, used=used))
    st.session_state["kv_heads"] = used
kv_heads = int(
    st.radio(
        t("kv.kv_heads"),
        lesson.kv_head_choices(heads),
        key="kv_heads",
        horizontal=True,
        help=t("kv.kv_heads.help"),
        # int(g): a label given back (as a browser sends it) is not a number and raises, as a format_func should.
        format_func=lambda g: f"{int(g)} · {t('kv.kind.' + attention_kind(heads, int(g)))}",
    )
)
if heads == 1:
    st.markdown(t("kv.sentence.mha_one"))
else:
    kind = attention_kind(heads, kv_heads)
    st.markdown(t(f"kv.sentence.{kind}", heads=heads, kv_heads=kv_heads, group=heads // kv_heads))
st.caption(head_groups(heads, kv_heads))
heatmap = partial(attention_heatmap, scale=chart_scale(), lang=language())
sharing = heatmap(
    lesson.sharing(heads, kv_heads).numpy(),  # [H, G], 1 where head h reads g
    [f"q{h}" for h in range(heads)],
    [f"kv{g}" for g in range(kv_heads)],
    kind="weights",
    title=t("kv.chart.sharing"),
    x_title=t("kv.axis.kv_head"),
    y_title=t("kv.axis.query_head"),
    legend_title=t("kv.axis.reads"),
    show_values=False,
    size=SHARING_SIZE,
)
show(st, sharing, key="kv_chart_sharing")

# ── 2. generation with the cache ────────────────────────────────────────────
st.subheader(t("kv.gen.title"), anchor=False)
weights = lesson.grouped_projections(heads * d_k, d_k, heads, kv_heads, torch.Generator().manual_seed(seed))
x = sequence.embeddings.unsqueeze(0)  # [1, L, d_model]
run = lesson.generate_with_cache(x, weights)
torch_diff = lesson.torch_gqa_difference(x, weights)

if int(st.session_state["kv_step"]) > seq_len:
    st.session_state["kv_step"] = seq_len
if seq_len > 1:
    step = int(st.slider(t("kv.step"), 1, seq_len, key="kv_step", help=t("kv.step.help")))
else:
    step = 1  # one token: one step, and a slider from 1 to 1 cannot be drawn
kv_head = int(lesson.kv_head_of(heads, kv_heads)[head])
tokens = sequence.tokens
st.markdown(t("kv.step.sentence", t=step, t_index=step - 1, token=literal(tokens[step - 1])))

cached = lesson.cache_step(run, step)
counted, step_diff = cached.floats, cached.difference
options = {str(n): f"{n:,}" for n in lesson.cache_size_choices(step, heads, kv_heads, d_k)}
mha = f"{toy_cache_floats(step, heads, d_k):,}"
explain = t("kv.predict.explain", t=step, kv_heads=kv_heads, d_k=d_k, floats=f"{counted:,}", mha=mha)
question = t("kv.predict.question", heads=heads, kv_heads=kv_heads, d_k=d_k, t=step)
predict_then_reveal("kv_cache_size", question, options, str(counted), lambda: st.markdown(explain))

labels = position_labels(tokens)
left, middle, right = st.columns([3, 2, 2], gap="small")
weights_chart = progress_heatmap(
    run.weights[0, head].numpy(),
    labels,
    reached=lesson.generated_so_far(seq_len, step).numpy(),  # rows run so far, keys 0…t
    kind="weights",
    title=t("kv.chart.weights", t=step, head=head),
    x_title=t("kv.axis.cached"),
    y_title=t("kv.axis.step"),
    legend_title=t("kv.axis.weight"),
    scale=chart_scale(),
    lang=language(),
    size=CHART_SIZE,
)
show(left, weights_chart, key="kv_chart_weights")
dims = [str(i) for i in range(d_k)]
for column, name, cache in ((middle, "k_cache", run.k_cache), (right, "v_cache", run.v_cache)):
    chart = heatmap(
        cache[0, kv_head, :step].numpy(),
        labels[:step],
        dims,
        kind="signed",
        title=t(f"kv.chart.{name}", kv=kv_head),
        x_title=t("axis.dim"),
        y_title=t("kv.axis.cached"),
        show_values=False,
        size=CHART_SIZE * 2 // 3,
    )
    show(column, chart, key=f"kv_chart_{name}")
prose(t("kv.not_yet"))

metric_left, metric_middle, metric_right = st.columns(3)
metric_left.metric(t("kv.metric.cache_vs_full", t=step), f"{step_diff:.2e}")
metric_middle.metric(t("kv.metric.torch"), f"{torch_diff:.2e}")
metric_right.metric(t("kv.metric.floats", t=step), f"{counted:,}")
if max(step_diff, torch_diff) <= lesson.EQUAL_UP_TO:
    st.success(t("kv.equal", diff=step_diff, torch=torch_diff))
else:
    st.warning(t("kv.differ", diff=step_diff, torch=torch_diff))
with st.expander(t("kv.code")):
    st.code(source_of(lesson.generate_with_cache), language="python")

# ── 3. the cache of real models ─────────────────────────────────────────────
st.subheader(t("kv.calc.title"), anchor=False)
prose(t("kv.calc.intro"))
st.latex(r"\text{bytes per token} = 2 \times \text{layers} \times G \times d_{head} \times \text{bytes per value}")
calc_left, calc_middle, calc_right = st.columns([3, 2, 3])
preset = calc_left.selectbox(t("kv.preset"), list(PRESETS), key="kv_preset", format_func=preset_label, **PERSIST)
dtype = translated_choice(calc_middle.selectbox, "kv.dtype", list(BYTES_PER_VALUE), key="kv_dtype")
context = int(calc_right.select_slider(t("kv.context"), CONTEXTS, key="kv_context", **PERSIST))
shape, n_bytes = PRESETS[preset], BYTES_PER_VALUE[dtype]
size = lesson.cache_size(shape, n_bytes, context)
(per_value, per_unit), (total_value, total_unit), (mha_value, mha_unit) = map(
    binary_size, (size.per_token, size.total, size.as_mha)
)
metric_columns = st.columns(3)
metric_columns[0].metric(t("kv.metric.per_token", unit=per_unit), f"{per_value:g}")
metric_columns[1].metric(t("kv.metric.total", tokens=f"{context:,}", unit=total_unit), f"{total_value:.3g}")
metric_columns[2].metric(t("kv.metric.mha", unit=mha_unit), f"{mha_value:.3g}")
formula = {"layers": shape.layers, "kv_heads": shape.kv_heads, "d_head": shape.d_head, "bytes": n_bytes}
st.caption(t("kv.calc.formula", per_token=size.per_token, **formula))
st.markdown(cache_sentence(shape, context, size))
columns = [t(f"kv.col.{name}") for name in ("model", "kind", "per_token", "total", "mha")]
st.dataframe(
    presets_frame(n_bytes, context, label=preset_label, kind=lambda s: t(f"kv.kind.{s.kind}"), columns=columns),
    hide_index=True,
    width="content",
    column_config={
        t("kv.col.per_token"): st.column_config.NumberColumn(format="%g"),
        t("kv.col.total"): st.column_config.NumberColumn(format="%.3f"),
        t("kv.col.mha"): st.column_config.NumberColumn(format="%.3f"),
    },
)
