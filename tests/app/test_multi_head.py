"""AppTest tests of the multi-head lesson: the heads grid, the shape flow, the head distances and the
PyTorch parity check all show what ``core`` computes, and every control changes them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from chart_data import assert_chart_numbers_finite
from chart_data import charts_by_title as charts
from page_helpers import median_rerun_seconds, metrics, open_page, rerun, set_controls, tr, widget
from streamlit.testing.v1 import AppTest
from torch import nn

from core.head_diversity import head_diversity
from core.pipeline import build_mask, build_model, self_attention
from core.tokens import embed_tokens, fit_to_length, random_embeddings, tokenize
from ui.controls import DEFAULT_SENTENCES
from ui.navigation import PAGES

PAGE_URL = "multi-head"
EN_SENTENCE = DEFAULT_SENTENCES["en"]
EN_LABELS = [f"{i} {w}" for i, w in enumerate(EN_SENTENCE.split())]
STAGES = ("input", "qkv", "weights", "head_outputs", "concat", "output")


# ── driving the page ─────────────────────────────────────────────────────────


@pytest.fixture
def page() -> AppTest:
    return open_page(PAGE_URL)


def grid(at: AppTest, lang: str = "en") -> pd.DataFrame:
    return charts(at)[tr("mh.grid.title", lang)].datasets["grid"]


def grid_matrix(cells: pd.DataFrame, head: int, column: str = "value") -> np.ndarray:
    one = cells[cells["head"].astype(str) == f"{tr('axis.head')} {head}"]
    return one.pivot(index="row", columns="col", values=column).sort_index().sort_index(axis=1).to_numpy()


def flow(at: AppTest, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    chart = charts(at)[tr("mh.shapes.title", lang)]
    return chart.datasets["boxes"], chart.datasets["texts"]


def shape_texts(at: AppTest) -> list[str]:
    texts = flow(at)[1]
    return list(texts[texts["kind"] == "shape"].sort_values("y")["text"])


def texts_of(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def expected(at: AppTest):
    """Tokens, mask and our result for the page's current settings, computed here from core alone."""
    state = at.session_state
    L, d_k, heads, seed = state["L"], state["d_k"], state["heads"], state["seed"]
    if state["mode"] == "random":
        tokens, real_len = [f"t{i}" for i in range(L)], L
        embeddings = random_embeddings(L, heads * d_k, seed)
    else:
        words = tokenize(state["text"])
        tokens, real_len = fit_to_length(words, L), min(len(words), L)
        embeddings = embed_tokens(tokens, heads * d_k, seed)
    mask = build_mask(state["mask"], L, real_len=real_len, window=state["window"])
    model = build_model(d_k, heads, seed)
    return tokens, embeddings, mask, model, self_attention(model, embeddings, mask)


def torch_gaps(model, embeddings: torch.Tensor, mask: torch.Tensor | None, ours) -> tuple[float, float]:
    """Max |ours − PyTorch| for outputs and per-head weights, with PyTorch set up here, independently of the page."""
    d_model, heads = model.d_model, model.num_heads
    theirs = nn.MultiheadAttention(d_model, heads, bias=False, batch_first=True).eval()
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat([model.w_q.weight, model.w_k.weight, model.w_v.weight]))
        theirs.out_proj.weight.copy_(model.w_o.weight)
        x = embeddings.unsqueeze(0)
        output, weights = theirs(
            x, x, x, attn_mask=None if mask is None else ~mask, need_weights=True, average_attn_weights=False
        )
    return (
        (ours.output - output).abs().max().item(),
        (ours.attention.weights - weights).abs().max().item(),
    )


