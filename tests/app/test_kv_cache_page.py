"""AppTest tests of the KV cache lesson: the head sharing, the cached generation against ``core`` recomputed
here, the sentences that follow the numbers (each with its opposite case), the question, and the calculator."""

from __future__ import annotations

import numpy as np
import torch
from chart_data import cells_matrix as matrix
from chart_data import cells_titled as chart
from page_helpers import metrics, open_page, set_controls, tr, widget

import core.kv_cache
from core.kv_cache import generate_with_cache, grouped_projections, torch_gqa_difference, toy_cache_floats
from core.tokens import embed_tokens, fit_to_length, tokenize
from ui.controls import DEFAULT_SENTENCES

PAGE = "kv-cache"
EN_SENTENCE = DEFAULT_SENTENCES["en"]
L_EN = 10


def texts(at) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def inputs(heads: int, kv_heads: int, *, d_k: int = 8, seed: int = 0, length: int = L_EN):
    """The page's x ``[1, L, d_model]`` and projections for these settings, rebuilt from ``core``."""
    x = embed_tokens(fit_to_length(tokenize(EN_SENTENCE), length), heads * d_k, seed).unsqueeze(0)
    return x, grouped_projections(heads * d_k, d_k, heads, kv_heads, torch.Generator().manual_seed(seed))


def expected(heads: int, kv_heads: int):
    return generate_with_cache(*inputs(heads, kv_heads))


def test_defaults_show_the_full_generation(default_app) -> None:
    at = default_app
    assert at.header[0].value == tr("kv.title")
    assert widget(at, "kv_heads").options == ["1 · " + tr("kv.kind.mqa"), "2 · " + tr("kv.kind.mha")]
    assert widget(at, "kv_step").value == L_EN  # the last step: the whole sentence generated
    run = expected(2, 1)
    cells = chart(at, tr("kv.chart.weights", t=L_EN, head=0))
    np.testing.assert_allclose(matrix(cells), run.weights[0, 0].numpy(), atol=1e-6)
    assert matrix(cells, "masked").astype(bool).tolist() == (~np.tri(L_EN, dtype=bool)).tolist()
    k_cells = chart(at, tr("kv.chart.k_cache", kv=0))
    np.testing.assert_allclose(matrix(k_cells), run.k_cache[0, 0].numpy(), atol=1e-6)
    shown = metrics(at)
    assert float(shown[tr("kv.metric.cache_vs_full", t=L_EN)]) < 1e-5
    assert shown[tr("kv.metric.floats", t=L_EN)] == f"{toy_cache_floats(L_EN, 1, 8):,}" == "160"
    assert tr("kv.sentence.mqa", heads=2) in texts(at)
    torch_diff = torch_gqa_difference(*inputs(2, 1))
    assert [s.value for s in at.success] == [tr("kv.equal", diff=run.max_output_diff, torch=torch_diff)]


def test_grouped_heads_and_their_sentences() -> None:
    """G = H, 1 < G < H and G = 1 each get their own sentence and sharing map."""
    at = open_page(PAGE, heads=8, kv_heads=2)
    assert tr("kv.sentence.gqa", heads=8, kv_heads=2, group=4) in texts(at)
    groups = "; ".join(tr("kv.group", first=4 * g, last=4 * g + 3, kv=g) for g in range(2))
    assert tr("kv.groups", groups=groups) in texts(at)
    sharing = matrix(chart(at, tr("kv.chart.sharing")))
    assert sharing.tolist() == [[1.0, 0.0]] * 4 + [[0.0, 1.0]] * 4
    set_controls(at, kv_heads=8)
    assert tr("kv.sentence.mha", heads=8) in texts(at)
    assert np.array_equal(matrix(chart(at, tr("kv.chart.sharing"))), np.eye(8))
    set_controls(at, kv_heads=1)
    assert tr("kv.sentence.mqa", heads=8) in texts(at)
    assert tr("kv.groups", groups=tr("kv.group", first=0, last=7, kv=0)) in texts(at)


def test_a_g_that_does_not_divide_h_is_snapped_with_a_notice() -> None:
    at = open_page(PAGE, heads=8, kv_heads=3)
    assert [i.value for i in at.info] == [tr("kv.snapped", asked=3, heads=8, used=2)]
    assert at.session_state["kv_heads"] == 2


