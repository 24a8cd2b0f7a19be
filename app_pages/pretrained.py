"""Pretrained model: all-MiniLM-L6-v2's attention on the user's text — every head, one head large, one token
across heads, what each head attends to, and the proof that core.attention computes the same weights."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import streamlit as st

from core.minilm import CLS, HEAD_SUMMARY_TARGETS, MAX_TOKENS, SEP, recompute_layer, summarize_heads
from core.tokens import has_han
from ui.cache import cached_minilm, cached_minilm_run
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.charts.pretrained import head_grid, picked_head, token_across_heads
from ui.controls import MAX_TEXT_CHARS
from ui.heatmap import clicked
from ui.i18n import t
from ui.markdown import literal
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.url_state import choice_param, int_param, page_params, text_param

# Each example with the query token the page starts on (its last occurrence).
EXAMPLES: dict[str, tuple[str, str]] = {
    "it_tired": ("The animal didn't cross the street because it was too tired", "it"),
    "it_wide": ("The animal didn't cross the street because it was too wide", "it"),
    "agreement": ("The keys to the cabinet are on the table", "are"),
    "verb_object": ("The chef who trained the students cooked a wonderful meal", "cooked"),
    "chinese": ("中国的北京和日本的東京", "京"),
}
CUSTOM = "custom"
PRONOUN_PAIR = ("it_tired", "it_wide")
LARGE_SIZE = 400  # with its labels, fits three fifths of the page beside the sidebar at 1280 pixels
VALUES_IN_CELLS_UP_TO = 16
TOP_LINKS = 6
GRID_KEY = "pt_grid"


def focus_index(tokens: tuple[str, ...], focus: str | None) -> int:
    """Where the page starts: the example's token (last occurrence), else the first word after [CLS]."""
    if focus is not None and focus in tokens:
        return len(tokens) - 1 - tokens[::-1].index(focus)
    return min(1, len(tokens) - 1)


def forget_token() -> None:
    # A new example starts on its own query token, not the previous example's position.
    st.session_state.pop("pt_token", None)


model = cached_minilm()
config = model.config
st.header(t("pt.title"), anchor=False)
prose(t("pt.intro", layers=config.num_layers, heads=config.num_heads, d_model=config.hidden_size, d_k=config.head_dim))

page_params(
    "pretrained",
    {
        "pt_example": choice_param([*EXAMPLES, CUSTOM], "it_tired"),
        "pt_layer": int_param(0, config.num_layers - 1, 3),
        "pt_head": int_param(0, config.num_heads - 1, 1),
        "pt_target": choice_param(HEAD_SUMMARY_TARGETS, "sep"),
    },
)
example = st.selectbox(
    t("pt.example"),
    [*EXAMPLES, CUSTOM],
    format_func=lambda name: t(f"pt.example.{name}"),
    key="pt_example",
    on_change=forget_token,
    persist_state="session",
)
if example == CUSTOM:
    # Only a typed text goes into the link; an example is named by its key.
    page_params("pretrained_text", {"pt_text": text_param(EXAMPLES["it_tired"][0])})
    text = st.text_area(t("pt.text"), key="pt_text", help=t("pt.text.help"), height=80, persist_state="session")
    focus = None
else:
    text, focus = EXAMPLES[example]

if len(text) > MAX_TEXT_CHARS:
    st.info(t("msg.too_long_text", n=len(text), max=MAX_TEXT_CHARS))
    text = text[:MAX_TEXT_CHARS]
encoding, run = cached_minilm_run(text, MAX_TOKENS)
tokens = encoding.tokens
length = len(tokens)
if encoding.truncated:
    st.info(
        t(
            "msg.pt.truncated",
            n=encoding.total_tokens,
            max=MAX_TOKENS,
            model_max=config.max_positions,
            st_max=model.sentence_transformers_max_tokens,
        )
    )
if length == 2:
    st.info(t("msg.pt.empty"))
if encoding.unknown_count:
    pieces = " · ".join(literal(piece) for piece in dict.fromkeys(encoding.unknown_texts))
    notice = t("msg.pt.unknown", n=encoding.unknown_count, total=length, pieces=pieces)
    if any(has_han(piece) for piece in encoding.unknown_texts):
        notice += " " + t("msg.pt.unknown.han", cjk=model.han_in_vocabulary)
    st.info(notice)
st.markdown(t("pt.tokens", n=length, tokens=" · ".join(literal(token) for token in tokens)))

