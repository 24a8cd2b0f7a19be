"""Cross-attention (queries from one sequence, keys and values from another) and the same word in two contexts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from core.attention import AttentionResult
from core.masks import causal_mask
from core.multihead import MultiHeadAttention, MultiHeadResult
from core.pipeline import build_model, self_attention

# The lesson's examples, per language, keyed by their URL parameters: a translation pair (source → target)
# and two sentences sharing a word.
EXAMPLES = {
    "en": {
        "xattn_src": "I am studying artificial intelligence",
        "xattn_tgt": "我在学习人工智能",
        "xattn_a": "I sat on the river bank",
        "xattn_b": "I put money in the bank",
        "xattn_word": "bank",
    },
    "zh": {
        "xattn_src": "我在学习人工智能",
        "xattn_tgt": "I am studying artificial intelligence",
        "xattn_a": "我吃了一个苹果",
        "xattn_b": "苹果发布了新手机",
        "xattn_word": "苹果",
    },
}
CONTEXT_KEYS = ("xattn_a", "xattn_b", "xattn_word")
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


@dataclass(frozen=True)
class EncoderDecoder:
    """One decoder step's two attentions over the same target: cross (keys and values from the source, weights
    ``[1, H, L_t, L_s]``) and self (over the target itself, causal or not, weights ``[1, H, L_t, L_t]``)."""

    cross: AttentionResult
    own: AttentionResult


@torch.no_grad()
def encoder_decoder(
    model: MultiHeadAttention, cross_model: MultiHeadAttention, target: Tensor, source: Tensor, causal: bool
) -> EncoderDecoder:
    """Shapes: target ``[L_t, d_model]``, source ``[L_s, d_model]``; ``model`` self-attends, ``cross_model`` is
    the cross-attention with its own projections (``build_cross_model``)."""
    cross = cross_attention(cross_model, target, source).attention
    own = self_attention(model, target, causal_mask(target.size(0)) if causal else None).attention
    return EncoderDecoder(cross=cross, own=own)


def row_sum_range(weights: Tensor) -> tuple[float, float]:
    """The smallest and the largest row sum of ``weights [rows, cols]``."""
    sums = weights.sum(dim=-1)
    return float(sums.min()), float(sums.max())


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

    @property
    def verdict(self) -> str:
        """Same or different input, then output: "same_same", "same_differ", "differ_same" or "differ_differ"."""
        return f"{'same' if self.same_embedding else 'differ'}_{'same' if self.same_output else 'differ'}"


@dataclass(frozen=True)
class ContextComparison:
    """Shapes: results with batch 1 (weights ``[1, H, L, L]``); one TokenInContexts per token of the word."""

    result_a: MultiHeadResult
    result_b: MultiHeadResult
    tokens: tuple[TokenInContexts, ...]

    @property
    def rows_a(self) -> list[int]:
        return [token.position_a for token in self.tokens]

    @property
    def rows_b(self) -> list[int]:
        return [token.position_b for token in self.tokens]

    @property
    def same_embeddings(self) -> bool:
        return all(token.same_embedding for token in self.tokens)

    @property
    def same_outputs(self) -> bool:
        return all(token.same_output for token in self.tokens)

    def word_weights(self, head: int) -> tuple[Tensor, Tensor]:
        """What the word's tokens attend to in head ``head``: ``[word tokens, L_a]`` and ``[word tokens, L_b]``."""
        return self.result_a.attention.weights[0, head, self.rows_a], self.result_b.attention.weights[
            0, head, self.rows_b
        ]

    def word_vectors(self, embeddings_a: Tensor, embeddings_b: Tensor) -> tuple[Tensor, Tensor]:
        """The word's embeddings and its outputs, one row per (token, sentence), A before B:
        ``[2 × word tokens, d_model]`` each, so equal rows and different rows stand out side by side."""
        outputs_a, outputs_b = self.result_a.output[0], self.result_b.output[0]  # [L, d_model]
        pairs = [(token.position_a, token.position_b) for token in self.tokens]
        embeddings = torch.stack([row for i, j in pairs for row in (embeddings_a[i], embeddings_b[j])])
        outputs = torch.stack([row for i, j in pairs for row in (outputs_a[i], outputs_b[j])])
        return embeddings, outputs


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