def assert_page_matches_core(at: AppTest) -> None:
    tokens, embeddings, mask, model, result = expected(at)
    heads, L = at.session_state["heads"], at.session_state["L"]
    cells = grid(at)
    assert len(cells) == heads * L * L
    labels = [f"{i} {tok}" for i, tok in enumerate(tokens)]
    assert list(dict.fromkeys(cells.sort_values(["row", "col"])["row_label"].astype(str)))[:L] == labels
    for h in range(heads):
        np.testing.assert_allclose(grid_matrix(cells, h), result.attention.weights[0, h].numpy(), atol=1e-6, rtol=0)
        np.testing.assert_array_equal(~grid_matrix(cells, h, "masked").astype(bool), result.attention.allowed[0, h])
    d_k, d_model = at.session_state["d_k"], heads * at.session_state["d_k"]
    assert shape_texts(at) == [
        f"[{L}, {d_model}]",
        f"[{heads}, {L}, {d_k}]",
        f"[{heads}, {L}, {L}]",
        f"[{heads}, {L}, {d_k}]",
        f"[{L}, {d_model}]",
        f"[{L}, {d_model}]",
    ]
    output_gap, weights_gap = torch_gaps(model, embeddings, mask, result)
    shown = metrics(at)
    shown_output, shown_weights = float(shown[tr("mh.parity.output")]), float(shown[tr("mh.parity.weights")])
    assert 0 <= shown_output <= 1e-5 and 0 <= shown_weights <= 1e-5
    # Same measurement, set up independently here; the last bits of float32 rounding may differ between runs.
    assert abs(shown_output - output_gap) <= 1e-6 and abs(shown_weights - weights_gap) <= 1e-6
    assert tr("mh.parity.pass") in texts_of(at, "success")


# ── 1. the default view ──────────────────────────────────────────────────────


def test_defaults_show_every_head_shapes_distances_and_parity(page: AppTest) -> None:
    assert at_defaults(page)
    assert list(charts(page)) == [tr("mh.grid.title"), tr("mh.shapes.title"), tr("mh.div.title.js")]
    assert_page_matches_core(page)
    cells = grid(page)
    assert list(cells["head"].cat.categories) == ["head 0", "head 1"]
    assert not cells["masked"].any()
    assert not texts_of(page, "warning") and not texts_of(page, "info")
    assert metrics(page)[tr("mh.parity.rows")] == "10 / 10"
    # The heads really differ on this sentence: some weight differs by more than 0.1.
    assert np.abs(grid_matrix(cells, 0) - grid_matrix(cells, 1)).max() > 0.1


def at_defaults(at: AppTest) -> bool:
    state = at.session_state
    return (state["text"], state["L"], state["d_k"], state["heads"], state["mask"], state["mh_metric"]) == (
        EN_SENTENCE,
        10,
        8,
        2,
        "none",
        "js",
    )


def test_shape_flow_is_drawn_to_scale(page: AppTest) -> None:
    set_controls(page, heads=4, d_k=3, L=6)
    boxes, texts = flow(page)
    width = (boxes["x2"] - boxes["x"]).round(6)
    height = (boxes["y2"] - boxes["y"]).round(6)
    names = [tr(f"mh.stage.{stage}") for stage in STAGES]
    assert list(texts[texts["kind"] == "name"].sort_values("y")["text"]) == names
    by_stage = {name: boxes[boxes["stage"] == name] for name in names}
    # Per-head stages hold one box per head, coloured by head; X and the output are one grey box.
    for stage in ("qkv", "weights", "head_outputs", "concat"):
        assert sorted(by_stage[tr(f"mh.stage.{stage}")]["head"]) == [0, 1, 2, 3]
    for stage in ("input", "output"):
        assert list(by_stage[tr(f"mh.stage.{stage}")]["head"]) == [-1]
    unit = width[by_stage[names[0]].index[0]] / 12  # X is [6, 12]: one entry = unit pixels, on both axes
    assert height[by_stage[names[0]].index[0]] == pytest.approx(6 * unit)
    assert np.allclose(width[by_stage[names[1]].index], 3 * unit)  # d_k = 3 columns per head
    assert np.allclose(width[by_stage[names[2]].index], 6 * unit)  # scores: L = 6 columns per head
    concat = by_stage[names[4]]
    assert concat["x"].min() == pytest.approx(by_stage[names[0]]["x"].min())  # the heads tile d_model exactly
    assert concat["x2"].max() == pytest.approx(by_stage[names[0]]["x2"].max())
    assert shape_texts(page) == ["[6, 12]", "[4, 6, 3]", "[4, 6, 6]", "[4, 6, 3]", "[6, 12]", "[6, 12]"]
    assert any("1 entry = " in text for text in texts_of(page, "caption"))