page_params("pretrained_token", {"pt_token": int_param(0, length - 1, focus_index(tokens, focus))})
if st.session_state["pt_token"] > length - 1:  # a shorter text than the last one
    st.session_state["pt_token"] = length - 1
labels = position_labels(tokens)
layer_control, head_control, token_control = st.columns([1, 1.4, 1.4])
layer = layer_control.slider(t("pt.layer"), 0, config.num_layers - 1, key="pt_layer", persist_state="session")
head = head_control.slider(t("pt.head"), 0, config.num_heads - 1, key="pt_head", persist_state="session")
query = token_control.selectbox(
    t("pt.token"),
    list(range(length)),
    format_func=lambda i: labels[i],
    key="pt_token",
    help=t("pt.token.help"),
    persist_state="session",
)

attentions = run.attentions.numpy()  # [layers, heads, L, L]

# ── Every head ────────────────────────────────────────────────────────────────
st.subheader(t("pt.grid.header", n=config.num_layers * config.num_heads), anchor=False)
prose(t("pt.grid.caption"))


def take_head_click() -> None:
    click = clicked(
        st.session_state.get(GRID_KEY), panels=config.num_layers * config.num_heads, rows=length, cols=length
    )
    picked = picked_head(click, config.num_heads)
    if picked is not None:
        st.session_state["pt_layer"], st.session_state["pt_head"] = picked


grid = head_grid(
    attentions,
    labels,
    panel_title=t("pt.grid.panel"),
    layer_title=t("pt.axis.layer"),
    head_title=t("pt.axis.head"),
    query_title=t("axis.query"),
    key_title=t("axis.key"),
    value_title=t("axis.value"),
    scale=chart_scale(),
)
show(st, grid, GRID_KEY, on_click=take_head_click, selected_panel=layer * config.num_heads + head)

# ── One head large, beside where the chosen token looks hardest ─────────────
one_column, links_column = st.columns([3, 2])
show(
    one_column,
    heatmap(
        to_long_df(attentions[layer, head], labels, labels),
        kind="weights",
        title=t("pt.one.title", layer=layer, head=head),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        show_values=length <= VALUES_IN_CELLS_UP_TO,
        size=LARGE_SIZE,
        scale=chart_scale(),
    ),
    key="pt_one",
)
links_column.subheader(t("pt.links.header", token=labels[query]), anchor=False)
prose(t("pt.links.caption"), links_column)
others = np.array([token not in (CLS, SEP) for token in tokens]) & (np.arange(length) != query)
links = np.where(others, attentions[:, :, query, :], -1.0)  # [layers, heads, L]
strongest = np.argsort(links, axis=None)[::-1][:TOP_LINKS]
rows = [np.unravel_index(index, links.shape) for index in strongest if links.flat[index] >= 0]
links_column.table(
    pd.DataFrame(
        {
            t("pt.col.layer"): [int(row[0]) for row in rows],
            t("pt.col.head"): [int(row[1]) for row in rows],
            t("pt.col.key"): [labels[row[2]] for row in rows],
            t("pt.col.weight"): [f"{attentions[row[0], row[1], query, row[2]]:.3f}" for row in rows],
        }
    ),
    hide_index=True,
)

# ── The chosen token in every head ───────────────────────────────────────────
show(
    st,
    token_across_heads(
        attentions[:, :, query, :],
        labels,
        title=t("pt.across.title", token=labels[query]),
        layer_title=t("pt.axis.layer"),
        head_title=t("pt.axis.head"),
        key_title=t("axis.key"),
        value_title=t("axis.value"),
    ),
    key="pt_across",
)


# ── The pronoun pair ─────────────────────────────────────────────────────────
def pronoun_pair(layer: int, head: int) -> None:
    """Both sentences of the pair: what "it" gives the animal and the street, here and across all heads."""
    preferring: dict[str, int] = {}
    pair_rows = []
    for name in PRONOUN_PAIR:
        pair_encoding, pair_run = cached_minilm_run(EXAMPLES[name][0], MAX_TOKENS)
        position = {token: pair_encoding.tokens.index(token) for token in ("it", "animal", "street")}
        from_it = pair_run.attentions[:, :, position["it"]]  # [layers, heads, L]
        animal, street = from_it[..., position["animal"]], from_it[..., position["street"]]
        preferring[name] = int((animal > street).sum())
        pair_rows.append(
            (
                pair_encoding.tokens[-2],
                f"{float(animal[layer, head]):.3f}",
                f"{float(street[layer, head]):.3f}",
                preferring[name],
            )
        )
    st.table(
        pd.DataFrame(
            pair_rows,
            columns=[
                t("pt.pair.sentence"),
                t("pt.pair.animal", layer=layer, head=head),
                t("pt.pair.street", layer=layer, head=head),
                t("pt.pair.heads"),
            ],
        ),
        hide_index=True,
    )
    st.markdown(
        t(
            "pt.pair.verdict",
            tired=preferring["it_tired"],
            wide=preferring["it_wide"],
            total=config.num_layers * config.num_heads,
        )
    )


