"""Pretrained model: all-MiniLM-L6-v2's attention on the user's text — every head, one head large, one token
across heads, what each head attends to, and the proof that core.attention computes the same weights."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core import pretrained as lesson
from core.minilm import HEAD_SUMMARY_TARGETS, MAX_TOKENS, recompute_layer, summarize_heads
from core.pretrained import EXAMPLES, PRONOUN_PAIR
from ui.cache import cached_minilm, cached_minilm_run, source_of
from ui.charts import attention_heatmap, position_labels, show
from ui.charts import pretrained as charts
from ui.controls import MAX_TEXT_CHARS, translated_choice
from ui.heatmap import clicked
from ui.i18n import language, t
from ui.lesson_page import lesson_header
from ui.markdown import literal
from ui.predict import predict_then_reveal
from ui.presenter import chart_scale, prose
from ui.url_state import choice_param, int_param, page_params, text_param

CUSTOM = "custom"
LARGE_SIZE = 400  # with its labels, fits three fifths of the page beside the sidebar at 1280 pixels
VALUES_UP_TO = 16  # tokens; with more, the one-head chart leaves the values out of its cells
TOP_LINKS = 6
GRID_KEY = "pt_grid"


def forget_token() -> None:
    # A new example starts on its own query token, not the previous example's position.
    st.session_state.pop("pt_token", None)


model = cached_minilm()
config = model.config
lesson_header(
    t("pt.title"),
    t("pt.intro", layers=config.num_layers, heads=config.num_heads, d_model=config.hidden_size, d_k=config.head_dim),
)

page_params(
    "pretrained",
    {
        "pt_example": choice_param([*EXAMPLES, CUSTOM], "it_tired"),
        "pt_layer": int_param(0, config.num_layers - 1, 3),
        "pt_head": int_param(0, config.num_heads - 1, 1),
        "pt_target": choice_param(HEAD_SUMMARY_TARGETS, "sep"),
    },
)
example = translated_choice(st.selectbox, "pt.example", [*EXAMPLES, CUSTOM], key="pt_example", on_change=forget_token)
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
    limits = {"max": MAX_TOKENS, "model_max": config.max_positions, "st_max": model.sentence_transformers_max_tokens}
    st.info(t("msg.pt.truncated", n=encoding.total_tokens, **limits))
if length == 2:
    st.info(t("msg.pt.empty"))
if encoding.unknown_count:
    pieces = " · ".join(literal(piece) for piece in encoding.unknown_pieces)
    notice = t("msg.pt.unknown", n=encoding.unknown_count, total=length, pieces=pieces)
    if encoding.unknown_han:
        notice += " " + t("msg.pt.unknown.han", cjk=model.han_in_vocabulary)
    st.info(notice)
st.markdown(t("pt.tokens", n=length, tokens=" · ".join(literal(token) for token in tokens)))

page_params("pretrained_token", {"pt_token": int_param(0, length - 1, lesson.focus_index(tokens, focus))})
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
heatmap = partial(attention_heatmap, kind="weights", scale=chart_scale(), lang=language(), size=LARGE_SIZE)

# ── Every head ────────────────────────────────────────────────────────────────
all_heads = config.num_layers * config.num_heads
st.subheader(t("pt.grid.header", n=all_heads), anchor=False)
prose(t("pt.grid.caption"))


def take_head_click() -> None:
    click = clicked(st.session_state.get(GRID_KEY), panels=all_heads, rows=length, cols=length)
    picked = charts.picked_head(click, config.num_heads)
    if picked is not None:
        st.session_state["pt_layer"], st.session_state["pt_head"] = picked


grid = charts.head_grid(attentions, labels, lang=language(), scale=chart_scale())
show(st, grid, GRID_KEY, on_click=take_head_click, selected_panel=layer * config.num_heads + head)

# ── One head large, beside where the chosen token looks hardest ─────────────
one_column, links_column = st.columns([3, 2])
one_head = t("pt.one.title", layer=layer, head=head)
show(one_column, heatmap(attentions[layer, head], labels, title=one_head, show_values=length <= VALUES_UP_TO), "pt_one")
links_column.subheader(t("pt.links.header", token=labels[query]), anchor=False)
prose(t("pt.links.caption"), links_column)
links = lesson.strongest_links(run.attentions, tokens, query, TOP_LINKS)
columns = [t(f"pt.col.{name}") for name in ("layer", "head", "key", "weight")]
links_column.table(charts.links_frame(links, labels, columns), hide_index=True)

# ── The chosen token in every head ───────────────────────────────────────────
across = t("pt.across.title", token=labels[query])
show(st, charts.token_across_heads(attentions[:, :, query, :], labels, title=across, lang=language()), key="pt_across")


# ── The pronoun pair ─────────────────────────────────────────────────────────
def pronoun_pair(layer: int, head: int) -> None:
    """Both sentences of the pair: what "it" gives the animal and the street, here and across all heads."""
    runs = (cached_minilm_run(EXAMPLES[name][0], MAX_TOKENS) for name in PRONOUN_PAIR)
    tired, wide = (lesson.pronoun_choice(pair_run.attentions, pair_encoding.tokens) for pair_encoding, pair_run in runs)
    names = ("sentence", "animal", "street", "heads")
    columns = [t(f"pt.pair.{name}", layer=layer, head=head) for name in names]
    st.table(charts.pair_frame((tired, wide), layer, head, columns), hide_index=True)
    st.markdown(t("pt.pair.verdict", tired=tired.preferring_animal, wide=wide.preferring_animal, total=all_heads))


if example in PRONOUN_PAIR:
    st.subheader(t("pt.pair.header"), anchor=False)
    prose(t("pt.pair.caption"))
    from_it = lesson.pronoun_candidates(run.attentions[layer, head], tokens)  # the last word: tired or wide
    predict_then_reveal(
        f"pt_it_{example}_{layer}_{head}",  # a new question whenever the sentence or the head changes
        t("predict.pt.question", layer=layer, head=head),
        {word: word for word in from_it},
        max(from_it, key=from_it.get),
        lambda: pronoun_pair(layer, head),
    )

# ── What each head does ──────────────────────────────────────────────────────
st.subheader(t("pt.summary.header"), anchor=False)
prose(t("pt.summary.caption"))
summary = summarize_heads(run.attentions, tokens)
target = translated_choice(st.radio, "pt.target", HEAD_SUMMARY_TARGETS, key="pt_target", horizontal=True)
chosen = lesson.target_heads(summary, target)
target_name = t(f"pt.target.{target}")
layer_title, head_title = t("pt.axis.layer"), t("pt.axis.head")
show(
    st,
    heatmap(
        chosen.shares.numpy(),
        [f"{layer_title} {i}" for i in range(config.num_layers)],
        [f"{head_title} {i}" for i in range(config.num_heads)],
        title=t("pt.summary.chart", target=target_name),
        x_title=head_title,
        y_title=layer_title,
        legend_title=t("pt.summary.value"),
    ),
    key="pt_summary",
)
st.markdown(t("pt.summary.strongest", target=target_name, layer=chosen.layer, head=chosen.head, share=chosen.share))
# What the literature hypothesises about [CLS] / [SEP], the numbers of this text decide what is said.
for special in (lesson.target_heads(summary, "cls"), lesson.target_heads(summary, "sep")):
    key = "pt.summary.special.many" if special.above_half else "pt.summary.special.none"
    numbers = {"count": special.above_half, "total": special.total, "share": special.share}
    target_text = t(f"pt.target.{special.target}")
    st.markdown(t(key, target=target_text, layer=special.layer, head=special.head, **numbers))
with st.expander(t("pt.summary.table")):
    names = [t(f"pt.target.{name}") for name in HEAD_SUMMARY_TARGETS]
    st.dataframe(
        charts.summary_frame(summary.shares.numpy(), names, t("pt.col.layer"), t("pt.col.head")), hide_index=True
    )

# ── Proof of sameness ────────────────────────────────────────────────────────
proof = recompute_layer(model, run, layer)
st.subheader(t("pt.proof.header"), anchor=False)
prose(t("pt.proof.caption", layer=layer, heads=config.num_heads, d_k=config.head_dim))
st.metric(t("pt.proof.metric"), f"{proof.max_abs_difference:.1e}")
st.caption(t("pt.proof.count", count=config.num_heads * length * length, heads=config.num_heads, L=length))
with st.expander(t("pt.proof.code")):
    st.code(source_of(recompute_layer), language="python")
