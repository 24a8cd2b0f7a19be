"""The Inside-the-model page: the numbers drawn are the core's on the model's own runs, each control changes what
is shown, and every sentence follows the values (with its opposite case built by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import torch
from chart_data import chart_elements
from streamlit.testing.v1 import AppTest

from core.corpus import BANK_SENTENCES, corpus_sentences
from core.minilm import MiniLM, bundled_model_dir
from core.rollout import attention_rollout
from core.senses import SenseSeparation, sense_separation
from tests.app.page_helpers import open_page, set_controls, tr
from ui.inside_model_text import category_counts, rollout_sentence, senses_sentence

PAGE = "inside-model"
TIRED = "The animal didn't cross the street because it was too tired"


@pytest.fixture(scope="module")
def model() -> MiniLM:
    return MiniLM(bundled_model_dir())


def datasets(at: AppTest) -> dict[str, pd.DataFrame]:
    """Every chart's datasets by name; the two rollout heatmaps' cells as "cells0" and "cells1"."""
    found: dict[str, pd.DataFrame] = {}
    cells = 0
    for element in chart_elements(at):
        for d in element.proto.datasets:
            frame = pa.ipc.open_stream(d.data.data).read_all().to_pandas()
            if d.name == "cells":
                found[f"cells{cells}"] = frame
                cells += 1
            elif d.name in ("grid", "map", "senses"):
                found[d.name] = frame
    return found


def matrix(cells: pd.DataFrame) -> np.ndarray:
    return cells.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_defaults_draw_rollout_and_senses_from_the_models_runs(model: MiniLM) -> None:
    at = open_page(PAGE)
    shown = datasets(at)
    flow = attention_rollout(model.run(model.encode(TIRED).ids).attentions)
    np.testing.assert_allclose(matrix(shown["cells0"]), flow.raw[2].numpy(), atol=1e-6)
    np.testing.assert_allclose(matrix(shown["cells1"]), flow.rollout[2].numpy(), atol=1e-6)
    vectors = []
    for sentence, _ in BANK_SENTENCES:
        encoding = model.encode(sentence)
        vectors.append(model.run(encoding.ids).hidden_states[:, encoding.tokens.index("bank")])
    separation = sense_separation(torch.stack(vectors), tuple(sense for _, sense in BANK_SENTENCES))
    senses = shown["senses"]
    same = senses[senses["pairs"] == tr("im.sense.same")].sort_values("state")["cosine"].to_numpy()
    np.testing.assert_allclose(same, separation.same.numpy(), atol=1e-6)
    assert any(tr("im.counts", total=72, parts="")[:10] in text for text in markdown(at))
    assert len(shown["grid"]) == 72 and len(shown["map"]) == 72
    assert any("苹" in c.value and "[UNK]" in c.value for c in at.caption)


def test_grid_matches_a_plain_loop_over_the_corpus(model: MiniLM) -> None:
    # The corpus mean is a mean of per-sentence values: check the grid against a plain loop over the corpus.
    at = open_page(PAGE, im_measure="previous")
    grid = datasets(at)["grid"].sort_values(["layer", "head"])["value"].to_numpy().reshape(6, 12)
    total = np.zeros((6, 12))
    sentences = corpus_sentences()
    for sentence in sentences:
        a = model.run(model.encode(sentence).ids).attentions.numpy()
        length = a.shape[-1]
        total += sum(a[:, :, q, q - 1] for q in range(1, length)) / length
    np.testing.assert_allclose(grid, total / len(sentences), atol=1e-5)


def test_each_control_changes_what_is_shown() -> None:
    at = open_page(PAGE)
    before = datasets(at)
    set_controls(at, im_measure="entropy")
    after = datasets(at)
    assert not np.allclose(before["grid"]["value"], after["grid"]["value"])
    set_controls(at, im_layer=5)
    layer5 = datasets(at)
    assert not np.allclose(matrix(after["cells1"]), matrix(layer5["cells1"]))
    set_controls(at, im_example="bank")
    bank = datasets(at)
    assert matrix(bank["cells1"]).shape != matrix(layer5["cells1"]).shape


def test_chinese_page_uses_chinese_strings() -> None:
    at = open_page(PAGE, lang="zh")
    assert at.header[0].value == tr("im.title", "zh")


def test_category_counts_follow_the_categories() -> None:
    assert category_counts(["cls", "cls", "mixed"]) == tr(
        "im.counts",
        total=3,
        parts=", ".join(
            [
                tr("im.counts.part", n=2, name=tr("im.category.cls")),
                tr("im.counts.part", n=1, name=tr("im.category.mixed")),
            ]
        ),
    )
    assert tr("im.category.broad") in category_counts(["broad"])


def test_rollout_sentence_says_wider_or_narrower() -> None:
    uniform, peaked = torch.full((3, 3), 1 / 3), torch.eye(3)
    assert rollout_sentence(peaked, uniform, 1).startswith(tr("im.roll.wider", rollout=0, raw=0, count=2)[:30])
    assert rollout_sentence(uniform, peaked, 1).startswith(tr("im.roll.narrower", rollout=0, raw=0, count=2)[:30])


def separation(gap: list[float]) -> SenseSeparation:
    different = torch.full((len(gap),), 0.5)
    return SenseSeparation(same=different + torch.tensor(gap), different=different, same_pairs=1, different_pairs=1)


def test_senses_sentence_says_what_the_numbers_say() -> None:
    assert senses_sentence(separation([0.0, 0.1, 0.3, 0.2])) == tr(
        "im.sense.all", layers=3, best=2, layer=1, gap=0.3, start=0.0
    )
    assert senses_sentence(separation([0.1, -0.1, -0.2, -0.05])) == tr("im.sense.none", layers=3)
    assert senses_sentence(separation([0.0, -0.1, 0.2, 0.1])) == tr(
        "im.sense.some", count=2, layers=3, best=2, layer=1, gap=0.2
    )
