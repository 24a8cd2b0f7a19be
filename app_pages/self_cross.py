"""Self- vs cross-attention lesson: an encoder–decoder example with its alignment heatmap next to
self-attention, and the same word in two sentences (same embedding, different output)."""

from __future__ import annotations

import inspect

import pandas as pd
import streamlit as st
import torch
from torch import Tensor

from core.self_cross import TokenInContexts, compare_in_contexts, cosine, cross_attention, find_word
from core.masks import causal_mask
from core.pipeline import self_attention
from core.tokens import embed_tokens, tokenize
from ui.cache import cached_cross_model, cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.controls import MAX_SEQ_LEN, MAX_TEXT_CHARS, head_selector, model_controls, seed_control
from ui.i18n import language, sentences, t
from ui.presenter import chart_scale, prose
from ui.url_state import bool_param, page_params, text_param

# Per language: a translation pair (source → target) and two sentences sharing a word.
EXAMPLES = {
    "en": {
        "xattn_src": "I am studying artificial intelligence",
        "xattn_tgt": "我在学习人工智能",
        "xattn_a": "I sat on the river bank",
        "xattn_b": "I put money in the bank",
        "xattn_word": "bank",
    },
    "zh": {
        "xattn_src": "我在学习人工智能",
        "xattn_tgt": "I am studying artificial intelligence",
        "xattn_a": "我吃了一个苹果",
        "xattn_b": "苹果发布了新手机",
        "xattn_word": "苹果",
    },
}
CONTEXT_KEYS = ("xattn_a", "xattn_b", "xattn_word")
# %-style, so the LaTeX braces need no escaping; the words come from t().
FORMULA = (
    r"\begin{aligned}\text{%(self)s:}\quad &\mathrm{softmax}\!\left(\frac{(Y W_Q)(Y W_K)^{\top}}{\sqrt{d_k}}\right)"
    r" Y W_V \\ \text{%(cross)s:}\quad &\mathrm{softmax}\!\left(\frac{(Y W'_Q)(X W'_K)^{\top}}{\sqrt{d_k}}\right)"
    r" X W'_V \qquad X = \text{%(source)s},\ Y = \text{%(target)s}\end{aligned}"
)
MAX_WORD_TOKENS = 4
CHART_SIZE = 290
VALUES_IN_CELLS_UP_TO = 12
_PERSIST = {"persist_state": "session"}


def swap_untouched_examples() -> None:
    # A text still equal to the previous language's example follows the language, like the shared sentence.
    lang = language()
    previous = st.session_state.get("_xattn_lang", lang)
    if previous != lang:
        for key, text in EXAMPLES[previous].items():
            if st.session_state.get(key) == text:
                st.session_state[key] = EXAMPLES[lang][key]
    st.session_state["_xattn_lang"] = lang


def load_example(lang: str) -> None:
    for key in CONTEXT_KEYS:
        st.session_state[key] = EXAMPLES[lang][key]


def sentence_tokens(text: str) -> list[str]:
    """Tokens of one text box, cut to what a sequence may hold, with a notice when cut."""
    if len(text) > MAX_TEXT_CHARS:
        st.info(t("msg.too_long_text", n=len(text), max=MAX_TEXT_CHARS))
        text = text[:MAX_TEXT_CHARS]
    tokens = tokenize(text)
    if len(tokens) > MAX_SEQ_LEN:
        st.info(t("msg.cut", n=len(tokens), max=MAX_SEQ_LEN))
    return tokens[:MAX_SEQ_LEN]


def context_verdict(token: TokenInContexts) -> str:
    """Same or different input, same or different output: the sentence says what the cosines say."""
    inputs = "same" if token.same_embedding else "differ"
    outputs = "same" if token.same_output else "differ"
    return t(f"xattn.verdict.{inputs}_{outputs}", cos_in=token.embedding_cosine, cos_out=token.output_cosine)


def row_sum_range(weights: Tensor) -> tuple[float, float]:
    sums = weights.sum(dim=-1)
    return float(sums.min()), float(sums.max())


st.header(t("xattn.title"), anchor=False)
prose(t("xattn.intro"))
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

