"""The sentences of the Why √d_k page, built from the sweep's numbers: each direction ("rises", "falls") and
each verdict ("more", "less") is chosen from the values, so another seed or sweep cannot make them false.

``curves`` is the wide sweep frame of the page: index d_k, columns (setting, metric), as
``sweep_frame(...).pivot(index="d_k", columns=["setting", "metric"], values="value")``.
"""

from __future__ import annotations

import math

import pandas as pd

from ui.i18n import sentences, t


def movement(first: float, last: float, spec: str) -> str:
    """“rises from a to b” / “falls from a to b” / “stays at b”, the numbers formatted with ``spec``."""
    a, b = format(first, spec), format(last, spec)
    if a == b:
        return t("wording.stays", b=b)
    return t("wording.rises" if last > first else "wording.falls", a=a, b=b)


def unscaled_summary(curves: pd.DataFrame, keys: int) -> str:
    unscaled = curves["unscaled"]
    return t(
        "scale.sweep.unscaled",
        d_max=int(curves.index[-1]),
        variance=movement(unscaled["variance"].iloc[0], unscaled["variance"].iloc[-1], ".2f"),
        max_weight=movement(unscaled["max_weight"].iloc[0], unscaled["max_weight"].iloc[-1], ".3f"),
        entropy=movement(unscaled["entropy"].iloc[0], unscaled["entropy"].iloc[-1], ".3f"),
        keys=keys,
        ent_uniform=math.log(keys),
        gradient=movement(unscaled["score_gradient"].iloc[0], unscaled["score_gradient"].iloc[-1], ".2g"),
    )


def scaled_summary(curves: pd.DataFrame) -> str:
    scaled = curves["scaled"]
    return t(
        "scale.sweep.scaled",
        var_low=scaled["variance"].min(),
        var_high=scaled["variance"].max(),
        max_low=scaled["max_weight"].min(),
        max_high=scaled["max_weight"].max(),
        ent_low=scaled["entropy"].min(),
        ent_high=scaled["entropy"].max(),
        gradient=movement(scaled["score_gradient"].iloc[0], scaled["score_gradient"].iloc[-1], ".2g"),
    )


def gradient_verdict(curves: pd.DataFrame) -> str:
    """What reaches q·k at the largest d_k, median and mean, and from which d_k scaling passes more."""
    d_max = int(curves.index[-1])
    median_scaled, median_unscaled = curves["scaled"]["score_gradient"], curves["unscaled"]["score_gradient"]
    mean_scaled = curves["scaled"]["score_gradient_mean"].iloc[-1]
    mean_unscaled = curves["unscaled"]["score_gradient_mean"].iloc[-1]
    last_scaled, last_unscaled = median_scaled.iloc[-1], median_unscaled.iloc[-1]
    if last_scaled > last_unscaled:
        median = t("scale.grad.median.more", d_max=d_max, ratio=last_scaled / last_unscaled)
    else:
        median = t("scale.grad.median.less", d_max=d_max, ratio=last_unscaled / last_scaled)
    median += t("scale.grad.median.values", scaled=last_scaled, unscaled=last_unscaled)
    wins = [int(d_k) for d_k in curves.index if median_scaled[d_k] > median_unscaled[d_k]]
    # From which d_k on the scaled median stays ahead (None: at no d_k, or not at the last one).
    from_d_k = next((d for d in wins if all(e in wins for e in curves.index if e >= d)), None)
    crossover = t("scale.grad.from", d_k=from_d_k) if from_d_k is not None else t("scale.grad.never", d_max=d_max)
    if (mean_scaled > mean_unscaled) == (last_scaled > last_unscaled):
        mean_key = "scale.grad.mean.agrees"
    else:
        # The usual split: scaling helps the typical row, while a few near-tied unscaled rows lift the mean.
        mean_key = "scale.grad.mean.tail" if last_scaled > last_unscaled else "scale.grad.mean.differs"
    mean = t(mean_key, scaled=mean_scaled, unscaled=mean_unscaled, factor=1 / math.sqrt(d_max))
    return sentences(median, crossover, mean)


def largest_weight_answer(curves: pd.DataFrame) -> str:
    """The prediction's right choice, from the sweep itself: "same" unless the unscaled largest weight moves by more
    than 0.1 between the smallest and the largest d_k."""
    largest = curves["unscaled"]["max_weight"]
    growth = largest.iloc[-1] - largest.iloc[0]
    return "to_one" if growth > 0.1 else "uniform" if growth < -0.1 else "same"
