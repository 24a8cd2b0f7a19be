"""core/induction.py: the head measures against an independent numpy computation on hand-built attention maps,
the loss drop on hand-built curves, the data, and one short training run of the shipped settings that forms
both heads (Olsson et al. 2022; Elhage et al. 2021)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
import torch

from core.induction import (
    DROP_FRACTION,
    PREVIOUS_HEAD,
    STRIPE,
    AttentionOnlyTransformer,
    InductionSettings,
    induction_keys,
    induction_score,
    loss_drop,
    previous_token_keys,
    previous_token_score,
    probe_sequence,
    repeated_batch,
    train_induction,
)


@pytest.fixture(autouse=True)
def single_thread():
    """As the app trains: one intra-op thread, so repeated runs are bit-for-bit comparable."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def numpy_previous_token(weights: np.ndarray) -> float:
    """Mean of A[i, i − 1] over i = 1 … L − 1, by a plain loop."""
    values = [weights[i, i - 1] for i in range(1, weights.shape[0])]
    return float(np.mean(values))


def numpy_induction(weights: np.ndarray, tokens: list[int]) -> float:
    """For each query i whose token occurred before, the weight on the key just after that occurrence (the last
    one before i), averaged — found by searching the tokens, not by an offset."""
    values = []
    for i, token in enumerate(tokens):
        earlier = [j for j in range(i) if tokens[j] == token]
        if earlier:
            values.append(weights[i, earlier[-1] + 1])
    return float(np.mean(values))


def causal_random_map(generator: np.random.Generator, length: int) -> np.ndarray:
    raw = generator.random((length, length)) * np.tri(length)
    return raw / raw.sum(-1, keepdims=True)


def stripe_map(length: int, offset: int) -> np.ndarray:
    """All weight on key i − offset where that exists, else on key 0."""
    weights = np.zeros((length, length))
    for i in range(length):
        weights[i, max(0, i - offset)] = 1.0
    return weights


@pytest.mark.parametrize("half", [3, 5, 8])
def test_measures_match_numpy_on_random_causal_maps(half: int) -> None:
    generator = np.random.default_rng(half)
    tokens = probe_sequence(24, half).tolist()
    maps = np.stack([causal_random_map(generator, 2 * half) for _ in range(4)])  # [heads, L, L]
    as_tensor = torch.tensor(maps)
    for head in range(4):
        assert float(previous_token_score(as_tensor)[head]) == pytest.approx(numpy_previous_token(maps[head]))
        assert float(induction_score(as_tensor, half)[head]) == pytest.approx(numpy_induction(maps[head], tokens))


def test_a_previous_token_map_scores_one_there_and_not_as_induction() -> None:
    half = 6
    previous = torch.tensor(stripe_map(2 * half, 1))
    assert float(previous_token_score(previous)) == 1.0
    assert float(induction_score(previous, half)) == 0.0


def test_an_induction_stripe_scores_one_there_and_not_as_previous_token() -> None:
    half = 6
    stripe = torch.tensor(stripe_map(2 * half, half - 1))
    tokens = probe_sequence(24, half).tolist()
    assert float(induction_score(stripe, half)) == 1.0 == numpy_induction(stripe.numpy(), tokens)
    # Only row 1 (whose fallback key 0 is its previous token) of the 11 rows that have one.
    assert float(previous_token_score(stripe)) == pytest.approx(1 / 11) == numpy_previous_token(stripe.numpy())


def test_uniform_causal_attention_scores_its_mean_share() -> None:
    half = 5
    length = 2 * half
    uniform = torch.tensor(np.tri(length) / np.arange(1, length + 1)[:, None])
    assert float(previous_token_score(uniform)) == pytest.approx(np.mean([1 / (i + 1) for i in range(1, length)]))
    assert float(induction_score(uniform, half)) == pytest.approx(np.mean([1 / (i + 1) for i in range(half, length)]))


def test_expected_keys() -> None:
    assert previous_token_keys(5).tolist() == [-1, 0, 1, 2, 3]
    assert induction_keys(3).tolist() == [-1, -1, -1, 1, 2, 3]


