"""The training lesson's core: the tasks' expected keys, the held-out split, and that a trained model's
attention really becomes the task's permutation (and cannot under a causal mask when the task needs the
future). Runs are cached per settings within this module; each takes about a second on one thread."""

from __future__ import annotations

from dataclasses import fields
from functools import cache

import pytest
import torch

from core.masks import causal_mask
from core.training import (
    HELD_OUT_SIZE,
    SNAPSHOTS,
    TASKS,
    VOCAB_SIZE,
    Progress,
    TrainingRun,
    TrainingSettings,
    _codes,
    accuracy_ceiling,
    allowed_keys,
    expected_ceiling,
    expected_keys,
    held_out_tokens,
    hidden_queries,
    start_deviation,
    targets_for,
    train,
    training_batch,
)

TIMING_FIELDS = {"seconds", "elapsed_seconds"}


# As the app trains: one intra-op thread, so repeated runs are bit-for-bit comparable.
pytestmark = pytest.mark.usefixtures("one_thread")


@cache
def trained(**changes: object) -> TrainingRun:
    return train(TrainingSettings(**changes))


def anti_diagonal(seq_len: int) -> torch.Tensor:
    return torch.arange(seq_len).flip(0)


# ── tasks ─────────────────────────────────────────────────────────────────────


def test_expected_keys_of_each_task() -> None:
    assert expected_keys("copy", 5).tolist() == [0, 1, 2, 3, 4]
    assert expected_keys("reverse", 5).tolist() == [4, 3, 2, 1, 0]
    assert expected_keys("rotate", 5).tolist() == [4, 0, 1, 2, 3]
    assert expected_keys("swap", 5).tolist() == [1, 0, 3, 2, 4]
    assert expected_keys("swap", 4).tolist() == [1, 0, 3, 2]
    with pytest.raises(ValueError, match="unknown task"):
        expected_keys("sort", 4)  # type: ignore[arg-type]


@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("seq_len", [2, 3, 8, 12])
def test_every_task_is_a_permutation_and_targets_follow_it(task, seq_len) -> None:
    keys = expected_keys(task, seq_len)
    assert sorted(keys.tolist()) == list(range(seq_len))
    tokens = torch.randint(VOCAB_SIZE, (6, seq_len), generator=torch.Generator().manual_seed(seq_len))
    targets = targets_for(task, tokens)
    for i in range(seq_len):
        assert torch.equal(targets[:, i], tokens[:, keys[i]])


def test_hidden_queries_and_ceiling_under_a_causal_mask() -> None:
    assert hidden_queries("reverse", 8, causal=True) == (0, 1, 2, 3)
    assert hidden_queries("rotate", 8, causal=True) == (0,)
    assert hidden_queries("swap", 5, causal=True) == (0, 2)
    assert hidden_queries("copy", 8, causal=True) == ()
    assert hidden_queries("reverse", 8, causal=False) == ()
    sequence, token = accuracy_ceiling("reverse", 8, causal=True)
    assert sequence == pytest.approx(1e-4) and token == pytest.approx((4 + 4 * 0.1) / 8)
    assert accuracy_ceiling("copy", 8, causal=True) == (1.0, 1.0)


def test_settings_are_validated() -> None:
    for bad in ({"task": "sort"}, {"seq_len": 1}, {"seq_len": 19}, {"steps": 0}, {"learning_rate": 0.0}, {"seed": -1}):
        with pytest.raises(ValueError):
            TrainingSettings(**bad)


@pytest.mark.parametrize("steps", [100, 200, 300, 500, 800])
def test_the_page_step_choices_give_51_snapshots_ending_at_the_last_step(steps) -> None:
    snapshot_steps = TrainingSettings(steps=steps).snapshot_steps()
    assert len(snapshot_steps) == SNAPSHOTS + 1 and snapshot_steps[0] == 0 and snapshot_steps[-1] == steps
    assert TrainingSettings(steps=7).snapshot_steps() == list(range(8))  # short runs: every step


# ── data ──────────────────────────────────────────────────────────────────────


def test_held_out_set_is_fixed_and_its_probe_has_distinct_digits() -> None:
    held_out = held_out_tokens(8)
    assert held_out.shape == (HELD_OUT_SIZE, 8)
    assert torch.equal(held_out, held_out_tokens(8))
    assert len(set(held_out[0].tolist())) == 8
    assert sorted(held_out_tokens(12)[0, :VOCAB_SIZE].tolist()) == list(range(VOCAB_SIZE))


