"""AppTest tests of the self- vs cross-attention lesson: the cross-attention heatmap is [L_target, L_source]
and equal to core, the self-attention heatmap beside it follows its own controls, and the same word in two
sentences has cosine 1 between its embeddings and below 1 between its outputs, as core computes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from chart_data import Chart, assert_chart_numbers_finite, charts_by_title
from page_helpers import median_rerun_seconds, metrics, open_page, set_controls, tr
from streamlit.testing.v1 import AppTest

from core.masks import causal_mask
from core.pipeline import build_model, self_attention
from core.self_cross import build_cross_model, compare_in_contexts, cross_attention, find_word
from core.tokens import embed_tokens, tokenize

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_app.py"
PAGE_URL = "self-vs-cross"
EN_SOURCE, ZH_SENTENCE = "I am studying artificial intelligence", "我在学习人工智能"


# ── driving the page ─────────────────────────────────────────────────────────


@pytest.fixture
def page() -> AppTest:
    return open_page(PAGE_URL)


def charts(at: AppTest) -> dict[str, Chart]:
    return charts_by_title(at, main_name="cells")


def texts_of(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def labels(tokens: list[str]) -> list[str]:
    return [f"{i} {token}" for i, token in enumerate(tokens)]


def model_for(at: AppTest):
    state = at.session_state
    return build_model(state["d_k"], state["heads"], state["seed"]), state["d_k"] * state["heads"], state["seed"]


def expected_attention(at: AppTest):
    """Cross- and self-attention for the page's sentences, computed here from core alone."""
    model, d_model, seed = model_for(at)
    source, target = tokenize(at.session_state["xattn_src"]), tokenize(at.session_state["xattn_tgt"])
    source_embeddings, target_embeddings = embed_tokens(source, d_model, seed), embed_tokens(target, d_model, seed)
    # Cross-attention has its own projections, not the self-attention's.
    cross_model = build_cross_model(at.session_state["d_k"], at.session_state["heads"], seed)
    cross = cross_attention(cross_model, target_embeddings, source_embeddings)
    mask = causal_mask(len(target)) if at.session_state["xattn_causal"] else None
    return source, target, cross, self_attention(model, target_embeddings, mask)


def expected_comparison(at: AppTest):
    model, d_model, seed = model_for(at)
    tokens_a, tokens_b = tokenize(at.session_state["xattn_a"]), tokenize(at.session_state["xattn_b"])
    word = tokenize(at.session_state["xattn_word"])
    start_a, start_b = find_word(tokens_a, word), find_word(tokens_b, word)
    emb_a, emb_b = embed_tokens(tokens_a, d_model, seed), embed_tokens(tokens_b, d_model, seed)
    return tokens_a, tokens_b, compare_in_contexts(model, emb_a, emb_b, start_a, start_b, len(word)), emb_a, emb_b


def assert_attention_charts_match_core(at: AppTest, lang: str = "en") -> None:
    source, target, cross, own = expected_attention(at)
    head = at.session_state["head"] if at.session_state["heads"] > 1 else 0
    shown = charts(at)
    cross_chart, self_chart = shown[tr("xattn.chart.cross", lang)], shown[tr("xattn.chart.self", lang)]
    assert cross_chart.row_labels() == labels(target)  # rows: target tokens (queries)
    assert cross_chart.col_labels() == labels(source)  # columns: source tokens (keys)
    assert cross_chart.matrix().shape == (len(target), len(source))
    np.testing.assert_allclose(cross_chart.matrix(), cross.attention.weights[0, head].numpy(), atol=1e-6, rtol=0)
    np.testing.assert_allclose(cross_chart.sums["sum"].to_numpy(), 1.0, atol=1e-6, rtol=0)
    assert self_chart.row_labels() == self_chart.col_labels() == labels(target)
    np.testing.assert_allclose(self_chart.matrix(), own.attention.weights[0, head].numpy(), atol=1e-6, rtol=0)
    allowed = own.attention.allowed[0, head].numpy()
    np.testing.assert_array_equal(~self_chart.matrix("masked").astype(bool), allowed)


