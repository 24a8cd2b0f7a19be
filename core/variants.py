r"""Attention variants on the same queries and keys: four score functions, soft vs hard attention, temperature.

.. math::
    \text{dot: } q\cdot k \qquad \text{scaled dot: } \frac{q\cdot k}{\sqrt{d_k}} \qquad
    \text{general: } q^\top W k \qquad \text{additive: } v^\top \tanh(W q + U k)

Every score matrix becomes weights by a row softmax (soft attention). Hard attention replaces the
weights by a one-hot choice of one key, the argmax or a key sampled from the softmax; the choice is an
integer index, so no gradient flows back to the scores. A temperature τ divides the scores before the
softmax: τ → 0 approaches the argmax, a large τ approaches uniform weights.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor

ScoringName = Literal["dot", "scaled_dot", "general", "additive"]
SCORING_NAMES: tuple[ScoringName, ...] = ("dot", "scaled_dot", "general", "additive")
# Scores this close count as a shared maximum (identical tokens give identical keys, hence tied scores).
TIE_RTOL = 1e-6
TIE_ATOL = 1e-6


@dataclass(frozen=True)
class ScoringParams:
    """The learned parameters of general and additive scoring (random here: nothing is trained).

    Shapes: general ``[d_k, d_k]``; additive_query, additive_key ``[hidden, d_k]``; additive_vector ``[hidden]``.
    """

    general: Tensor  # W in qᵀ·W·k
    additive_query: Tensor  # W in vᵀ·tanh(W·q + U·k)
    additive_key: Tensor  # U
    additive_vector: Tensor  # v


@dataclass(frozen=True)
class Scoring:
    """One score function's result. Shapes: scores, weights ``[..., L, S]``; entropy ``[..., L]``."""

    name: ScoringName
    scores: Tensor
    weights: Tensor  # row softmax of scores
    entropy: Tensor  # of each row's weights, in nats


