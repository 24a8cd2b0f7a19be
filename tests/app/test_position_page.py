"""AppTest tests of the Position lesson: the shuffle, the equivariance check with and without the sinusoidal
encoding, and the encoding's pictures, each against ``core`` recomputed here from the same settings."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from chart_data import cells_matrix as matrix
from chart_data import chart_elements
from page_helpers import median_rerun_seconds, open_page, rerun, tr
from streamlit.testing.v1 import AppTest

from core.pipeline import build_model
from core.position import check_permutation, encoding_similarity, shuffle_order, sinusoidal_encoding
from core.tokens import embed_tokens, fit_to_length, random_embeddings, tokenize
from ui.controls import DEFAULT_SENTENCES

PAGE = "position"
EN_SENTENCE = DEFAULT_SENTENCES["en"]
L_EN = 10
CHARTS = ("after", "before", "diff", "pe", "similarity")


def open_position(**query: object) -> AppTest:
    """A new session whose first request is /position?<query>."""
    return open_page(PAGE, **query)


def charts(at: AppTest, lang: str = "en") -> dict[str, tuple[pd.DataFrame, dict]]:
    """Chart name (position.chart.<name>) → (cells, spec), checked to be in page order."""
    by_title = {tr(f"position.chart.{name}", lang): name for name in CHARTS}
    found = {}
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec["layer"][0]["title"]
        cells = pa.ipc.open_stream(element.proto.datasets[0].data.data).read_all().to_pandas()
        found[by_title[title]] = (cells, spec)
    assert list(found) == list(CHARTS)
    for cells, _ in found.values():
        assert np.isfinite(cells["value"]).all()
    return found


def metrics(at: AppTest) -> dict[str, float]:
    return {m.label: float(m.value) for m in at.metric}


def expected(add_position: bool, *, shuffle: int = 1, text: str = EN_SENTENCE, length=L_EN, d_k=8, heads=2, seed=0):
    embeddings = embed_tokens(fit_to_length(tokenize(text), length), heads * d_k, seed)
    order = shuffle_order(length, shuffle)
    return check_permutation(build_model(d_k, heads, seed), embeddings, order, add_position=add_position)


def test_default_shows_equivariance_with_core_numbers(default_app: AppTest) -> None:
    at = default_app
    assert at.header[0].value == tr("position.title")
    check = expected(False)
    found = charts(at)
    after, before, diff = (matrix(found[name][0]) for name in ("after", "before", "diff"))
    assert np.allclose(after, check.attend_then_shuffle.numpy(), atol=1e-6)
    assert np.allclose(before, check.shuffle_then_attend.numpy(), atol=1e-6)
    assert np.abs(diff).max() < 1e-5
    tokens = tokenize(EN_SENTENCE)
    shuffled = [tokens[i] for i in check.order.tolist()]
    assert list(dict.fromkeys(found["before"][0].sort_values("row")["row_label"])) == [
        f"{i} {w}" for i, w in enumerate(shuffled)
    ]
    order_table = at.get("dataframe")[0].value
    assert order_table.loc[tr("position.table.shuffled")].tolist() == shuffled
    assert order_table.loc[tr("position.table.from")].tolist() == [str(i) for i in check.order.tolist()]
    shown = metrics(at)
    assert shown[tr("position.metric.output")] < 1e-5
    assert shown[tr("position.metric.output")] == pytest.approx(check.max_output_diff, abs=1e-7)
    assert [s.value for s in at.success] == [tr("position.equivariant", diff=shown[tr("position.metric.output")])]
    assert not at.warning
    # The three compared charts share one colour scale, so rounding noise in the difference stays pale.
    extents = {json.dumps(found[name][1]["params"]) for name in ("after", "before", "diff")}
    assert len(extents) == 1


def test_position_encoding_breaks_equivariance() -> None:
    at = rerun(open_position(), position_add=True)
    check = expected(True)
    found = charts(at)
    diff = matrix(found["diff"][0])
    assert np.allclose(diff, (check.shuffle_then_attend - check.attend_then_shuffle).numpy(), atol=1e-6)
    assert np.abs(diff).max() > 0.1
    shown = metrics(at)
    assert shown[tr("position.metric.output")] == pytest.approx(check.max_output_diff, rel=1e-2)
    assert shown[tr("position.metric.weights")] == pytest.approx(check.max_weight_diff, rel=1e-2)
    assert [w.value for w in at.warning] == [tr("position.broken", diff=check.max_output_diff)]
    assert not at.success


def test_shuffle_seed_changes_the_order() -> None:
    at = rerun(open_position(), position_shuffle=7)
    order = shuffle_order(L_EN, 7)
    assert order.tolist() != shuffle_order(L_EN, 1).tolist()
    assert at.get("dataframe")[0].value.loc[tr("position.table.from")].tolist() == [str(i) for i in order.tolist()]
    before = matrix(charts(at)["before"][0])
    assert np.allclose(before, expected(False, shuffle=7).shuffle_then_attend.numpy(), atol=1e-6)


def test_encoding_pictures_match_the_formula_and_follow_the_span_and_d_model() -> None:
    at = open_position(position_span=20, d_k=4, heads=3)
    found = charts(at)
    assert np.allclose(matrix(found["pe"][0]), sinusoidal_encoding(20, 12).numpy(), atol=1e-6)
    similarity = encoding_similarity(sinusoidal_encoding(20, 12)).numpy()
    assert np.allclose(matrix(found["similarity"][0]), similarity, atol=1e-5)
    assert matrix(found["pe"][0])[0].tolist() == [0.0, 1.0] * 6  # PE[0] = [sin 0, cos 0, …]
    assert any(c.startswith("PE[i]·PE[j] = Σ cos") for c in (e.value for e in at.caption))

    at = rerun(at, position_span=40)
    assert matrix(charts(at)["pe"][0]).shape == (40, 12)


def test_odd_d_model_is_explained() -> None:
    at = open_position(d_k=5, heads=1)
    assert any(c.startswith(tr("position.similarity.odd", spread=0.0)[:30]) for c in (e.value for e in at.caption))


def test_wide_models_draw_the_first_dimensions_but_measure_all() -> None:
    at = open_position(d_k=128, heads=1, position_add="true")
    found = charts(at)
    assert matrix(found["after"][0]).shape == (L_EN, 64)
    assert tr("position.dims_cut", shown=64, d_model=128) in [e.value for e in at.caption]
    check = expected(True, d_k=128, heads=1)
    assert metrics(at)[tr("position.metric.output")] == pytest.approx(check.max_output_diff, rel=1e-2)


def test_random_tokens_and_short_sequences() -> None:
    at = open_position(mode="random", L=6, seed=2, position_add="true")
    embeddings = random_embeddings(6, 16, 2)
    check = check_permutation(build_model(8, 2, 2), embeddings, shuffle_order(6, 1), add_position=True)
    assert np.allclose(matrix(charts(at)["before"][0]), check.shuffle_then_attend.numpy(), atol=1e-6)

    at = open_position(L=1)
    assert [i.value for i in at.info][-1] == tr("position.one_token")


def test_empty_sentence_shows_padding_and_still_measures() -> None:
    # All <pad> (zero vectors): the inputs are the encoding alone, and the outputs still depend on position.
    at = open_position(text=" ", L=4, position_add="true")
    assert tr("msg.empty") in [w.value for w in at.warning]
    check = expected(True, text=" ", length=4)
    assert metrics(at)[tr("position.metric.output")] == pytest.approx(check.max_output_diff, rel=1e-2)
    assert np.allclose(matrix(charts(at)["before"][0]), check.shuffle_then_attend.numpy(), atol=1e-6)


def test_chinese() -> None:
    at = open_position(lang="zh", position_add="true")
    assert at.header[0].value == tr("position.title", "zh")
    found = charts(at, "zh")
    assert found["before"][0]["row_label"].iloc[0].split(" ")[1] in tokenize(DEFAULT_SENTENCES["zh"])
    assert next(w.value for w in at.warning).startswith("输出最多相差")


def test_rerun_time_at_defaults(default_app: AppTest) -> None:
    median = median_rerun_seconds(default_app, "position at defaults")
    assert median < 0.25