# ── 2. every control changes the page, and the page stays equal to core ──────


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([{"heads": 4}], id="heads-4"),
        pytest.param([{"d_k": 3}], id="d_k-3"),
        pytest.param([{"L": 5}], id="L-5"),
        pytest.param([{"text": "the cat sat on the mat"}], id="typed-text"),
        pytest.param([{"mask": "causal"}, {"heads": 3}], id="causal-3-heads"),
        pytest.param([{"mask": "sliding"}, {"window": 2}], id="sliding-window-2"),
        pytest.param([{"text": "a b c"}, {"L": 6, "mask": "padding"}], id="padding"),
        pytest.param([{"seed": 7}], id="seed-7"),
        pytest.param([{"mode": "random"}, {"L": 7}], id="random-tokens"),
    ],
)
def test_each_control_changes_the_page_and_it_matches_core(page: AppTest, steps: list[dict]) -> None:
    before = grid(page)
    for step in steps:
        set_controls(page, **step)
    assert_page_matches_core(page)
    after = grid(page)
    assert len(after) != len(before) or not np.allclose(after["value"], before["value"]), "the grid did not change"


def test_causal_mask_masks_the_future_in_every_head(page: AppTest) -> None:
    set_controls(page, mask="causal", heads=4)
    cells = grid(page)
    for h in range(4):
        assert (grid_matrix(cells, h, "masked").astype(bool) == ~np.tril(np.ones((10, 10), dtype=bool))).all()
    # Query 0 can only attend to itself, so every head's top key for it is token 0.
    table = page.dataframe[0].value
    assert list(table.iloc[0]) == ["0 The (1.00)"] * 4


def test_distance_metric_switch_shows_the_core_numbers(page: AppTest) -> None:
    *_, result = expected(page)
    diversity = head_diversity(result.attention.weights[0])
    js_chart = charts(page)[tr("mh.div.title.js")]
    np.testing.assert_allclose(js_chart.matrix(), diversity.js_bits.numpy(), atol=1e-9, rtol=0)
    distance = diversity.js_bits[0, 1].item()
    assert 0.01 < distance < 1  # distinct heads, not disjoint
    captions = texts_of(page, "caption")
    assert any(tr("mh.div.summary_pair", distance=distance) in c for c in captions)
    assert any(tr("mh.div.disagree", disagree=diversity.disagreeing_rows, live=10) in c for c in captions)

    set_controls(page, mh_metric="tv")
    tv_chart = charts(page)[tr("mh.div.title.tv")]
    assert tr("mh.div.title.js") not in charts(page)
    np.testing.assert_allclose(tv_chart.matrix(), diversity.total_variation.numpy(), atol=1e-9, rtol=0)
    assert not np.allclose(tv_chart.matrix(), js_chart.matrix())
    assert page.query_params["mh_metric"] == "tv"  # the link now reopens this view


def test_top_key_table_lists_each_heads_favourite_key(page: AppTest) -> None:
    set_controls(page, heads=3)
    *_, result = expected(page)
    weights = result.attention.weights[0]
    table = page.dataframe[0].value
    assert list(table.columns) == ["head 0", "head 1", "head 2"]
    assert list(table.index) == EN_LABELS
    for h in range(3):
        top = weights[h].argmax(dim=-1)
        assert list(table[f"head {h}"]) == [
            f"{EN_LABELS[int(k)]} ({weights[h, i, k].item():.2f})" for i, k in enumerate(top)
        ]
    diversity = head_diversity(weights)
    pairs = {(a, b): diversity.js_bits[a, b].item() for a in range(3) for b in range(a + 1, 3)}
    (near_a, near_b), (far_a, far_b) = min(pairs, key=pairs.get), max(pairs, key=pairs.get)
    summary = tr(
        "mh.div.summary",
        mean=sum(pairs.values()) / 3,
        near_a=near_a,
        near_b=near_b,
        near=pairs[(near_a, near_b)],
        far_a=far_a,
        far_b=far_b,
        far=pairs[(far_a, far_b)],
    )
    assert any(summary in c for c in texts_of(page, "caption"))


def test_one_head_explains_instead_of_comparing(page: AppTest) -> None:
    set_controls(page, heads=1)
    assert tr("mh.div.one_head") in texts_of(page, "info")
    assert list(charts(page)) == [tr("mh.grid.title"), tr("mh.shapes.title")]
    assert widget(page, "mh_metric") is None
    assert_page_matches_core(page)


