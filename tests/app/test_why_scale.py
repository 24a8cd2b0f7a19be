"""AppTest tests of the “Why √d_k” lesson: the sweep charts and sentences show exactly what
``core.why_scale`` measures, and every control changes what is shown."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from chart_data import chart_elements
from page_helpers import median_rerun_seconds, rerun, set_controls, widget
from streamlit.testing.v1 import AppTest

from core.pipeline import build_model, self_attention
from core.tokens import embed_tokens, random_embeddings, tokenize
from core.why_scale import SWEEP_KEYS, SWEEP_QUERIES, compare_scaling, scaling_sweep
from ui.controls import DEFAULT_SENTENCES
from ui.i18n import STRINGS

PAGE = "app_pages/why_scale.py"
METRICS = ("variance", "max_weight", "entropy", "score_gradient")
EN_TOKENS = tokenize(DEFAULT_SENTENCES["en"])


def en(key: str, **values: object) -> str:
    text = STRINGS[key]["en"]
    return text.format(**values) if values else text


@dataclass
class Chart:
    title: str | None  # None for the sweep grid, whose panels carry the titles
    spec: dict
    datasets: dict[str, pd.DataFrame]

    def matrix(self) -> np.ndarray:
        cells = self.datasets["cells"]
        return cells.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()

    def row_labels(self) -> list[str]:
        return list(dict.fromkeys(self.datasets["cells"].sort_values(["row", "col"])["row_label"]))


def charts(at: AppTest) -> list[Chart]:
    """Every chart of the last run, in page order, with its title and datasets."""
    found = []
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or spec.get("layer", [{}])[0].get("title")  # heatmaps title their first layer
        datasets = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
        found.append(Chart(title, spec, datasets))
    return found


def assert_all_finite(at: AppTest) -> int:
    """Every number in every chart dataset is finite; returns how many were checked."""
    checked = 0
    for chart in charts(at):
        for name, df in chart.datasets.items():
            values = df.select_dtypes(include="number").to_numpy(dtype=np.float64)
            assert np.isfinite(values).all(), f"{chart.title}/{name} has non-finite numbers"
            checked += values.size
    return checked


def sweep_chart(at: AppTest) -> Chart:
    (grid,) = (chart for chart in charts(at) if "concat" in chart.spec)
    return grid


def sweep_curve(at: AppTest, metric: str, setting: str) -> pd.DataFrame:
    """One curve of the sweep grid, by d_k."""
    curve = sweep_chart(at).datasets["curve"]
    label = en(f"scale.setting.{setting}")
    return curve[(curve["metric"] == metric) & (curve["setting"] == label)].sort_values("d_k")


def pair_charts(at: AppTest) -> tuple[Chart, Chart]:
    left, right = (chart for chart in charts(at) if "cells" in chart.datasets)
    return left, right


def assert_weights(shown: np.ndarray, expected) -> None:
    """Chart cells equal core's weights up to float32 rounding (thread counts reorder sums)."""
    np.testing.assert_allclose(shown, expected.numpy(), atol=1e-5, rtol=0)


def assert_four_decimals(shown: list[str], expected: list[float]) -> None:
    """Table text equals the value printed with 4 decimals (rounding-boundary cases allowed)."""
    assert len(shown) == len(expected)
    for text, value in zip(shown, expected, strict=True):
        assert abs(float(text) - value) <= 5e-5 + 1e-6 * abs(value), (text, value)


def pair_table(at: AppTest) -> pd.DataFrame:
    (table,) = at.table
    return table.value


# Compute the expected numbers as the app does: one intra-op thread (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture
def page(make_app) -> AppTest:
    return rerun(make_app().switch_page(PAGE))


def sentence_comparison(d_k: int, seed: int = 0, tokens: list[str] = EN_TOKENS):
    """What the page should show for one side, computed here from core's building blocks."""
    model = build_model(d_k, 1, seed)
    result = self_attention(model, embed_tokens(tokens, d_k, seed), None)
    return result, compare_scaling(result.q, result.k)


# ── 1. what the page shows at its defaults ───────────────────────────────────


def test_default_run_shows_the_sweep_grid_and_two_heatmaps(page: AppTest) -> None:
    assert page.header[0].value == en("scale.title")
    shown = charts(page)
    assert [chart.title for chart in shown] == [
        None,
        en("scale.chart.unscaled", d_k=4),
        en("scale.chart.unscaled", d_k=64),
    ]
    assert [panel["title"] for panel in shown[0].spec["concat"]] == [en(f"scale.chart.{metric}") for metric in METRICS]
    assert assert_all_finite(page) > 0
    assert not page.warning and not page.info


