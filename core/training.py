r"""Watching attention form: a one-head attention model trained on a toy task whose right pattern is known.

Each task maps a sequence of digits to a permutation of itself, so for every output position i there is
exactly one input position — the *expected key* — that holds the answer:

* copy: position i shows token i (the diagonal);
* reverse: position i shows token L − 1 − i (the anti-diagonal);
* rotate: position i shows the token before it, position 0 the last one (one below the diagonal, wrapped);
* swap: neighbours trade places, 0↔1, 2↔3, … (a last odd position keeps its own token).

The model has no residual path and no MLP: the only route from a token to any output position is the
attention weights. To solve the task, query i must put its weight on the expected key, so the weights
go from near uniform to the permutation matrix as it learns — and with a causal mask, a query whose
expected key lies in its future can only guess.

Randomness comes only from ``torch.Generator`` objects built from the seed: the same settings give
bit-for-bit the same run (at the same thread count), and the global RNG is never touched.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, get_args

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from core.attention import AttentionResult, scaled_dot_product_attention
from core.masks import causal_mask

Task = Literal["reverse", "copy", "rotate", "swap"]
TASKS: tuple[Task, ...] = get_args(Task)
VOCAB_SIZE = 10  # the digits 0–9
BATCH_SIZE = 128
HELD_OUT_SIZE = 1000
SNAPSHOTS = 50  # about this many snapshots per run, whatever its length
HELD_OUT_SEED = 20_240_917  # the held-out set and the probe are the same for every training seed
QK_INIT_SCALE = 0.1  # small query/key projections at the start: the first weights are near uniform


def snapshot_every(steps: int) -> int:
    """Steps between two snapshots of a ``steps``-step run: about ``SNAPSHOTS`` per run, at least 1."""
    return max(1, steps // SNAPSHOTS)


def snapshot_steps(steps: int) -> list[int]:
    """The steps a run of ``steps`` steps keeps a snapshot at: 0, every ``snapshot_every(steps)``, and the last."""
    kept = list(range(0, steps + 1, snapshot_every(steps)))
    return kept if kept[-1] == steps else [*kept, steps]


def expected_keys(task: Task, seq_len: int) -> Tensor:
    """Shapes: ``[L]`` long, the input position whose token output position i must show."""
    positions = torch.arange(seq_len)
    if task == "copy":
        return positions
    if task == "reverse":
        return positions.flip(0)
    if task == "rotate":
        return (positions - 1) % seq_len
    if task == "swap":
        partner = positions ^ 1
        return torch.where(partner < seq_len, partner, positions)
    raise ValueError(f"unknown task {task!r}; expected one of {TASKS}")


def targets_for(task: Task, tokens: Tensor) -> Tensor:
    """Shapes: tokens ``[..., L]`` → targets ``[..., L]``: each sequence permuted as the task says."""
    return tokens[..., expected_keys(task, tokens.size(-1))]


def hidden_queries(task: Task, seq_len: int, causal: bool) -> tuple[int, ...]:
    """The output positions whose expected key the mask hides (a later position under a causal mask)."""
    if not causal:
        return ()
    future = expected_keys(task, seq_len) > torch.arange(seq_len)
    return tuple(future.nonzero().flatten().tolist())


def accuracy_ceiling(task: Task, seq_len: int, causal: bool) -> tuple[float, float]:
    """(sequence, token) accuracy a perfect model is *expected* to reach under the mask: every visible position
    right, and each hidden one a guess, right 1 time in VOCAB_SIZE (the digits are independent and uniform)."""
    hidden = len(hidden_queries(task, seq_len, causal))
    chance = 1 / VOCAB_SIZE
    return chance**hidden, (seq_len - hidden + hidden * chance) / seq_len


@dataclass(frozen=True)
class ExpectedCeiling:
    """The expected best accuracy under the mask, and how far a measurement on ``count`` sequences strays from
    it by chance (one standard error). A finite held-out set can land above the expectation."""

    sequence: float
    token: float
    sequence_error: float
    token_error: float


def expected_ceiling(task: Task, seq_len: int, causal: bool, count: int) -> ExpectedCeiling:
    """``accuracy_ceiling`` with the standard errors of its measurement on ``count`` held-out sequences.

    A sequence is all right with probability p = chance^hidden (a Bernoulli trial per sequence); the right
    hidden positions of N sequences are Binomial(N · hidden, chance), over N · L positions in all.
    """
    sequence, token = accuracy_ceiling(task, seq_len, causal)
    hidden = len(hidden_queries(task, seq_len, causal))
    chance = 1 / VOCAB_SIZE
    return ExpectedCeiling(
        sequence=sequence,
        token=token,
        sequence_error=math.sqrt(sequence * (1 - sequence) / count),
        token_error=math.sqrt(hidden * chance * (1 - chance) / count) / seq_len,
    )


def start_deviation(weights: Tensor, allowed: Tensor) -> float:
    """How far attention at step 0 is from uniform over the keys each row may see: the largest
    |w_ij − 1/n_i| over allowed cells, n_i = number of keys row i may see (i + 1 under a causal mask).

    Shapes: weights ``[L, L]``, allowed ``[L, L]`` bool (True = may attend).
    """
    uniform = 1 / allowed.sum(dim=-1, keepdim=True).clamp(min=1)  # [L, 1]
    return float((weights - uniform).abs()[allowed].max())


@dataclass(frozen=True)
class TrainingSettings:
    task: Task = "reverse"
    seq_len: int = 8
    causal: bool = False
    steps: int = 300
    learning_rate: float = 1e-3
    d_model: int = 32
    seed: int = 0
    batch_size: int = BATCH_SIZE
    held_out_size: int = HELD_OUT_SIZE

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"unknown task {self.task!r}; expected one of {TASKS}")
        if not 2 <= self.seq_len <= 18:  # 10^18 < 2^63: a sequence still fits one int64 code
            raise ValueError(f"seq_len must lie in 2..18, got {self.seq_len}")
        for name in ("steps", "d_model", "batch_size", "held_out_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be ≥ 1, got {getattr(self, name)}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate}")
        if self.seed < 0:
            raise ValueError(f"seed must be ≥ 0, got {self.seed}")

    @property
    def snapshot_every(self) -> int:
        return snapshot_every(self.steps)

    def snapshot_steps(self) -> list[int]:
        """0, every ``snapshot_every`` steps, and the last step."""
        return snapshot_steps(self.steps)


class TinyAttentionModel(nn.Module):
    """tokens → token + position embeddings → one attention head → a linear read-out at every position.

    Shapes: tokens ``[B, L]`` → logits ``[B, L, vocab]``; the attention is ``[B, 1, L, L]`` (one head).
    """

    def __init__(self, vocab_size: int, seq_len: int, d_model: int, generator: torch.Generator) -> None:
        super().__init__()

        def weights(*shape: int, std: float) -> nn.Parameter:
            return nn.Parameter(torch.randn(*shape, generator=generator) * std)

        fan_in = d_model**-0.5
        self.token_embedding = weights(vocab_size, d_model, std=1.0)
        self.position_embedding = weights(seq_len, d_model, std=1.0)
        self.w_q = weights(d_model, d_model, std=QK_INIT_SCALE * fan_in)
        self.w_k = weights(d_model, d_model, std=QK_INIT_SCALE * fan_in)
        self.w_v = weights(d_model, d_model, std=fan_in)
        self.w_out = weights(d_model, vocab_size, std=fan_in)
        self.b_out = nn.Parameter(torch.zeros(vocab_size))

    def forward(self, tokens: Tensor, allowed: Tensor | None = None) -> tuple[Tensor, AttentionResult]:
        token = self.token_embedding[tokens]  # [B, L, D]
        x = token + self.position_embedding
        # Values carry the token only. With its position too, a copy model finds a shortcut: the query
        # already holds the answer, so it spells it out through *where* it looks (a different key position
        # per digit) and never reads the key it should copy.
        q, k, v = ((h @ w).unsqueeze(1) for h, w in ((x, self.w_q), (x, self.w_k), (token, self.w_v)))  # [B, 1, L, D]
        attention = scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        logits = attention.output.squeeze(1) @ self.w_out + self.b_out  # [B, L, vocab]
        return logits, attention


def train_step(
    model: TinyAttentionModel, optimizer: torch.optim.Optimizer, tokens: Tensor, targets: Tensor, allowed: Tensor | None
) -> tuple[float, float]:
    """One update on one batch. Returns the batch's loss and sequence accuracy before the update."""
    logits, _ = model(tokens, allowed)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    every_position_right = (logits.argmax(-1) == targets).all(-1)
    return loss.item(), every_position_right.float().mean().item()


