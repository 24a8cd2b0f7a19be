"""AppTest tests of the variants lesson: every control changes what is shown, and every chart, table and
number on the page equals what ``core`` computes for the same settings."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import torch
from chart_data import chart_elements
from page_helpers import median_rerun_seconds, open_page, set_controls, tr
from streamlit.testing.v1 import AppTest

from core.pipeline import build_model, self_attention
from core.tokens import embed_tokens, fit_to_length, random_embeddings, tokenize
from core.variants import (
    SCORING_NAMES,
    argmax_attention,
    gradient_check,
    mean_entropy_curve,
    sample_attention,
    score_variants,
    scoring_params,
    with_temperature,
)
from ui.controls import DEFAULT_SENTENCES

EN_LABELS = [f"{i} {w}" for i, w in enumerate(tokenize(DEFAULT_SENTENCES["en"]))]
CONVERGENCE_DRAWS = (10, 100, 1_000, 10_000, 100_000)
PAGE_PATH = "variants"


# ── driving the app ──────────────────────────────────────────────────────────


@pytest.fixture
def page() -> AppTest:
    return open_page(PAGE_PATH)


def charts(at: AppTest) -> dict[str, tuple[dict, dict[str, pd.DataFrame]]]:
    """Every chart by its title: (spec, datasets)."""
    found = {}
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or spec.get("layer", [{}])[0].get("title")
        title = title.get("text") if isinstance(title, dict) else title
        datasets = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
        assert title not in found, f"two charts titled {title!r}"
        found[title] = (spec, datasets)
    return found


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def table(at: AppTest, first_column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if d.value.columns[0] == first_column]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


# ── what core computes for the same settings ─────────────────────────────────


def expected(*, text: str = DEFAULT_SENTENCES["en"], L: int | None = None, d_k: int = 8, heads: int = 2,
             seed: int = 0, head: int = 0, random: bool = False):  # fmt: skip
    tokens = tokenize(text)
    L = len(tokens) if L is None else L
    if random:
        embeddings = random_embeddings(L, heads * d_k, seed)
    else:
        embeddings = embed_tokens(fit_to_length(tokens, L), heads * d_k, seed)
    result = self_attention(build_model(d_k, heads, seed), embeddings, None)
    q, k, v = result.q[0, head], result.k[0, head], result.v[0, head]
    return {s.name: s for s in score_variants(q, k, scoring_params(d_k, seed))}, v


def panel_matrix(datasets: dict[str, pd.DataFrame], panel: str, column: str = "value") -> np.ndarray:
    df = datasets["panels"]
    rows = df[df["panel"] == panel]
    return rows.pivot(index="row", columns="col", values=column).sort_index().sort_index(axis=1).to_numpy()


def heatmap_matrix(datasets: dict[str, pd.DataFrame]) -> np.ndarray:
    df = datasets["cells"]
    return df.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()


def bars_series(datasets: dict[str, pd.DataFrame], series: str) -> np.ndarray:
    df = datasets["bars"]
    return df[df["series"] == series].sort_values("key")["value"].to_numpy()


def all_finite(at: AppTest) -> None:
    for title, (_, datasets) in charts(at).items():
        for name, df in datasets.items():
            numbers = df.select_dtypes(include="number").to_numpy(dtype=np.float64)
            assert np.isfinite(numbers).all(), f"{title}/{name} has non-finite numbers"
            assert not df.isna().any().any(), f"{title}/{name} has nulls"


# ── 1. the default view equals core ─────────────────────────────────────────


def test_default_view_shows_four_panels_equal_to_core(page: AppTest) -> None:
    found = charts(page)
    assert list(found) == [
        tr("var.chart.panels"),
        tr("var.chart.bars", query=EN_LABELS[0]),
        tr("var.chart.tau", tau=1.0),
        tr("var.chart.limit"),
        tr("var.chart.entropy"),
    ]
    variants, _ = expected()
    _, datasets = found[tr("var.chart.panels")]
    assert list(dict.fromkeys(datasets["panels"]["panel"])) == [tr(f"var.name.{n}") for n in SCORING_NAMES]
    assert len(datasets["panels"]) == 4 * 100
    for name in SCORING_NAMES:
        shown = panel_matrix(datasets, tr(f"var.name.{name}"))
        np.testing.assert_allclose(shown, variants[name].weights.numpy(), atol=1e-6)
        np.testing.assert_allclose(shown.sum(axis=1), 1.0, atol=1e-5)
        np.testing.assert_allclose(
            panel_matrix(datasets, tr(f"var.name.{name}"), "score"), variants[name].scores.numpy(), atol=1e-5
        )
    # The four really differ.
    assert not np.allclose(
        panel_matrix(datasets, tr("var.name.general")), panel_matrix(datasets, tr("var.name.dot")), atol=1e-2
    )
    assert list(dict.fromkeys(datasets["panels"]["row_label"])) == EN_LABELS
    all_finite(page)
    assert not page.warning and not page.info


def test_summary_table_equals_core(page: AppTest) -> None:
    variants, _ = expected()
    summary = table(page, tr("var.col.variant"))
    assert list(summary[tr("var.col.variant")]) == [tr(f"var.name.{n}") for n in SCORING_NAMES]
    reference = argmax_attention(variants["scaled_dot"].scores).index
    for row, name in zip(summary.itertuples(index=False), SCORING_NAMES, strict=True):
        result = variants[name]
        assert row[1] == int((argmax_attention(result.scores).index == reference).sum())
        assert row[2] == pytest.approx(float(result.scores.min()), abs=1e-5)
        assert row[3] == pytest.approx(float(result.scores.max()), abs=1e-5)
        assert row[4] == pytest.approx(float(result.weights.max()), abs=1e-6)
        assert row[5] == pytest.approx(float(result.entropy.mean()), abs=1e-5)
    assert summary.iloc[0, 1] == summary.iloc[1, 1] == 10  # dot and scaled dot always agree
    note = tr("var.scoring.note", sqrt=math.sqrt(8), same=10, L=10, dot=float(variants["dot"].entropy.mean()),
              scaled=float(variants["scaled_dot"].entropy.mean()), ln=math.log(10))  # fmt: skip
    assert note in captions(page)
    assert float(variants["dot"].entropy.mean()) < float(variants["scaled_dot"].entropy.mean())


# ── 2. soft vs hard ─────────────────────────────────────────────────────────


def test_bars_show_soft_argmax_and_sampled_weights_of_the_chosen_query(page: AppTest) -> None:
    variants, _ = expected()
    set_controls(page, var_query=3)
    _, datasets = charts(page)[tr("var.chart.bars", query=EN_LABELS[3])]
    weights = variants["scaled_dot"].weights[3]
    np.testing.assert_allclose(bars_series(datasets, tr("var.series.soft")), weights.numpy(), atol=1e-6)
    np.testing.assert_array_equal(bars_series(datasets, tr("var.series.argmax")), np.eye(10)[int(weights.argmax())])
    sampled = sample_attention(weights, 1000, torch.Generator().manual_seed(0))
    shown = bars_series(datasets, tr("var.series.sampled", n=1000))
    np.testing.assert_allclose(shown, sampled.frequencies.numpy(), atol=1e-9)
    assert shown.sum() == pytest.approx(1.0)
    text = captions(page)
    assert tr("var.hard.sampled", n=1000, error=float(sampled.max_error)) in text
    assert tr("var.hard.argmax", chosen=EN_LABELS[int(weights.argmax())], weight=float(weights.max())) in text


def test_the_number_of_draws_changes_the_sampled_bars_and_errors_shrink(page: AppTest) -> None:
    variants, _ = expected()
    weights = variants["scaled_dot"].weights[0]
    before = bars_series(charts(page)[tr("var.chart.bars", query=EN_LABELS[0])][1], tr("var.series.sampled", n=1000))
    set_controls(page, var_draws="10")
    after = bars_series(charts(page)[tr("var.chart.bars", query=EN_LABELS[0])][1], tr("var.series.sampled", n=10))
    assert not np.allclose(before, after)
    assert np.allclose(after * 10, np.round(after * 10))  # shares of 10 draws
    # The convergence line: the same generator continues after the N draws shown in the chart.
    generator = torch.Generator().manual_seed(0)
    sample_attention(weights, 10, generator)
    errors = [float(sample_attention(weights, n, generator).max_error) for n in CONVERGENCE_DRAWS]
    line = " · ".join(f"N = {n:,}: {e:.4f}" for n, e in zip(CONVERGENCE_DRAWS, errors, strict=True))
    assert line in captions(page)
    assert errors[-1] < errors[0] / 10


def test_gradient_table_shows_autograd_and_finite_differences(page: AppTest) -> None:
    variants, v = expected()
    check = gradient_check(variants["scaled_dot"].scores[0], v)
    grads = table(page, tr("axis.key"))
    assert list(grads[tr("axis.key")]) == EN_LABELS
    np.testing.assert_allclose(grads[tr("var.col.soft_autograd")], check.soft_autograd.numpy(), atol=1e-9)
    np.testing.assert_allclose(grads[tr("var.col.soft_fd")], check.soft_autograd.numpy(), atol=1e-6)
    np.testing.assert_array_equal(grads[tr("var.col.hard_fd")], np.zeros(10))
    assert grads[tr("var.col.soft_autograd")].abs().max() > 0.01
    note = tr("var.grad.note", soft=float(check.soft_autograd.norm()), hard="None", eps=1e-4, moved=0.0)
    assert note in captions(page)


def test_tied_keys_are_named_and_share_the_zero_temperature_limit(page: AppTest) -> None:
    set_controls(page, text="ab ab ab")
    text = captions(page)
    assert tr("var.hard.tied", keys="0 ab, 1 ab, 2 ab") in text
    _, limit = charts(page)[tr("var.chart.limit")]
    np.testing.assert_allclose(heatmap_matrix(limit), np.full((3, 3), 1 / 3), atol=1e-6)


def test_a_shorter_sequence_resets_a_query_it_no_longer_has(page: AppTest) -> None:
    set_controls(page, var_query=9)
    set_controls(page, L=4)
    assert page.session_state["var_query"] == 0
    assert tr("var.chart.bars", query=EN_LABELS[0]) in charts(page)


# ── 3. temperature ──────────────────────────────────────────────────────────


def test_temperature_changes_the_weights_and_approaches_the_argmax(page: AppTest) -> None:
    variants, _ = expected()
    scores = variants["scaled_dot"].scores
    set_controls(page, var_tau="0.05")
    found = charts(page)
    shown = heatmap_matrix(found[tr("var.chart.tau", tau=0.05)][1])
    cold = with_temperature(scores, 0.05)
    np.testing.assert_allclose(shown, cold.weights.numpy(), atol=1e-6)
    np.testing.assert_allclose(heatmap_matrix(found[tr("var.chart.limit")][1]), cold.limit.numpy(), atol=1e-6)
    assert float(cold.distance_to_limit.max()) < float(with_temperature(scores, 1.0).distance_to_limit.max())
    _, curve = found[tr("var.chart.entropy")]
    assert curve["current"].to_dict("list") == {"tau": [0.05], "entropy": [pytest.approx(float(cold.entropy.mean()))]}
    taus = curve["curve"]["tau"].tolist()
    np.testing.assert_allclose(curve["curve"]["entropy"], mean_entropy_curve(scores, taus).numpy(), atol=1e-6)
    assert curve["bounds"]["entropy"].tolist() == [pytest.approx(math.log(10)), 0.0]
    note = tr("var.tau.note", tau=0.05, entropy=float(cold.entropy.mean()), ln=math.log(10),
              distance=float(cold.distance_to_limit.max()), dot_tau=1 / math.sqrt(8))  # fmt: skip
    assert note in captions(page)

    set_controls(page, var_tau="10")
    hot = heatmap_matrix(charts(page)[tr("var.chart.tau", tau=10.0)][1])
    assert hot.max() < shown.max() and hot.min() > 0.05  # flatter, towards 1/L


# ── 4. shared controls ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("controls", "settings"),
    [
        pytest.param({"d_k": 4}, {"d_k": 4}, id="d_k"),
        pytest.param({"seed": 5}, {"seed": 5}, id="seed"),
        pytest.param({"heads": 3}, {"heads": 3}, id="heads"),
        pytest.param({"head": 1}, {"head": 1}, id="head"),
        pytest.param({"L": 6}, {"L": 6}, id="L"),
    ],
)
def test_each_shared_control_changes_the_panels_as_core_says(page: AppTest, controls: dict, settings: dict) -> None:
    before = charts(page)[tr("var.chart.panels")][1]
    set_controls(page, **controls)
    variants, _ = expected(**settings)
    after = charts(page)[tr("var.chart.panels")][1]
    for name in SCORING_NAMES:
        np.testing.assert_allclose(
            panel_matrix(after, tr(f"var.name.{name}")), variants[name].weights.numpy(), atol=1e-6
        )
    old, new = panel_matrix(before, tr("var.name.additive")), panel_matrix(after, tr("var.name.additive"))
    assert old.shape != new.shape or not np.allclose(old, new, atol=1e-4)


def test_random_tokens_and_typed_chinese(page: AppTest) -> None:
    set_controls(page, mode="random")
    variants, _ = expected(random=True, L=10)
    _, datasets = charts(page)[tr("var.chart.panels")]
    assert list(dict.fromkeys(datasets["panels"]["row_label"])) == [f"{i} t{i}" for i in range(10)]
    np.testing.assert_allclose(
        panel_matrix(datasets, tr("var.name.general")), variants["general"].weights.numpy(), atol=1e-6
    )
    set_controls(page, mode="sentence")
    set_controls(page, text="我在学习人工智能")
    _, datasets = charts(page)[tr("var.chart.panels")]
    assert list(dict.fromkeys(datasets["panels"]["row_label"])) == [
        f"{i} {c}" for i, c in enumerate("我在学习人工智能")
    ]


def test_an_empty_sentence_gets_a_notice_not_an_error(page: AppTest) -> None:
    set_controls(page, text="   ")
    assert [w.value for w in page.warning] == [tr("msg.empty")]
    all_finite(page)


# ── 5. language, links, speed ────────────────────────────────────────────────


def test_chinese(page: AppTest) -> None:
    set_controls(page, lang="zh")
    assert page.header[0].value == tr("var.title", "zh")
    found = charts(page)
    assert tr("var.chart.panels", "zh") in found
    panels = found[tr("var.chart.panels", "zh")][1]["panels"]
    assert list(dict.fromkeys(panels["panel"])) == [tr(f"var.name.{n}", "zh") for n in SCORING_NAMES]
    assert list(dict.fromkeys(panels["row_label"])) == [f"{i} {c}" for i, c in enumerate("我在学习人工智能")]
    assert tr("var.grad.title", "zh") in [m.value.strip("*") for m in page.markdown]
    all_finite(page)


def test_a_link_restores_the_page_controls_and_a_bad_value_is_ignored() -> None:
    at = open_page(PAGE_PATH, var_tau="0.1", var_draws="10", var_query="2", L="5", lang="zh")
    assert (at.session_state["var_tau"], at.session_state["var_draws"], at.session_state["var_query"]) == (
        "0.1",
        "10",
        2,
    )
    assert tr("var.chart.tau", "zh", tau=0.1) in charts(at)
    assert {"var_tau": "0.1", "var_draws": "10", "var_query": "2"}.items() <= dict(at.query_params).items()

    at = open_page(PAGE_PATH, var_tau="7.5", var_query="99")
    warnings = [w.value for w in at.warning]
    assert tr("msg.bad_param", name="var_tau") in warnings
    # Clamped to the last query of the 10-token default sentence, and the notice names that query.
    assert tr("msg.clamped_param", name="var_query", value=9) in warnings
    assert at.session_state["var_tau"] == "1" and at.session_state["var_query"] == 9
    all_finite(at)


def test_rerun_time_at_defaults(page: AppTest) -> None:
    median = median_rerun_seconds(page, "variants at defaults")
    assert median < 1.0  # a generous ceiling; the figure itself is what the print reports
