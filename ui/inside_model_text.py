"""The Inside-the-model page's sentences, built from the measured values: how many heads fall in each category,
whether rollout spreads or concentrates the rows, and whether context separates the two senses of a word."""

from __future__ import annotations

from collections import Counter

import torch
from torch import Tensor

from core.head_taxonomy import entropy_bits
from core.senses import SenseSeparation
from ui.i18n import t


def category_counts(categories: list[str]) -> str:
    """``"Of the 72 heads: 38 [CLS] head, …"``, most common first."""
    parts = ", ".join(
        t("im.counts.part", n=n, name=t(f"im.category.{name}")) for name, n in Counter(categories).most_common()
    )
    return t("im.counts", total=len(categories), parts=parts)


def rollout_sentence(raw: Tensor, rollout: Tensor, layer: int) -> str:
    """Compares the mean row entropy of the layer's head-averaged attention with rollout's up to it."""
    raw_bits, rollout_bits = entropy_bits(raw).mean().item(), entropy_bits(rollout).mean().item()
    key = "im.roll.wider" if rollout_bits > raw_bits else "im.roll.narrower"
    return t(key, rollout=rollout_bits, raw=raw_bits, count=layer + 1)


def senses_sentence(separation: SenseSeparation) -> str:
    """After how many layers different-sense pairs are less alike than same-sense pairs (index 0 = embeddings)."""
    gap = separation.gap
    layers = gap.numel() - 1
    separated = int((gap[1:] > 0).sum())
    best = int(torch.argmax(gap[1:])) + 1
    if separated == 0:
        return t("im.sense.none", layers=layers)
    if separated == layers:
        return t("im.sense.all", layers=layers, best=best, layer=best - 1, gap=gap[best].item(), start=gap[0].item())
    return t("im.sense.some", count=separated, layers=layers, best=best, layer=best - 1, gap=gap[best].item())