@dataclass(frozen=True)
class Evaluation:
    """The model on a fixed set of sequences. Shapes: weights ``[N, L, L]``, predictions ``[N, L]``."""

    loss: float
    sequence_accuracy: float  # share of sequences with every position right
    token_accuracy: float  # share of positions right
    expected_key_share: float  # mean attention weight on the expected key
    weights: Tensor
    predictions: Tensor


@torch.no_grad()
def evaluate(model: TinyAttentionModel, tokens: Tensor, targets: Tensor, keys: Tensor, allowed: Tensor | None):
    logits, attention = model(tokens, allowed)
    right = logits.argmax(-1) == targets
    weights = attention.weights.squeeze(1)  # [N, L, L]
    return Evaluation(
        loss=F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1)).item(),
        sequence_accuracy=right.all(-1).float().mean().item(),
        token_accuracy=right.float().mean().item(),
        expected_key_share=weights[:, torch.arange(tokens.size(-1)), keys].mean().item(),
        weights=weights,
        predictions=logits.argmax(-1),
    )


@dataclass(frozen=True)
class Progress:
    """What ``train`` reports at each snapshot."""

    step: int
    steps: int
    held_out_sequence_accuracy: float
    elapsed_seconds: float
    probe_weights: Tensor | None = field(default=None, compare=False)  # [L, L]: the probe's attention now


