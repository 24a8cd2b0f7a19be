"""Predict, then reveal: nothing is revealed before a choice, the verdict follows the live computation."""

from __future__ import annotations

import pytest

from core.why_scale import SWEEP_D_KS, scaling_sweep
from tests.app.page_helpers import open_page, set_controls, tr, widget
from ui.charts.why_scale import sweep_frame

KEY = "predict_masks_causal_first"


def test_masks_question_reveals_only_after_a_choice() -> None:
    at = open_page("masks", L=6)
    question = widget(at, KEY)
    assert question.value is None and question.options == ["0", "1", "3", "6"]
    assert tr("predict.hint") in [c.value for c in at.caption]
    explanation = tr("predict.masks.explain", first=1, last=6, allowed=21, cells=36)
    assert explanation not in [m.value for m in at.markdown]
    set_controls(at, **{KEY: "1"})
    assert [s.value for s in at.success] == [tr("predict.right")]
    assert explanation in [m.value for m in at.markdown]


@pytest.mark.parametrize("wrong", ["0", "3", "6"])
def test_masks_question_names_the_answer_after_a_wrong_choice(wrong: str) -> None:
    at = open_page("masks", L=6, lang="zh")
    set_controls(at, **{KEY: wrong})
    assert [e.value for e in at.error] == [tr("predict.wrong", "zh", answer="1")]
    assert not at.success


def test_masks_question_follows_the_sequence_length() -> None:
    at = open_page("masks", L=2)
    assert widget(at, KEY).options == ["0", "1", "2"]  # 1 and L // 2 coincide


def test_scaling_question_answer_comes_from_the_sweep() -> None:
    curves = sweep_frame(scaling_sweep(seed=0)).pivot(index="d_k", columns=["setting", "metric"], values="value")
    unscaled, scaled = curves["unscaled"]["max_weight"], curves["scaled"]["max_weight"]
    assert unscaled.iloc[0] < 0.5 and unscaled.iloc[-1] > 0.9  # so "to_one" is the right answer
    at = open_page("why-sqrt-dk")
    key = "predict_scale_largest_weight"
    assert widget(at, key).value is None
    set_controls(at, **{key: "uniform"})
    assert [e.value for e in at.error] == [tr("predict.wrong", answer=tr("predict.scale.to_one"))]
    explanation = tr(
        "predict.scale.explain",
        first=unscaled.iloc[0],
        last=unscaled.iloc[-1],
        d_max=SWEEP_D_KS[-1],
        low=scaled.min(),
        high=scaled.max(),
    )
    assert explanation in [m.value for m in at.markdown]
