"""The Training page's sentences, built from the run's numbers: the expected ceiling under a causal mask with the
measurement beside it, and how uniform the attention really is at step 0."""

from __future__ import annotations

from core.training import ExpectedCeiling, TrainingRun, start_deviation
from ui.i18n import t

NEARLY_UNIFORM = 0.05  # the largest gap from an even share that still reads as "nearly uniform"
CHANCE_RANGE = 2  # standard errors either side of the expectation that chance explains


def hidden_notice(positions: str, ceiling: ExpectedCeiling, count: int) -> str:
    return t(
        "train.hidden",
        positions=positions,
        token=ceiling.token,
        # Three significant digits: 10%, 0.01%, 0.0001% (a chance of 1 in 10 per hidden position).
        sequence=f"{ceiling.sequence * 100:.3g}",
        count=count,
        token_range=CHANCE_RANGE * ceiling.token_error * 100,
        sequence_range=CHANCE_RANGE * ceiling.sequence_error * 100,
    )


def measured_against_ceiling(token: float, sequence: float, ceiling: ExpectedCeiling) -> str:
    """Whether the final measurement is within chance of the expected ceiling, below it or above it."""
    gaps = (
        (token - ceiling.token) / max(ceiling.token_error, 1e-12),
        (sequence - ceiling.sequence) / max(ceiling.sequence_error, 1e-12),
    )
    if min(gaps) < -CHANCE_RANGE:
        key = "train.hidden.below"
    elif max(gaps) > CHANCE_RANGE:
        key = "train.hidden.above"
    else:
        key = "train.hidden.within"
    return t(key, token=token, sequence=sequence)


def start_sentence(run: TrainingRun, causal: bool) -> str:
    """How far step 0's probe attention is from an even share of the keys each row may see."""
    deviation = start_deviation(run.probe_weights[0], run.allowed)
    if deviation > NEARLY_UNIFORM:
        return t("train.meaning.start.peaked", deviation=deviation)
    if causal:
        return t("train.meaning.start.uniform_causal", deviation=deviation)
    return t("train.meaning.start.uniform", deviation=deviation, uniform=1 / run.allowed.size(-1))
