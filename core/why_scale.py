r"""Why attention divides by √d_k, measured.

With q and k of independent unit-variance entries, :math:`q\cdot k = \sum_{i=1}^{d_k} q_i k_i` is a sum of
d_k unit-variance terms, so its variance is d_k. Unscaled, the softmax of such scores saturates as d_k
grows: one weight takes almost everything and the row entropy falls to 0. Dividing by √d_k brings the
variance back to 1 for every d_k.

Gradients: W_q and W_k learn through the gradient that reaches the raw score q·k. For
:math:`p = \mathrm{softmax}(c\, q\cdot k)` (c = 1 unscaled, 1/√d_k scaled) the chain rule gives
:math:`\partial p / \partial (q\cdot k) = c\,(\mathrm{diag}(p) - p p^\top)`: the softmax's Jacobian at its own
input, times c. So scaling keeps the typical row's Jacobian from collapsing, but it also multiplies the
gradient by 1/√d_k; a few near-tied unscaled rows keep a large gradient. Both the median and the mean are
kept, because they answer different questions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor

from core.multihead import MultiHeadAttention
from core.pipeline import self_attention
from core.tokens import embed_tokens, random_embeddings

SWEEP_D_KS: tuple[int, ...] = tuple(2**i for i in range(10))  # 1, 2, 4, …, 512
SWEEP_QUERIES = 1024
SWEEP_KEYS = 16


@dataclass(frozen=True)
class SoftmaxStats:
    """How peaked a batch of softmax rows is, and how much gradient flows back through them.

    Shapes: logits/weights/max_weight/entropy/jacobian_norm are per row ``[..., S]`` or ``[...]``.
    """

    logits: Tensor  # [..., S] what the softmax was given
    weights: Tensor  # [..., S] softmax along the last axis
    max_weight: Tensor  # [...] largest weight of each row
    entropy: Tensor  # [...] −Σ p ln p of each row, in nats (0 = one-hot, ln S = uniform)
    jacobian_norm: Tensor  # [...] ‖∂softmax(s)/∂s‖_F of each row at the softmax's own input s, from autograd
    score_gradient_norm: Tensor  # [...] ‖∂softmax(c·x)/∂x‖_F at the raw scores x = q·k (chain rule through c)
    logit_variance: float  # variance of all logits
    mean_max_weight: float
    mean_entropy: float
    mean_jacobian_norm: float
    mean_score_gradient: float
    median_score_gradient: float  # the typical row; the mean is pulled up by a few near-tied rows


@dataclass(frozen=True)
class ScalingComparison:
    """The same raw scores q·k through the softmax as they are and divided by √d_k."""

    d_k: int
    scores: Tensor  # [..., L, S] raw q·kᵀ
    unscaled: SoftmaxStats  # softmax(q·kᵀ)
    scaled: SoftmaxStats  # softmax(q·kᵀ / √d_k)


@dataclass(frozen=True)
class ScalingSweep:
    """One comparison per d_k, on fresh standard-normal queries and keys."""

    num_queries: int  # rows per d_k; each query has its own keys
    num_keys: int  # S, keys per row
    seed: int
    points: tuple[ScalingComparison, ...]  # ascending d_k


def softmax_jacobian_norm(logits: Tensor, scale: float = 1.0) -> Tensor:
    """Frobenius norm of each row's Jacobian of ``x ↦ softmax(scale · x)`` at ``x = logits``, by autograd.

    Shapes: ``[..., S]`` → ``[...]``. Row i of the Jacobian of one softmax row is the gradient of its
    i-th weight; rows of the batch do not interact, so one backward pass per i serves every row.
    """
    num_keys = logits.size(-1)
    with torch.enable_grad():
        inputs = logits.detach().requires_grad_(True)
        weights = torch.softmax(inputs * scale, dim=-1)
        squared = torch.zeros(logits.shape[:-1], dtype=logits.dtype)
        for i in range(num_keys):
            (gradient,) = torch.autograd.grad(weights[..., i].sum(), inputs, retain_graph=i < num_keys - 1)
            squared += gradient.pow(2).sum(dim=-1)  # ‖∂p_i/∂s‖² of each row
    return squared.sqrt()


def softmax_stats(scores: Tensor, scale: float = 1.0) -> SoftmaxStats:
    """The softmax of ``scale · scores`` along the last axis. Shapes: scores ``[..., S]`` (S ≥ 1)."""
    scores = scores.detach()
    logits = scores * scale
    weights = torch.softmax(logits, dim=-1)
    max_weight = weights.amax(dim=-1)
    entropy = torch.special.entr(weights).sum(dim=-1)  # entr(0) = 0, so one-hot rows give exactly 0
    jacobian_norm = softmax_jacobian_norm(logits)
    score_gradient_norm = softmax_jacobian_norm(scores, scale)
    return SoftmaxStats(
        logits=logits,
        weights=weights,
        max_weight=max_weight,
        entropy=entropy,
        jacobian_norm=jacobian_norm,
        score_gradient_norm=score_gradient_norm,
        logit_variance=float(logits.var(correction=0)),
        mean_max_weight=float(max_weight.mean()),
        mean_entropy=float(entropy.mean()),
        mean_jacobian_norm=float(jacobian_norm.mean()),
        mean_score_gradient=float(score_gradient_norm.mean()),
        median_score_gradient=float(score_gradient_norm.flatten().quantile(0.5)),
    )


def compare_scaling(query: Tensor, key: Tensor) -> ScalingComparison:
    """Shapes: query ``[..., L, d_k]``, key ``[..., S, d_k]`` → scores ``[..., L, S]``."""
    if query.size(-1) != key.size(-1):
        raise ValueError(f"query and key must share d_k, got {query.size(-1)} and {key.size(-1)}")
    d_k = query.size(-1)
    scores = (query @ key.transpose(-2, -1)).detach()  # [..., L, S]
    return ScalingComparison(
        d_k=d_k,
        scores=scores,
        unscaled=softmax_stats(scores),
        scaled=softmax_stats(scores, 1 / math.sqrt(d_k)),
    )


def scaling_sweep(
    d_ks: tuple[int, ...] = SWEEP_D_KS,
    *,
    num_queries: int = SWEEP_QUERIES,
    num_keys: int = SWEEP_KEYS,
    seed: int = 0,
) -> ScalingSweep:
    """For each d_k: ``num_queries`` queries, each against its own ``num_keys`` keys, entries N(0, 1).

    Shapes: per d_k, query ``[N, 1, d_k]`` and key ``[N, S, d_k]`` → scores ``[N, 1, S]``.
    """
    if not d_ks or min(d_ks) < 1 or num_queries < 1 or num_keys < 1:
        raise ValueError("d_ks, num_queries and num_keys must be positive")
    generator = torch.Generator().manual_seed(seed)
    points = []
    for d_k in sorted(d_ks):
        query = torch.randn(num_queries, 1, d_k, generator=generator)
        key = torch.randn(num_queries, num_keys, d_k, generator=generator)
        points.append(compare_scaling(query, key))
    return ScalingSweep(num_queries=num_queries, num_keys=num_keys, seed=seed, points=tuple(points))


def embeddings_at_width(tokens: list[str], mode: str, d_model: int, seed: int) -> Tensor:
    """The tokens embedded at width ``d_model`` as the pages embed them: deterministic per token for a sentence
    (``mode`` "sentence"), else seeded random rows. Shapes: ``[L, d_model]``."""
    if mode == "sentence":
        return embed_tokens(tokens, d_model, seed)
    return random_embeddings(len(tokens), d_model, seed)


def head_comparison(model: MultiHeadAttention, embeddings: Tensor) -> ScalingComparison:
    """One head with d_model = d_k: its q and k for the sequence, through the softmax both ways (no mask).

    Shapes: embeddings ``[L, d_model]`` → scores ``[1, 1, L, L]``."""
    result = self_attention(model, embeddings, None)
    return compare_scaling(result.q, result.k)