def test_induction_score_rejects_a_map_of_the_wrong_size() -> None:
    with pytest.raises(ValueError, match="half"):
        induction_score(torch.zeros(6, 6), 4)


def test_data_repeats_its_first_half_and_the_probe_has_distinct_tokens() -> None:
    tokens = repeated_batch(torch.Generator().manual_seed(0), 7, 24, 5)
    assert tokens.shape == (7, 10)
    assert torch.equal(tokens[:, :5], tokens[:, 5:])
    probe = probe_sequence(24, 8)
    assert torch.equal(probe[:8], probe[8:]) and len(set(probe[:8].tolist())) == 8


@pytest.mark.parametrize(
    "changes",
    [{"heads": 3}, {"half": 2}, {"min_half": 9}, {"d_model": 33, "heads": 2}, {"steps": 0}, {"learning_rate": 0}],
)
def test_settings_reject_bad_values(changes: dict) -> None:
    with pytest.raises(ValueError):
        InductionSettings(**changes)


def test_the_model_is_causal_and_gives_one_map_per_layer() -> None:
    settings = InductionSettings(heads=2)
    model = AttentionOnlyTransformer(settings, torch.Generator().manual_seed(1))
    tokens = probe_sequence(settings.vocab_size, settings.half).unsqueeze(0)
    logits, maps = model(tokens)
    assert logits.shape == (1, 16, settings.vocab_size) and len(maps) == 2
    for weights in maps:
        assert weights.shape == (1, 2, 16, 16)
        assert torch.all(weights.triu(1) == 0)
        torch.testing.assert_close(weights.sum(-1), torch.ones(1, 2, 16))
    changed = tokens.clone()
    changed[0, -1] = (changed[0, -1] + 1) % settings.vocab_size
    with torch.no_grad():
        torch.testing.assert_close(model(changed)[0][0, :-1], model(tokens)[0][0, :-1])  # no peeking ahead


# ── the loss drop, on hand-built curves ────────────────────────────────────────


def test_a_curve_with_a_plateau_and_a_cliff() -> None:
    loss = torch.tensor([4.0] * 5 + [3.0] * 195 + [0.2] * 100, dtype=torch.float64)
    drop = loss_drop(loss, window=0)
    assert drop.plateau == 3.0 and drop.step == 200
    assert drop.at_drop == pytest.approx(0.2) and drop.final == pytest.approx(0.2)


def test_a_flat_curve_has_no_drop() -> None:
    loss = torch.full((300,), 3.0, dtype=torch.float64)
    drop = loss_drop(loss, window=2)
    assert drop.plateau == 3.0 and drop.step is None


def test_the_drop_is_measured_against_half_the_plateau() -> None:
    loss = torch.tensor([3.0] * 100 + [3.0 * DROP_FRACTION + 0.01] * 50 + [0.5] * 50, dtype=torch.float64)
    assert loss_drop(loss, window=0).step == 150


# ── one real run ─────────────────────────────────────────────────────────────


@cache
def shipped_run():
    return train_induction(InductionSettings())


def test_the_shipped_seed_forms_both_heads_and_the_loss_drops() -> None:
    run = shipped_run()
    settings = run.settings
    assert run.layer1.shape == (len(settings.snapshot_steps()), 1, 16, 16)
    assert float(run.induction_scores[0].max()) < STRIPE  # no stripe at the start
    assert float(run.induction_scores[-1].max()) >= STRIPE
    assert float(run.previous_token_scores[0].max()) < PREVIOUS_HEAD
    assert float(run.previous_token_scores[-1].max()) >= PREVIOUS_HEAD
    drop = run.drop()
    assert drop.step is not None and drop.at_drop < DROP_FRACTION * drop.plateau
    assert run.elapsed_seconds < 60


def test_a_run_is_reproducible_and_reports_its_snapshots() -> None:
    seen = []
    settings = InductionSettings(steps=20)
    first = train_induction(settings, seen.append)
    second = train_induction(settings)
    assert [progress.step for progress in seen] == settings.snapshot_steps()
    torch.testing.assert_close(first.loss, second.loss, rtol=0, atol=0)
    torch.testing.assert_close(first.layer2, second.layer2, rtol=0, atol=0)
    assert len(first.loss) == 21
