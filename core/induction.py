r"""Induction heads forming: a two-layer, attention-only transformer learns to continue a repeated sequence.

Each training sequence is ``half`` random tokens followed by the same ``half`` tokens again. In the second
half every next token can be read off the first: find where the current token occurred before and copy the
token that followed it. Olsson et al. (2022, "In-context Learning and Induction Heads") showed that
transformers learn this with two heads in two layers (Elhage et al. 2021, "A Mathematical Framework for
Transformer Circuits"):

* a **previous-token head** in layer 1 writes, at every position j, which token stood at j − 1;
* an **induction head** in layer 2 lets query i look for the key j whose *previous* token equals token i —
  the key just after the previous occurrence of the current token — and copies token j to the output.

In a repeated sequence of half length H, query i (in the second half) finds its token's previous
occurrence at i − H, so the induction head attends to key i − H + 1: a stripe H − 1 below the diagonal.
Before the heads form, the model can only guess among the tokens it has seen, and the loss sits on a
plateau; when they form, it falls suddenly.

The model: token + learned position embeddings into a residual stream, two causal attention layers with one
or two heads each whose outputs are added to the stream, no MLP, no layer norm, and an unembedding. It is
trained with Adam on next-token prediction, the loss measured where induction can help: the predictions made
at positions H … 2H − 2 (the tokens H + 1 … 2H − 1; token H, the repeat's first, has no earlier cue).

Randomness comes only from ``torch.Generator`` objects built from the seed; the global RNG is never touched.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from core.attention import scaled_dot_product_attention
from core.masks import causal_mask
from core.training import snapshot_every, snapshot_steps

PROBE_SEED = 20_251_207  # the probe sequence is the same for every training seed
DROP_FRACTION = 0.5  # the loss has "dropped" once it is below this share of the plateau
UNEMBED_INIT_SCALE = 0.1
DROP_WINDOW = 5  # the loss drop is found on the loss averaged with this many steps either side
STRIPE = 0.5  # a layer-2 head shows the induction stripe once it puts at least this mean weight on its keys
# A layer-1 head counts as a previous-token head from this mean weight on key i − 1: about twice what even
# attention gives at half length 8 (0.16). The trained heads keep some weight on key 0 and on themselves.
PREVIOUS_HEAD = 0.3


@dataclass(frozen=True)
class InductionSettings:
    """The shipped defaults form both heads within a few hundred steps (seconds on one thread)."""

    vocab_size: int = 24
    half: int = 8
    d_model: int = 48
    heads: int = 1
    min_half: int = 4  # each batch's half length is drawn from min_half … half (see train_induction)
    steps: int = 600
    learning_rate: float = 3e-3
    batch_size: int = 64
    seed: int = 0

    def __post_init__(self) -> None:
        if not 4 <= self.vocab_size <= 256:
            raise ValueError(f"vocab_size must lie in 4..256, got {self.vocab_size}")
        if not 3 <= self.half <= 32:
            raise ValueError(f"half must lie in 3..32, got {self.half}")
        if not 2 <= self.min_half <= self.half:
            raise ValueError(f"min_half must lie in 2..half ({self.half}), got {self.min_half}")
        if self.heads not in (1, 2):
            raise ValueError(f"heads must be 1 or 2, got {self.heads}")
        if self.d_model < 2 or self.d_model % self.heads:
            raise ValueError(f"d_model must be ≥ 2 and divisible by heads, got {self.d_model} with {self.heads}")
        for name in ("steps", "batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be ≥ 1, got {getattr(self, name)}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate}")
        if self.seed < 0:
            raise ValueError(f"seed must be ≥ 0, got {self.seed}")

    @property
    def seq_len(self) -> int:
        return 2 * self.half

    @property
    def snapshot_every(self) -> int:
        return snapshot_every(self.steps)

    def snapshot_steps(self) -> list[int]:
        """0, every ``snapshot_every`` steps, and the last step."""
        return snapshot_steps(self.steps)


def repeated_batch(generator: torch.Generator, size: int, vocab_size: int, half: int) -> Tensor:
    """Shapes: ``[size, 2·half]``: ``half`` uniform random tokens, then the same tokens again."""
    first = torch.randint(vocab_size, (size, half), generator=generator)
    return torch.cat([first, first], dim=-1)


def probe_sequence(vocab_size: int, half: int) -> Tensor:
    """Shapes: ``[2·half]``: distinct tokens (as far as the vocabulary allows) repeated once, so every query
    in the second half has exactly one previous occurrence."""
    generator = torch.Generator().manual_seed(PROBE_SEED + 1000 * vocab_size + half)
    order = torch.randperm(vocab_size, generator=generator)
    extra = torch.randint(vocab_size, (max(0, half - vocab_size),), generator=generator)
    first = torch.cat([order, extra])[:half]
    return torch.cat([first, first])


def previous_token_keys(seq_len: int) -> Tensor:
    """Shapes: ``[L]`` long: the key a previous-token head attends to from query i (i − 1; query 0 has none
    and gets −1)."""
    return torch.arange(seq_len) - 1


def induction_keys(half: int) -> Tensor:
    """Shapes: ``[2·half]`` long: the key an induction head attends to from query i — the position just after
    the previous occurrence of token i, i − half + 1 — for the second half; −1 in the first (no earlier cue)."""
    positions = torch.arange(2 * half)
    return torch.where(positions >= half, positions - half + 1, torch.full_like(positions, -1))


def key_share(weights: Tensor, keys: Tensor) -> Tensor:
    """Mean weight on the expected key over the queries that have one (``keys`` ≥ 0).

    Shapes: weights ``[..., L, L]``, keys ``[L]`` long → ``[...]``.
    """
    rows = (keys >= 0).nonzero().flatten()
    return weights[..., rows, keys[rows]].mean(-1)


def previous_token_score(weights: Tensor) -> Tensor:
    """Mean weight of query i on key i − 1 (queries 1 … L − 1). Shapes: ``[..., L, L]`` → ``[...]``."""
    return key_share(weights, previous_token_keys(weights.size(-1)))


def induction_score(weights: Tensor, half: int) -> Tensor:
    """Mean weight of query i on key i − half + 1 (queries half … 2·half − 1). Shapes: ``[..., 2·half, 2·half]``
    → ``[...]``."""
    if weights.size(-1) != 2 * half:
        raise ValueError(f"weights must be {2 * half} × {2 * half} for half = {half}, got {tuple(weights.shape)}")
    return key_share(weights, induction_keys(half))


def even_scores(half: int) -> tuple[float, float]:
    """(previous-token, induction) scores of attention spread evenly over the keys each query may see (causal):
    the level a head reaches without looking anywhere in particular."""
    length = 2 * half
    even = causal_mask(length).double() / torch.arange(1, length + 1, dtype=torch.float64).unsqueeze(-1)
    return float(previous_token_score(even)), float(induction_score(even, half))


class AttentionOnlyTransformer(nn.Module):
    """tokens → token + position embeddings → two causal attention layers added to the residual stream → logits.

    Shapes: tokens ``[B, L]`` → logits ``[B, L, vocab]``, and each layer's attention weights ``[B, heads, L, L]``.
    """

    def __init__(self, settings: InductionSettings, generator: torch.Generator) -> None:
        super().__init__()
        s = settings
        d, h = s.d_model, s.heads

        def weights(*shape: int, std: float) -> nn.Parameter:
            return nn.Parameter(torch.randn(*shape, generator=generator) * std)

        self.heads = h
        self.token_embedding = weights(s.vocab_size, d, std=1.0)
        self.position_embedding = weights(s.seq_len, d, std=1.0)
        # Per layer: query, key, value projections [D, D] (split into heads) and the output projection [D, D].
        self.w_qkv = nn.ParameterList([weights(3, d, d, std=d**-0.5) for _ in range(2)])
        self.w_o = nn.ParameterList([weights(d, d, std=d**-0.5) for _ in range(2)])
        # A small unembedding: the untrained model's guess is near uniform, its loss near ln V.
        self.unembedding = weights(d, s.vocab_size, std=UNEMBED_INIT_SCALE * d**-0.5)
        self.register_buffer("allowed", causal_mask(s.seq_len), persistent=False)

    def forward(self, tokens: Tensor) -> tuple[Tensor, list[Tensor]]:
        batch, length = tokens.shape
        x = self.token_embedding[tokens] + self.position_embedding[:length]  # the residual stream [B, L, D]
        maps = []
        for w_qkv, w_o in zip(self.w_qkv, self.w_o, strict=True):
            q, k, v = (
                (x @ w).view(batch, length, self.heads, -1).transpose(1, 2) for w in w_qkv
            )  # [B, heads, L, D/heads]
            attention = scaled_dot_product_attention(q, k, v, attn_mask=self.allowed[:length, :length])
            x = x + attention.output.transpose(1, 2).reshape(batch, length, -1) @ w_o
            maps.append(attention.weights)
        return x @ self.unembedding, maps


def repeat_loss(logits: Tensor, tokens: Tensor, half: int) -> Tensor:
    """Cross-entropy of the predictions made at positions half … 2·half − 2 for the tokens after them."""
    predicted = logits[:, half : 2 * half - 1]  # [B, half − 1, vocab]
    targets = tokens[:, half + 1 : 2 * half]  # [B, half − 1]
    return F.cross_entropy(predicted.reshape(-1, predicted.size(-1)), targets.reshape(-1))


@dataclass(frozen=True)
class InductionProgress:
    """What ``train_induction`` reports at each snapshot."""

    step: int
    steps: int
    loss: float
    elapsed_seconds: float
    layer1: Tensor | None = field(default=None, compare=False)  # [heads, L, L]: the probe's attention now
    layer2: Tensor | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LossDrop:
    """Where the loss leaves its plateau. The loss is first smoothed (each step's averaged with ``window``
    neighbours either side). The drop is the first step whose smoothed loss is below ``DROP_FRACTION`` of the
    median smoothed loss of the steps before it (from step 1: the plateau so far); ``step`` is None if none is.
    ``plateau`` is that median at the drop (or over the whole run), ``at_drop`` the smoothed loss at the drop
    (or at the end), ``final`` the smoothed loss at the last step."""

    plateau: float
    step: int | None
    at_drop: float
    final: float


@dataclass(frozen=True)
class InductionRun:
    """A whole run. ``loss``/``seconds`` are per step ``[steps + 1]`` (step 0: the untrained model on one batch);
    probe maps are per snapshot ``[S, heads, L, L]`` at ``snapshot_steps [S]``."""

    settings: InductionSettings
    probe_tokens: Tensor  # [L]
    loss: Tensor  # [steps + 1] float64
    seconds: Tensor  # [steps + 1] float64, since the start of training
    snapshot_steps: Tensor  # [S] long
    layer1: Tensor  # [S, heads, L, L]
    layer2: Tensor  # [S, heads, L, L]
    elapsed_seconds: float

    @property
    def previous_token_scores(self) -> Tensor:
        """``[S, heads]``: each layer-1 head's previous-token score at each snapshot."""
        return previous_token_score(self.layer1)

    @property
    def induction_scores(self) -> Tensor:
        """``[S, heads]``: each layer-2 head's induction score at each snapshot."""
        return induction_score(self.layer2, self.settings.half)

    def drop(self, window: int = DROP_WINDOW) -> LossDrop:
        return loss_drop(self.loss, window)

    def first_snapshot_with(self, induction: float) -> int | None:
        """Index of the first snapshot where some layer-2 head's induction score is at least ``induction``."""
        reached = (self.induction_scores.max(-1).values >= induction).nonzero().flatten()
        return int(reached[0]) if len(reached) else None


