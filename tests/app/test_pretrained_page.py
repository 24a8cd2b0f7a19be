"""The Pretrained model page: the numbers on screen are the model's, every control changes what is shown,
bad text gets a notice, and the proof of sameness is on screen."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from chart_data import chart_elements, click_heatmap, heatmap_payloads
from streamlit.testing.v1 import AppTest

from core.minilm import MAX_TOKENS, MiniLM, bundled_model_dir, summarize_heads
from tests.app.page_helpers import open_page, set_controls, tr, widget

PAGE = "pretrained"
TIRED = "The animal didn't cross the street because it was too tired"


# The page's run and the test's run are the same float32 forward pass, but the app runs torch on one thread and the
# test on the default count: matmuls blocked differently differ by up to ~2e-6 (1.4e-6 seen), never by 1e-5.
SAME = 1e-5


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return MiniLM(bundled_model_dir())


def charts(at: AppTest) -> dict[str, pd.DataFrame]:
    """The page's charts by their main dataset: grid, token, and the two "cells" heatmaps (one head, summary)."""
    found: dict[str, pd.DataFrame] = {}
    for element in chart_elements(at):
        names = [d.name for d in element.proto.datasets]
        frames = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
        if "grid" in names:
            found["grid"] = frames["grid"]
        elif "token" in names:
            found["token"] = frames["token"]
        else:
            spec = json.loads(element.proto.spec)
            name = "summary" if "one" in found else "one"
            found[name] = frames["cells"]
            found[f"{name}_title"] = spec["layer"][0]["title"]
    return found


def matrix(cells: pd.DataFrame) -> np.ndarray:
    return cells.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()


def test_defaults_show_the_models_own_weights(model: MiniLM) -> None:
    at = open_page(PAGE)
    run = model.run(model.encode(TIRED).ids)
    shown = charts(at)
    np.testing.assert_allclose(matrix(shown["one"]), run.attentions[3, 1].numpy(), atol=SAME)
    grid = shown["grid"].sort_values(["layer", "head", "row", "col"])["value"].to_numpy()
    np.testing.assert_allclose(grid, run.attentions.numpy().ravel(), atol=SAME)
    it = 10
    token = shown["token"].sort_values(["layer", "head", "col"])["value"].to_numpy()
    np.testing.assert_allclose(token, run.attentions[:, :, it, :].numpy().ravel(), atol=SAME)
    assert widget(at, "pt_token").value == it
    assert shown["one_title"] == tr("pt.one.title", layer=3, head=1)


def test_proof_of_sameness_is_on_screen_and_small() -> None:
    at = open_page(PAGE)
    metric = at.metric[0]
    assert metric.label == tr("pt.proof.metric")
    assert 0 <= float(metric.value) <= 1e-5


AGREEMENT = "The keys to the cabinet are on the table"


@pytest.mark.parametrize(
    ("key", "value", "changes"),
    [
        ("pt_layer", 0, "one"),
        ("pt_head", 2, "one"),
        ("pt_token", 2, "token"),
        ("pt_target", "previous", "summary"),
        ("pt_example", "agreement", "grid"),
    ],
)
def test_each_control_shows_the_models_numbers_for_its_new_value(
    model: MiniLM, key: str, value: object, changes: str
) -> None:
    at = set_controls(open_page(PAGE), **{key: value})
    encoding = model.encode(AGREEMENT if key == "pt_example" else TIRED)
    attentions = model.run(encoding.ids).attentions  # [layers, heads, L, L]
    shown = charts(at)[changes]
    if changes == "one":
        layer, head = (0, 1) if key == "pt_layer" else (3, 2)
        np.testing.assert_allclose(matrix(shown), attentions[layer, head].numpy(), atol=SAME)
    elif changes == "token":
        token = shown.sort_values(["layer", "head", "col"])["value"].to_numpy()
        np.testing.assert_allclose(token, attentions[:, :, 2, :].numpy().ravel(), atol=SAME)
    elif changes == "summary":
        shares = summarize_heads(attentions, encoding.tokens).shares[..., 3]  # "previous" is the fourth target
        np.testing.assert_allclose(matrix(shown), shares.numpy(), atol=SAME)
    else:
        grid = shown.sort_values(["layer", "head", "row", "col"])["value"].to_numpy()
        np.testing.assert_allclose(grid, attentions.numpy().ravel(), atol=SAME)


def test_layer_changes_the_proof_and_the_summary_marks_the_previous_token_head() -> None:
    at = open_page(PAGE, pt_layer=0, pt_target="previous")
    summary = charts(at)["summary"]
    best = summary.loc[summary["value"].idxmax()]
    assert (best["row"], best["col"]) == (0, 2)  # layer 0, head 2 looks at the previous token
    assert any(
        tr("pt.summary.strongest", target=tr("pt.target.previous"), layer=0, head=2, share=best["value"]) == m.value
        for m in at.markdown
    )


def test_pronoun_pair_is_revealed_after_a_prediction(model: MiniLM) -> None:
    at = open_page(PAGE)
    assert tr("pt.pair.header") in [h.value for h in at.subheader]
    question = widget(at, "predict_pt_it_it_tired_3_1")
    assert question.options == ["animal", "street", "because", "tired"] and question.value is None
    tables_before = len(at.table)
    tired = model.run(model.encode(TIRED).ids).attentions[3, 1, 10]
    weights = {word: float(tired[i]) for word, i in (("animal", 2), ("street", 8), ("because", 9), ("tired", 13))}
    answer = max(weights, key=weights.get)
    assert answer == "animal"  # 0.640 in this head: the page's claim, checked against the model
    set_controls(at, predict_pt_it_it_tired_3_1="street")
    assert [e.value for e in at.error] == [tr("predict.wrong", answer="animal")]
    assert len(at.table) == tables_before + 1
    table = at.table[-1].value
    assert table.iloc[0, 1] == f"{weights['animal']:.3f}" and table.iloc[0, 2] == f"{weights['street']:.3f}"
    set_controls(at, pt_example="chinese")
    assert tr("pt.pair.header") not in [h.value for h in at.subheader]


