"""AppTest tests of the “Common mistakes” lesson: each mistake's heatmap, table and explanation show
exactly what ``core.mistakes`` computes on the sidebar's sentence, and every control changes them."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import torch
from chart_data import chart_elements
from page_helpers import median_rerun_seconds, rerun, set_controls, widget
from streamlit.testing.v1 import AppTest

from core.mistakes import MISTAKES, diagnose
from core.pipeline import build_mask, build_model, self_attention
from core.tokens import embed_tokens, fit_to_length, tokenize
from ui.controls import DEFAULT_SENTENCES
from ui.i18n import STRINGS

PAGE = "app_pages/mistakes.py"
EN_TOKENS = tokenize(DEFAULT_SENTENCES["en"])
EN_LABELS = [f"{i} {token}" for i, token in enumerate(EN_TOKENS)]


def en(key: str, **values: object) -> str:
    text = STRINGS[key]["en"]
    return text.format(**values) if values else text


@dataclass
class Heatmap:
    title: str
    cells: pd.DataFrame
    sums: pd.DataFrame | None

    def matrix(self, column: str = "value") -> np.ndarray:
        return self.cells.pivot(index="row", columns="col", values=column).sort_index().sort_index(axis=1).to_numpy()

    def row_labels(self) -> list[str]:
        return list(dict.fromkeys(self.cells.sort_values(["row", "col"])["row_label"]))


def heatmaps(at: AppTest) -> tuple[Heatmap, Heatmap]:
    """(right, with the mistake), as drawn."""
    found = []
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        datasets = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
        found.append(Heatmap(spec["layer"][0]["title"], datasets["cells"], datasets.get("sums")))
    right, wrong = found
    return right, wrong


def table(at: AppTest) -> dict[str, tuple[str, str]]:
    """The diagnostics table as {measure: (right, with the mistake)}."""
    (shown,) = at.table
    df = shown.value
    return {row.iloc[0]: (row.iloc[1], row.iloc[2]) for _, row in df.iterrows()}


def texts(at: AppTest) -> str:
    return " ".join(node.value for node in at.markdown)


def expected_report(
    mistake: str,
    *,
    mask: str = "none",
    d_k: int = 8,
    heads: int = 2,
    seq_len: int | None = None,
    tokens: list[str] = EN_TOKENS,
    seed: int = 0,
):
    """What the page should show, computed here from core's building blocks."""
    length = seq_len or len(tokens)
    fitted = fit_to_length(tokens, length)
    allowed = build_mask(mask, length, real_len=min(len(tokens), length))
    result = self_attention(build_model(d_k, heads, seed), embed_tokens(fitted, heads * d_k, seed), allowed)
    return diagnose(mistake, result.q, result.k, result.v, allowed, seed=seed)


# Compute the expected numbers as the app does: one intra-op thread (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture
def page(make_app) -> AppTest:
    return rerun(make_app().switch_page(PAGE))


# ── 1. defaults: no scaling ──────────────────────────────────────────────────


def test_default_shows_no_scaling_beside_the_right_weights(page: AppTest) -> None:
    assert page.header[0].value == en("mistakes.title")
    assert widget(page, "mistakes_kind").value == "no_scaling"
    right, wrong = heatmaps(page)
    assert (right.title, wrong.title) == (en("mistakes.chart.correct"), en("mistakes.chart.broken"))
    assert right.row_labels() == EN_LABELS
    report = expected_report("no_scaling")
    np.testing.assert_allclose(right.matrix(), report.correct.weights[0, 0].numpy(), atol=1e-5, rtol=0)
    np.testing.assert_allclose(wrong.matrix(), report.broken.weights[0, 0].numpy(), atol=1e-5, rtol=0)
    # Independently of core.mistakes: the broken weights are softmax(Q·Kᵀ) with no 1/√d_k.
    model = build_model(8, 2, 0)
    result = self_attention(model, embed_tokens(EN_TOKENS, 16, 0), None)
    np.testing.assert_allclose(
        wrong.matrix(), torch.softmax(result.q @ result.k.transpose(-2, -1), dim=-1)[0, 0].numpy(), atol=1e-6
    )
    np.testing.assert_allclose(wrong.sums["sum"].to_numpy(), 1.0, atol=1e-5)

    rows = table(page)
    assert rows[en("mistakes.row.scale")] == (f"{1 / math.sqrt(8):.4f}", "1.0000")
    assert rows[en("mistakes.row.output_difference")][1] == f"{report.max_output_difference:.4f}"
    assert rows[en("mistakes.row.entropy")] == (
        f"{report.correct_checks.mean_entropy:.4f}",
        f"{report.broken_checks.mean_entropy:.4f}",
    )
    assert en("mistakes.row.influence") not in rows  # no mask: nothing can leak
    assert en(
        "mistakes.breaks.no_scaling",
        d_k=8,
        difference=report.max_output_difference,
        entropy=report.broken_checks.mean_entropy,
        correct_entropy=report.correct_checks.mean_entropy,
    ) in texts(page)
    assert report.broken_checks.mean_entropy < report.correct_checks.mean_entropy  # peakier, as the text says


