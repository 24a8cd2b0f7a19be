"""Does context separate a word's meanings? Cosine similarity, per layer, between one word's hidden states
in pairs of sentences that use it in the same sense and in pairs that use it in different senses
(the measure of Ethayarajh 2019 and of the BERT word-sense probes, done here on a handful of sentences)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import torch
import torch.nn.functional as F
from torch import Tensor


@dataclass(frozen=True)
class SenseSeparation:
    """``same [layers + 1]`` and ``different [layers + 1]``: mean cosine over same-sense pairs and over
    different-sense pairs at each hidden state (index 0 = the embeddings, the last = the model's output);
    ``gap`` = same − different (positive = context pulls the senses apart)."""

    same: Tensor
    different: Tensor
    same_pairs: int
    different_pairs: int

    @property
    def gap(self) -> Tensor:
        return self.same - self.different


def sense_separation(vectors: Tensor, senses: tuple[str, ...]) -> SenseSeparation:
    """``vectors [sentences, layers + 1, d]``: the word's hidden state in each sentence at each layer;
    ``senses``: each sentence's sense label. Needs at least one pair of each kind."""
    same, different = [], []
    for i, j in combinations(range(len(senses)), 2):
        cosine = F.cosine_similarity(vectors[i], vectors[j], dim=-1)  # [layers + 1]
        (same if senses[i] == senses[j] else different).append(cosine)
    if not same or not different:
        raise ValueError("need at least one same-sense pair and one different-sense pair")
    return SenseSeparation(
        same=torch.stack(same).mean(0),
        different=torch.stack(different).mean(0),
        same_pairs=len(same),
        different_pairs=len(different),
    )


def word_vectors(runs: Sequence[tuple[tuple[str, ...], Tensor]], word: str) -> Tensor:
    """``word``'s hidden states in each sentence: ``runs`` of (tokens, hidden_states ``[layers + 1, L, d]``) →
    ``[sentences, layers + 1, d]``, the input of ``sense_separation`` (the word's first occurrence)."""
    return torch.stack([hidden[:, tokens.index(word)] for tokens, hidden in runs])
