"""The tutorials' own examples, one click (or one link) each: the toy run on the Masks page shows both samples'
weights and Q, K, V and output as core computes them, and its shapes table reads back the tutorial's shapes; the
Multi-head page shows the toy run's and the base model's shapes, read off real tensors."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest
from chart_data import chart_elements
from page_helpers import open_page, set_controls, tr
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from core.tutorial_examples import toy_run


def charts_in_order(at: AppTest) -> list[tuple[str, dict]]:
    """Every chart's title and datasets (as DataFrames), in page order."""
    found = []
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or spec["layer"][0].get("title")
        title = title["text"] if isinstance(title, dict) else title
        datasets = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
        found.append(("".join(title) if isinstance(title, list) else title, datasets))
    return found


def charts_by_title(at: AppTest) -> dict[str, dict]:
    return dict(charts_in_order(at))


def matrix(cells) -> np.ndarray:
    return cells.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()


def shapes_read_back(at: AppTest, lang: str = "en") -> dict[str, str]:
    (table,) = at.table
    frame = table.value
    return dict(zip(frame[tr("example.tensor", lang)], frame[tr("example.shape", lang)], strict=True))


TUTORIAL_TOY_SHAPES = {
    "Q: queries": "[2, 2, 3, 4]",
    "K: keys": "[2, 2, 3, 4]",
    "V: values": "[2, 2, 3, 4]",
    "Mask (True = may attend)": "[2, 1, 1, 3]",
    "Weights": "[2, 2, 3, 3]",
    "Output": "[2, 2, 3, 4]",
}


def test_the_toy_run_link_shows_both_samples_as_core_computes_them() -> None:
    at = open_page("masks", masks_view="toy")
    run = toy_run(0)
    # weights per sample and head, Q/K/V/output per sample, the bars
    assert len(chart_elements(at)) == 2 * 2 + 2 * 4 + 1
    charts = charts_in_order(at)
    weights = [datasets["cells"] for title, datasets in charts if title.startswith("Weights, head")]
    for index, cells in enumerate(weights):  # sample 0's two heads, then sample 1's (its column comes first)
        b, h = divmod(index, 2)
        np.testing.assert_allclose(matrix(cells), run.attention.weights[b, h].numpy(), atol=1e-6)
        assert cells.loc[cells["col"] == 2, "masked"].all()  # the third key, in every sample and head
    by_title = dict(charts)
    for name, tensor in (
        ("Q: queries", run.q),
        ("K: keys", run.k),
        ("V: values", run.v),
        ("Output", run.attention.output),
    ):
        for b in range(2):
            cells = by_title[tr("masks.toy.tensor", name=name, n=b, rows=6, cols=4)]["cells"]
            np.testing.assert_allclose(matrix(cells), tensor[b].reshape(6, 4).numpy(), atol=1e-6)
    sums = run.attention.weights.sum(-1)
    assert tr("masks.toy.check", largest="0", low=float(sums.min()), high=float(sums.max())) in [
        c.value for c in at.caption
    ]


def test_the_toy_runs_shapes_table_reads_back_the_tutorials_shapes() -> None:
    at = open_page("masks", masks_view="toy")
    assert shapes_read_back(at) == TUTORIAL_TOY_SHAPES
    bars = charts_by_title(at)[tr("example.bars.title")]["bars"]
    assert bars.groupby("tensor")["value"].apply(list).to_dict() == {
        "Q: queries": [3, 4],
        "K: keys": [3, 4],
        "V: values": [3, 4],
        "Output": [3, 4],
    }  # length 3 (positions), width 4 (d_k = d_v)


def test_the_seed_changes_the_toy_runs_numbers_not_its_shapes() -> None:
    at = open_page("masks", masks_view="toy", seed=7)
    cells = [d["cells"] for title, d in charts_in_order(at) if title.startswith("Weights, head")][2]  # sample 1, head 0
    np.testing.assert_allclose(matrix(cells), toy_run(7).attention.weights[1, 0].numpy(), atol=1e-6)
    assert not np.allclose(matrix(cells), toy_run(0).attention.weights[1, 0].numpy())
    assert shapes_read_back(at) == TUTORIAL_TOY_SHAPES


def test_the_toy_run_in_chinese() -> None:
    at = open_page("masks", masks_view="toy", lang="zh")
    assert shapes_read_back(at, "zh")[tr("example.name.weights", "zh")] == "[2, 2, 3, 3]"
    assert tr("masks.toy.sample", "zh", n=1) in [m.value.strip("*") for m in at.markdown]


def test_the_toy_run_leads_to_the_base_model_on_the_multi_head_page() -> None:
    at = open_page("masks", masks_view="toy")
    at.button(key="masks_toy_base").click().run()
    assert not at.exception
    assert at._finished_page_script_hash == calc_hash("multi-head")
    assert at.session_state["mh_example"] == "base"


BASE_SHAPES = {
    "Embedding table": "[10, 512]",
    "X: the embedded tokens": "[1, 512, 512]",
    "Q: queries": "[1, 8, 512, 64]",
    "K: keys": "[1, 8, 512, 64]",
    "V: values": "[1, 8, 512, 64]",
    "Weights": "[1, 8, 512, 512]",
    "Head outputs": "[1, 8, 512, 64]",
    "Concat": "[1, 512, 512]",
    "Output": "[1, 512, 512]",
}


def test_the_base_model_link_shows_its_shapes_and_says_them() -> None:
    at = open_page("multi-head", mh_example="base")
    assert shapes_read_back(at) == BASE_SHAPES
    said = tr(
        "mh.example.base.said",
        vocab=10,
        d_model=512,
        seq=512,
        x="[1, 512, 512]",
        heads=8,
        d_k=64,
        q="[1, 8, 512, 64]",
        weights="[1, 8, 512, 512]",
        entries=8 * 512 * 512,
        concat="[1, 512, 512]",
    )
    assert said in [m.value for m in at.markdown]
    assert "2,097,152 weights" in said
    bars = charts_by_title(at)[tr("example.bars.title")]["bars"]
    assert bars.groupby("tensor")["value"].apply(list).to_dict() == {
        "Q: queries": [512, 64],
        "K: keys": [512, 64],
        "V: values": [512, 64],
        "Output": [512, 512],
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_toy_example_on_the_multi_head_page(lang: str) -> None:
    at = open_page("multi-head", mh_example="toy", lang=lang)
    shapes = shapes_read_back(at, lang)
    assert shapes[tr("example.name.q", lang)] == "[2, 2, 3, 4]"
    assert shapes[tr("example.name.output", lang)] == "[2, 2, 3, 4]"
    said = tr(
        "mh.example.toy.said",
        lang,
        q="[2, 2, 3, 4]",
        batch=2,
        heads=2,
        seq=3,
        d_k=4,
        weights="[2, 2, 3, 3]",
        output="[2, 2, 3, 4]",
    )
    assert said in [m.value for m in at.markdown]


def test_no_example_chosen_shows_only_the_choice() -> None:
    at = open_page("multi-head")
    assert at.session_state["mh_example"] is None
    assert not at.table
    assert tr("mh.example.hint") in [c.value for c in at.caption] + [m.value for m in at.markdown]
    set_controls(at, mh_example="toy")
    assert shapes_read_back(at)["Weights"] == "[2, 2, 3, 3]"
    assert at.query_params["mh_example"] in ("toy", ["toy"])