# ── 2. each mistake ──────────────────────────────────────────────────────────


def test_mask_after_softmax_uses_the_causal_mask_and_shows_the_leak(page: AppTest) -> None:
    set_controls(page, mistakes_kind="mask_after_softmax")
    assert [node.value for node in page.info] == [en("mistakes.causal_used")]
    right, wrong = heatmaps(page)
    causal = np.tril(np.ones((10, 10), dtype=bool))
    assert (~wrong.matrix("masked").astype(bool) == causal).all()
    assert (wrong.matrix()[~causal] == 0).all()  # the weights on masked keys look right …
    report = expected_report("mask_after_softmax", mask="causal")
    np.testing.assert_allclose(wrong.matrix(), report.broken.weights[0, 0].numpy(), atol=1e-5, rtol=0)
    sums = wrong.sums["sum"].to_numpy()
    assert (sums[:-1] < 0.999).all() and sums[-1] == pytest.approx(1.0, abs=1e-5)  # … but rows sum below 1
    np.testing.assert_allclose(right.sums["sum"].to_numpy(), 1.0, atol=1e-5)

    checks = report.broken_checks
    rows = table(page)
    assert rows[en("mistakes.row.influence")] == ("0.0000", f"{checks.max_forbidden_influence:.4f}")
    assert rows[en("mistakes.row.forbidden_weight")] == ("0.0000", "0.0000")
    assert rows[en("mistakes.row.entropy")][1] == en("mistakes.not_distribution")
    query, token = checks.most_influenced
    assert token > query  # a later token moves an earlier output
    shown = texts(page)
    assert f"{checks.max_forbidden_influence:.4f}" in shown
    assert f"“{EN_LABELS[query]}”" in shown and f"“{EN_LABELS[token]}”" in shown
    assert en("mistakes.breaks.mask_after_softmax.causal") in shown
    assert checks.max_forbidden_influence > 0.01


def test_softmax_over_queries_makes_columns_sum_to_one_and_leaks_under_causal(page: AppTest) -> None:
    set_controls(page, mistakes_kind="softmax_over_queries")
    _, wrong = heatmaps(page)
    report = expected_report("softmax_over_queries")
    np.testing.assert_allclose(wrong.matrix(), report.broken.weights[0, 0].numpy(), atol=1e-5, rtol=0)
    np.testing.assert_allclose(wrong.matrix().sum(axis=0), 1.0, atol=1e-5)  # columns sum to 1 …
    assert np.abs(wrong.sums["sum"].to_numpy() - 1).max() > 0.05  # … rows do not
    low, high = report.broken_checks.row_sum_range
    assert table(page)[en("mistakes.row.row_sums")][1] == f"{low:.4f} – {high:.4f}"
    assert en("mistakes.row.influence") not in table(page)

    set_controls(page, mask="causal")
    report = expected_report("softmax_over_queries", mask="causal")
    assert not page.info  # this mistake is not about masking: the sidebar's mask is used as it is
    assert f"{report.broken_checks.max_forbidden_influence:.4f}" in texts(page)
    assert "the future leaks into the past" in texts(page)


def test_softmax_over_queries_with_padding_reports_nan_and_keeps_charts_finite(page: AppTest) -> None:
    set_controls(page, mistakes_kind="softmax_over_queries", mask="padding", L=12)
    report = expected_report("softmax_over_queries", mask="padding", seq_len=12)
    assert report.broken_checks.nan_weights == 48
    assert [node.value for node in page.warning] == [en("mistakes.nan", count=48, outputs=12 * 8 * 2)]
    right, wrong = heatmaps(page)
    for heatmap in (right, wrong):
        assert np.isfinite(heatmap.cells["value"]).all()
    assert wrong.sums is None and right.sums is not None  # NaN row sums are reported, not drawn
    assert wrong.cells[wrong.cells["col"] >= 10]["masked"].all()


def test_scale_by_d_model_needs_heads_and_grows_with_them(page: AppTest) -> None:
    set_controls(page, mistakes_kind="scale_by_d_model", heads=4)
    report = expected_report("scale_by_d_model", heads=4)
    assert table(page)[en("mistakes.row.scale")] == (f"{1 / math.sqrt(8):.4f}", f"{1 / math.sqrt(32):.4f}")
    assert report.broken_checks.mean_entropy > report.correct_checks.mean_entropy  # flatter, as the text says
    assert f"{report.broken_checks.mean_entropy:.3f} nats" in texts(page)
    _, wrong = heatmaps(page)
    np.testing.assert_allclose(wrong.matrix(), report.broken.weights[0, 0].numpy(), atol=1e-5, rtol=0)

    set_controls(page, heads=1)
    right, wrong = heatmaps(page)
    np.testing.assert_array_equal(wrong.matrix(), right.matrix())
    assert en("mistakes.breaks.scale_by_d_model.one_head", difference=0.0) in texts(page)


