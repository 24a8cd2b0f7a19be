"""The Why √d_k sentences pick their directions and verdicts from the numbers: each test sets up the opposite
case and checks that the wording changes."""

from __future__ import annotations

import pandas as pd
import pytest

from core.why_scale import scaling_sweep
from ui import i18n
from ui.charts.why_scale import sweep_frame
from ui.why_scale_text import gradient_verdict, movement, scaled_summary, unscaled_summary


def en(key: str, **values: object) -> str:
    return i18n.STRINGS[key]["en"].format(**values)


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setattr(i18n, "language", lambda: "en")


def curves_of(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.pivot(index="d_k", columns=["setting", "metric"], values="value").sort_index()


@pytest.fixture(scope="module")
def measured() -> pd.DataFrame:
    return curves_of(sweep_frame(scaling_sweep(seed=0)))


def with_values(curves: pd.DataFrame, setting: str, metric: str, values: list[float]) -> pd.DataFrame:
    changed = curves.copy()
    changed[(setting, metric)] = values
    return changed


def test_movement_follows_the_numbers() -> None:
    assert movement(0.2, 0.9, ".1f") == "rises from 0.2 to 0.9"
    assert movement(0.9, 0.2, ".1f") == "falls from 0.9 to 0.2"
    assert movement(0.91, 0.94, ".1f") == "stays at 0.9"  # equal as printed: no direction is claimed


def test_measured_sweep_at_512_median_favours_scaling_and_mean_does_not(measured) -> None:
    text = gradient_verdict(measured)
    median = measured["scaled"]["score_gradient"].iloc[-1] / measured["unscaled"]["score_gradient"].iloc[-1]
    assert en("scale.grad.median.more", d_max=512, ratio=median) in text
    assert "The mean says the opposite" in text and "typical row, not about the average" in text
    assert en("scale.grad.from", d_k=256) in text  # seed 0: 128 still favours the unscaled median


def test_verdict_flips_when_the_scaled_median_is_smaller(measured) -> None:
    small = [value / 1000 for value in measured["scaled"]["score_gradient"]]
    text = gradient_verdict(with_values(measured, "scaled", "score_gradient", small))
    assert "× less with scaling than without" in text
    assert en("scale.grad.never", d_max=512) in text
    # Median and mean now agree (both smaller with scaling).
    assert "The mean says the same" in text


def test_mean_agrees_when_the_scaled_mean_is_larger(measured) -> None:
    big = [value * 100 for value in measured["scaled"]["score_gradient_mean"]]
    text = gradient_verdict(with_values(measured, "scaled", "score_gradient_mean", big))
    assert "The mean says the same" in text and "opposite" not in text


def test_summaries_choose_rises_or_falls_from_the_sweep(measured) -> None:
    text = unscaled_summary(measured, 16)
    assert "the mean largest weight rises from" in text and "the mean entropy falls from" in text
    reversed_max = list(measured["unscaled"]["max_weight"])[::-1]
    flipped = unscaled_summary(with_values(measured, "unscaled", "max_weight", reversed_max), 16)
    assert "the mean largest weight falls from" in flipped
    assert "gradient reaching q·k falls from" in scaled_summary(measured)
    rising = list(measured["scaled"]["score_gradient"])[::-1]
    assert "gradient reaching q·k rises from" in scaled_summary(
        with_values(measured, "scaled", "score_gradient", rising)
    )