def test_the_step_slider_and_the_query_head() -> None:
    at = open_page(PAGE, heads=4, kv_heads=2, kv_step=2, head=3)
    run = expected(4, 2)
    cells = chart(at, tr("kv.chart.weights", t=2, head=3))
    masked = matrix(cells, "masked").astype(bool)
    assert (~masked).sum() == 1 + 2  # rows 0…1 generated, each sees keys 0…row
    np.testing.assert_allclose(matrix(cells)[:2], run.weights[0, 3, :2].numpy(), atol=1e-6)
    # Query head 3 reads K/V head 1; the cache charts show its first 2 rows.
    np.testing.assert_allclose(
        matrix(chart(at, tr("kv.chart.v_cache", kv=1))), run.v_cache[0, 1, :2].numpy(), atol=1e-6
    )
    tokens = tokenize(EN_SENTENCE)
    assert tr("kv.step.sentence", t=2, t_index=1, token=tokens[1]) in texts(at)
    assert metrics(at)[tr("kv.metric.floats", t=2)] == f"{2 * 2 * 2 * 8}"
    set_controls(at, kv_step=7)
    assert tr("kv.step.sentence", t=7, t_index=6, token=tokens[6]) in texts(at)
    assert metrics(at)[tr("kv.metric.floats", t=7)] == f"{2 * 7 * 2 * 8}"


def test_the_verdict_changes_when_the_tolerance_is_not_met(monkeypatch) -> None:
    """The opposite case: with no tolerance at all, the same rounding differences are called a difference."""
    monkeypatch.setattr(core.kv_cache, "EQUAL_UP_TO", -1.0)
    at = open_page(PAGE)
    assert [w.value[:30] for w in at.warning] == [tr("kv.differ", diff=0.0, torch=0.0)[:30]]
    assert not at.success


def test_the_question_is_answered_from_the_cache() -> None:
    at = open_page(PAGE, heads=8, kv_heads=2, kv_step=5)
    radio = widget(at, "predict_kv_cache_size")
    right = f"{toy_cache_floats(5, 2, 8):,}"
    assert right in radio.options and f"{toy_cache_floats(5, 8, 8):,}" in radio.options
    radio.set_value(str(toy_cache_floats(5, 2, 8)))
    at.run()
    assert at.success[0].value == tr("predict.right")
    assert tr(
        "kv.predict.explain", t=5, kv_heads=2, d_k=8, floats=right, mha=f"{toy_cache_floats(5, 8, 8):,}"
    ) in texts(at)
    widget(at, "predict_kv_cache_size").set_value(str(toy_cache_floats(5, 8, 8)))
    at.run()
    assert at.error[0].value == tr("predict.wrong", answer=right)


def test_calculator_presets_and_sentences(default_app) -> None:
    at = default_app
    shown = metrics(at)
    assert shown[tr("kv.metric.per_token", unit="KiB")] == "128"  # Llama-3-8B in bfloat16
    assert shown[tr("kv.metric.total", tokens="8,192", unit="GiB")] == "1"
    assert shown[tr("kv.metric.mha", unit="GiB")] == "4"
    saved = tr(
        "kv.calc.saved",
        name="Llama-3-8B",
        kv_heads=8,
        heads=32,
        tokens="8,192",
        total=1.0,
        unit="GiB",
        ratio="4",
        mha=4.0,
        mha_unit="GiB",
    )
    assert saved in texts(at)
    set_controls(at, kv_preset="llama2-7b")
    shown = metrics(at)
    assert shown[tr("kv.metric.per_token", unit="KiB")] == "512"
    is_mha = tr("kv.calc.is_mha", name="Llama-2-7B", heads=32, total=4.0, unit="GiB", tokens="8,192", ratio="4")
    assert is_mha in texts(at) and saved not in texts(at)
    table = at.dataframe[0].value
    assert table[tr("kv.col.per_token")].tolist() == [512, 128, 128, 320, 8]


def test_calculator_link_parameters() -> None:
    at = open_page(PAGE, kv_preset="falcon-7b", kv_dtype="fp32", kv_context="131072")
    shown = metrics(at)
    assert shown[tr("kv.metric.per_token", unit="KiB")] == "16"  # 2 × 32 × 1 × 64 × 4 bytes
    assert shown[tr("kv.metric.total", tokens="131,072", unit="GiB")] == "2"
    assert shown[tr("kv.metric.mha", unit="GiB")] == "142"  # 71 K/V heads: 71 × 2 GiB


def test_chinese() -> None:
    at = open_page(PAGE, lang="zh", heads=8, kv_heads=4)
    assert at.header[0].value == tr("kv.title", "zh")
    assert tr("kv.sentence.gqa", "zh", heads=8, kv_heads=4, group=2) in texts(at)
    assert tr("kv.metric.per_token", "zh", unit="KiB") in metrics(at)
