"""AppTest tests of the playground page: every control changes the charts as it should, and the
charts show exactly what ``core`` computes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from chart_data import Chart, assert_all_finite, read_charts
from chart_data import set_controls_read_charts as set_controls
from page_helpers import widget
from streamlit.testing.v1 import AppTest

from core.pipeline import build_mask, build_model, self_attention
from core.tokens import embed_tokens, fit_to_length, tokenize
from ui.controls import DEFAULT_SENTENCES, MAX_SEQ_LEN, MAX_TEXT_CHARS
from ui.i18n import STRINGS

EN_SENTENCE = DEFAULT_SENTENCES["en"]
ZH_SENTENCE = DEFAULT_SENTENCES["zh"]
EN_LABELS = [
    "0 The",
    "1 animal",
    "2 didn't",
    "3 cross",
    "4 the",
    "5 street",
    "6 because",
    "7 it",
    "8 was",
    "9 tired",
]
BASE_CHARTS = ["chart_scaled", "chart_weights", "chart_output"]
DEFAULT_CHARTS = [*BASE_CHARTS, "chart_overview"]  # default heads = 2
QKV_CHARTS = ["chart_q", "chart_k", "chart_v"]


def en(key: str, **values: object) -> str:
    text = STRINGS[key]["en"]
    return text.format(**values) if values else text


# ── driving the app ──────────────────────────────────────────────────────────


def type_text(at: AppTest, text: str) -> dict[str, Chart]:
    """Type a sentence (its on_change callback sets L to the token count) and rerun."""
    return set_controls(at, text=text)


def notices(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def page_has_unsafe_html(at: AppTest) -> list[str]:
    """Every element whose proto allows raw HTML."""
    found = []
    for block in (at.main, at.sidebar):
        for node in block:
            proto = getattr(node, "proto", None)
            if proto is None or not hasattr(proto, "DESCRIPTOR"):
                continue
            for flag in ("allow_html", "unsafe_allow_html"):
                if flag in proto.DESCRIPTOR.fields_by_name and getattr(proto, flag):
                    found.append(f"{type(node).__name__}: {flag}")
    return found


# ── checks on chart data ─────────────────────────────────────────────────────


def assert_rows_sum_to_one(weights: Chart) -> None:
    cells = weights.cells
    allowed = cells[~cells["masked"]]
    sums = allowed.groupby("row_label", sort=False)["value"].sum()
    assert set(sums.index) == set(cells["row_label"]), "a row has no allowed key"
    assert np.allclose(sums.to_numpy(), 1.0, atol=1e-6, rtol=0), sums.to_dict()
    # The Σ column shows the same sums.
    assert np.allclose(weights.sums["sum"].to_numpy(), 1.0, atol=1e-6, rtol=0)


def assert_masked_cells_are_zero(chart: Chart) -> None:
    masked = chart.cells[chart.cells["masked"]]
    assert (masked["value"] == 0.0).all(), masked[masked["value"] != 0.0]


def allowed_matrix(chart: Chart) -> np.ndarray:
    return ~chart.matrix("masked").astype(bool)


# ── 1. default run ───────────────────────────────────────────────────────────


def test_default_run_draws_the_expected_charts_with_rows_summing_to_one(app: AppTest) -> None:
    assert not app.exception
    charts = read_charts(app)
    assert list(charts) == DEFAULT_CHARTS
    assert widget(app, "text").value == EN_SENTENCE
    assert app.session_state["L"] == 10

    weights = charts["chart_weights"]
    assert len(weights.cells) == 100
    assert weights.row_labels() == EN_LABELS
    assert weights.col_labels() == EN_LABELS
    assert not weights.cells["masked"].any()
    assert_rows_sum_to_one(weights)
    assert list(weights.sums["row_label"]) == EN_LABELS
    assert (weights.cells["value"] > 0).all()  # softmax without a mask is strictly positive

    output = charts["chart_output"]
    assert output.row_labels() == EN_LABELS
    assert output.col_labels() == [str(i) for i in range(8)]
    overview = charts["chart_overview"]
    assert sorted(overview.cells["head"].unique()) == [0, 1]
    assert not notices(app, "warning") and not notices(app, "info")


# ── 2. every control changes the charts ──────────────────────────────────────


def test_seq_len_shortens_the_sentence(app: AppTest) -> None:
    before = read_charts(app)["chart_weights"].matrix()
    charts = set_controls(app, L=5)
    weights = charts["chart_weights"]
    assert len(weights.cells) == 25
    assert weights.row_labels() == EN_LABELS[:5]
    assert len(charts["chart_output"].cells) == 5 * 8
    assert_rows_sum_to_one(weights)
    # Fewer keys: the softmax renormalises, so the 5×5 block is not the old top-left block.
    assert not np.allclose(weights.matrix(), before[:5, :5], atol=1e-3)
    assert notices(app, "info") == [en("msg.shortened", n=10, L=5)]


def test_d_k_sets_the_output_width_and_the_scale(app: AppTest) -> None:
    before = read_charts(app)["chart_scaled"].matrix()
    charts = set_controls(app, d_k=4)
    output = charts["chart_output"]
    assert output.col_labels() == ["0", "1", "2", "3"]
    assert len(output.cells) == 10 * 4
    assert not np.allclose(charts["chart_scaled"].matrix(), before, atol=1e-3)
    captions = " ".join(c.value for c in app.caption)
    assert en("ctl.d_model", heads=2, d_k=4, d_model=8) in captions
    assert "1/√4 = 0.5000" in captions


def test_heads_sets_the_overview_and_the_head_choices(app: AppTest) -> None:
    charts = set_controls(app, heads=4)
    overview = charts["chart_overview"].cells
    assert sorted(overview["head"].unique()) == [0, 1, 2, 3]
    assert len(overview) == 4 * 100
    assert widget(app, "head").options == ["0", "1", "2", "3"]
    assert app.caption and en("ctl.d_model", heads=4, d_k=8, d_model=32) in " ".join(c.value for c in app.caption)

    charts = set_controls(app, heads=1)
    assert list(charts) == BASE_CHARTS
    assert widget(app, "head") is None


def test_causal_mask_hides_the_upper_triangle(app: AppTest) -> None:
    charts = set_controls(app, mask="causal")
    weights, scaled = charts["chart_weights"], charts["chart_scaled"]
    expected_allowed = np.tril(np.ones((10, 10), dtype=bool))
    assert (allowed_matrix(weights) == expected_allowed).all()
    assert (allowed_matrix(scaled) == expected_allowed).all()
    assert (weights.matrix()[~expected_allowed] == 0.0).all()
    assert_masked_cells_are_zero(scaled)
    assert weights.matrix()[0, 0] == pytest.approx(1.0, abs=1e-6)  # token 0 sees only itself
    assert_rows_sum_to_one(weights)
    overview = charts["chart_overview"].cells
    assert ((overview["col"] > overview["row"]) == overview["masked"]).all()


def test_seed_changes_the_numbers_not_the_labels(app: AppTest) -> None:
    before = read_charts(app)["chart_weights"]
    after = set_controls(app, seed=1)["chart_weights"]
    assert after.row_labels() == before.row_labels() == EN_LABELS
    assert np.abs(after.matrix() - before.matrix()).max() > 0.01
    assert_rows_sum_to_one(after)


def test_typing_a_chinese_sentence_sets_l_to_its_token_count(app: AppTest) -> None:
    charts = type_text(app, ZH_SENTENCE)
    assert app.session_state["L"] == 8
    assert widget(app, "L").value == 8
    weights = charts["chart_weights"]
    assert weights.row_labels() == [f"{i} {ch}" for i, ch in enumerate(ZH_SENTENCE)]
    assert len(weights.cells) == 64
    assert not notices(app, "info")  # 8 tokens, L = 8: nothing padded or cut
    assert_rows_sum_to_one(weights)


def test_random_mode_uses_numbered_tokens(app: AppTest) -> None:
    before = read_charts(app)["chart_weights"].matrix()
    charts = set_controls(app, mode="random")
    assert widget(app, "text") is None
    weights = charts["chart_weights"]
    assert weights.row_labels() == [f"{i} t{i}" for i in range(10)]
    assert not np.allclose(weights.matrix(), before, atol=1e-3)
    assert_rows_sum_to_one(weights)


def test_head_selector_switches_the_large_charts_to_that_head(app: AppTest) -> None:
    charts = read_charts(app)
    head0 = charts["chart_weights"].matrix()
    np.testing.assert_array_equal(head0, charts["chart_overview"].matrix(head=0))
    charts = set_controls(app, head=1)
    head1 = charts["chart_weights"].matrix()
    assert np.abs(head1 - head0).max() > 0.01
    np.testing.assert_array_equal(head1, charts["chart_overview"].matrix(head=1))
    assert_rows_sum_to_one(charts["chart_weights"])


def test_fewer_heads_than_the_selected_head_falls_back_to_head_0(app: AppTest) -> None:
    set_controls(app, heads=4)
    set_controls(app, head=3)
    charts = set_controls(app, heads=2)
    assert widget(app, "head").value == 0
    np.testing.assert_array_equal(charts["chart_weights"].matrix(), charts["chart_overview"].matrix(head=0))


def test_sliding_window_allows_only_near_keys(app: AppTest) -> None:
    assert widget(app, "window") is None
    charts = set_controls(app, mask="sliding")
    assert widget(app, "window").value == 1
    distance = np.abs(np.subtract.outer(np.arange(10), np.arange(10)))
    weights = charts["chart_weights"]
    assert (allowed_matrix(weights) == (distance <= 1)).all()
    assert (weights.matrix()[distance > 1] == 0.0).all()
    assert_rows_sum_to_one(weights)

    weights = set_controls(app, window=3)["chart_weights"]
    assert (allowed_matrix(weights) == (distance <= 3)).all()
    assert_masked_cells_are_zero(weights)
    assert_rows_sum_to_one(weights)


def test_qkv_toggle_adds_and_removes_the_projection_charts(app: AppTest) -> None:
    charts = set_controls(app, qkv=True)
    assert list(charts) == DEFAULT_CHARTS + QKV_CHARTS
    for key in QKV_CHARTS:
        assert charts[key].row_labels() == EN_LABELS
        assert charts[key].col_labels() == [str(i) for i in range(8)]
    assert np.abs(charts["chart_q"].matrix() - charts["chart_k"].matrix()).max() > 0.01
    assert list(set_controls(app, qkv=False)) == DEFAULT_CHARTS


# AppTest limitation: after a run in 中文, the next run of the same AppTest fails inside AppTest: it
# formats each option widget's value with the page's format_func on the test thread, where t() reads
# the language as English, and the Chinese option list has no "none". So each test ends at its
# first Chinese run.


def test_chinese_swaps_titles_and_the_untouched_default_sentence(app: AppTest) -> None:
    charts = set_controls(app, lang="zh")
    for key, chart in charts.items():
        assert chart.title == STRINGS[f"chart.{key.removeprefix('chart_')}"]["zh"]
    assert list(charts) == DEFAULT_CHARTS
    assert app.header[0].value == STRINGS["pg.title"]["zh"]
    assert widget(app, "text").value == ZH_SENTENCE
    assert app.session_state["L"] == 8
    assert charts["chart_weights"].row_labels() == [f"{i} {ch}" for i, ch in enumerate(ZH_SENTENCE)]
    assert_rows_sum_to_one(charts["chart_weights"])


def test_chinese_keeps_a_typed_sentence(app: AppTest) -> None:
    type_text(app, "hello world")
    charts = set_controls(app, lang="zh")
    assert widget(app, "text").value == "hello world"
    assert app.session_state["L"] == 2
    assert charts["chart_weights"].title == STRINGS["chart.weights"]["zh"]
    assert charts["chart_weights"].row_labels() == ["0 hello", "1 world"]


def test_chinese_from_the_url_starts_with_the_chinese_sentence(make_app) -> None:
    at = make_app(lang="zh")
    charts = read_charts(at)
    assert widget(at, "text").value == ZH_SENTENCE
    assert at.session_state["L"] == 8
    assert charts["chart_scaled"].title == STRINGS["chart.scaled"]["zh"]


def test_language_switch_in_random_mode_keeps_the_sequence_length(app: AppTest) -> None:
    set_controls(app, mode="random")
    assert app.session_state["L"] == 10
    charts = set_controls(app, lang="zh")
    assert app.session_state["L"] == 10
    assert charts["chart_weights"].row_labels() == [f"{i} t{i}" for i in range(10)]


def test_a_request_for_playground_on_a_cold_server_runs_the_entry_script(app: AppTest) -> None:
    # Regression (was a bug while pages lived in pages/): AppTest resets Streamlit's process-wide
    # "uses a pages/ directory" flag before every run, as a cold server has it, and a rerun asks for
    # the page the last run ended on (/playground), like a shared link opened first after a restart.
    # With a pages/ folder Streamlit's v1 wrapper then ran the page alone, without the entry script.
    assert widget(app, "lang") is not None
    app.run()
    assert not app.exception
    assert widget(app, "lang") is not None, "the language switch (entry script) is missing"
    assert list(read_charts(app)) == DEFAULT_CHARTS


def test_a_link_reopens_the_exact_view(make_app) -> None:
    at = make_app(lang="zh", mask="causal", L=5, heads=3, head=2, seed=7, qkv="true")
    state = {key: at.session_state[key] for key in ("lang", "mask", "L", "heads", "head", "seed", "qkv")}
    assert state == {"lang": "zh", "mask": "causal", "L": 5, "heads": 3, "head": 2, "seed": 7, "qkv": True}
    assert not notices(at, "warning")
    charts = read_charts(at)
    assert list(charts) == DEFAULT_CHARTS + QKV_CHARTS
    assert charts["chart_weights"].title == STRINGS["chart.weights"]["zh"]
    assert (allowed_matrix(charts["chart_weights"]) == np.tril(np.ones((5, 5), dtype=bool))).all()
    np.testing.assert_array_equal(charts["chart_weights"].matrix(), charts["chart_overview"].matrix(head=2))
    # The URL keeps language-independent codes, and leaves defaults out.
    assert dict(at.query_params) == {
        "lang": "zh",
        "mask": "causal",
        "L": "5",
        "heads": "3",
        "head": "2",
        "seed": "7",
        "qkv": "true",
    }


def test_changing_a_control_updates_the_url(app: AppTest) -> None:
    assert dict(app.query_params) == {}
    set_controls(app, mask="sliding", seed=3)
    assert dict(app.query_params) == {"mask": "sliding", "seed": "3"}
    set_controls(app, window=2)
    assert app.query_params["window"] == "2"
    set_controls(app, mask="none", seed=0)
    assert "mask" not in app.query_params and "seed" not in app.query_params


def test_bad_link_values_are_ignored_or_clamped_with_a_notice(make_app) -> None:
    at = make_app(L=999, heads="x", mask="<script>alert(1)</script>", seed=-5)
    assert at.session_state["L"] == MAX_SEQ_LEN
    assert at.session_state["heads"] == 2
    assert at.session_state["mask"] == "none"
    assert at.session_state["seed"] == 0
    warnings = notices(at, "warning")
    assert en("msg.clamped_param", name="L", value=MAX_SEQ_LEN) in warnings
    assert en("msg.bad_param", name="heads") in warnings
    assert en("msg.bad_param", name="mask") in warnings
    assert en("msg.clamped_param", name="seed", value=0) in warnings
    assert not any("<script" in w for w in warnings)
    assert page_has_unsafe_html(at) == []
    assert len(read_charts(at)["chart_weights"].cells) == MAX_SEQ_LEN**2
    assert_all_finite(at)


# ── 3. the charts show what core computes ────────────────────────────────────


def core_result(*, text: str, seq_len: int, d_k: int, heads: int, seed: int, mask: str, window: int = 1):
    tokens = tokenize(text)
    padded = fit_to_length(tokens, seq_len)
    embeddings = embed_tokens(padded, heads * d_k, seed)
    attn_mask = build_mask(mask, seq_len, real_len=min(len(tokens), seq_len), window=window)
    return self_attention(build_model(d_k, heads, seed), embeddings, attn_mask)


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param({}, id="defaults"),
        pytest.param(
            {
                "text": "the cat sat on the mat",
                "heads": 3,
                "d_k": 5,
                "seed": 42,
                "mask": "causal",
                "qkv": True,
                "head": 2,
            },
            id="causal-3heads-dk5-seed42-head2",
        ),
    ],
)
def test_charts_equal_core_results(app: AppTest, setup: dict) -> None:
    setup = dict(setup)
    if "text" in setup:
        type_text(app, setup.pop("text"))
    head = setup.pop("head", 0)
    if setup:
        set_controls(app, **setup)
    if head:
        set_controls(app, head=head)
    state = app.session_state
    result = core_result(
        text=state["text"],
        seq_len=state["L"],
        d_k=state["d_k"],
        heads=state["heads"],
        seed=state["seed"],
        mask=state["mask"],
    )
    attention = result.attention
    charts = read_charts(app)

    atol = 1e-6
    allowed = attention.allowed[0, head].numpy()
    np.testing.assert_allclose(charts["chart_weights"].matrix(), attention.weights[0, head].numpy(), atol=atol, rtol=0)
    np.testing.assert_array_equal(allowed_matrix(charts["chart_weights"]), allowed)
    np.testing.assert_allclose(
        charts["chart_weights"].sums["sum"].to_numpy(), attention.weights[0, head].sum(-1).numpy(), atol=atol, rtol=0
    )
    scaled = charts["chart_scaled"].matrix()
    np.testing.assert_allclose(scaled[allowed], attention.scaled[0, head].numpy()[allowed], atol=atol, rtol=0)
    np.testing.assert_allclose(charts["chart_output"].matrix(), attention.output[0, head].numpy(), atol=atol, rtol=0)
    for h in range(state["heads"]):
        np.testing.assert_allclose(
            charts["chart_overview"].matrix(head=h), attention.weights[0, h].numpy(), atol=atol, rtol=0
        )
    if state["qkv"]:
        for name, tensor in (("q", result.q), ("k", result.k), ("v", result.v)):
            np.testing.assert_allclose(charts[f"chart_{name}"].matrix(), tensor[0, head].numpy(), atol=atol, rtol=0)
    # The numbers are not trivially equal: different heads really differ.
    assert torch.any((attention.weights[0, 0] - attention.weights[0, 1]).abs() > 0.01)


# ── 4. masks ─────────────────────────────────────────────────────────────────


def test_padding_mask_hides_the_pad_keys(app: AppTest) -> None:
    type_text(app, "the cat sat")
    assert app.session_state["L"] == 3
    charts = set_controls(app, L=6, mask="padding")
    # The playground's own pad sentence replaces the generic "padded" notice, and says what the mask does.
    assert notices(app, "info") == []
    assert notices(app, "success") == [en("pg.pads.ignored", pads=3, L=6, pad="<pad>", mask="padding", n=3)]
    weights = charts["chart_weights"]
    assert weights.row_labels() == ["0 the", "1 cat", "2 sat", "3 <pad>", "4 <pad>", "5 <pad>"]
    expected_allowed = np.zeros((6, 6), dtype=bool)
    expected_allowed[:, :3] = True  # every query, pad rows included, sees keys 0..2 only
    assert (allowed_matrix(weights) == expected_allowed).all()
    assert (weights.matrix()[:, 3:] == 0.0).all()
    assert_rows_sum_to_one(weights)
    assert not notices(app, "warning")


def test_padding_mask_on_an_empty_sentence_masks_every_row_without_nan(app: AppTest) -> None:
    type_text(app, "")
    assert app.session_state["L"] == 1
    charts = set_controls(app, L=4, mask="padding")
    assert en("msg.empty") in notices(app, "warning")
    assert en("msg.fully_masked", rows="0, 1, 2, 3") in notices(app, "warning")
    weights = charts["chart_weights"]
    assert weights.cells["masked"].all()
    assert (weights.cells["value"] == 0.0).all()
    assert (weights.sums["sum"] == 0.0).all()
    assert (charts["chart_output"].cells["value"] == 0.0).all()
    assert charts["chart_overview"].cells["masked"].all()
    assert_all_finite(app)


def pad_sentence(at: AppTest, head: int = 0) -> str:
    """What the playground must say about its pads, computed here from core, as a browser session would."""
    text, seq_len = at.session_state["text"], at.session_state["L"]
    d_k, heads, seed = at.session_state["d_k"], at.session_state["heads"], at.session_state["seed"]
    words = tokenize(text)
    embeddings = embed_tokens(fit_to_length(words, seq_len), heads * d_k, seed)
    weights = self_attention(build_model(d_k, heads, seed), embeddings, None).attention.weights[0, head]
    on_pads = weights[: len(words), len(words) :]
    low, high = f"{float(on_pads.min()):.2f}", f"{float(on_pads.max()):.2f}"
    return en(
        "pg.pads.attended",
        pads=seq_len - len(words),
        L=seq_len,
        pad="<pad>",
        n=len(words),
        weight=low if low == high else f"{low}–{high}",
        share=float(on_pads.sum(dim=-1).mean()),
        head=head,
    )


def test_pads_beyond_the_sentence_are_said_with_their_weight_and_the_mask_is_offered(make_app) -> None:
    at = make_app(L=12)
    assert notices(at, "warning") == [pad_sentence(at)]
    assert notices(at, "warning")[0].startswith("2 of the 12 tokens are <pad>")
    assert notices(at, "info") == [] and notices(at, "success") == []
    at.button(key="pg_use_padding_mask").click().run()
    assert at.session_state["mask"] == "padding"
    assert notices(at, "warning") == []
    assert notices(at, "success") == [en("pg.pads.ignored", pads=2, L=12, pad="<pad>", mask="padding", n=10)]
    assert widget(at, "pg_use_padding_mask") is None
    assert (read_charts(at)["chart_weights"].matrix()[:, 10:] == 0).all()


def test_the_tutorials_long_padding_case_is_mostly_pads(make_app) -> None:
    at = make_app(L=64, heads=8, d_k=128)
    (said,) = notices(at, "warning")
    assert said == pad_sentence(at) and said.startswith("54 of the 64 tokens are <pad>")


def test_the_pad_sentence_follows_the_head_and_the_mask(make_app) -> None:
    at = make_app(L=12, head=1)
    assert notices(at, "warning") == [pad_sentence(at, head=1)]
    causal = make_app(L=12, mask="causal")  # later keys are hidden anyway: the pads get 0 without the padding mask
    assert notices(causal, "success") == [en("pg.pads.ignored", pads=2, L=12, pad="<pad>", mask="causal", n=10)]
    assert widget(causal, "pg_use_padding_mask") is None


def test_no_pads_no_pad_sentence(app: AppTest) -> None:
    assert notices(app, "warning") == [] and notices(app, "success") == []
    set_controls(app, mode="random", L=12)  # random tokens have no padding
    assert notices(app, "warning") == [] and notices(app, "success") == []


# ── 5. bad input ─────────────────────────────────────────────────────────────


def test_ten_thousand_characters_are_cut_with_a_notice(app: AppTest) -> None:
    text = "word " * 2000
    assert len(text) == 10_000
    charts = type_text(app, text)
    assert app.session_state["L"] == MAX_SEQ_LEN
    infos = notices(app, "info")
    assert en("msg.too_long_text", n=10_000, max=MAX_TEXT_CHARS) in infos
    assert en("msg.cut", n=len(tokenize(text[:MAX_TEXT_CHARS])), max=MAX_SEQ_LEN) in infos
    weights = charts["chart_weights"]
    assert len(weights.row_labels()) == MAX_SEQ_LEN
    assert len(weights.cells) == MAX_SEQ_LEN**2
    assert_rows_sum_to_one(weights)


def test_a_long_text_puts_only_what_is_read_into_the_link(app: AppTest) -> None:
    text = "word " * 2000  # 10,000 characters, of which 64 tokens are read
    type_text(app, text)
    linked = app.query_params["text"]
    linked = linked[0] if isinstance(linked, list) else linked
    assert tokenize(linked) == tokenize(text)[:MAX_SEQ_LEN]
    assert linked == text[: 5 * MAX_SEQ_LEN - 1]  # 319 characters instead of 10,000
    assert app.session_state["text"] == text  # the box keeps what was typed


def test_a_short_text_goes_into_the_link_whole(app: AppTest) -> None:
    type_text(app, "a cat sat  ")  # fewer than 64 tokens: nothing is cut, trailing spaces included
    linked = app.query_params["text"]
    assert (linked[0] if isinstance(linked, list) else linked) == "a cat sat  "


def test_an_emoji_family_and_a_flag_are_one_token_each(app: AppTest) -> None:
    charts = type_text(app, "👩‍👩‍👧‍👦 🇨🇳")
    assert app.session_state["L"] == 2
    assert charts["chart_weights"].row_labels() == ["0 👩‍👩‍👧‍👦", "1 🇨🇳"]


def test_emoji_are_tokens(app: AppTest) -> None:
    charts = type_text(app, "🙂🚀")
    assert app.session_state["L"] == 2
    assert charts["chart_weights"].row_labels() == ["0 🙂", "1 🚀"]
    assert_rows_sum_to_one(charts["chart_weights"])


def test_html_in_the_sentence_is_data_not_markup(app: AppTest) -> None:
    text = "<script>alert(1)</script>"
    charts = type_text(app, text)
    labels = charts["chart_weights"].row_labels()
    assert labels == [f"{i} {tok}" for i, tok in enumerate(tokenize(text))]
    assert labels[:3] == ["0 <", "1 script", "2 >"]
    assert page_has_unsafe_html(app) == []
    texts = [node.value for kind in ("markdown", "caption", "info", "warning", "header") for node in getattr(app, kind)]
    assert not any("<script" in t for t in texts), texts


def test_empty_sentence_warns_and_still_draws(app: AppTest) -> None:
    charts = type_text(app, "")
    assert notices(app, "warning") == [en("msg.empty")]
    assert app.session_state["L"] == 1
    weights = charts["chart_weights"]
    assert weights.row_labels() == ["0 <pad>"]
    assert weights.matrix().tolist() == [[pytest.approx(1.0, abs=1e-6)]]


def test_page_never_allows_raw_html(app: AppTest) -> None:
    assert page_has_unsafe_html(app) == []
    # The scanner does see the flag where it exists: the page's captions are markdown protos.
    assert any("allow_html" in c.proto.DESCRIPTOR.fields_by_name for c in app.caption)


# ── 6. no NaN or inf anywhere ────────────────────────────────────────────────


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([], id="defaults"),
        pytest.param([{"L": 64, "d_k": 128, "heads": 8, "qkv": True}], id="L64-dk128-heads8-qkv"),
        pytest.param([{"L": 1, "d_k": 1, "heads": 1}], id="L1-dk1-heads1"),
        pytest.param([{"text": ""}, {"mask": "padding"}], id="padding-empty-text"),
    ],
)
def test_every_chart_number_is_finite(app: AppTest, steps: list[dict]) -> None:
    for step in steps:
        set_controls(app, **step)
    charts = read_charts(app)
    for key, value in steps[0].items() if steps else ():
        if key in ("L", "d_k", "heads"):
            assert app.session_state[key] == value
    checked = assert_all_finite(app)
    if steps and steps[0].get("heads") == 8:
        assert len(charts["chart_overview"].cells) == 8 * 64 * 64
        assert charts["chart_output"].col_labels() == [str(i) for i in range(128)]
        assert checked > 8 * 64 * 64
    if steps and "text" in steps[0]:
        assert charts["chart_weights"].cells["masked"].all()
