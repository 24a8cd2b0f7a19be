"""The Pretrained model lesson's numbers: where a token looks hardest, which heads resolve "it", and which head
sends the most attention to each target (all-MiniLM-L6-v2's weights come from ``core.minilm``).

Every function reads ``attentions [layers, heads, L, L]`` (a ``ModelRun``'s) and the tokens; the page only
picks what to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from core.minilm import CLS, HEAD_SUMMARY_TARGETS, SEP, HeadSummary

# Each example with the query token the page starts on (its last occurrence).
EXAMPLES: dict[str, tuple[str, str]] = {
    "it_tired": ("The animal didn't cross the street because it was too tired", "it"),
    "it_wide": ("The animal didn't cross the street because it was too wide", "it"),
    "agreement": ("The keys to the cabinet are on the table", "are"),
    "verb_object": ("The chef who trained the students cooked a wonderful meal", "cooked"),
    "chinese": ("中国的北京和日本的東京", "京"),
}
PRONOUN_PAIR = ("it_tired", "it_wide")
# The words of the pronoun pair ("The animal didn't cross the street because it was too tired / wide").
PRONOUN, ANIMAL, STREET = "it", "animal", "street"


def focus_index(tokens: tuple[str, ...], focus: str | None) -> int:
    """Where the page starts: the example's token (last occurrence), else the first word after [CLS]."""
    if focus is not None and focus in tokens:
        return len(tokens) - 1 - tokens[::-1].index(focus)
    return min(1, len(tokens) - 1)


@dataclass(frozen=True)
class Link:
    """One query → key weight in one head."""

    layer: int
    head: int
    key: int
    weight: float


def strongest_links(attentions: Tensor, tokens: tuple[str, ...], query: int, top: int) -> tuple[Link, ...]:
    """The ``top`` largest weights from ``query`` to another token, over every layer and head, largest first;
    [CLS], [SEP] and the query itself are left out (they take most of the weight in most heads)."""
    length = attentions.size(-1)
    others = torch.tensor([token not in (CLS, SEP) for token in tokens]) & (torch.arange(length) != query)
    links = torch.where(others, attentions[:, :, query, :], -1.0)  # [layers, heads, L]
    values, indices = links.flatten().topk(min(top, links.numel()))
    found = []
    for value, index in zip(values.tolist(), indices.tolist(), strict=True):
        if value < 0:
            break
        layer, rest = divmod(index, links.size(1) * length)
        head, key = divmod(rest, length)
        found.append(Link(layer, head, key, float(attentions[layer, head, query, key])))
    return tuple(found)


@dataclass(frozen=True)
class PronounChoice:
    """What "it" gives "animal" and "street" in every head of one sentence of the pair."""

    last_word: str  # tired or wide
    animal: Tensor  # [layers, heads]
    street: Tensor  # [layers, heads]

    @property
    def preferring_animal(self) -> int:
        """How many heads give "animal" more than "street"."""
        return int((self.animal > self.street).sum())


def pronoun_choice(attentions: Tensor, tokens: tuple[str, ...]) -> PronounChoice:
    position = {token: tokens.index(token) for token in (PRONOUN, ANIMAL, STREET)}
    from_it = attentions[:, :, position[PRONOUN]]  # [layers, heads, L]
    return PronounChoice(tokens[-2], from_it[..., position[ANIMAL]], from_it[..., position[STREET]])


def pronoun_candidates(weights: Tensor, tokens: tuple[str, ...]) -> dict[str, float]:
    """The prediction's choices and what one head's "it" gives each: the animal, the street, "because" and the
    sentence's last word. ``weights [L, L]``."""
    it = tokens.index(PRONOUN)
    return {word: float(weights[it, tokens.index(word)]) for word in (ANIMAL, STREET, "because", tokens[-2])}


@dataclass(frozen=True)
class TargetHeads:
    """One target of the head summary ([CLS], [SEP], self, previous, next) across every head."""

    target: str
    shares: Tensor  # [layers, heads]
    layer: int  # the head that sends it the largest share
    head: int
    share: float
    above_half: int  # heads that send it more than half of their attention

    @property
    def total(self) -> int:
        return self.shares.numel()


def target_heads(summary: HeadSummary, target: str) -> TargetHeads:
    shares = summary.shares[:, :, HEAD_SUMMARY_TARGETS.index(target)]
    layer, head = divmod(int(shares.argmax()), shares.size(1))
    return TargetHeads(target, shares, layer, head, float(shares.max()), int((shares > 0.5).sum()))
