"""Inside the model: what each of all-MiniLM-L6-v2's heads looks at over a corpus (Clark et al. 2019), attention
rollout across layers (Abnar & Zuidema 2020), and whether the trained layers separate a word's senses."""

from __future__ import annotations

import streamlit as st

from core.corpus import BANK_SENTENCES
from core.head_taxonomy import BROAD_BITS, CATEGORY_SHARE, MEASURES, head_categories, measure_extremes
from core.minilm import MAX_TOKENS
from core.rollout import attention_rollout
from core.senses import sense_separation, word_vectors
from ui.cache import cached_corpus_taxonomy, cached_minilm, cached_minilm_run
from ui.charts import attention_heatmap, position_labels, show
from ui.charts.inside_model import head_map, measure_grid, senses_chart, taxonomy_frame
from ui.controls import translated_choice
from ui.i18n import language, t
from ui.inside_model_text import category_counts, rollout_sentence, senses_sentence
from ui.lesson_page import lesson_header
from ui.markdown import literal
from ui.presenter import chart_scale, prose
from ui.url_state import choice_param, int_param, page_params

EXAMPLES = {
    "it_tired": "The animal didn't cross the street because it was too tired",
    "bank": "She deposited her salary at the bank this morning.",
    "agreement": "The keys to the cabinet are on the table",
}
SENSE_WORD = "bank"
APPLE = "苹果"

model = cached_minilm()
config = model.config
lesson_header(t("im.title"), t("im.intro", layers=config.num_layers, heads=config.num_heads))
page_params(
    "inside-model",
    {
        "im_measure": choice_param(MEASURES, "cls"),
        "im_example": choice_param(list(EXAMPLES), "it_tired"),
        "im_layer": int_param(0, config.num_layers - 1, 2),
    },
)

# 1 · Head taxonomy over the corpus.
st.subheader(t("im.tax.header"), anchor=False)
with st.spinner():
    taxonomy, seconds = cached_corpus_taxonomy()
st.caption(t("im.tax.corpus", n=taxonomy.sentences, seconds=seconds))
measure = translated_choice(st.selectbox, "im.measure", MEASURES, key="im_measure", help=t("im.measure.help"))
measures = taxonomy.measures.numpy()
categories = head_categories(taxonomy.measures)
category_names = [t(f"im.category.{name}") for name in categories]
values = measures[:, :, MEASURES.index(measure)]
extremes = measure_extremes(taxonomy.measures, measure)
measure_name = t(f"im.measure.{measure}")
grid_column, map_column = st.columns([1.2, 1])
show(
    grid_column,
    measure_grid(
        values,
        category_names,
        title=t("im.grid.title", measure=measure_name),
        layer_title=t("im.layer"),
        head_title=t("im.head"),
        value_title=measure_name,
        category_title=t("im.category"),
    ),
    "im_grid",
)
grid_column.markdown(t("im.extremes", measure=measure_name, **vars(extremes)))
show(
    map_column,
    head_map(
        taxonomy.map.numpy(),
        category_names,
        title=t("im.map.title"),
        layer_title=t("im.layer"),
        head_title=t("im.head"),
        category_title=t("im.category"),
    ),
    "im_map",
)
st.markdown(category_counts(categories))
prose(t("im.rule", share=CATEGORY_SHARE, bits=BROAD_BITS))
prose(t("im.map.note", kept=taxonomy.map_kept))
with st.expander(t("im.table")):
    columns = (t("im.layer"), t("im.head"), t("im.category"))
    table = taxonomy_frame(measures, category_names, [t(f"im.measure.{name}") for name in MEASURES], columns)
    number = st.column_config.NumberColumn(format="%.3f")
    st.dataframe(table, hide_index=True, column_config=dict.fromkeys(table.columns[3:], number))

# 2 · Attention rollout.
st.subheader(t("im.roll.header"), anchor=False)
prose(t("im.roll.intro"))
example_control, layer_control = st.columns(2)
example = translated_choice(example_control.selectbox, "im.example", list(EXAMPLES), key="im_example")
layer = layer_control.slider(t("im.roll.layer"), 0, config.num_layers - 1, key="im_layer", persist_state="session")
encoding, run = cached_minilm_run(EXAMPLES[example], MAX_TOKENS)
flow = attention_rollout(run.attentions)
labels = position_labels(encoding.tokens)
raw_column, rollout_column = st.columns(2)
for column, matrix, title, key in (
    (raw_column, flow.raw[layer], t("im.roll.raw", layer=layer), "im_raw"),
    (rollout_column, flow.rollout[layer], t("im.roll.rollout", layer=layer), "im_rollout"),
):
    figure = attention_heatmap(
        matrix.numpy(),
        labels,
        kind="weights",
        title=title,
        scale=chart_scale(),
        lang=language(),
        x_title=t("im.key"),
        y_title=t("im.query"),
        legend_title=t("im.weight"),
        show_values=False,
        size=300,
    )
    show(column, figure, key)
st.markdown(rollout_sentence(flow.raw[layer], flow.rollout[layer], layer))

# 3 · Senses of "bank", measured on the trained model.
st.subheader(t("im.sense.header"), anchor=False)
runs = [cached_minilm_run(sentence, MAX_TOKENS) for sentence, _ in BANK_SENTENCES]
vectors = word_vectors([(words.tokens, forward.hidden_states) for words, forward in runs], SENSE_WORD)
separation = sense_separation(vectors, tuple(sense for _, sense in BANK_SENTENCES))
prose(t("im.sense.intro", same=separation.same_pairs, different=separation.different_pairs))
pair_labels = (t("im.sense.same"), t("im.sense.different"))
show(
    st,
    senses_chart(
        separation.same.numpy(),
        separation.different.numpy(),
        labels=pair_labels,
        title=t("im.sense.title"),
        x_title=t("im.sense.x"),
        y_title=t("im.sense.y"),
        legend_title=t("im.sense.pairs"),
    ),
    "im_senses",
)
st.markdown(senses_sentence(separation))
apple = model.encode(APPLE)
missing = model.unknown_characters(APPLE)
if missing:
    st.caption(t("im.sense.han", cjk=model.han_in_vocabulary, missing=" ".join(missing)))
else:
    st.caption(t("im.sense.han_ok", tokens=" · ".join(literal(token) for token in apple.tokens[1:-1])))
with st.expander(t("im.sense.sentences")):
    for sentence, sense in BANK_SENTENCES:
        st.markdown(f"- {literal(sentence)} ({t(f'im.sense.{sense}')})")