@dataclass(frozen=True)
class TrainingRun:
    """A whole run. Per-snapshot histories are ``[S]`` (S snapshots, step 0 first); probe tensors are the
    fixed held-out probe sequence: weights ``[S, L, L]``, predictions ``[S, L]``."""

    settings: TrainingSettings
    expected_keys: Tensor  # [L]
    allowed: Tensor  # [L, L] bool, True = may attend
    hidden_queries: tuple[int, ...]  # positions whose expected key the mask hides
    probe_tokens: Tensor  # [L]
    probe_targets: Tensor  # [L]
    steps: Tensor  # [S] long
    seconds: Tensor  # [S] float64, time since the start of training
    train_loss: Tensor  # [S] mean batch loss since the previous snapshot (step 0: one batch, no update)
    train_sequence_accuracy: Tensor  # [S] likewise, share of training sequences with every position right
    held_out_loss: Tensor  # [S]
    held_out_sequence_accuracy: Tensor  # [S]
    held_out_token_accuracy: Tensor  # [S]
    expected_key_share: Tensor  # [S] mean held-out weight on the expected key
    probe_weights: Tensor  # [S, L, L]
    probe_predictions: Tensor  # [S, L]
    elapsed_seconds: float  # the whole run, evaluations included

    @property
    def final_sequence_accuracy(self) -> float:
        return float(self.held_out_sequence_accuracy[-1])

    @property
    def final_token_accuracy(self) -> float:
        return float(self.held_out_token_accuracy[-1])

    @property
    def final_expected_key_share(self) -> float:
        return float(self.expected_key_share[-1])

    def first_snapshot_reaching(self, sequence_accuracy: float) -> int | None:
        """Index of the first snapshot whose held-out sequence accuracy is at least ``sequence_accuracy``."""
        reached = (self.held_out_sequence_accuracy >= sequence_accuracy).nonzero().flatten()
        return int(reached[0]) if len(reached) else None


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _codes(tokens: Tensor) -> Tensor:
    """One int64 per sequence (its digits read as a number), to tell sequences apart."""
    powers = VOCAB_SIZE ** torch.arange(tokens.size(-1), dtype=torch.int64)
    return (tokens * powers).sum(-1)


def allowed_keys(settings: TrainingSettings) -> Tensor:
    """Shapes: ``[L, L]`` bool, True = may attend: causal when the settings ask for it, else every key."""
    if settings.causal:
        return causal_mask(settings.seq_len)
    return torch.ones(settings.seq_len, settings.seq_len, dtype=torch.bool)


def held_out_tokens(seq_len: int, count: int = HELD_OUT_SIZE) -> Tensor:
    """Shapes: ``[count, L]``. Row 0 is the probe: distinct digits as far as there are enough of them."""
    generator = _generator(HELD_OUT_SEED + seq_len)
    digits = torch.randperm(VOCAB_SIZE, generator=generator)
    extra = torch.randint(VOCAB_SIZE, (max(0, seq_len - VOCAB_SIZE),), generator=generator)
    probe = torch.cat([digits, extra])[:seq_len]
    rest = torch.randint(VOCAB_SIZE, (count - 1, seq_len), generator=generator)
    return torch.cat([probe.unsqueeze(0), rest])


