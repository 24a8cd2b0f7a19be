"""Self- vs cross-attention lesson: an encoder–decoder example with its alignment heatmap next to
self-attention, and the same word in two sentences (same embedding, different output)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core import self_cross as lesson
from core.self_cross import EXAMPLES
from core.tokens import embed_tokens, tokenize
from ui.cache import cached_cross_model, cached_model, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.self_cross import context_table, vector_labels
from ui.controls import MAX_TEXT_CHARS, PERSIST, head_selector, model_controls, seed_control
from ui.i18n import language, sentences, t
from ui.lesson_page import lesson_header
from ui.presenter import chart_scale, prose
from ui.self_cross_controls import load_example, swap_untouched_examples
from ui.sequence import text_box_tokens
from ui.url_state import bool_param, page_params, text_param

# %-style, so the LaTeX braces need no escaping; the words come from t().
FORMULA = (
    r"\begin{aligned}\text{%(self)s:}\quad &\mathrm{softmax}\!\left(\frac{(Y W_Q)(Y W_K)^{\top}}{\sqrt{d_k}}\right)"
    r" Y W_V \\ \text{%(cross)s:}\quad &\mathrm{softmax}\!\left(\frac{(Y W'_Q)(X W'_K)^{\top}}{\sqrt{d_k}}\right)"
    r" X W'_V \qquad X = \text{%(source)s},\ Y = \text{%(target)s}\end{aligned}"
)
MAX_WORD_TOKENS = 4
CHART_SIZE = 290
VALUES_IN_CELLS_UP_TO = 12

lesson_header(t("xattn.title"), t("xattn.intro"))
swap_untouched_examples()
page_params(
    "self_cross",
    {key: text_param(text) for key, text in EXAMPLES[language()].items()} | {"xattn_causal": bool_param(False)},
)
d_k, heads = model_controls()
seed = seed_control()
head = head_selector(heads) if heads > 1 else 0
d_model = heads * d_k
model = cached_model(d_k, heads, seed)
cross_model = cached_cross_model(d_k, heads, seed)  # its own W′_Q, W′_K, W′_V, W′_O
heatmap = partial(attention_heatmap, kind="weights", scale=chart_scale(), lang=language(), size=CHART_SIZE)

# ── encoder–decoder attention ──
st.subheader(t("xattn.cross.header"), anchor=False)
st.latex(FORMULA % {name: t(f"xattn.formula.{name}") for name in ("self", "cross", "source", "target")})
# Inputs and the mask on one row, and the notes under the charts: the charts stay above a projector's fold.
source_column, target_column, causal_column = st.columns([2, 2, 1.4], vertical_alignment="bottom")
source_text = source_column.text_input(t("xattn.source"), key="xattn_src", **PERSIST)
target_text = target_column.text_input(t("xattn.target"), key="xattn_tgt", **PERSIST)
causal = causal_column.toggle(t("xattn.causal"), key="xattn_causal", help=t("xattn.causal.help"), **PERSIST)
source_tokens, target_tokens = text_box_tokens(source_text), text_box_tokens(target_text)
if not source_tokens:
    st.warning(t("xattn.empty_source"))
if not target_tokens:
    st.warning(t("xattn.empty_target"))
if source_tokens and target_tokens:
    target_embeddings = embed_tokens(target_tokens, d_model, seed)
    step = lesson.encoder_decoder(
        model, cross_model, target_embeddings, embed_tokens(source_tokens, d_model, seed), causal
    )
    cross, own = step.cross, step.own
    source_labels, target_labels = position_labels(source_tokens), position_labels(target_tokens)
    cross_weights, self_weights = cross.weights[0, head], own.weights[0, head]
    cross_chart = heatmap(
        cross_weights.numpy(),
        target_labels,
        source_labels,
        title=t("xattn.chart.cross"),
        x_title=t("xattn.axis.source"),
        y_title=t("xattn.axis.target"),
        show_values=max(len(source_tokens), len(target_tokens)) <= VALUES_IN_CELLS_UP_TO,
        row_sums=cross.row_sums[0, head].numpy(),
    )
    self_chart = heatmap(
        self_weights.numpy(),
        target_labels,
        title=t("xattn.chart.self"),
        allowed=own.allowed[0, head].numpy(),
        x_title=t("xattn.axis.target_key"),
        y_title=t("xattn.axis.target"),
        show_values=len(target_tokens) <= VALUES_IN_CELLS_UP_TO,
        row_sums=own.row_sums[0, head].numpy(),
    )
    cross_column, self_column = st.columns(2, gap="small")
    show(cross_column, cross_chart, key="xattn_cross")
    show(self_column, self_chart, key="xattn_self")
    st.caption(
        sentences(
            t("ctl.d_model", heads=heads, d_k=d_k, d_model=d_model),
            t("xattn.shapes", lt=len(target_tokens), ls=len(source_tokens), d_k=d_k, d_model=d_model),
            t("note.scale", d_k=d_k, scale=cross.scale, d_model=d_model),
        )
    )
    prose(t("xattn.own_weights", seed=seed))
    ranges = (*lesson.row_sum_range(cross_weights), *lesson.row_sum_range(self_weights))
    sums = dict(zip(("cross_low", "cross_high", "self_low", "self_high"), ranges, strict=True))
    st.caption(t("xattn.row_sums", **sums) + " " + t("legend.masked"))
    prose(t("xattn.untrained"))
with st.expander(t("xattn.code")):
    st.code(source_of(lesson.cross_attention), language="python")

# ── same word, two contexts ──
st.subheader(t("xattn.context.header"), anchor=False)
prose(t("xattn.context.intro"))
english_button, chinese_button, _ = st.columns([1, 1, 2])
english_button.button(t("xattn.example.en"), key="xattn_example_en", on_click=load_example, args=("en",))
chinese_button.button(t("xattn.example.zh"), key="xattn_example_zh", on_click=load_example, args=("zh",))
a_column, b_column, word_column = st.columns([2, 2, 1])
text_a = a_column.text_input(t("xattn.sentence_a"), key="xattn_a", **PERSIST)
text_b = b_column.text_input(t("xattn.sentence_b"), key="xattn_b", **PERSIST)
word = word_column.text_input(t("xattn.word"), key="xattn_word", help=t("xattn.word.help"), **PERSIST)
tokens_a, tokens_b = text_box_tokens(text_a), text_box_tokens(text_b)
word_tokens = tokenize(word[:MAX_TEXT_CHARS])
start_a, start_b = lesson.find_word(tokens_a, word_tokens), lesson.find_word(tokens_b, word_tokens)
if not word_tokens:
    st.warning(t("xattn.word.empty"))
elif len(word_tokens) > MAX_WORD_TOKENS:
    st.warning(t("xattn.word.too_long", n=len(word_tokens), max=MAX_WORD_TOKENS))
elif start_a is None or start_b is None:
    if start_a is None:
        st.warning(t("xattn.word.missing_a"))
    if start_b is None:
        st.warning(t("xattn.word.missing_b"))
else:
    embeddings_a, embeddings_b = embed_tokens(tokens_a, d_model, seed), embed_tokens(tokens_b, d_model, seed)
    comparison = lesson.compare_in_contexts(model, embeddings_a, embeddings_b, start_a, start_b, len(word_tokens))
    first = comparison.tokens[0]
    st.latex(r"\cos(u, v) = \frac{u \cdot v}{\lVert u \rVert\, \lVert v \rVert}")
    embedding_column, output_column = st.columns(2)
    embedding_column.metric(t("xattn.metric.embedding"), f"{first.embedding_cosine:.6f}")
    output_column.metric(t("xattn.metric.output"), f"{first.output_cosine:.6f}")
    # Same or different input, same or different output: the sentence says what the cosines say.
    st.markdown(t(f"xattn.verdict.{first.verdict}", cos_in=first.embedding_cosine, cos_out=first.output_cosine))
    prose(t("xattn.context.untrained"))
    st.page_link("app_pages/inside_model.py", label=t("xattn.context.trained_link"), icon=":material/biotech:")
    if len(comparison.tokens) > 1:
        prose(t("xattn.metric.first_token"))
    columns = [t(f"xattn.col.{name}") for name in ("token", "pos_a", "pos_b", "identical", "cos_emb", "cos_out")]
    table = context_table(comparison, tokens_a, columns + [t("xattn.col.cos_head", h=h) for h in range(heads)])
    six_decimals = st.column_config.NumberColumn(format="%.6f")
    st.dataframe(table, hide_index=True, column_config={name: six_decimals for name in table.columns[4:]})

    labels_a, labels_b = position_labels(tokens_a), position_labels(tokens_b)
    left, right = st.columns(2, gap="small")
    for column, name, weights, labels, rows in zip(
        (left, right),
        ("word_a", "word_b"),
        comparison.word_weights(head),  # [word tokens, L_a], [word tokens, L_b]
        (labels_a, labels_b),
        (comparison.rows_a, comparison.rows_b),
        strict=True,
    ):
        chart = heatmap(
            weights.numpy(),
            [labels[i] for i in rows],
            labels,
            title=t(f"xattn.chart.{name}", head=head),
            show_values=len(labels) <= VALUES_IN_CELLS_UP_TO,
        )
        show(column, chart, key=f"xattn_{name}")

    # One row per (sentence, token): A and B next to each other, so equal rows and different rows stand out.
    rows_labels, dims = vector_labels(comparison, labels_a, labels_b), [str(i) for i in range(d_model)]
    left, right = st.columns(2, gap="small")
    for column, name, rows, same in zip(
        (left, right),
        ("embeddings", "outputs"),
        comparison.word_vectors(embeddings_a, embeddings_b),
        (comparison.same_embeddings, comparison.same_outputs),
        strict=True,
    ):
        chart = heatmap(
            rows.numpy(),
            rows_labels,
            dims,
            kind="signed",
            title=t(f"xattn.chart.{name}.{'same' if same else 'differ'}"),
            x_title=t("axis.dim"),
            y_title=t("xattn.axis.word"),
            show_values=d_model <= VALUES_IN_CELLS_UP_TO,
        )
        show(column, chart, key=f"xattn_{name}")
    with st.expander(t("xattn.code.context")):
        st.code(source_of(lesson.cosine, lesson.compare_in_contexts), language="python")
