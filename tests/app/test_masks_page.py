"""AppTest tests of the Masks lesson: every part and control changes what is shown, and the numbers on the page
are the ones ``core`` computes (recomputed here from the same settings)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import torch
from chart_data import cells_matrix as matrix
from chart_data import chart_elements
from page_helpers import median_rerun_seconds, metrics, open_page, rerun, tr
from streamlit.testing.v1 import AppTest

from core.mask_effects import compare_conventions, compare_fills
from core.masks import (
    block_mask,
    causal_mask,
    global_tokens_mask,
    mask_to_code,
    sliding_window_mask,
    strided_mask,
    summarize_mask,
)
from core.pipeline import build_model, self_attention
from core.tokens import embed_tokens, fit_to_length, random_embeddings, tokenize
from ui.controls import DEFAULT_SENTENCES

PAGE = "masks"
EN_SENTENCE = DEFAULT_SENTENCES["en"]
ZH_SENTENCE = DEFAULT_SENTENCES["zh"]
L_EN = 10


# ── driving the app ──────────────────────────────────────────────────────────


def open_masks(**query: object) -> AppTest:
    """A new session whose first request is /masks?<query> (one run, so Chinese runs need no second run)."""
    return open_page(PAGE, **query)


def charts(at: AppTest) -> dict[str, dict[str, pd.DataFrame]]:
    """Chart title → its datasets (``cells``, and ``sums`` for weights)."""
    found = {}
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or spec["layer"][0]["title"]
        assert title not in found, f"two charts titled {title!r}"
        found[title] = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
    return found


def allowed_of(cells: pd.DataFrame) -> np.ndarray:
    return ~matrix(cells, "masked").astype(bool)


def texts(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def table(at: AppTest) -> pd.DataFrame:
    frames = at.get("dataframe") + at.get("table")
    assert len(frames) == 1, f"expected one table, found {len(frames)}"
    return frames[0].value


def assert_all_finite(at: AppTest) -> None:
    checked = 0
    for title, datasets in charts(at).items():
        for name, df in datasets.items():
            numbers = df.select_dtypes(include="number").to_numpy(dtype=np.float64)
            assert np.isfinite(numbers).all(), f"{title}/{name}: non-finite numbers"
            checked += numbers.size
            if {"masked", "value"} <= set(df.columns):
                assert (df.loc[df["masked"], "value"] == 0).all(), f"{title}: a masked cell is not 0"
    assert checked


# ── what core computes for the same settings ─────────────────────────────────


def attention(mask: torch.Tensor | None, *, text: str = EN_SENTENCE, length: int = L_EN, d_k=8, heads=2, seed=0):
    tokens = fit_to_length(tokenize(text), length)
    embeddings = embed_tokens(tokens, heads * d_k, seed)
    return self_attention(build_model(d_k, heads, seed), embeddings, mask).attention


def pattern_charts(at: AppTest, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    found = charts(at)
    assert list(found) == [tr("chart.mask", lang), tr("chart.scaled", lang), tr("chart.weights", lang)]
    return (
        found[tr("chart.mask", lang)]["cells"],
        found[tr("chart.scaled", lang)]["cells"],
        found[tr("chart.weights", lang)]["cells"],
    )


# ── 1. mask patterns ─────────────────────────────────────────────────────────


def test_default_is_the_causal_pattern_with_core_numbers(default_app: AppTest) -> None:
    at = default_app
    assert at.header[0].value == tr("masks.title")
    mask_cells, score_cells, weight_cells = pattern_charts(at)
    causal = causal_mask(L_EN)
    assert (allowed_of(mask_cells) == causal.numpy()).all()
    assert list(dict.fromkeys(mask_cells.sort_values("row")["row_label"])) == [
        f"{i} {w}" for i, w in enumerate(tokenize(EN_SENTENCE))
    ]
    expected = attention(causal)
    scaled = expected.scaled[0, 0].numpy()
    weights = expected.weights[0, 0].numpy()
    assert np.allclose(matrix(score_cells)[causal.numpy()], scaled[causal.numpy()], atol=1e-6)
    assert np.allclose(matrix(weight_cells), weights, atol=1e-6)
    assert (matrix(weight_cells)[~causal.numpy()] == 0).all()  # exactly 0, not small
    assert np.allclose(matrix(weight_cells).sum(axis=1), 1.0, atol=1e-6)
    assert any(
        tr("masks.stats", allowed=55, total=100, share=0.55) in c
        and "largest weight any head gives a masked key is 0." in c
        for c in texts(at, "caption")
    )
    assert not texts(at, "warning")
    assert_all_finite(at)


def test_count_table_matches_core_for_every_kind(default_app: AppTest) -> None:
    df = table(default_app)
    expected = {
        "none": L_EN * L_EN,
        "causal": 55,
        "sliding window": summarize_mask(sliding_window_mask(L_EN, 1)).allowed,
        "block": summarize_mask(block_mask(L_EN, 3)).allowed,
        "strided": summarize_mask(strided_mask(L_EN, 3)).allowed,
        "global tokens": summarize_mask(sliding_window_mask(L_EN, 1) | global_tokens_mask(L_EN, [0])).allowed,
        "custom": 55,
    }
    shown = dict(zip(df[tr("masks.table.kind")], df[tr("masks.table.allowed")], strict=True))
    assert shown == expected
    assert (df[tr("masks.table.total")] == 100).all()
    assert (df[tr("masks.table.empty_rows")] == 0).all()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"masks_kind": "sliding"}, sliding_window_mask(L_EN, 1)),
        ({"masks_kind": "sliding", "masks_window": 3}, sliding_window_mask(L_EN, 3)),
        ({"masks_kind": "block"}, block_mask(L_EN, 3)),
        ({"masks_kind": "block", "masks_block": 5}, block_mask(L_EN, 5)),
        ({"masks_kind": "strided"}, strided_mask(L_EN, 3)),
        ({"masks_kind": "strided", "masks_stride": 2}, strided_mask(L_EN, 2)),
        ({"masks_kind": "global"}, sliding_window_mask(L_EN, 1) | global_tokens_mask(L_EN, [0])),
        (
            {"masks_kind": "global", "masks_global": "0, 7", "masks_window": 0},
            sliding_window_mask(L_EN, 0) | global_tokens_mask(L_EN, [0, 7]),
        ),
    ],
    ids=["sliding", "window3", "block", "block5", "strided", "stride2", "global", "global07"],
)
def test_each_kind_and_parameter_changes_the_mask(state: dict, expected: torch.Tensor) -> None:
    at = rerun(open_masks(), **state)
    mask_cells, _, weight_cells = pattern_charts(at)
    assert (allowed_of(mask_cells) == expected.numpy()).all()
    assert (allowed_of(weight_cells) == expected.numpy()).all()
    core = attention(expected)
    assert np.allclose(matrix(weight_cells), core.weights[0, 0].numpy(), atol=1e-6)
    summary = summarize_mask(expected)
    assert any(
        tr("masks.stats", allowed=summary.allowed, total=100, share=summary.share) in c for c in texts(at, "caption")
    )
    assert_all_finite(at)


def test_bad_global_positions_get_a_translated_message_and_the_usable_ones_are_kept() -> None:
    at = rerun(open_masks(), masks_kind="global", masks_global="3, x, 99")
    assert texts(at, "warning") == [tr("masks.global.bad", max=L_EN - 1, used="3")]
    mask_cells, _, _ = pattern_charts(at)
    assert (allowed_of(mask_cells) == (sliding_window_mask(L_EN, 1) | global_tokens_mask(L_EN, [3])).numpy()).all()


def test_head_selector_shows_the_other_head() -> None:
    at = rerun(open_masks(), head=1)
    _, _, weight_cells = pattern_charts(at)
    core = attention(causal_mask(L_EN)).weights[0]
    assert np.allclose(matrix(weight_cells), core[1].numpy(), atol=1e-6)
    assert not np.allclose(matrix(weight_cells), core[0].numpy(), atol=1e-3)


def test_sequence_length_and_random_tokens_change_the_pattern() -> None:
    at = rerun(open_masks(), L=5)
    mask_cells, _, weight_cells = pattern_charts(at)
    assert mask_cells["row"].max() == 4
    assert np.allclose(matrix(weight_cells), attention(causal_mask(5), length=5).weights[0, 0].numpy(), atol=1e-6)

    at = open_masks(mode="random", L=6, seed=3)
    _, _, weight_cells = pattern_charts(at)
    assert weight_cells["row_label"].iloc[0] == "0 t0"
    emb = random_embeddings(6, 16, 3)
    core = self_attention(build_model(8, 2, 3), emb, causal_mask(6)).attention
    assert np.allclose(matrix(weight_cells), core.weights[0, 0].numpy(), atol=1e-6)


# ── 2. custom grid ───────────────────────────────────────────────────────────


def test_custom_grid_edits_drive_the_charts_and_the_link() -> None:
    at = rerun(open_masks(), masks_kind="custom")
    assert len(at.get("dataframe")) == 2  # the editor and the count table
    labels = [f"{i} {w}" for i, w in enumerate(tokenize(EN_SENTENCE))]
    edits = {0: {labels[1]: True}, 3: {labels[j]: False for j in range(4)}}
    at = rerun(at, masks_grid_0={"edited_rows": edits, "added_rows": [], "deleted_rows": []})
    expected = causal_mask(L_EN).clone()
    expected[0, 1] = True
    expected[3] = False
    mask_cells, _, weight_cells = pattern_charts(at)
    assert (allowed_of(mask_cells) == expected.numpy()).all()
    weights = matrix(weight_cells)
    assert (weights[3] == 0).all()  # the fully masked row: 0, not NaN
    assert np.allclose(weights, attention(expected).weights[0, 0].numpy(), atol=1e-6)
    assert texts(at, "warning") == [tr("msg.fully_masked", rows="3")]
    assert at.session_state["masks_cells"] == mask_to_code(expected)
    assert at.query_params["masks_cells"] == mask_to_code(expected)
    assert_all_finite(at)


def test_custom_grid_survives_leaving_the_kind_and_follows_the_sequence_length() -> None:
    at = rerun(open_masks(), masks_kind="custom")
    labels = [f"{i} {w}" for i, w in enumerate(tokenize(EN_SENTENCE))]
    at = rerun(at, masks_grid_0={"edited_rows": {1: {labels[1]: False}}, "added_rows": [], "deleted_rows": []})
    edited = causal_mask(L_EN).clone()
    edited[1, 1] = False
    at = rerun(at, masks_kind="block")
    at = rerun(at, masks_kind="custom")  # a new editor, started from the stored grid
    mask_cells, _, _ = pattern_charts(at)
    assert (allowed_of(mask_cells) == edited.numpy()).all()
    at = rerun(at, L=6)  # the top-left 6 × 6 of the grid is kept
    mask_cells, _, _ = pattern_charts(at)
    assert (allowed_of(mask_cells) == edited[:6, :6].numpy()).all()
    at = rerun(at, L=12)  # new rows and columns follow the causal pattern
    grown = causal_mask(12)
    grown[1, 1] = False
    assert (allowed_of(pattern_charts(at)[0]) == grown.numpy()).all()


@pytest.mark.parametrize("pattern", ["none", "all", "causal"])
def test_custom_reset_buttons(pattern: str) -> None:
    at = rerun(open_masks(), masks_kind="custom")
    at.button(key=f"masks_reset_{pattern}").click().run()
    assert not at.exception
    mask_cells, _, _ = pattern_charts(at)
    allowed = allowed_of(mask_cells)
    if pattern == "none":
        assert not allowed.any()
        assert texts(at, "warning") == [tr("msg.fully_masked", rows=", ".join(map(str, range(L_EN))))]
    elif pattern == "all":
        assert allowed.all() and not texts(at, "warning")
    else:
        assert (allowed == causal_mask(L_EN).numpy()).all()
        assert "masks_cells" not in at.query_params  # the default stays out of the link


def test_custom_grid_from_a_link_and_a_broken_link() -> None:
    grid = torch.zeros(4, 4, dtype=torch.bool)
    grid[:, 0] = True
    at = open_masks(masks_kind="custom", masks_cells=mask_to_code(grid), L=4)
    mask_cells, _, _ = pattern_charts(at)
    assert (allowed_of(mask_cells) == grid.numpy()).all()

    at = open_masks(masks_kind="custom", masks_cells="1x.01")
    assert texts(at, "warning") == [tr("masks.custom.bad_code")]
    mask_cells, _, _ = pattern_charts(at)
    assert (allowed_of(mask_cells) == causal_mask(L_EN).numpy()).all()


def test_custom_grid_is_cut_to_twelve_tokens() -> None:
    at = open_masks(masks_kind="custom", L=20)
    assert tr("masks.custom.cut", max=12) in texts(at, "info")
    mask_cells, _, _ = pattern_charts(at)
    assert mask_cells["row"].max() == 11


# ── 3. padding a batch ───────────────────────────────────────────────────────


def padding_expectations(use_mask: bool):
    from core.mask_effects import attend_padded_batch

    model = build_model(8, 2, 0)
    sentences = [tokenize(EN_SENTENCE), tokenize("Masks hide keys"), tokenize("Padding fills the shorter sentences")]
    embeddings = [embed_tokens(s, 16, 0) for s in sentences]
    return sentences, attend_padded_batch(model, embeddings, use_mask=use_mask)


def test_padding_view_with_and_without_the_mask() -> None:
    at = open_masks(masks_view="padding")
    sentences, batch = padding_expectations(True)
    found = charts(at)
    names = [tr("masks.padding.sentence", n=b + 1, length=len(s)) for b, s in enumerate(sentences)]
    assert list(found) == [tr("masks.padding.mask_chart"), *names]
    assert (allowed_of(found[tr("masks.padding.mask_chart")]["cells"]) == batch.key_mask[:, 0, 0].numpy()).all()
    short = found[names[1]]["cells"]  # 3 real tokens padded to 10
    assert (allowed_of(short) == np.broadcast_to(np.arange(10) < 3, (10, 10))).all()
    assert np.allclose(matrix(short), batch.result.attention.weights[1, 0].numpy(), atol=1e-6)
    assert (matrix(short)[:, 3:] == 0).all()
    shown = metrics(at)
    assert shown[tr("masks.padding.pad_weight")] == "0"
    assert float(shown[tr("masks.padding.diff")]) < 1e-5
    assert texts(at, "success") == [tr("masks.padding.with_mask", pad="<pad>")]

    at = rerun(at, masks_pad_mask=False)
    _, unmasked = padding_expectations(False)
    short = charts(at)[names[1]]["cells"]
    assert not short["masked"].any()  # nothing hides the <pad> keys now
    assert (matrix(short)[:3, 3:] > 0).all()
    assert np.allclose(matrix(short), unmasked.result.attention.weights[1, 0].numpy(), atol=1e-6)
    shown = metrics(at)
    assert float(shown[tr("masks.padding.pad_weight")]) == pytest.approx(unmasked.max_pad_weight, rel=1e-2)
    assert float(shown[tr("masks.padding.diff")]) == pytest.approx(unmasked.max_diff_real, rel=1e-2)
    assert texts(at, "warning") == [tr("masks.padding.without_mask", pad="<pad>")]


def test_padding_view_with_an_empty_sentence() -> None:
    at = open_masks(masks_view="padding", text="   ")
    assert tr("masks.padding.empty", sentences="1") in texts(at, "warning")
    assert_all_finite(at)


# ── 4. −∞ or −1e9 ────────────────────────────────────────────────────────────


def test_fill_table_matches_core_and_the_score_size_changes_it() -> None:
    at = open_masks(masks_view="fill")
    df = table(at)
    assert len(df) == 6
    fills = df[tr("masks.fill.col.fill")].tolist()
    assert fills == ["−∞", "−∞", "−1e9", "−1e9", "−1e4", "−1e4"]
    assert df[tr("masks.fill.col.stored")].tolist() == ["−∞", "−∞", "−1e9", "−∞", "−1e4", "−1e4"]
    assert df[tr("masks.fill.col.masked_fill")].tolist().count(tr("masks.fill.error")) == 1
    fully = df[tr("masks.fill.col.fully")].tolist()
    assert fully[0] == tr("masks.fill.row.nan") and fully[3] == tr("masks.fill.row.nan")
    assert fully[2] == tr("masks.fill.row.uniform", n=L_EN, w=0.1)
    assert (df[tr("masks.fill.col.add")] == "0").all()
    assert any("value cannot be converted to type c10::Half without overflow" in c for c in texts(at, "caption"))
    # finfo(float16).min used additively: the page computes where it overflows and the NaN row it brings back.
    minimum = tr(
        "masks.fill.half_min",
        fill="−65504",
        low="−15",
        high="−16",
        low_sum="−65504",
        high_sum="−∞",
        scores="(−16, −30)",
        sums="(−∞, −∞)",
        weights="(NaN, NaN)",
        kind=tr("masks.fill.row.nan"),
    )
    assert minimum in texts(at, "markdown")

    at = rerun(at, masks_scale="10000")
    df = table(at)
    core = compare_fills(attention(causal_mask(L_EN)).scaled[0, 0], causal_mask(L_EN), score_scale=10000.0)
    added = df[tr("masks.fill.col.add")].tolist()
    assert added[4] == (f"{core[4].add_leak:.3g}" if core[4].add_leak else "0")
    assert core[4].add_leak > 0.5 and core[5].add_leak > 0.5  # this sentence's scores do break −1e4
    assert added[:4] == ["0"] * 4
    assert len(texts(at, "warning")) == 1 and "−1e4 is not enough" in texts(at, "warning")[0]


# ── 5. conventions ───────────────────────────────────────────────────────────


def test_conventions_same_weights_when_inverted_and_not_when_shared() -> None:
    at = open_masks(masks_view="convention")
    found = charts(at)
    titles = [tr(f"masks.convention.{n}") for n in ("sdpa", "mha_inverted", "mha_same")]
    assert list(found) == titles
    causal = causal_mask(L_EN).numpy()
    sdpa, inverted, same = (found[t]["cells"] for t in titles)
    assert (allowed_of(sdpa) == causal).all() and (allowed_of(inverted) == causal).all()
    assert (allowed_of(same) == ~causal).all()  # the same tensor hides what we allowed
    assert np.allclose(matrix(sdpa), matrix(inverted), atol=1e-6)
    assert np.allclose(found[titles[0]]["sums"]["sum"], 1.0, atol=1e-6)
    assert "sums" not in found[titles[2]]  # a NaN row has no sum to show

    tokens = tokenize(EN_SENTENCE)
    demo = compare_conventions(build_model(8, 2, 0), embed_tokens(tokens, 16, 0), causal_mask(L_EN))
    assert np.allclose(matrix(sdpa), demo.sdpa[0].numpy(), atol=1e-6)
    shown = metrics(at)
    assert float(shown[tr("masks.convention.diff_right")]) < 1e-5
    assert float(shown[tr("masks.convention.diff_wrong")]) == pytest.approx(demo.sdpa_vs_mha_same, rel=1e-2)
    assert float(shown[tr("masks.convention.diff_wrong")]) > 0.1
    assert texts(at, "warning") == [tr("masks.convention.nan_same", n=1)]  # the last causal row is all True
    assert_all_finite(at)

    at = rerun(at, masks_kind="block")  # the pattern controls work here too
    found = charts(at)
    assert (allowed_of(found[titles[0]]["cells"]) == block_mask(L_EN, 3).numpy()).all()
    assert (allowed_of(found[titles[2]]["cells"]) == ~block_mask(L_EN, 3).numpy()).all()


# ── 6. Chinese, links, speed ─────────────────────────────────────────────────


@pytest.mark.parametrize("view", ["patterns", "padding", "fill", "convention"])
def test_every_part_in_chinese(view: str) -> None:
    at = open_masks(lang="zh", masks_view=view)
    assert at.header[0].value == tr("masks.title", "zh")
    if view == "patterns":
        mask_cells, _, _ = pattern_charts(at, "zh")
        assert mask_cells["row_label"].iloc[0] == "0 我"
        assert table(at)[tr("masks.table.kind", "zh")].tolist()[1] == tr("masks.kind.causal", "zh")
    elif view == "padding":
        assert tr("masks.padding.mask_chart", "zh") in charts(at)
    elif view == "fill":
        assert tr("masks.fill.col.fill", "zh") in table(at).columns
    else:
        assert tr("masks.convention.sdpa", "zh") in charts(at)
    if view != "fill":
        assert_all_finite(at)


def test_page_controls_are_in_the_link() -> None:
    at = open_masks(masks_view="fill", masks_scale="100", masks_kind="strided", masks_stride="4")
    assert at.session_state["masks_scale"] == "100" and at.session_state["masks_stride"] == 4
    assert dict(at.query_params) == {
        "masks_view": "fill",
        "masks_scale": "100",
        "masks_kind": "strided",
        "masks_stride": "4",
    }
    at = open_masks(masks_block="999", masks_view="nonsense")
    assert at.session_state["masks_block"] == 64 and at.session_state["masks_view"] == "patterns"
    assert sorted(texts(at, "warning")) == sorted(
        [tr("msg.clamped_param", name="masks_block", value=64), tr("msg.bad_param", name="masks_view")]
    )


def test_rerun_time_at_defaults(default_app: AppTest) -> None:
    median = median_rerun_seconds(default_app, "masks at defaults")
    assert median < 0.25