def test_training_batches_never_contain_a_held_out_sequence() -> None:
    # L = 4 has only 10⁴ sequences, so 1,000 held-out ones collide with about 10% of the draws.
    excluded = _codes(held_out_tokens(4))
    generator = torch.Generator().manual_seed(0)
    batches = torch.cat([training_batch(generator, 128, 4, excluded) for _ in range(20)])
    assert not torch.isin(_codes(batches), excluded).any()
    assert len(torch.unique(_codes(batches))) > 1000  # still random, not a few survivors


def test_codes_tell_sequences_apart() -> None:
    tokens = torch.tensor([[1, 2, 3], [3, 2, 1], [0, 0, 1], [1, 0, 0]])
    assert _codes(tokens).tolist() == [321, 123, 100, 1]


# ── training ──────────────────────────────────────────────────────────────────


def test_the_default_task_reaches_99_percent_on_held_out_sequences() -> None:
    run = trained()
    assert run.settings == TrainingSettings(task="reverse", seq_len=8, steps=300)
    assert run.final_sequence_accuracy >= 0.99
    assert run.final_token_accuracy >= 0.99
    reached = run.first_snapshot_reaching(0.99)
    assert reached is not None and 0 < reached < len(run.steps)
    assert run.held_out_sequence_accuracy[0] < 0.01  # it really learned: at step 0 it guesses


def test_reverse_attention_goes_from_uniform_to_the_anti_diagonal() -> None:
    run = trained()
    rows = torch.arange(8)
    first, last = run.probe_weights[0], run.probe_weights[-1]
    assert (first - 1 / 8).abs().max() < 0.03  # near uniform: every weight close to 1/L
    assert run.expected_key_share[0] == pytest.approx(1 / 8, abs=0.01)
    assert last[rows, anti_diagonal(8)].mean() >= 0.9
    assert run.final_expected_key_share >= 0.9
    assert torch.equal(last.argmax(-1), anti_diagonal(8))
    assert torch.equal(run.probe_predictions[-1], run.probe_targets)
    assert torch.equal(run.probe_targets, run.probe_tokens.flip(0))


@pytest.mark.parametrize("task", ["copy", "rotate", "swap"])
def test_other_tasks_learn_their_own_pattern(task) -> None:
    run = trained(task=task)
    keys = expected_keys(task, 8)
    assert run.final_sequence_accuracy >= 0.99
    assert run.probe_weights[-1][torch.arange(8), keys].mean() >= 0.9
    assert torch.equal(run.probe_weights[-1].argmax(-1), keys)


def test_copy_attends_to_the_diagonal_with_or_without_a_causal_mask() -> None:
    for causal in (False, True):
        run = trained(task="copy", causal=causal)
        assert run.final_sequence_accuracy >= 0.99
        assert torch.diagonal(run.probe_weights[-1]).mean() >= 0.9
        assert run.hidden_queries == ()


def test_reverse_cannot_be_learned_under_a_causal_mask() -> None:
    run = trained(causal=True)
    _, best_token = accuracy_ceiling("reverse", 8, causal=True)
    assert run.hidden_queries == (0, 1, 2, 3)
    assert run.final_sequence_accuracy <= 0.05  # far from 99%: only a lucky guess at 4 positions
    assert run.final_token_accuracy <= best_token + 0.05  # cannot beat the ceiling (sampling noise aside)
    assert run.final_token_accuracy >= best_token - 0.1  # …but it does learn every position it can see
    assert torch.equal(run.allowed, torch.ones(8, 8, dtype=torch.bool).tril())
    assert (run.probe_weights[:, ~run.allowed] == 0).all()  # never any weight on a future key
    assert run.expected_key_share[-1] <= 0.55  # the first half's expected keys are masked


def test_same_settings_same_run_other_seed_other_run() -> None:
    settings = TrainingSettings(steps=100)
    first, second = train(settings), train(settings)
    for field in fields(TrainingRun):
        if field.name in TIMING_FIELDS:
            continue
        a, b = getattr(first, field.name), getattr(second, field.name)
        assert torch.equal(a, b) if isinstance(a, torch.Tensor) else a == b, field.name
    other = train(TrainingSettings(steps=100, seed=1))
    assert not torch.equal(first.probe_weights, other.probe_weights)
    assert not torch.equal(first.train_loss, other.train_loss)
    assert torch.equal(first.probe_tokens, other.probe_tokens)  # the held-out set does not depend on the seed