def test_sweep_charts_plot_the_core_sweep(page: AppTest) -> None:
    sweep = scaling_sweep(seed=0)
    fields = {
        "variance": "logit_variance",
        "max_weight": "mean_max_weight",
        "entropy": "mean_entropy",
        "score_gradient": "median_score_gradient",
        "score_gradient_mean": "mean_score_gradient",
        "jacobian": "mean_jacobian_norm",
    }
    for metric, field in fields.items():
        for setting in ("unscaled", "scaled"):
            rows = sweep_curve(page, metric, setting)
            assert rows["d_k"].tolist() == [point.d_k for point in sweep.points]
            expected = [getattr(getattr(point, setting), field) for point in sweep.points]
            np.testing.assert_allclose(rows["value"].to_numpy(), expected, rtol=1e-12)
    assert sweep_chart(page).datasets["marks"]["d_k"].tolist() == [4, 64]


def test_summary_sentences_quote_the_measured_numbers(page: AppTest) -> None:
    sweep = scaling_sweep(seed=0)
    first, last = sweep.points[0], sweep.points[-1]
    texts = " ".join(node.value for node in page.markdown)
    assert f"from {first.unscaled.logit_variance:.2f} to {last.unscaled.logit_variance:.1f}" in texts
    assert f"from {first.unscaled.mean_max_weight:.3f} to {last.unscaled.mean_max_weight:.3f}" in texts
    median_unscaled, median_scaled = last.unscaled.median_score_gradient, last.scaled.median_score_gradient
    assert (
        f"gradient reaching q·k falls from {first.unscaled.median_score_gradient:.2g} to {median_unscaled:.2g}" in texts
    )
    ratio = median_scaled / median_unscaled
    assert en("scale.grad.median.more", d_max=512, ratio=ratio) in texts
    assert ratio > 3  # the typical row: scaling keeps ≥ 3× the gradient reaching q·k at d_k = 512
    # The old claim compared Jacobians at each softmax's own input (4×); it is gone.
    assert "passes" not in texts
    mean_scaled, mean_unscaled = last.scaled.mean_score_gradient, last.unscaled.mean_score_gradient
    assert f"{mean_scaled:.2g} with scaling vs {mean_unscaled:.2g} without" in texts
    caption = " ".join(node.value for node in page.caption)
    assert en("scale.sweep.caption", queries=SWEEP_QUERIES, keys=SWEEP_KEYS, seed=0) in caption


def test_heatmaps_and_table_equal_core_on_the_sentence(page: AppTest) -> None:
    left, right = pair_charts(page)
    table = pair_table(page)
    for chart, d_k, column in ((left, 4, "left: d_k = 4"), (right, 64, "right: d_k = 64")):
        _, comparison = sentence_comparison(d_k)
        assert chart.row_labels() == [f"{i} {token}" for i, token in enumerate(EN_TOKENS)]
        assert_weights(chart.matrix(), comparison.unscaled.weights[0, 0])
        expected = [
            comparison.unscaled.logit_variance,
            comparison.unscaled.mean_max_weight,
            comparison.unscaled.mean_entropy,
            comparison.unscaled.median_score_gradient,
            comparison.unscaled.mean_score_gradient,
        ]
        assert_four_decimals(table[column].tolist(), expected)
    # The lesson's point, on this sentence: d_k = 64 unscaled is more peaked than d_k = 4.
    assert right.matrix().max(axis=1).mean() > left.matrix().max(axis=1).mean()


# ── 2. every control changes what is shown ───────────────────────────────────


def test_divide_toggle_shows_the_scaled_softmax_which_is_the_attention_weights(page: AppTest) -> None:
    before = pair_charts(page)[1].matrix()
    set_controls(page, scale_divide=True)
    left, right = pair_charts(page)
    assert (left.title, right.title) == (en("scale.chart.scaled", d_k=4), en("scale.chart.scaled", d_k=64))
    result, comparison = sentence_comparison(64)
    # Scaled weights are exactly what the app's attention computes (1/√d_k of the head).
    assert_weights(right.matrix(), result.attention.weights[0, 0])
    assert np.abs(right.matrix() - before).max() > 0.1
    # Scaled, the two d_k are alike; the table now reports the scaled softmax (the raw variance stays).
    table = pair_table(page)
    expected = [comparison.unscaled.logit_variance, comparison.scaled.mean_max_weight]
    assert_four_decimals(table["right: d_k = 64"].tolist()[:2], expected)


def test_left_and_right_d_k_change_the_heatmaps_and_the_sweep_marks(page: AppTest) -> None:
    set_controls(page, scale_dk_left=512, scale_dk_right=1)
    left, right = pair_charts(page)
    assert left.title == en("scale.chart.unscaled", d_k=512)
    assert right.title == en("scale.chart.unscaled", d_k=1)
    assert_weights(left.matrix(), sentence_comparison(512)[1].unscaled.weights[0, 0])
    assert_weights(right.matrix(), sentence_comparison(1)[1].unscaled.weights[0, 0])
    assert sweep_chart(page).datasets["marks"]["d_k"].tolist() == [1, 512]
    assert list(pair_table(page).columns[1:]) == ["left: d_k = 512", "right: d_k = 1"]