def training_batch(generator: torch.Generator, size: int, seq_len: int, excluded_codes: Tensor) -> Tensor:
    """Shapes: ``[size, L]`` random digit sequences, none of them in the held-out set."""
    tokens = torch.randint(VOCAB_SIZE, (size, seq_len), generator=generator)
    clash = torch.isin(_codes(tokens), excluded_codes)
    while clash.any():
        tokens[clash] = torch.randint(VOCAB_SIZE, (int(clash.sum()), seq_len), generator=generator)
        clash = torch.isin(_codes(tokens), excluded_codes)
    return tokens


def train(settings: TrainingSettings, on_progress: Callable[[Progress], None] | None = None) -> TrainingRun:
    """Train a fresh model with Adam and cross-entropy, evaluating the held-out set at every snapshot."""
    start = time.perf_counter()
    s = settings
    model = TinyAttentionModel(VOCAB_SIZE, s.seq_len, s.d_model, _generator(2 * s.seed))
    optimizer = torch.optim.Adam(model.parameters(), lr=s.learning_rate)
    data = _generator(2 * s.seed + 1)
    keys = expected_keys(s.task, s.seq_len)
    allowed = allowed_keys(s)
    mask = allowed if s.causal else None
    held_out = held_out_tokens(s.seq_len, s.held_out_size)
    held_out_targets = targets_for(s.task, held_out)
    held_out_codes = _codes(held_out)

    history: dict[str, list] = {name: [] for name in _HISTORY}
    snapshot_at = set(s.snapshot_steps())

    def snapshot(step: int, train_losses: list[float], train_accuracies: list[float]) -> None:
        measured = evaluate(model, held_out, held_out_targets, keys, mask)
        elapsed = time.perf_counter() - start
        for name, value in (
            ("steps", step),
            ("seconds", elapsed),
            ("train_loss", sum(train_losses) / len(train_losses)),
            ("train_sequence_accuracy", sum(train_accuracies) / len(train_accuracies)),
            ("held_out_loss", measured.loss),
            ("held_out_sequence_accuracy", measured.sequence_accuracy),
            ("held_out_token_accuracy", measured.token_accuracy),
            ("expected_key_share", measured.expected_key_share),
            ("probe_weights", measured.weights[0]),
            ("probe_predictions", measured.predictions[0]),
        ):
            history[name].append(value)
        if on_progress is not None:
            on_progress(Progress(step, s.steps, measured.sequence_accuracy, elapsed, measured.weights[0]))

    first = training_batch(data, s.batch_size, s.seq_len, held_out_codes)
    before = evaluate(model, first, targets_for(s.task, first), keys, mask)
    snapshot(0, [before.loss], [before.sequence_accuracy])
    losses: list[float] = []
    accuracies: list[float] = []
    for step in range(1, s.steps + 1):
        tokens = training_batch(data, s.batch_size, s.seq_len, held_out_codes)
        loss, accuracy = train_step(model, optimizer, tokens, targets_for(s.task, tokens), mask)
        losses.append(loss)
        accuracies.append(accuracy)
        if step in snapshot_at:
            snapshot(step, losses, accuracies)
            losses, accuracies = [], []

    tensors = {
        name: torch.stack(values) if name.startswith("probe") else torch.tensor(values, dtype=_HISTORY[name])
        for name, values in history.items()
    }
    return TrainingRun(
        settings=s,
        expected_keys=keys,
        allowed=allowed,
        hidden_queries=hidden_queries(s.task, s.seq_len, s.causal),
        probe_tokens=held_out[0],
        probe_targets=held_out_targets[0],
        **tensors,
        elapsed_seconds=time.perf_counter() - start,
    )


_HISTORY: dict[str, torch.dtype | None] = {
    "steps": torch.long,
    "seconds": torch.float64,
    "train_loss": torch.float64,
    "train_sequence_accuracy": torch.float64,
    "held_out_loss": torch.float64,
    "held_out_sequence_accuracy": torch.float64,
    "held_out_token_accuracy": torch.float64,
    "expected_key_share": torch.float64,
    "probe_weights": None,  # stacked tensors
    "probe_predictions": None,
}