def smoothed(loss: Tensor, window: int) -> Tensor:
    """Mean of each step's loss with its ``window`` neighbours on either side (fewer at the ends)."""
    padded = torch.cat([torch.zeros(1, dtype=loss.dtype), loss.cumsum(0)])
    index = torch.arange(len(loss))
    low, high = (index - window).clamp(min=0), (index + window + 1).clamp(max=len(loss))
    return (padded[high] - padded[low]) / (high - low)


def loss_drop(loss: Tensor, window: int = DROP_WINDOW) -> LossDrop:
    """The plateau and the step where the per-step ``loss [N]`` (step 0 first) drops below ``DROP_FRACTION`` of
    it (see ``LossDrop``)."""
    smooth = smoothed(loss.double(), window)
    for step in range(2, len(smooth)):
        plateau = float(smooth[1:step].median())
        if smooth[step] < DROP_FRACTION * plateau:
            return LossDrop(plateau=plateau, step=step, at_drop=float(smooth[step]), final=float(smooth[-1]))
    plateau = float(smooth[1:].median()) if len(smooth) > 1 else float(smooth[0])
    return LossDrop(plateau=plateau, step=None, at_drop=float(smooth[-1]), final=float(smooth[-1]))


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def train_induction(
    settings: InductionSettings, on_progress: Callable[[InductionProgress], None] | None = None
) -> InductionRun:
    """Train a fresh model with Adam on repeated sequences, keeping every step's loss and the probe's attention
    at every snapshot."""
    start = time.perf_counter()
    s = settings
    model = AttentionOnlyTransformer(s, _generator(2 * s.seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=s.learning_rate)
    data = _generator(2 * s.seed + 1)
    probe = probe_sequence(s.vocab_size, s.half).unsqueeze(0)
    snapshot_at = set(s.snapshot_steps())
    losses: list[float] = []
    seconds: list[float] = []
    maps: list[tuple[Tensor, Tensor]] = []

    def snapshot(step: int) -> None:
        with torch.no_grad():
            _, (first, second) = model(probe)
        maps.append((first[0], second[0]))
        if on_progress is not None:
            elapsed = time.perf_counter() - start
            on_progress(InductionProgress(step, s.steps, losses[-1], elapsed, first[0], second[0]))

    for step in range(s.steps + 1):
        # A fixed half length would let layer 2 alone look a fixed distance back by position (a shortcut with
        # no previous-token head); with the distance changing from batch to batch, only matching tokens works.
        half = int(torch.randint(s.min_half, s.half + 1, (), generator=data))
        tokens = repeated_batch(data, s.batch_size, s.vocab_size, half)
        logits, _ = model(tokens)
        loss = repeat_loss(logits, tokens, half)
        if step > 0:  # step 0 measures the untrained model; every later step is one update
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
        if step in snapshot_at:
            snapshot(step)

    return InductionRun(
        settings=s,
        probe_tokens=probe[0],
        loss=torch.tensor(losses, dtype=torch.float64),
        seconds=torch.tensor(seconds, dtype=torch.float64),
        snapshot_steps=torch.tensor(s.snapshot_steps(), dtype=torch.long),
        layer1=torch.stack([first for first, _ in maps]),
        layer2=torch.stack([second for _, second in maps]),
        elapsed_seconds=time.perf_counter() - start,
    )


def chance_loss(vocab_size: int) -> float:
    """The loss of a uniform guess over the vocabulary, ln V."""
    return math.log(vocab_size)