def test_every_mistake_changes_the_broken_heatmap(page: AppTest) -> None:
    seen = {}
    for mistake in MISTAKES:
        set_controls(page, mistakes_kind=mistake)
        seen[mistake] = heatmaps(page)[1].matrix()
        assert widget(page, "mistakes_kind").value == mistake
        assert en(f"mistakes.what.{mistake}") in texts(page)
    names = list(seen)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert np.abs(seen[a] - seen[b]).max() > 1e-3, (a, b)


# ── 3. shared controls ───────────────────────────────────────────────────────


def test_head_selector_and_d_k(page: AppTest) -> None:
    set_controls(page, head=1)
    report = expected_report("no_scaling")
    np.testing.assert_allclose(heatmaps(page)[1].matrix(), report.broken.weights[0, 1].numpy(), atol=1e-5, rtol=0)
    assert page.caption[-1].value == en("mistakes.head", head=1, heads=2)

    set_controls(page, d_k=1)
    assert en("mistakes.breaks.no_scaling.d_k_1", difference=0.0) in texts(page)
    right, wrong = heatmaps(page)
    np.testing.assert_array_equal(right.matrix(), wrong.matrix())


def test_sentence_seed_and_sequence_length(page: AppTest) -> None:
    set_controls(page, text="我在学习人工智能", seed=3)
    right, _ = heatmaps(page)
    assert right.row_labels() == [f"{i} {ch}" for i, ch in enumerate("我在学习人工智能")]
    report = expected_report("no_scaling", tokens=list("我在学习人工智能"), seed=3)
    np.testing.assert_allclose(right.matrix(), report.correct.weights[0, 0].numpy(), atol=1e-5, rtol=0)
    set_controls(page, L=4)
    assert heatmaps(page)[0].row_labels() == ["0 我", "1 在", "2 学", "3 习"]


def test_tokens_in_the_explanation_are_not_markdown(page: AppTest) -> None:
    text = "$x$ *a* b [c](d) e"
    set_controls(page, text=text, mistakes_kind="mask_after_softmax")
    tokens = tokenize(text)
    query, token = expected_report("mask_after_softmax", mask="causal", tokens=tokens).broken_checks.most_influenced
    shown = " ".join(node.value for node in page.markdown if "“" in node.value)  # the text quoting tokens
    for index in (query, token):
        escaped = "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|~<>$" else ch for ch in f"{index} {tokens[index]}")
        assert f"“{escaped}”" in shown, (escaped, shown)
    bare = shown.replace("\\$", "").replace("\\*", "").replace("\\[", "").replace("\\]", "")
    assert not any(mark in bare for mark in "$*[]"), bare  # no mark reaches Markdown or LaTeX unescaped


def test_a_sentence_typed_on_the_playground_is_kept(make_app) -> None:
    at = make_app()
    at.sidebar.text_input(key="text").set_value("one two three").run()
    at.sidebar.slider(key="d_k").set_value(4).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert heatmaps(at)[0].row_labels() == ["0 one", "1 two", "2 three"]
    assert at.session_state["d_k"] == 4
    assert table(at)[en("mistakes.row.scale")][0] == f"{1 / math.sqrt(4):.4f}"


# ── 4. language and links ────────────────────────────────────────────────────


def test_chinese(page: AppTest) -> None:
    # AppTest cannot rerun after a Chinese run (see test_playground.py), so this is the last run.
    set_controls(page, mistakes_kind="mask_after_softmax")
    set_controls(page, lang="zh")
    assert page.header[0].value == STRINGS["mistakes.title"]["zh"]
    right, wrong = heatmaps(page)
    assert (right.title, wrong.title) == (
        STRINGS["mistakes.chart.correct"]["zh"],
        STRINGS["mistakes.chart.broken"]["zh"],
    )
    assert [node.value for node in page.info] == [STRINGS["mistakes.causal_used"]["zh"]]
    assert STRINGS["mistakes.breaks.mask_after_softmax.causal"]["zh"] in texts(page)
    assert list(page.table[0].value.columns) == [
        STRINGS[f"mistakes.col.{c}"]["zh"] for c in ("measure", "correct", "broken")
    ]


def test_a_link_opens_a_mistake_and_a_bad_one_is_ignored(make_app) -> None:
    at = make_app(mistakes_kind="softmax_over_queries", mask="causal")
    at.switch_page(PAGE).run()
    assert widget(at, "mistakes_kind").value == "softmax_over_queries"
    assert "the future leaks into the past" in texts(at)
    assert dict(at.query_params) == {"mistakes_kind": "softmax_over_queries", "mask": "causal"}

    bad = make_app(mistakes_kind="<script>")
    bad.switch_page(PAGE).run()
    assert widget(bad, "mistakes_kind").value == "no_scaling"
    assert [node.value for node in bad.warning] == [en("msg.bad_param", name="mistakes_kind")]


# ── 5. rerun time (measured, not asserted) ───────────────────────────────────


def test_measure_rerun_time_at_defaults(page: AppTest) -> None:
    median_rerun_seconds(page, "mistakes at defaults")
    assert not page.exception