def assert_context_matches_core(at: AppTest, lang: str = "en") -> None:
    _, _, comparison, emb_a, _ = expected_comparison(at)
    first = comparison.tokens[0]
    shown = metrics(at)
    assert shown[tr("xattn.metric.embedding", lang)] == f"{first.embedding_cosine:.6f}" == "1.000000"
    assert float(shown[tr("xattn.metric.output", lang)]) == pytest.approx(first.output_cosine, abs=2e-6)
    table = at.dataframe[0].value
    cos_out = list(table[tr("xattn.col.cos_out", lang)])
    assert cos_out == pytest.approx([t.output_cosine for t in comparison.tokens], abs=1e-6)
    assert list(table[tr("xattn.col.cos_emb", lang)]) == pytest.approx([1.0] * len(comparison.tokens), abs=1e-9)
    assert all(table[tr("xattn.col.identical", lang)])
    for token in comparison.tokens:
        assert token.same_embedding and token.output_cosine < 0.999  # same input, different output
    verdict = tr("xattn.verdict.same_differ", lang, cos_in=first.embedding_cosine, cos_out=first.output_cosine)
    assert verdict in texts_of(at, "markdown")
    assert tr("xattn.context.untrained", lang) in texts_of(at, "caption")
    links = at.get("page_link")  # the measurement on a trained model
    assert [link.proto.label for link in links] == [tr("xattn.context.trained_link", lang)]
    assert links[0].proto.page.endswith("inside-model")
    vectors = charts(at)
    embeddings = vectors[tr("xattn.chart.embeddings.same", lang)].matrix()
    outputs = vectors[tr("xattn.chart.outputs.differ", lang)].matrix()
    for i, token in enumerate(comparison.tokens):
        a, b = 2 * i, 2 * i + 1  # rows: A then B, token by token
        np.testing.assert_allclose(embeddings[a], emb_a[token.position_a].numpy(), atol=1e-6, rtol=0)
        assert np.array_equal(embeddings[a], embeddings[b])
        # 1e-5, the project's parity tolerance: float32 sums over d_model = 1024 may round differently per run.
        np.testing.assert_allclose(outputs[a], comparison.result_a.output[0, token.position_a], atol=1e-5, rtol=0)
        np.testing.assert_allclose(outputs[b], comparison.result_b.output[0, token.position_b], atol=1e-5, rtol=0)
        assert not np.allclose(outputs[a], outputs[b], atol=1e-3)


# ── 1. defaults ──────────────────────────────────────────────────────────────


def test_defaults_show_cross_and_self_attention_and_the_bank_example(page: AppTest) -> None:
    state = page.session_state
    assert (state["xattn_src"], state["xattn_tgt"]) == (EN_SOURCE, ZH_SENTENCE)
    assert (state["xattn_a"], state["xattn_b"], state["xattn_word"]) == (
        "I sat on the river bank",
        "I put money in the bank",
        "bank",
    )
    assert list(charts(page)) == [
        tr("xattn.chart.cross"),
        tr("xattn.chart.self"),
        tr("xattn.chart.word_a", head=0),
        tr("xattn.chart.word_b", head=0),
        tr("xattn.chart.embeddings.same"),
        tr("xattn.chart.outputs.differ"),
    ]
    assert_attention_charts_match_core(page)
    assert_context_matches_core(page)
    # The cross-attention matrix is [L_t, L_s] = [8, 5]: not square, unlike self-attention.
    assert tr("xattn.shapes", lt=8, ls=5, d_k=8, d_model=16) in " ".join(texts_of(page, "caption"))
    assert not texts_of(page, "warning") and not texts_of(page, "info")


def test_the_words_attention_rows_are_its_rows_in_each_sentence(page: AppTest) -> None:
    tokens_a, _, comparison, *_ = expected_comparison(page)
    shown = charts(page)
    row_a, row_b = shown[tr("xattn.chart.word_a", head=0)], shown[tr("xattn.chart.word_b", head=0)]
    assert row_a.row_labels() == ["5 bank"] and row_a.col_labels() == labels(tokens_a)
    np.testing.assert_allclose(row_a.matrix()[0], comparison.result_a.attention.weights[0, 0, 5], atol=1e-6, rtol=0)
    np.testing.assert_allclose(row_b.matrix()[0], comparison.result_b.attention.weights[0, 0, 5], atol=1e-6, rtol=0)


# ── 2. every control ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "step",
    [
        pytest.param({"xattn_src": "the cat sat"}, id="source"),
        pytest.param({"xattn_tgt": "猫坐着"}, id="target"),
        pytest.param({"d_k": 4}, id="d_k"),
        pytest.param({"heads": 3}, id="heads"),
        pytest.param({"seed": 5}, id="seed"),
    ],
)
def test_each_control_changes_the_attention_charts(page: AppTest, step: dict) -> None:
    before = charts(page)[tr("xattn.chart.cross")].cells
    set_controls(page, **step)
    after = charts(page)[tr("xattn.chart.cross")].cells
    assert len(after) != len(before) or not np.allclose(after["value"], before["value"])
    assert_attention_charts_match_core(page)
    assert_context_matches_core(page)