def test_seed_changes_the_sweep_and_the_sentence(page: AppTest) -> None:
    before_sweep = sweep_chart(page).datasets["curve"]["value"].to_numpy()
    before_left = pair_charts(page)[0].matrix()
    set_controls(page, seed=7)
    assert not np.allclose(before_sweep, sweep_chart(page).datasets["curve"]["value"].to_numpy())
    expected = scaling_sweep(seed=7).points[-1].unscaled.mean_max_weight
    assert sweep_curve(page, "max_weight", "unscaled")["value"].iloc[-1] == pytest.approx(expected, rel=1e-12)
    left = pair_charts(page)[0].matrix()
    assert_weights(left, sentence_comparison(4, seed=7)[1].unscaled.weights[0, 0])
    assert np.abs(left - before_left).max() > 0.01


def test_typed_sentence_sequence_length_and_random_mode(page: AppTest) -> None:
    set_controls(page, text="我在学习人工智能")
    left, _ = pair_charts(page)
    assert left.row_labels() == [f"{i} {ch}" for i, ch in enumerate("我在学习人工智能")]
    _, comparison = sentence_comparison(4, tokens=list("我在学习人工智能"))
    assert_weights(left.matrix(), comparison.unscaled.weights[0, 0])

    set_controls(page, L=3)
    assert pair_charts(page)[0].row_labels() == ["0 我", "1 在", "2 学"]
    assert [node.value for node in page.info] == [en("msg.shortened", n=8, L=3)]

    set_controls(page, mode="random")
    left, _ = pair_charts(page)
    assert left.row_labels() == ["0 t0", "1 t1", "2 t2"]
    result = self_attention(build_model(4, 1, 0), random_embeddings(3, 4, 0), None)
    expected = compare_scaling(result.q, result.k).unscaled.weights[0, 0]
    assert_weights(left.matrix(), expected)
    assert page.caption[-1].value == en("scale.pair.note", cells=9, keys=3, uniform=math.log(3))


def test_a_sentence_typed_on_the_playground_is_kept(make_app) -> None:
    at = make_app()
    at.sidebar.text_input(key="text").set_value("hello attention world").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert widget(at, "text").value == "hello attention world"
    assert pair_charts(at)[0].row_labels() == ["0 hello", "1 attention", "2 world"]
    assert not at.warning


def test_empty_sentence_warns_and_stays_finite(page: AppTest) -> None:
    set_controls(page, text="")
    assert [node.value for node in page.warning] == [en("msg.empty")]
    assert pair_charts(page)[0].row_labels() == ["0 <pad>"]
    assert assert_all_finite(page) > 0


# ── 3. language and links ────────────────────────────────────────────────────


def test_chinese(page: AppTest) -> None:
    # AppTest cannot rerun after a Chinese run (see test_playground.py), so this is the last run.
    set_controls(page, lang="zh")
    assert page.header[0].value == STRINGS["scale.title"]["zh"]
    grid = sweep_chart(page)
    assert [panel["title"] for panel in grid.spec["concat"]] == [STRINGS[f"scale.chart.{m}"]["zh"] for m in METRICS]
    assert pair_charts(page)[0].title == STRINGS["scale.chart.unscaled"]["zh"].format(d_k=4)
    curve = grid.datasets["curve"]
    assert set(curve["setting"]) == {STRINGS["scale.setting.unscaled"]["zh"], STRINGS["scale.setting.scaled"]["zh"]}
    assert widget(page, "text").value == DEFAULT_SENTENCES["zh"]
    assert pair_charts(page)[0].row_labels() == [f"{i} {ch}" for i, ch in enumerate(DEFAULT_SENTENCES["zh"])]


def test_a_link_sets_the_page_controls_and_snaps_d_k_to_a_power_of_two(make_app) -> None:
    at = make_app(scale_dk_left=8, scale_dk_right=300, scale_divide="true", seed=2)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert (at.session_state["scale_dk_left"], at.session_state["scale_dk_right"]) == (8, 256)
    assert [node.value for node in at.warning] == [en("msg.clamped_param", name="scale_dk_right", value=256)]
    left, right = pair_charts(at)
    assert (left.title, right.title) == (en("scale.chart.scaled", d_k=8), en("scale.chart.scaled", d_k=256))
    assert dict(at.query_params) == {"scale_dk_left": "8", "scale_dk_right": "256", "scale_divide": "true", "seed": "2"}


def test_a_bad_link_value_is_ignored_with_a_notice(make_app) -> None:
    at = make_app(scale_dk_left="<b>x</b>", scale_divide="maybe")
    at.switch_page(PAGE).run()
    assert at.session_state["scale_dk_left"] == 4 and at.session_state["scale_divide"] is False
    assert [node.value for node in at.warning] == [
        en("msg.bad_param", name="scale_dk_left"),
        en("msg.bad_param", name="scale_divide"),
    ]


# ── 4. rerun time (measured, not asserted) ───────────────────────────────────


def test_measure_rerun_time_at_defaults(page: AppTest) -> None:
    median_rerun_seconds(page, "why-sqrt-dk at defaults")
    assert not page.exception
