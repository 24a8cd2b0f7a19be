"""The Training page's sentences, built from the run's numbers: the expected ceiling under a causal mask with the
measurement beside it, and how uniform the attention really is at step 0."""

from __future__ import annotations

from core.induction import PREVIOUS_HEAD, STRIPE, InductionRun, chance_loss, even_scores
from core.training import ExpectedCeiling, TrainingRun, expected_ceiling, start_deviation
from ui.i18n import sentences, t

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


def hidden_warning(run: TrainingRun) -> str:
    """Which queries the causal mask hid their answers from, the ceiling that leaves, and the measurement."""
    s = run.settings
    ceiling = expected_ceiling(s.task, s.seq_len, True, s.held_out_size)
    positions = ", ".join(str(i) for i in run.hidden_queries)
    measured = measured_against_ceiling(run.final_token_accuracy, run.final_sequence_accuracy, ceiling)
    return sentences(hidden_notice(positions, ceiling, s.held_out_size), measured)


def snapshot_sentence(run: TrainingRun, index: int) -> str:
    """The held-out accuracies and the expected keys' share at snapshot ``index``."""
    return t(
        "train.at_step",
        step=int(run.steps[index]),
        sequence=float(run.held_out_sequence_accuracy[index]),
        token=float(run.held_out_token_accuracy[index]),
        share=float(run.expected_key_share[index]),
    )


def reached_sentence(run: TrainingRun) -> str:
    """When the held-out sequences were first (nearly) all right, or that they never were."""
    reached = run.first_snapshot_reaching(0.99)
    if reached is None:
        return t("train.not_reached", steps=run.settings.steps)
    return t("train.reached", step=int(run.steps[reached]), seconds=float(run.seconds[reached]))


def start_sentence(run: TrainingRun, causal: bool) -> str:
    """How far step 0's probe attention is from an even share of the keys each row may see."""
    deviation = start_deviation(run.probe_weights[0], run.allowed)
    if deviation > NEARLY_UNIFORM:
        return t("train.meaning.start.peaked", deviation=deviation)
    if causal:
        return t("train.meaning.start.uniform_causal", deviation=deviation)
    return t("train.meaning.start.uniform", deviation=deviation, uniform=1 / run.allowed.size(-1))


# ── induction heads (core/induction.py) ──────────────────────────────────────


def drop_sentence(run: InductionRun) -> str:
    """Where the loss fell below half its plateau and from what to what, or that it never did."""
    drop = run.drop()
    if drop.step is None:
        return t("train.ind.no_drop", steps=run.settings.steps, plateau=drop.plateau, final=drop.final)
    vocab = run.settings.vocab_size
    return t(
        "train.ind.drop",
        step=drop.step,
        plateau=drop.plateau,
        at=drop.at_drop,
        final=drop.final,
        vocab=vocab,
        chance=chance_loss(vocab),
        seconds=float(run.seconds[drop.step]),
    )


def at_step_sentence(run: InductionRun, index: int) -> str:
    """What the probe's attention at snapshot ``index`` says: each layer's best head's score against even
    attention, whether the stripe and the previous-token head are there, and whether this is before the drop."""
    previous, induction = run.previous_token_scores[index], run.induction_scores[index]
    previous_head, induction_head = int(previous.argmax()), int(induction.argmax())
    previous_best, induction_best = float(previous.max()), float(induction.max())
    previous_even, induction_even = even_scores(run.settings.half)
    step = int(run.snapshot_steps[index])
    parts = [
        t(
            "train.ind.at",
            step=step,
            previous_head=previous_head,
            previous=previous_best,
            induction_head=induction_head,
            induction=induction_best,
            previous_even=previous_even,
            induction_even=induction_even,
        ),
        t("train.ind.verdict.stripe" if induction_best >= STRIPE else "train.ind.verdict.no_stripe", threshold=STRIPE),
        t(
            "train.ind.verdict.previous" if previous_best >= PREVIOUS_HEAD else "train.ind.verdict.no_previous",
            threshold=PREVIOUS_HEAD,
        ),
    ]
    drop = run.drop().step
    if drop is not None:
        parts.append(t("train.ind.phase.before" if step < drop else "train.ind.phase.after", drop=drop))
    return sentences(*parts)


def stripe_sentence(run: InductionRun) -> str:
    """The first snapshot that shows the stripe, and how long training had run by then."""
    first = run.first_snapshot_with(STRIPE)
    if first is None:
        return t("train.ind.stripe_never", threshold=STRIPE)
    step = int(run.snapshot_steps[first])
    return t("train.ind.stripe_at", threshold=STRIPE, step=step, seconds=float(run.seconds[step]))