def test_head_selector_switches_every_chart_to_that_head(page: AppTest) -> None:
    set_controls(page, heads=3)
    set_controls(page, head=2)
    assert_attention_charts_match_core(page)
    assert tr("xattn.chart.word_a", head=2) in charts(page)
    _, _, comparison, *_ = expected_comparison(page)
    row = charts(page)[tr("xattn.chart.word_b", head=2)].matrix()[0]
    np.testing.assert_allclose(row, comparison.result_b.attention.weights[0, 2, 5], atol=1e-6, rtol=0)


def test_causal_toggle_masks_only_the_targets_self_attention(page: AppTest) -> None:
    cross_before = charts(page)[tr("xattn.chart.cross")].matrix()
    set_controls(page, xattn_causal=True)
    shown = charts(page)
    masked = shown[tr("xattn.chart.self")].matrix("masked").astype(bool)
    assert (masked == ~np.tri(8, dtype=bool)).all()
    np.testing.assert_array_equal(shown[tr("xattn.chart.cross")].matrix(), cross_before)  # cross needs no mask
    assert not shown[tr("xattn.chart.cross")].cells["masked"].any()
    assert_attention_charts_match_core(page)
    assert page.query_params["xattn_causal"] == "true"


@pytest.mark.parametrize(
    ("a", "b", "word"),
    [
        pytest.param("The bank was closed", "We swam to the bank", "BANK", id="case-folded"),
        pytest.param("我吃了一个苹果", "苹果发布了新手机", "苹果", id="two-characters"),
    ],
)
def test_typed_sentences_and_word_are_compared(page: AppTest, a: str, b: str, word: str) -> None:
    before = metrics(page)[tr("xattn.metric.output")]
    set_controls(page, xattn_a=a, xattn_b=b, xattn_word=word)
    assert_context_matches_core(page)
    assert metrics(page)[tr("xattn.metric.output")] != before
    assert len(page.dataframe[0].value) == len(tokenize(word))


def test_example_buttons_load_each_languages_pair(page: AppTest) -> None:
    page.button(key="xattn_example_zh").click().run()
    state = page.session_state
    assert (state["xattn_a"], state["xattn_b"], state["xattn_word"]) == ("我吃了一个苹果", "苹果发布了新手机", "苹果")
    table = page.dataframe[0].value
    assert list(table[tr("xattn.col.token")]) == ["苹", "果"]
    assert tr("xattn.metric.first_token") in texts_of(page, "caption")
    assert_context_matches_core(page)
    page.button(key="xattn_example_en").click().run()
    assert page.session_state["xattn_word"] == "bank"
    assert_context_matches_core(page)


@pytest.mark.parametrize(
    ("a", "b", "word"),
    [
        pytest.param("I put money in the bank", "I put money in the bank", "bank", id="same-sentence-twice"),
        pytest.param("the bank of the river", "the river of the bank", "bank", id="reordered-no-positions"),
        pytest.param("bank", "bank", "bank", id="one-word"),
    ],
)
def test_identical_contexts_say_identical_outputs(page: AppTest, a: str, b: str, word: str) -> None:
    set_controls(page, xattn_a=a, xattn_b=b, xattn_word=word)
    _, _, comparison, *_ = expected_comparison(page)
    first = comparison.tokens[0]
    assert first.output_cosine == pytest.approx(1.0, abs=1e-6) and first.same_output
    assert metrics(page)[tr("xattn.metric.output")] == "1.000000"
    markdown = texts_of(page, "markdown")
    assert tr("xattn.verdict.same_same", cos_in=first.embedding_cosine, cos_out=first.output_cosine) in markdown
    assert not any("different outputs" in text for text in markdown)
    shown = charts(page)
    assert tr("xattn.chart.outputs.same") in shown and tr("xattn.chart.outputs.differ") not in shown


def test_cross_attention_uses_its_own_projections(page: AppTest) -> None:
    source, target, cross, _ = expected_attention(page)
    model, d_model, seed = model_for(page)
    with_self_weights = cross_attention(model, embed_tokens(target, d_model, seed), embed_tokens(source, d_model, seed))
    shown = charts(page)[tr("xattn.chart.cross")].matrix()
    np.testing.assert_allclose(shown, cross.attention.weights[0, 0].numpy(), atol=1e-6, rtol=0)
    assert np.abs(shown - with_self_weights.attention.weights[0, 0].numpy()).max() > 0.01
    assert tr("xattn.own_weights", seed=0) in texts_of(page, "caption")


# ── 3. bad input gets a message, never a traceback ───────────────────────────


