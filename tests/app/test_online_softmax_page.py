"""AppTest tests of the online-softmax lesson: the block states against ``core`` recomputed here, the
sentences that follow them (raised / kept / first block; equal / differ; less / more traffic), the question,
and the link to the Cost page."""

from __future__ import annotations

import numpy as np
import pytest
from chart_data import cells_matrix as matrix
from chart_data import cells_titled as chart
from page_helpers import metrics, open_page, set_controls, tr, widget

import core.online_softmax
from core.online_softmax import memory_traffic, online_softmax_attention
from core.pipeline import build_model, self_attention
from core.tokens import embed_tokens, fit_to_length, tokenize
from ui.controls import DEFAULT_SENTENCES

PAGE = "online-softmax"
EN_SENTENCE = DEFAULT_SENTENCES["en"]
L_EN = 10
MIB = 2**20


def texts(at) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def expected(row: int, block: int, *, head: int = 0, d_k: int = 8, heads: int = 2, seed: int = 0):
    embeddings = embed_tokens(fit_to_length(tokenize(EN_SENTENCE), L_EN), heads * d_k, seed)
    result = self_attention(build_model(d_k, heads, seed), embeddings, None)
    return online_softmax_attention(result.q[0, head, row], result.k[0, head], result.v[0, head], block)


def described(run, step: int) -> dict:
    s = run.steps[step - 1]
    return dict(
        k=step,
        start=s.start,
        end=s.end - 1,
        block_max=s.block_max,
        m_old=s.m_old,
        m_new=s.m_new,
        rescale=s.rescale,
        ell=s.running_sum,
    )


def test_defaults_step_through_every_block(default_app) -> None:
    at = default_app
    run = expected(L_EN - 1, 3)
    assert widget(at, "os_row").value == L_EN - 1 and widget(at, "os_block").value == 3
    assert widget(at, "os_step").value == 4  # ⌈10 / 3⌉ blocks, all processed
    table = at.dataframe[0].value
    assert table[tr("os.col.keys")].tolist() == ["0–2", "3–5", "6–8", "9–9"]
    assert table["m_old"].iloc[0] == "−∞" and table[tr("os.col.factor")].iloc[0] == "0.0000"
    assert table[tr("os.col.sum")].tolist() == [f"{s.running_sum:.4f}" for s in run.steps]
    weights = chart(at, tr("os.chart.weights"))
    np.testing.assert_allclose(matrix(weights)[-1], run.reference_weights.numpy(), atol=1e-6)
    np.testing.assert_allclose(matrix(weights)[-2], run.steps[-1].weights_so_far.numpy(), atol=1e-6)
    assert matrix(weights, "masked")[0].astype(bool).tolist() == [False] * 3 + [True] * 7  # block 1 saw keys 0–2
    outputs = chart(at, tr("os.chart.output"))
    np.testing.assert_allclose(matrix(outputs)[-1], run.reference_output.numpy(), atol=1e-6)
    shown = metrics(at)
    assert float(shown[tr("os.metric.output", n=4)]) == pytest.approx(run.max_output_diff, abs=1e-9)
    assert [s.value for s in at.success] == [tr("os.equal", diff=run.max_output_diff)]
    assert tr("os.raises", n=4, raises=run.max_raises, rescaled=run.max_raises - 1) in texts(at)


def test_fewer_steps_grey_out_the_blocks_not_processed() -> None:
    at = open_page(PAGE, os_step=2)
    masked = matrix(chart(at, tr("os.chart.output")), "masked").astype(bool)
    assert masked.any(axis=1).tolist() == [False, False, True, True, False]  # blocks 3, 4 not yet; reference shown
    assert len(at.dataframe[0].value) == 2


def _find(raised: bool) -> tuple[int, int, int]:
    """(row, block, step > 1) of the default sentence where that step raises / keeps the running max."""
    for row in range(L_EN):
        for block in range(1, 5):
            run = expected(row, block)
            for step in range(2, len(run.steps) + 1):
                if run.steps[step - 1].raised_max == raised:
                    return row, block, step
    raise AssertionError("no such case in the default sentence")


@pytest.mark.parametrize("raised", [True, False])
def test_step_sentence_follows_the_rescale(raised) -> None:
    row, block, step = _find(raised)
    at = open_page(PAGE, os_row=row, os_block=block, os_step=step)
    run = expected(row, block)
    key, other = ("os.raised", "os.kept") if raised else ("os.kept", "os.raised")
    assert tr(key, **described(run, step)) in texts(at)
    assert tr(other, **described(run, step)) not in texts(at)
    set_controls(at, os_step=1)
    assert tr("os.first", **described(run, 1)) in texts(at)


def test_the_verdict_and_the_answer_change_without_a_tolerance(monkeypatch) -> None:
    """The opposite case: with no tolerance, the rounding difference is called a difference, and the question's
    computed answer moves with it."""
    run = expected(L_EN - 1, 3)
    assert run.max_output_diff > 0  # float32 rounding in this order of additions
    monkeypatch.setattr(core.online_softmax, "EQUAL_UP_TO", -1.0)
    at = open_page(PAGE)
    assert [w.value for w in at.warning] == [tr("os.differ", diff=run.max_output_diff)]
    widget(at, "predict_os_difference").set_value("approx")
    at.run()
    assert at.success[0].value == tr("predict.right")


def test_the_question_is_answered_from_the_run() -> None:
    at = open_page(PAGE)
    run = expected(L_EN - 1, 3)
    widget(at, "predict_os_difference").set_value("rounding")
    at.run()
    assert at.success[0].value == tr("predict.right")
    assert tr("os.predict.explain", diff=run.max_output_diff) in texts(at)
    widget(at, "predict_os_difference").set_value("approx")
    at.run()
    assert at.error[0].value == tr("predict.wrong", answer=tr("os.predict.rounding"))


def test_traffic_sentences_follow_the_model(default_app) -> None:
    at = default_app
    traffic = memory_traffic(4096, 8, 128)
    shown = metrics(at)
    assert shown[tr("os.metric.naive")] == f"{traffic.naive * 4 / MIB:.2f}"
    assert shown[tr("os.metric.fused")] == f"{traffic.fused * 4 / MIB:.2f}"
    share = 100 * traffic.naive_matrix / traffic.naive
    less = tr("os.traffic.less", L=4096, d_k=8, B=128, ratio=traffic.naive / traffic.fused, share=share, tiles=32)
    assert less in texts(at)
    assert at.dataframe[1].value[tr("os.col.L")].tolist() == [256, 512, 1024, 2048, 4096]
    # The opposite case: tiles narrower than the head re-read K and V more than the L×L matrices cost.
    narrow = open_page(PAGE, d_k=128, os_tile=16, os_len=1024)
    traffic = memory_traffic(1024, 128, 16)
    assert traffic.fused > traffic.naive
    assert tr("os.traffic.more", L=1024, d_k=128, B=16, ratio=traffic.fused / traffic.naive, tiles=64) in texts(narrow)


def test_links_to_the_cost_page(default_app) -> None:
    links = default_app.get("page_link")
    assert [link.proto.label for link in links] == [tr("os.cost.link")]
    assert links[0].proto.page.endswith("cost")


def test_one_token() -> None:
    at = open_page(PAGE, text="hello")
    assert widget(at, "os_row") is None and widget(at, "os_block") is None and widget(at, "os_step") is None
    assert float(metrics(at)[tr("os.metric.output", n=1)]) == 0.0


def test_chinese() -> None:
    at = open_page(PAGE, lang="zh")
    assert at.header[0].value == tr("os.title", "zh")
    assert tr("os.metric.naive", "zh") in metrics(at)