def _labelled_seed(seed: int, label: str) -> int:
    # Its own stream per label: the projections drawn from the same seed must not reappear as W or U.
    digest = hashlib.blake2b(f"{seed}\x1f{label}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF


def scoring_params(d_k: int, seed: int, hidden: int | None = None) -> ScoringParams:
    """Entries ~ N(0, 1/fan_in) drawn from ``seed``. ``hidden`` (additive's width) defaults to d_k.

    With unit-variance q and k, qᵀ·W·k then has the same variance (d_k) as the unscaled q·k.
    Shapes: see ``ScoringParams``.
    """
    if d_k < 1:
        raise ValueError(f"d_k must be ≥ 1, got {d_k}")
    hidden = d_k if hidden is None else hidden
    if hidden < 1:
        raise ValueError(f"hidden must be ≥ 1, got {hidden}")
    generator = torch.Generator().manual_seed(_labelled_seed(seed, "variants"))
    return ScoringParams(
        general=torch.randn(d_k, d_k, generator=generator) / math.sqrt(d_k),
        additive_query=torch.randn(hidden, d_k, generator=generator) / math.sqrt(d_k),
        additive_key=torch.randn(hidden, d_k, generator=generator) / math.sqrt(d_k),
        additive_vector=torch.randn(hidden, generator=generator) / math.sqrt(hidden),
    )


def dot_scores(query: Tensor, key: Tensor) -> Tensor:
    """Shapes: query ``[..., L, d_k]``, key ``[..., S, d_k]`` → ``[..., L, S]``."""
    return query @ key.transpose(-2, -1)


def scaled_dot_scores(query: Tensor, key: Tensor) -> Tensor:
    """q·k / √d_k, with d_k read from the query (the head's size). Shapes: as ``dot_scores``."""
    return dot_scores(query, key) / math.sqrt(query.size(-1))


def general_scores(query: Tensor, key: Tensor, weight: Tensor) -> Tensor:
    """qᵀ·W·k (Luong's "general"). Shapes: weight ``[d_k, d_k]``; otherwise as ``dot_scores``."""
    return query @ weight @ key.transpose(-2, -1)


def additive_scores(query: Tensor, key: Tensor, w_query: Tensor, w_key: Tensor, vector: Tensor) -> Tensor:
    """vᵀ·tanh(W·q + U·k) (Bahdanau's additive attention).

    Shapes: w_query, w_key ``[hidden, d_k]``, vector ``[hidden]``; otherwise as ``dot_scores``.
    """
    projected_query = query @ w_query.T  # [..., L, hidden]
    projected_key = key @ w_key.T  # [..., S, hidden]
    hidden = torch.tanh(projected_query.unsqueeze(-2) + projected_key.unsqueeze(-3))  # [..., L, S, hidden]
    return hidden @ vector  # [..., L, S]


def entropy(weights: Tensor) -> Tensor:
    """−Σ w·ln w over the last dimension, with 0·ln 0 = 0. Shapes: ``[..., S]`` → ``[...]``."""
    return -torch.special.xlogy(weights, weights).sum(dim=-1)


def _scoring(name: ScoringName, scores: Tensor) -> Scoring:
    weights = torch.softmax(scores, dim=-1)
    return Scoring(name=name, scores=scores, weights=weights, entropy=entropy(weights))


def score_variants(query: Tensor, key: Tensor, params: ScoringParams) -> tuple[Scoring, ...]:
    """The four score functions on the same queries and keys, in ``SCORING_NAMES`` order.

    Shapes: query ``[..., L, d_k]``, key ``[..., S, d_k]``; each result ``[..., L, S]``.
    """
    if query.size(-1) != key.size(-1) or params.general.size(0) != query.size(-1):
        raise ValueError(
            f"query, key and the parameters must share d_k, got {query.size(-1)}, {key.size(-1)} "
            f"and {params.general.size(0)}"
        )
    return (
        _scoring("dot", dot_scores(query, key)),
        _scoring("scaled_dot", scaled_dot_scores(query, key)),
        _scoring("general", general_scores(query, key, params.general)),
        _scoring(
            "additive",
            additive_scores(query, key, params.additive_query, params.additive_key, params.additive_vector),
        ),
    )


@dataclass(frozen=True)
class ScoringSummary:
    """One score function in numbers, over every query of the sequence."""

    name: ScoringName
    same_top: int  # queries whose strongest key is the reference's (the scaled dot product's)
    score_min: float
    score_max: float
    max_weight: float
    mean_entropy: float  # nats


def summarize_scorings(
    scorings: Sequence[Scoring], reference: ScoringName = "scaled_dot"
) -> dict[ScoringName, ScoringSummary]:
    """Each scoring's summary by name; ``same_top`` compares each query's argmax key with ``reference``'s."""
    by_name = {scoring.name: scoring for scoring in scorings}
    reference_top = argmax_attention(by_name[reference].scores).index
    return {
        scoring.name: ScoringSummary(
            name=scoring.name,
            same_top=int((argmax_attention(scoring.scores).index == reference_top).sum()),
            score_min=float(scoring.scores.min()),
            score_max=float(scoring.scores.max()),
            max_weight=float(scoring.weights.max()),
            mean_entropy=float(scoring.entropy.mean()),
        )
        for scoring in scorings
    }


# ── hard attention ───────────────────────────────────────────────────────────


@dataclass(frozen=True)
class HardAttention:
    """Each query takes exactly one key. Shapes: index, tied ``[..., L]``; one_hot, maxima ``[..., L, S]``."""

    index: Tensor  # the argmax (the first of them where the maximum is shared)
    one_hot: Tensor  # float, 1 at index
    maxima: Tensor  # bool, True at every key with the row's maximum score
    tied: Tensor  # True where more than one key shares the maximum


def _maxima(scores: Tensor) -> Tensor:
    """Bool ``[..., L, S]``: True where a score equals its row's maximum (up to TIE_RTOL/TIE_ATOL)."""
    row_max = scores.max(dim=-1, keepdim=True).values
    return torch.isclose(scores, row_max.expand_as(scores), rtol=TIE_RTOL, atol=TIE_ATOL)


def argmax_attention(scores: Tensor) -> HardAttention:
    """Hard attention by argmax. Shapes: scores ``[..., L, S]``."""
    index = scores.argmax(dim=-1)  # [..., L]
    one_hot = F.one_hot(index, scores.size(-1)).to(scores.dtype)  # [..., L, S]
    maxima = _maxima(scores)
    return HardAttention(index=index, one_hot=one_hot, maxima=maxima, tied=maxima.sum(dim=-1) > 1)


@dataclass(frozen=True)
class SampledAttention:
    """Hard attention by sampling a key from the softmax, ``num_draws`` times.

    Shapes: draws ``[..., N]``; counts, frequencies ``[..., S]``; max_error ``[...]``.
    Draw n's one-hot is ``one_hot(draws[..., n])``; the frequencies are the mean of those one-hots.
    """

    draws: Tensor  # the key index each draw picked
    counts: Tensor
    frequencies: Tensor  # counts / N
    max_error: Tensor  # max over keys of |frequency − weight|


def sample_attention(weights: Tensor, num_draws: int, generator: torch.Generator) -> SampledAttention:
    """Draw keys with probabilities ``weights``. Shapes: weights ``[..., S]`` (rows sum to 1)."""
    if num_draws < 1:
        raise ValueError(f"num_draws must be ≥ 1, got {num_draws}")
    keys = weights.size(-1)
    rows = weights.reshape(-1, keys)  # [R, S]
    draws = torch.multinomial(rows, num_draws, replacement=True, generator=generator)  # [R, N]
    counts = torch.zeros_like(rows).scatter_add_(-1, draws, torch.ones_like(draws, dtype=rows.dtype))  # [R, S]
    frequencies = counts / num_draws
    lead = weights.shape[:-1]
    return SampledAttention(
        draws=draws.reshape(*lead, num_draws),
        counts=counts.reshape(weights.shape),
        frequencies=frequencies.reshape(weights.shape),
        max_error=(frequencies - rows).abs().amax(dim=-1).reshape(lead),
    )


@dataclass(frozen=True)
class SoftVsHard:
    """One query's soft weights beside hard attention: the argmax, ``draws`` samples, and how far the sampled
    frequencies are from the weights for more and more draws. Shapes: weights ``[S]``."""

    weights: Tensor
    hard: HardAttention
    sampled: SampledAttention
    convergence: tuple[tuple[int, float], ...]  # (draws, max error), one per entry of ``convergence_draws``


def soft_vs_hard(
    scoring: Scoring,
    query: int,
    draws: int,
    seed: int,
    convergence_draws: Sequence[int] = (10, 100, 1_000, 10_000, 100_000),
) -> SoftVsHard:
    """Query ``query``'s row of ``scoring`` (scores ``[L, S]``). One generator seeded with ``seed`` draws the
    samples, then each convergence run in turn, so the same arguments always give the same numbers."""
    scores, weights = scoring.scores[query], scoring.weights[query]
    generator = torch.Generator().manual_seed(seed)
    sampled = sample_attention(weights, draws, generator)
    errors = tuple((n, float(sample_attention(weights, n, generator).max_error)) for n in convergence_draws)
    return SoftVsHard(weights=weights, hard=argmax_attention(scores), sampled=sampled, convergence=errors)


@dataclass(frozen=True)
class GradientCheck:
    """d loss / d scores for loss = Σ(weights · V), one query row, soft vs hard (argmax) weights.

    Autograd gives the gradient where there is a path from the loss back to the scores; central finite
    differences (step ``epsilon``, float64) check it from outside autograd. Shapes: every tensor ``[S]``.
    """

    soft_weights: Tensor
    soft_autograd: Tensor
    soft_finite_difference: Tensor
    hard_one_hot: Tensor
    hard_autograd: Tensor | None  # None: argmax returns an integer index, the graph ends there
    hard_finite_difference: Tensor  # 0 unless the step crosses a tie
    soft_loss: float
    hard_loss: float
    epsilon: float


def _soft_loss(scores: Tensor, values: Tensor) -> Tensor:
    return (torch.softmax(scores, dim=-1) @ values).sum()


def _hard_loss(scores: Tensor, values: Tensor) -> Tensor:
    return (F.one_hot(scores.argmax(dim=-1), scores.size(-1)).to(values.dtype) @ values).sum()


def _finite_difference(loss, scores: Tensor, values: Tensor, epsilon: float) -> Tensor:
    steps = torch.eye(scores.size(-1), dtype=scores.dtype) * epsilon  # row j nudges score j
    return torch.stack([(loss(scores + step, values) - loss(scores - step, values)) / (2 * epsilon) for step in steps])


def gradient_check(scores: Tensor, values: Tensor, epsilon: float = 1e-4) -> GradientCheck:
    """Shapes: scores ``[S]`` (one query's row), values ``[S, Dv]``."""
    if scores.dim() != 1 or values.dim() != 2 or values.size(0) != scores.size(0):
        raise ValueError(f"expected scores [S] and values [S, Dv], got {tuple(scores.shape)} and {tuple(values.shape)}")
    scores = scores.detach().double()
    values = values.detach().double()
    with torch.enable_grad():
        soft_scores = scores.clone().requires_grad_()
        soft_values = values.clone().requires_grad_()
        soft_loss = _soft_loss(soft_scores, soft_values)
        (soft_autograd,) = torch.autograd.grad(soft_loss, soft_scores)
        # The values take part in the graph, so the hard loss is differentiable — only not in the scores.
        hard_scores = scores.clone().requires_grad_()
        hard_values = values.clone().requires_grad_()
        hard_loss = _hard_loss(hard_scores, hard_values)
        (hard_autograd,) = torch.autograd.grad(hard_loss, hard_scores, allow_unused=True)
    with torch.no_grad():
        return GradientCheck(
            soft_weights=torch.softmax(scores, dim=-1),
            soft_autograd=soft_autograd,
            soft_finite_difference=_finite_difference(_soft_loss, scores, values, epsilon),
            hard_one_hot=F.one_hot(scores.argmax(), scores.size(0)).double(),
            hard_autograd=hard_autograd,
            hard_finite_difference=_finite_difference(_hard_loss, scores, values, epsilon),
            soft_loss=float(soft_loss),
            hard_loss=float(hard_loss),
            epsilon=epsilon,
        )


# ── temperature ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TemperatureResult:
    """softmax(scores / τ). Shapes: weights, limit ``[..., L, S]``; entropy, distance_to_limit ``[..., L]``."""

    temperature: float
    weights: Tensor
    entropy: Tensor  # nats: 0 for one-hot, ln S for uniform
    limit: Tensor  # the τ → 0 limit: 1 on the row's maximum, shared equally among tied maxima
    distance_to_limit: Tensor  # max over keys of |weights − limit|


def zero_temperature_limit(scores: Tensor) -> Tensor:
    """lim τ→0 of softmax(scores / τ): uniform over each row's maxima. Shapes: ``[..., L, S]``."""
    maxima = _maxima(scores).to(scores.dtype)
    return maxima / maxima.sum(dim=-1, keepdim=True)


def _check_temperature(temperature: float) -> None:
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"the temperature must be a positive number, got {temperature}")


def with_temperature(scores: Tensor, temperature: float) -> TemperatureResult:
    """Shapes: scores ``[..., L, S]``."""
    _check_temperature(temperature)
    weights = torch.softmax(scores / temperature, dim=-1)
    limit = zero_temperature_limit(scores)
    return TemperatureResult(
        temperature=float(temperature),
        weights=weights,
        entropy=entropy(weights),
        limit=limit,
        distance_to_limit=(weights - limit).abs().amax(dim=-1),
    )


def mean_entropy_curve(scores: Tensor, temperatures: Sequence[float]) -> Tensor:
    """Mean row entropy of softmax(scores / τ) for each τ. Shapes: scores ``[..., L, S]`` → ``[T]``."""
    for tau in temperatures:
        _check_temperature(tau)
    return torch.stack([entropy(torch.softmax(scores / tau, dim=-1)).mean() for tau in temperatures])