# ── encoder–decoder attention ──
st.subheader(t("xattn.cross.header"), anchor=False)
st.latex(FORMULA % {name: t(f"xattn.formula.{name}") for name in ("self", "cross", "source", "target")})
# Inputs and the mask on one row, and the notes under the charts: the charts stay above a projector's fold.
source_column, target_column, causal_column = st.columns([2, 2, 1.4], vertical_alignment="bottom")
source_text = source_column.text_input(t("xattn.source"), key="xattn_src", **_PERSIST)
target_text = target_column.text_input(t("xattn.target"), key="xattn_tgt", **_PERSIST)
causal = causal_column.toggle(t("xattn.causal"), key="xattn_causal", help=t("xattn.causal.help"), **_PERSIST)
source_tokens, target_tokens = sentence_tokens(source_text), sentence_tokens(target_text)
if not source_tokens:
    st.warning(t("xattn.empty_source"))
if not target_tokens:
    st.warning(t("xattn.empty_target"))
if source_tokens and target_tokens:
    source_embeddings = embed_tokens(source_tokens, d_model, seed)
    target_embeddings = embed_tokens(target_tokens, d_model, seed)
    cross = cross_attention(cross_model, target_embeddings, source_embeddings).attention
    self_mask = causal_mask(len(target_tokens)) if causal else None
    own = self_attention(model, target_embeddings, self_mask).attention
    source_labels, target_labels = position_labels(source_tokens), position_labels(target_tokens)
    cross_weights, self_weights = cross.weights[0, head], own.weights[0, head]
    cross_column, self_column = st.columns(2, gap="small")
    show(
        cross_column,
        heatmap(
            to_long_df(cross_weights.numpy(), target_labels, source_labels),
            kind="weights",
            title=t("xattn.chart.cross"),
            x_title=t("xattn.axis.source"),
            y_title=t("xattn.axis.target"),
            legend_title=t("axis.value"),
            show_values=max(len(source_tokens), len(target_tokens)) <= VALUES_IN_CELLS_UP_TO,
            row_sums=cross_weights.sum(dim=-1).numpy(),
            size=CHART_SIZE,
            scale=chart_scale(),
        ),
        key="xattn_cross",
    )
    show(
        self_column,
        heatmap(
            to_long_df(self_weights.numpy(), target_labels, target_labels, own.allowed[0, head].numpy()),
            kind="weights",
            title=t("xattn.chart.self"),
            x_title=t("xattn.axis.target_key"),
            y_title=t("xattn.axis.target"),
            legend_title=t("axis.value"),
            masked_text="0",
            show_values=len(target_tokens) <= VALUES_IN_CELLS_UP_TO,
            row_sums=self_weights.sum(dim=-1).numpy(),
            size=CHART_SIZE,
            scale=chart_scale(),
        ),
        key="xattn_self",
    )
    st.caption(
        sentences(
            t("ctl.d_model", heads=heads, d_k=d_k, d_model=d_model),
            t("xattn.shapes", lt=len(target_tokens), ls=len(source_tokens), d_k=d_k, d_model=d_model),
            t("note.scale", d_k=d_k, scale=cross.scale, d_model=d_model),
        )
    )
    prose(t("xattn.own_weights", seed=seed))
    cross_low, cross_high = row_sum_range(cross_weights)
    self_low, self_high = row_sum_range(self_weights)
    st.caption(
        t("xattn.row_sums", cross_low=cross_low, cross_high=cross_high, self_low=self_low, self_high=self_high)
        + " "
        + t("legend.masked")
    )
    st.caption(t("xattn.untrained"))
with st.expander(t("xattn.code")):
    st.code(inspect.getsource(cross_attention), language="python")

