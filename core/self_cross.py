"""Cross-attention (queries from one sequence, keys and values from another) and the same word in two contexts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from core.multihead import MultiHeadAttention, MultiHeadResult
from core.pipeline import build_model

# A decoder's cross-attention has projections of its own. Its weights are drawn from seed + 2³¹, a seed no
# self-attention layer of the app uses (the seed control stops at 2³¹ − 1). Not 2³²: torch's CPU generator keeps
# only a seed's low 32 bits, so seed + 2³² gives the self-attention's own weights.
CROSS_SEED_OFFSET = 2**31
# Two outputs whose cosine prints as 1.000000 (six decimals, as the page shows it) are called identical.
IDENTICAL_COSINE = 1 - 5e-7


def build_cross_model(d_k: int, num_heads: int, seed: int) -> MultiHeadAttention:
    """The cross-attention layer that goes with ``build_model(d_k, num_heads, seed)``: its own W_Q, W_K, W_V, W_O."""
    return build_model(d_k, num_heads, seed + CROSS_SEED_OFFSET)


@torch.no_grad()
def cross_attention(model: MultiHeadAttention, target: Tensor, source: Tensor) -> MultiHeadResult:
    """Encoder–decoder attention: Q from the target, K and V from the source.

    Shapes: target ``[L_t, d_model]``, source ``[L_s, d_model]`` → weights ``[1, H, L_t, L_s]``,
    output ``[1, L_t, d_model]`` (one row per target token).
    """
    source_batch = source.unsqueeze(0)  # [1, L_s, d_model]
    return model(target.unsqueeze(0), source_batch, source_batch)


def find_word(tokens: Sequence[str], word_tokens: Sequence[str]) -> int | None:
    """Where ``word_tokens`` first occur in ``tokens`` (case-folded, as embeddings are), or None."""
    wanted = [token.casefold() for token in word_tokens]
    if not wanted:
        return None
    folded = [token.casefold() for token in tokens]
    for start in range(len(folded) - len(wanted) + 1):
        if folded[start : start + len(wanted)] == wanted:
            return start
    return None


def cosine(a: Tensor, b: Tensor) -> float:
    """Cosine similarity of two vectors, in float64 so identical vectors give 1 to ~1e-16."""
    return F.cosine_similarity(a.double(), b.double(), dim=-1).item()


@dataclass(frozen=True)
class TokenInContexts:
    """One token of the word, once in each sentence."""

    position_a: int
    position_b: int
    same_embedding: bool  # the two embedding vectors are bit-for-bit equal
    embedding_cosine: float
    output_cosine: float  # of the layer's outputs (after W_o)
    head_output_cosines: tuple[float, ...]  # of each head's output (before concat)

    @property
    def same_output(self) -> bool:
        """The outputs are identical as far as the page prints them (cosine 1.000000)."""
        return self.output_cosine >= IDENTICAL_COSINE


@dataclass(frozen=True)
class ContextComparison:
    """Shapes: results with batch 1 (weights ``[1, H, L, L]``); one TokenInContexts per token of the word."""

    result_a: MultiHeadResult
    result_b: MultiHeadResult
    tokens: tuple[TokenInContexts, ...]


@torch.no_grad()
def compare_in_contexts(
    model: MultiHeadAttention, embeddings_a: Tensor, embeddings_b: Tensor, start_a: int, start_b: int, length: int
) -> ContextComparison:
    """Self-attend over each sentence and compare the word's vectors before and after attention.

    Shapes: embeddings_a ``[L_a, d_model]``, embeddings_b ``[L_b, d_model]``; the word occupies
    ``length`` positions from ``start_a`` in A and from ``start_b`` in B.
    """
    result_a = model(embeddings_a.unsqueeze(0))
    result_b = model(embeddings_b.unsqueeze(0))
    heads_a, heads_b = result_a.attention.output[0], result_b.attention.output[0]  # [H, L, d_k]
    tokens = []
    for offset in range(length):
        i, j = start_a + offset, start_b + offset
        tokens.append(
            TokenInContexts(
                position_a=i,
                position_b=j,
                same_embedding=torch.equal(embeddings_a[i], embeddings_b[j]),
                embedding_cosine=cosine(embeddings_a[i], embeddings_b[j]),
                output_cosine=cosine(result_a.output[0, i], result_b.output[0, j]),
                head_output_cosines=tuple(cosine(heads_a[h, i], heads_b[h, j]) for h in range(heads_a.size(0))),
            )
        )
    return ContextComparison(result_a=result_a, result_b=result_b, tokens=tuple(tokens))
