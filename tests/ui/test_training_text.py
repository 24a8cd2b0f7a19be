"""The Training page's sentences follow the run's numbers: each wording is checked against its opposite case."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch

from core.masks import causal_mask
from core.training import expected_ceiling
from ui import i18n
from ui.training_text import measured_against_ceiling, start_sentence


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setattr(i18n, "language", lambda: "en")


ROTATE = expected_ceiling("rotate", 8, True, 1000)  # 88.75% ± 0.12, 10% ± 0.95 (one standard error)


@pytest.mark.parametrize(
    ("token", "sequence", "verdict"),
    [
        pytest.param(0.8895, 0.116, "within chance", id="the-measured-rotate-run"),
        pytest.param(0.80, 0.05, "below that expectation", id="undertrained"),
        pytest.param(0.8875, 0.14, "above that expectation", id="lucky-held-out-set"),
    ],
)
def test_measurement_is_placed_against_the_expected_ceiling(token: float, sequence: float, verdict: str) -> None:
    text = measured_against_ceiling(token, sequence, ROTATE)
    assert verdict in text
    assert f"{token:.2%}" in text and f"{sequence:.2%}" in text


def run_with(weights: torch.Tensor, allowed: torch.Tensor) -> SimpleNamespace:
    return SimpleNamespace(probe_weights=weights.unsqueeze(0), allowed=allowed)


def test_start_sentence_says_uniform_over_the_visible_keys_under_a_causal_mask() -> None:
    allowed = causal_mask(4)
    uniform_causal = allowed / allowed.sum(dim=-1, keepdim=True)  # row i: 1/(i + 1)
    text = start_sentence(run_with(uniform_causal, allowed), causal=True)
    assert "over the keys the causal mask lets it see" in text and "within 0.000" in text
    # The same weights judged against 1/L (no mask) are far from uniform: the sentence changes.
    everything = torch.ones(4, 4, dtype=torch.bool)
    assert "already far from uniform" in start_sentence(run_with(uniform_causal, everything), causal=False)
    flat = torch.full((4, 4), 0.25)
    assert start_sentence(run_with(flat, everything), causal=False) == (
        "At step 0 every row is nearly uniform: each weight is within 0.000 of 1/L = 0.250."
    )
