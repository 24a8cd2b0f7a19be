"""The sentences of the Step by step page that live numbers back: one claim per step, from
``core.step_by_step.StepFacts``, so another sentence or seed cannot make them false."""

from __future__ import annotations

from core.step_by_step import StepFacts
from ui.i18n import t


def step_claim(step: int, facts: StepFacts, mask: str) -> str | None:
    """One sentence per step (``mask`` is the mask's code, e.g. "causal"); None where there is nothing to claim."""
    if step == 1:
        s = facts.scores
        return t("steps.claim.1", n=facts.cells, low=s.low, high=s.high, std=s.std, root=1 / facts.scale)
    if step == 2:
        return t("steps.claim.2", before=facts.scores.std, after=facts.scaled_std, d_k=facts.d_k, scale=facts.scale)
    if step == 3:
        if mask == "none":
            return t("steps.claim.3.none")
        return t("steps.claim.3", kind=t(f"ctl.mask.{mask}"), masked=facts.not_allowed, total=facts.cells)
    if step == 4:
        if facts.row_sums is None:
            return None
        masked_max = t("steps.claim.4.no_masked") if facts.masked_weight_max is None else f"{facts.masked_weight_max:g}"
        low, high = facts.row_sums
        return t("steps.claim.4", low=low, high=high, masked_max=masked_max)
    if step == 5:
        verdict = t("steps.claim.5.true" if facts.outputs_within_values else "steps.claim.5.false")
        return t("steps.claim.5", verdict=verdict, n=facts.live_outputs)
    return None