@pytest.mark.parametrize(
    ("step", "message"),
    [
        pytest.param({"xattn_word": "river"}, "xattn.word.missing_b", id="only-in-A"),
        pytest.param({"xattn_word": "money"}, "xattn.word.missing_a", id="only-in-B"),
        pytest.param({"xattn_word": "   "}, "xattn.word.empty", id="empty"),
        pytest.param({"xattn_word": "一二三四五"}, "xattn.word.too_long", id="too-long"),
    ],
)
def test_a_word_that_cannot_be_compared_gets_a_message(page: AppTest, step: dict, message: str) -> None:
    set_controls(page, **step)
    values = {"n": 5, "max": 4} if message == "xattn.word.too_long" else {}
    assert texts_of(page, "warning") == [tr(message, **values)]
    assert not page.metric and not page.dataframe
    assert tr("xattn.chart.embeddings.same") not in charts(page)
    assert_attention_charts_match_core(page)  # the first section is untouched


def test_word_in_neither_sentence_names_both(page: AppTest) -> None:
    set_controls(page, xattn_word="<b>")  # 3 tokens: <, b, >
    assert texts_of(page, "warning") == [tr("xattn.word.missing_a"), tr("xattn.word.missing_b")]
    assert not any("<b>" in text for kind in ("markdown", "caption", "warning") for text in texts_of(page, kind))


def test_empty_sentences_get_messages_not_charts(page: AppTest) -> None:
    set_controls(page, xattn_src="", xattn_tgt="  ")
    assert texts_of(page, "warning") == [tr("xattn.empty_source"), tr("xattn.empty_target")]
    assert tr("xattn.chart.cross") not in charts(page)
    assert_context_matches_core(page)


def test_long_sentences_are_cut_to_64_tokens_with_a_notice(page: AppTest) -> None:
    set_controls(page, xattn_src="word " * 100)
    assert tr("msg.cut", n=100, max=64) in texts_of(page, "info")
    cross = charts(page)[tr("xattn.chart.cross")]
    assert cross.matrix().shape == (8, 64)
    assert_chart_numbers_finite(charts(page))


def test_largest_model_stays_finite(page: AppTest) -> None:
    set_controls(page, d_k=128, heads=8)
    assert_chart_numbers_finite(charts(page))
    assert_context_matches_core(page)


# ── 4. language and links ────────────────────────────────────────────────────


def test_chinese_swaps_the_examples_and_translates_the_page() -> None:
    at = open_page(PAGE_URL, lang="zh")
    state = at.session_state
    assert (state["xattn_src"], state["xattn_tgt"]) == (ZH_SENTENCE, EN_SOURCE)  # translate 中文 → English
    assert state["xattn_word"] == "苹果"
    assert list(charts(at))[:2] == [tr("xattn.chart.cross", "zh"), tr("xattn.chart.self", "zh")]
    assert_attention_charts_match_core(at, "zh")
    assert_context_matches_core(at, "zh")
    assert [h.value for h in at.header] == [tr("xattn.title", "zh")]


def test_switching_language_swaps_untouched_examples_but_keeps_typed_text(page: AppTest) -> None:
    set_controls(page, xattn_a="The bank was closed")
    set_controls(page, lang="zh")
    state = page.session_state
    assert state["xattn_src"] == ZH_SENTENCE and state["xattn_b"] == "苹果发布了新手机"
    assert state["xattn_a"] == "The bank was closed"  # typed by the user: kept
    assert texts_of(page, "warning") == [tr("xattn.word.missing_a", "zh")]  # 苹果 is not in the typed sentence


def test_a_link_reopens_the_exact_view() -> None:
    at = open_page(PAGE_URL, xattn_word="the", xattn_causal="true", xattn_src="hello world", heads=4, head=3)
    state = at.session_state
    assert (state["xattn_word"], state["xattn_causal"], state["xattn_src"]) == ("the", True, "hello world")
    assert tr("xattn.chart.word_a", head=3) in charts(at)
    assert_attention_charts_match_core(at)
    assert_context_matches_core(at)
    assert at.query_params["xattn_word"] == "the"


def test_page_never_allows_raw_html(page: AppTest) -> None:
    for node in [*page.main, *page.sidebar]:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            for flag in ("allow_html", "unsafe_allow_html"):
                assert not (flag in proto.DESCRIPTOR.fields_by_name and getattr(proto, flag)), node


def test_measure_rerun_time_at_defaults(page: AppTest) -> None:
    median = median_rerun_seconds(page, "self-vs-cross at defaults", runs=7)
    assert median < 1.0  # generous: catches a regression to seconds, not noise


def test_cosines_on_the_page_come_from_float64(page: AppTest) -> None:
    """The embedding cosine is exactly representable as 1.000000; float32 could print 0.999999."""
    _, _, comparison, emb_a, emb_b = expected_comparison(page)
    assert torch.equal(emb_a[5], emb_b[5])
    assert abs(comparison.tokens[0].embedding_cosine - 1.0) < 1e-12