if example in PRONOUN_PAIR:
    st.subheader(t("pt.pair.header"), anchor=False)
    prose(t("pt.pair.caption"))
    it = tokens.index("it")
    candidates = ("animal", "street", "because", tokens[-2])  # the last word: tired or wide
    from_it = {word: float(attentions[layer, head, it, tokens.index(word)]) for word in candidates}
    predict_then_reveal(
        f"pt_it_{example}_{layer}_{head}",  # a new question whenever the sentence or the head changes
        t("predict.pt.question", layer=layer, head=head),
        {word: word for word in candidates},
        max(from_it, key=from_it.get),
        lambda: pronoun_pair(layer, head),
    )

# ── What each head does ──────────────────────────────────────────────────────
st.subheader(t("pt.summary.header"), anchor=False)
prose(t("pt.summary.caption"))
summary = summarize_heads(run.attentions, tokens).shares.numpy()  # [layers, heads, targets]
target = st.radio(
    t("pt.target"),
    HEAD_SUMMARY_TARGETS,
    format_func=lambda name: t(f"pt.target.{name}"),
    key="pt_target",
    horizontal=True,
    persist_state="session",
)
target_index = HEAD_SUMMARY_TARGETS.index(target)
shares = summary[:, :, target_index]
layer_labels = [f"{t('pt.axis.layer')} {i}" for i in range(config.num_layers)]
head_labels = [f"{t('pt.axis.head')} {i}" for i in range(config.num_heads)]
show(
    st,
    heatmap(
        to_long_df(shares, layer_labels, head_labels),
        kind="weights",
        title=t("pt.summary.chart", target=t(f"pt.target.{target}")),
        x_title=t("pt.axis.head"),
        y_title=t("pt.axis.layer"),
        legend_title=t("pt.summary.value"),
        size=LARGE_SIZE,
        scale=chart_scale(),
    ),
    key="pt_summary",
)
best_layer, best_head = np.unravel_index(int(shares.argmax()), shares.shape)
st.markdown(
    t(
        "pt.summary.strongest",
        target=t(f"pt.target.{target}"),
        layer=int(best_layer),
        head=int(best_head),
        share=float(shares.max()),
    )
)
# What the literature hypothesises about [CLS] / [SEP], the numbers of this text decide what is said.
for special in ("cls", "sep"):
    special_shares = summary[:, :, HEAD_SUMMARY_TARGETS.index(special)]
    most_layer, most_head = np.unravel_index(int(special_shares.argmax()), special_shares.shape)
    count = int((special_shares > 0.5).sum())
    st.markdown(
        t(
            "pt.summary.special.many" if count else "pt.summary.special.none",
            count=count,
            total=special_shares.size,
            target=t(f"pt.target.{special}"),
            share=float(special_shares.max()),
            layer=int(most_layer),
            head=int(most_head),
        )
    )
with st.expander(t("pt.summary.table")):
    table = {
        t("pt.col.layer"): np.repeat(np.arange(config.num_layers), config.num_heads),
        t("pt.col.head"): np.tile(np.arange(config.num_heads), config.num_layers),
    }
    for index, name in enumerate(HEAD_SUMMARY_TARGETS):
        table[t(f"pt.target.{name}")] = summary[:, :, index].ravel().round(4)
    st.dataframe(pd.DataFrame(table), hide_index=True)

# ── Proof of sameness ────────────────────────────────────────────────────────
proof = recompute_layer(model, run, layer)
st.subheader(t("pt.proof.header"), anchor=False)
st.caption(t("pt.proof.caption", layer=layer, heads=config.num_heads, d_k=config.head_dim))
st.metric(t("pt.proof.metric"), f"{proof.max_abs_difference:.1e}")
st.caption(t("pt.proof.count", count=config.num_heads * length * length, heads=config.num_heads, L=length))
with st.expander(t("pt.proof.code")):
    st.code(inspect.getsource(recompute_layer), language="python")