# ── 3. fully masked rows: PyTorch's NaN is explained, never drawn ────────────


def test_empty_sentence_with_padding_mask_explains_nan_rows(page: AppTest) -> None:
    set_controls(page, text="")
    set_controls(page, L=4, mask="padding")
    assert tr("msg.empty") in texts_of(page, "warning")
    assert tr("mh.parity.nothing") in texts_of(page, "warning")
    assert tr("mh.parity.nan_rows", rows="0, 1, 2, 3", nan=4) in texts_of(page, "info")
    assert not page.metric  # nothing compared, so no difference is claimed
    assert grid(page)["masked"].all()
    assert_chart_numbers_finite(charts(page))


def test_padding_keeps_rows_comparable(page: AppTest) -> None:
    set_controls(page, text="the cat sat")
    set_controls(page, L=6, mask="padding")
    assert metrics(page)[tr("mh.parity.rows")] == "6 / 6"  # pad queries still see the real keys
    assert not any("NaN" in text for text in texts_of(page, "info"))
    assert_page_matches_core(page)


def test_largest_settings_stay_finite_and_fit(page: AppTest) -> None:
    set_controls(page, L=64, d_k=128, heads=8)
    assert len(grid(page)) == 8 * 64 * 64
    assert shape_texts(page)[0] == "[64, 1024]"
    boxes, _ = flow(page)
    assert boxes["x2"].max() <= 800  # the widest stage still fits the chart
    assert ((boxes["x2"] - boxes["x"]) >= 2).all() and ((boxes["y2"] - boxes["y"]) >= 2).all()
    assert_chart_numbers_finite(charts(page))
    assert tr("mh.parity.pass") in texts_of(page, "success")


# ── 4. language, links, safety ───────────────────────────────────────────────


def test_chinese_page_is_translated_and_uses_the_chinese_sentence() -> None:
    at = open_page(PAGE_URL, lang="zh")
    assert at.session_state["text"] == DEFAULT_SENTENCES["zh"]
    titles = list(charts(at))
    assert titles == [tr("mh.grid.title", "zh"), tr("mh.shapes.title", "zh"), tr("mh.div.title.js", "zh")]
    _, texts = flow(at, "zh")
    assert tr("mh.stage.qkv", "zh") in set(texts["text"])
    assert "[8, 16]" in set(texts["text"])  # 我在学习人工智能: 8 tokens
    assert tr("mh.parity.output", "zh") in metrics(at)
    assert tr("mh.parity.pass", "zh") in texts_of(at, "success")
    assert [h.value for h in at.header] == [tr("mh.title", "zh")]


def test_link_reopens_the_metric_and_ignores_a_bad_value() -> None:
    at = open_page(PAGE_URL, mh_metric="tv", heads=3)
    assert tr("mh.div.title.tv") in charts(at)
    bad = open_page(PAGE_URL, mh_metric="<b>x</b>")
    assert tr("msg.bad_param", name="mh_metric") in texts_of(bad, "warning")
    assert tr("mh.div.title.js") in charts(bad)


def test_html_in_the_sentence_stays_text(page: AppTest) -> None:
    set_controls(page, text="<img src=x onerror=alert(1)>")
    labels = set(grid(page)["row_label"].astype(str))
    assert "0 <" in labels
    for node in page.main:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            for flag in ("allow_html", "unsafe_allow_html"):
                assert not (flag in proto.DESCRIPTOR.fields_by_name and getattr(proto, flag)), node


def test_arriving_from_the_playground_keeps_the_shared_settings() -> None:
    """Widget ids include the page: without init_state's re-assignment the shared sliders would arrive at
    their minimum and the sentence empty."""
    at = rerun(open_page(PAGES[0].url_path, root=True).switch_page("app_pages/multi_head.py"))
    assert at.text_input(key="text").value == EN_SENTENCE
    assert at.slider(key="heads").value == 2
    assert not texts_of(at, "warning")


def test_measure_rerun_time_at_defaults(page: AppTest) -> None:
    median = median_rerun_seconds(page, "multi-head at defaults", runs=7)
    assert median < 1.0  # a generous bound: a regression to seconds is a bug, ms-level noise is not