# ── same word, two contexts ──
st.subheader(t("xattn.context.header"), anchor=False)
prose(t("xattn.context.intro"))
english_button, chinese_button, _ = st.columns([1, 1, 2])
english_button.button(t("xattn.example.en"), key="xattn_example_en", on_click=load_example, args=("en",))
chinese_button.button(t("xattn.example.zh"), key="xattn_example_zh", on_click=load_example, args=("zh",))
a_column, b_column, word_column = st.columns([2, 2, 1])
text_a = a_column.text_input(t("xattn.sentence_a"), key="xattn_a", **_PERSIST)
text_b = b_column.text_input(t("xattn.sentence_b"), key="xattn_b", **_PERSIST)
word = word_column.text_input(t("xattn.word"), key="xattn_word", help=t("xattn.word.help"), **_PERSIST)
tokens_a, tokens_b = sentence_tokens(text_a), sentence_tokens(text_b)
word_tokens = tokenize(word[:MAX_TEXT_CHARS])
start_a, start_b = find_word(tokens_a, word_tokens), find_word(tokens_b, word_tokens)
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
    comparison = compare_in_contexts(model, embeddings_a, embeddings_b, start_a, start_b, len(word_tokens))
    first = comparison.tokens[0]
    st.latex(r"\cos(u, v) = \frac{u \cdot v}{\lVert u \rVert\, \lVert v \rVert}")
    embedding_column, output_column = st.columns(2)
    embedding_column.metric(t("xattn.metric.embedding"), f"{first.embedding_cosine:.6f}")
    output_column.metric(t("xattn.metric.output"), f"{first.output_cosine:.6f}")
    st.markdown(context_verdict(first))
    st.caption(t("xattn.context.untrained"))
    st.page_link("app_pages/inside_model.py", label=t("xattn.context.trained_link"), icon=":material/biotech:")
    if len(comparison.tokens) > 1:
        st.caption(t("xattn.metric.first_token"))
    table = pd.DataFrame(
        {
            t("xattn.col.token"): [tokens_a[token.position_a] for token in comparison.tokens],
            t("xattn.col.pos_a"): [token.position_a for token in comparison.tokens],
            t("xattn.col.pos_b"): [token.position_b for token in comparison.tokens],
            t("xattn.col.identical"): [token.same_embedding for token in comparison.tokens],
            t("xattn.col.cos_emb"): [token.embedding_cosine for token in comparison.tokens],
            t("xattn.col.cos_out"): [token.output_cosine for token in comparison.tokens],
        }
        | {
            t("xattn.col.cos_head", h=h): [token.head_output_cosines[h] for token in comparison.tokens]
            for h in range(heads)
        }
    )
    six_decimals = st.column_config.NumberColumn(format="%.6f")
    st.dataframe(table, hide_index=True, column_config={name: six_decimals for name in table.columns[4:]})

    labels_a, labels_b = position_labels(tokens_a), position_labels(tokens_b)
    rows_a = [token.position_a for token in comparison.tokens]
    rows_b = [token.position_b for token in comparison.tokens]
    weights_a = comparison.result_a.attention.weights[0, head, rows_a].numpy()  # [word tokens, L_a]
    weights_b = comparison.result_b.attention.weights[0, head, rows_b].numpy()
    left, right = st.columns(2, gap="small")
    for column, name, weights, labels, rows in (
        (left, "word_a", weights_a, labels_a, rows_a),
        (right, "word_b", weights_b, labels_b, rows_b),
    ):
        show(
            column,
            heatmap(
                to_long_df(weights, [labels[i] for i in rows], labels),
                kind="weights",
                title=t(f"xattn.chart.{name}", head=head),
                x_title=t("axis.key"),
                y_title=t("axis.query"),
                legend_title=t("axis.value"),
                show_values=len(labels) <= VALUES_IN_CELLS_UP_TO,
                size=CHART_SIZE,
                scale=chart_scale(),
            ),
            key=f"xattn_{name}",
        )

    # One row per (sentence, token): A and B next to each other, so equal rows and different rows stand out.
    vector_labels = [
        f"{sentence} · {labels[i]}"
        for token in comparison.tokens
        for sentence, labels, i in (("A", labels_a, token.position_a), ("B", labels_b, token.position_b))
    ]
    embedding_rows = torch.stack(
        [row for token in comparison.tokens for row in (embeddings_a[token.position_a], embeddings_b[token.position_b])]
    )
    outputs_a, outputs_b = comparison.result_a.output[0], comparison.result_b.output[0]  # [L, d_model]
    output_rows = torch.stack(
        [row for token in comparison.tokens for row in (outputs_a[token.position_a], outputs_b[token.position_b])]
    )
    dims = [str(i) for i in range(d_model)]
    left, right = st.columns(2, gap="small")
    for column, name, rows, same in (
        (left, "embeddings", embedding_rows, lambda token: token.same_embedding),
        (right, "outputs", output_rows, lambda token: token.same_output),
    ):
        show(
            column,
            heatmap(
                to_long_df(rows.numpy(), vector_labels, dims),
                kind="signed",
                title=t(
                    f"xattn.chart.{name}.{'same' if all(same(token) for token in comparison.tokens) else 'differ'}"
                ),
                x_title=t("axis.dim"),
                y_title=t("xattn.axis.word"),
                legend_title=t("axis.value"),
                show_values=d_model <= VALUES_IN_CELLS_UP_TO,
                size=CHART_SIZE,
                scale=chart_scale(),
            ),
            key=f"xattn_{name}",
        )
    with st.expander(t("xattn.code.context")):
        st.code(inspect.getsource(cosine) + "\n\n" + inspect.getsource(compare_in_contexts), language="python")