def test_training_leaves_the_global_random_state_alone() -> None:
    before = torch.get_rng_state()
    train(TrainingSettings(steps=10))
    assert torch.equal(torch.get_rng_state(), before)


def test_progress_is_reported_at_every_snapshot() -> None:
    reports: list[Progress] = []
    run = train(TrainingSettings(steps=100), on_progress=reports.append)
    assert [report.step for report in reports] == run.steps.tolist()
    assert all(report.steps == 100 for report in reports)
    assert [report.held_out_sequence_accuracy for report in reports] == run.held_out_sequence_accuracy.tolist()
    assert reports[-1].elapsed_seconds <= run.elapsed_seconds
    assert run.seconds.tolist() == sorted(run.seconds.tolist())
    # What the page repaints while training: the probe's attention at that snapshot, the run's own numbers.
    assert torch.equal(torch.stack([report.probe_weights for report in reports]), run.probe_weights)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"causal": True},
        {"task": "swap", "seq_len": 5, "causal": True},
        {"seq_len": 12, "d_model": 8, "learning_rate": 1e-2},
    ],
    ids=["default", "causal", "swap-odd-causal", "L12-d8-lr1e-2"],
)
def test_every_number_of_a_run_is_finite_and_shaped(changes) -> None:
    run = trained(**changes)
    snapshots, seq_len = len(run.steps), run.settings.seq_len
    assert snapshots == SNAPSHOTS + 1
    for field in fields(TrainingRun):
        value = getattr(run, field.name)
        if isinstance(value, torch.Tensor) and value.is_floating_point():
            assert torch.isfinite(value).all(), field.name
    assert run.probe_weights.shape == (snapshots, seq_len, seq_len)
    assert run.probe_predictions.shape == (snapshots, seq_len)
    torch.testing.assert_close(run.probe_weights.sum(-1), torch.ones(snapshots, seq_len))
    for name in ("train_sequence_accuracy", "held_out_sequence_accuracy", "held_out_token_accuracy"):
        assert ((getattr(run, name) >= 0) & (getattr(run, name) <= 1)).all(), name


@pytest.mark.parametrize(("task", "seq_len"), [("rotate", 8), ("reverse", 6), ("swap", 4)])
def test_expected_ceiling_and_its_error_match_a_simulation(task: str, seq_len: int) -> None:
    # A perfect model under the causal mask: visible positions right, hidden ones a uniform guess. Simulate
    # 2,000 held-out sets of 1,000 sequences; their mean and spread are the expectation and its standard error.
    count, trials = 1000, 2000
    ceiling = expected_ceiling(task, seq_len, True, count)
    hidden = len(hidden_queries(task, seq_len, True))
    generator = torch.Generator().manual_seed(0)
    guesses_right = torch.rand(trials, count, hidden, generator=generator) < 0.1  # [T, N, hidden]
    token = (seq_len - hidden + guesses_right.sum(dim=-1).double()) / seq_len  # [T, N]
    sequence = guesses_right.all(dim=-1).double()
    assert float(token.mean()) == pytest.approx(ceiling.token, abs=3 * ceiling.token_error / trials**0.5)
    assert float(token.mean(dim=1).std()) == pytest.approx(ceiling.token_error, rel=0.1)
    assert float(sequence.mean(dim=1).std()) == pytest.approx(ceiling.sequence_error, rel=0.1)


def test_start_deviation_measures_the_gap_from_an_even_share_of_the_visible_keys() -> None:
    allowed = causal_mask(3)
    even = allowed / allowed.sum(dim=-1, keepdim=True)
    assert start_deviation(even, allowed) == 0.0
    shifted = even.clone()
    shifted[2] = torch.tensor([0.5, 0.25, 0.25])
    assert start_deviation(shifted, allowed) == pytest.approx(0.5 - 1 / 3)


def test_allowed_keys_follow_the_causal_setting() -> None:
    assert torch.equal(allowed_keys(TrainingSettings(seq_len=5, causal=True)), causal_mask(5))
    assert bool(allowed_keys(TrainingSettings(seq_len=5, causal=False)).all())