def test_custom_text_is_read_and_linked() -> None:
    at = open_page(PAGE, pt_example="custom", pt_text="Dogs bark")
    assert tr("pt.tokens", n=4, tokens=r"\[CLS\] · dogs · bark · \[SEP\]") in [m.value for m in at.markdown]
    assert at.query_params["pt_text"] == ["Dogs bark"] or at.query_params["pt_text"] == "Dogs bark"


def test_long_text_is_cut_with_a_notice() -> None:
    at = open_page(PAGE, pt_example="custom", pt_text="word " * 100)
    notice = tr("msg.pt.truncated", n=102, max=MAX_TOKENS, model_max=512, st_max=256)
    assert notice in [i.value for i in at.info]
    assert "the model is run on the first 64 only" in notice and "shows the first" not in notice
    assert matrix(charts(at)["one"]).shape == (MAX_TOKENS, MAX_TOKENS)


def test_unknown_chinese_characters_get_a_notice_in_chinese() -> None:
    at = open_page(PAGE, pt_example="custom", pt_text="小猫", lang="zh")
    unknown = tr("msg.pt.unknown", "zh", n=1, total=4, pieces="猫") + " " + tr("msg.pt.unknown.han", "zh", cjk=244)
    assert unknown in [i.value for i in at.info]


def test_an_unknown_emoji_is_named_and_chinese_is_not_blamed(model: MiniLM) -> None:
    at = open_page(PAGE, pt_example="custom", pt_text="I love 🍕 (pizza)")
    notices = [i.value for i in at.info]
    total = len(model.encode("I love 🍕 (pizza)").tokens)
    assert tr("msg.pt.unknown", n=1, total=total, pieces="🍕") in notices
    assert not any("Chinese" in notice for notice in notices)


def test_cls_and_sep_sentences_follow_the_shares(model: MiniLM) -> None:
    at = open_page(PAGE)  # the default sentence: some heads give [CLS] most of their attention, none does for [SEP]
    encoding = model.encode(TIRED)
    summary = summarize_heads(model.run(encoding.ids).attentions, encoding.tokens).shares
    cls, sep = summary[..., 0], summary[..., 1]
    markdown = [m.value for m in at.markdown]
    assert float(sep.max()) < 0.5 < float(cls.max())
    layer, head = divmod(int(sep.argmax()), sep.size(1))
    none = tr("pt.summary.special.none", target=tr("pt.target.sep"), share=float(sep.max()), layer=layer, head=head)
    assert none in markdown
    layer, head = divmod(int(cls.argmax()), cls.size(1))
    count = int((cls > 0.5).sum())
    many = tr(
        "pt.summary.special.many",
        count=count,
        total=72,
        target=tr("pt.target.cls"),
        share=float(cls.max()),
        layer=layer,
        head=head,
    )
    assert many in markdown


def test_token_choice_is_clamped_when_the_text_shrinks() -> None:
    at = open_page(PAGE, pt_example="custom", pt_text="one two three four five", pt_token=6)
    assert widget(at, "pt_token").value == 6
    set_controls(at, pt_text="one")
    assert widget(at, "pt_token").value == 2  # [CLS] one [SEP]
    assert len(charts(at)["token"]["col"].unique()) == 3


def test_markup_in_text_stays_text() -> None:
    at = open_page(PAGE, pt_example="custom", pt_text="<b>bold</b> *em* $x$")
    tokens_line = next(m.value for m in at.markdown if m.value.startswith(tr("pt.tokens", n=0, tokens="")[:10]))
    assert "<b>" not in tokens_line and r"\<" in tokens_line and r"\*" in tokens_line and r"\$" in tokens_line


def test_presenter_mode_leaves_out_the_explanations() -> None:
    intro = tr("pt.intro", layers=6, heads=12, d_model=384, d_k=32)
    assert intro in [c.value for c in open_page(PAGE).caption]
    presenting = open_page(PAGE, present=1)
    assert intro not in [c.value for c in presenting.caption]
    assert tr("pt.grid.caption") not in [c.value for c in presenting.caption]
    assert presenting.metric[0].label == tr("pt.proof.metric")  # the numbers stay


def click_head(at: AppTest, layer: int, head: int, heads: int = 12) -> AppTest:
    """What the browser sends for a click on the grid: the heatmap's ``click`` trigger, on a cell of the
    head's panel (panels run layer by layer, ``heads`` per row)."""
    return click_heatmap(at, {"panel": layer * heads + head, "row": 0, "col": 0})


def test_a_click_on_the_grid_shows_that_head_large(model: MiniLM) -> None:
    at = click_head(open_page(PAGE), 5, 11)
    assert (widget(at, "pt_layer").value, widget(at, "pt_head").value) == (5, 11)
    shown = charts(at)
    run = model.run(model.encode(TIRED).ids)
    np.testing.assert_allclose(matrix(shown["one"]), run.attentions[5, 11].numpy(), atol=SAME)
    (grid,) = [p for p in heatmap_payloads(at) if p["figure"] == "grid"]
    assert grid["selectedPanel"] == 5 * 12 + 11  # the chosen head is outlined


def test_a_click_off_the_heads_changes_nothing() -> None:
    at = click_heatmap(open_page(PAGE), {"panel": 72, "row": 0, "col": 0})
    at = click_heatmap(at, {"panel": -1, "row": 0, "col": 0})
    assert (widget(at, "pt_layer").value, widget(at, "pt_head").value) == (3, 1)
