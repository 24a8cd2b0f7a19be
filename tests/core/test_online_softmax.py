"""core.online_softmax: block by block, the running max, sum and output end equal to ordinary softmax
attention for every block size; each block's state matches its definition; the traffic model's counts."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, sizes

from core.online_softmax import (
    EQUAL_UP_TO,
    block_bounds,
    block_progress,
    how_close,
    memory_traffic,
    online_softmax_attention,
)

EXAMPLES = settings(max_examples=60, deadline=None)


def row(length: int, d_k: int, seed: int, dtype=torch.float32, spread: float = 1.0):
    generator = torch.Generator().manual_seed(seed)
    query = torch.randn(d_k, generator=generator, dtype=dtype) * spread
    key = torch.randn(length, d_k, generator=generator, dtype=dtype)
    value = torch.randn(length, d_k, generator=generator, dtype=dtype)
    return query, key, value


def reference(query, key, value):
    """softmax(q·Kᵀ/√d_k)·V with PyTorch's own softmax."""
    weights = torch.softmax(key @ query / math.sqrt(query.size(-1)), dim=-1)
    return weights @ value, weights


@pytest.mark.parametrize("length", [1, 2, 7, 16, 64])
def test_every_block_size_equals_ordinary_softmax(length, parity) -> None:
    query, key, value = row(length, 8, seed=length)
    output, weights = reference(query, key, value)
    for block in range(1, length + 1):
        run = online_softmax_attention(query, key, value, block)
        parity.check(f"online L={length} B={block} output", run.output, output, atol=1e-6)
        parity.check(f"online L={length} B={block} weights", run.steps[-1].weights_so_far, weights, atol=1e-6)
        assert run.max_output_diff < 1e-6 and run.max_weight_diff < 1e-6


@given(**sizes(length=40, block=48, d_k=32), seed=SEEDS, spread=st.sampled_from([0.1, 1.0, 10.0]))
@EXAMPLES
def test_online_equals_ordinary_property(length, block, d_k, seed, spread, parity) -> None:
    """Including large scores (spread 10), where a softmax without the running max would overflow e^s."""
    query, key, value = row(length, d_k, seed, spread=spread)
    output, _ = reference(query, key, value)
    run = online_softmax_attention(query, key, value, block)
    parity.check(f"online property L={length} B={block}", run.output, output, atol=1e-5 * max(1.0, spread))


def test_large_scores_stay_finite() -> None:
    """Scores near 1000 would make e^s = inf; subtracting the running max keeps every step finite."""
    query, key, value = row(12, 4, seed=0)
    run = online_softmax_attention(query * 2000, key, value, 5)
    assert all(math.isfinite(step.running_sum) for step in run.steps)
    assert torch.isfinite(run.output).all() and run.max_output_diff < 1e-4


def test_each_block_state_follows_its_definition() -> None:
    query, key, value = row(10, 6, seed=4, dtype=torch.float64)
    run = online_softmax_attention(query, key, value, 3)
    assert [(s.start, s.end) for s in run.steps] == [(0, 3), (3, 6), (6, 9), (9, 10)]
    scaled = key @ query / math.sqrt(6)
    assert torch.allclose(run.scaled, scaled)
    m_old = -math.inf
    for step in run.steps:
        seen = scaled[: step.end]
        assert step.m_old == m_old
        assert step.m_new == pytest.approx(float(seen.max()), abs=0)  # the running max is the max so far
        assert step.block_max == pytest.approx(float(scaled[step.start : step.end].max()))
        assert step.rescale == pytest.approx(math.exp(m_old - step.m_new))
        assert step.running_sum == pytest.approx(float(torch.exp(seen - step.m_new).sum()))
        # The running output is attention over the keys seen so far.
        assert torch.allclose(step.output, torch.softmax(seen, dim=-1) @ value[: step.end])
        assert step.raised_max == (step.m_new > m_old)
        m_old = step.m_new
    assert run.steps[0].rescale == 0.0  # e^{−∞}: the empty start contributes nothing
    assert run.max_raises == sum(s.raised_max for s in run.steps) >= 1


def test_max_raises_counts_only_new_maxima() -> None:
    """Keys whose scores fall after the first block never raise the max: every later factor is 1."""
    query = torch.tensor([1.0])
    key = torch.tensor([[5.0], [4.0], [3.0], [2.0]])
    value = torch.eye(4)
    run = online_softmax_attention(query, key, value, 1)
    assert run.max_raises == 1 and [s.rescale for s in run.steps[1:]] == [1.0, 1.0, 1.0]
    rising = online_softmax_attention(query, key.flip(0), value, 1)
    assert rising.max_raises == 4 and all(s.rescale < 1.0 for s in rising.steps[1:])


def test_block_bounds() -> None:
    assert block_bounds(5, 2) == [(0, 2), (2, 4), (4, 5)]
    assert block_bounds(5, 9) == [(0, 5)]
    with pytest.raises(ValueError, match="block"):
        block_bounds(5, 0)
    with pytest.raises(ValueError, match="key"):
        online_softmax_attention(torch.ones(2), torch.ones(0, 2), torch.ones(0, 2), 1)


def test_memory_traffic_counts() -> None:
    traffic = memory_traffic(1024, 64, 128)
    assert traffic.naive_io == 4 * 1024 * 64
    assert traffic.naive_matrix == 4 * 1024 * 1024  # S and P, each written once and read once
    assert traffic.fused_io == 2 * 1024 * 64
    assert traffic.fused_kv == 2 * 1024 * 64 * 8  # 8 query tiles, each streaming all of K and V
    assert traffic.on_chip == 4 * 128 * 64 + 128 * 128 + 2 * 128
    assert traffic.naive == traffic.naive_io + traffic.naive_matrix and traffic.fused == 131072 + 1048576
    assert traffic.naive > traffic.fused
    # Tiles narrower than the head make the fused version re-read K and V so often that it moves more.
    narrow = memory_traffic(1024, 128, 16)
    assert narrow.fused > narrow.naive
    # One tile as large as L reads K and V once: the fused traffic is then only Q, K, V and O.
    assert memory_traffic(256, 32, 256).fused == 4 * 256 * 32


def test_how_close_names_the_difference() -> None:
    assert how_close(0.0) == "exact"
    assert how_close(EQUAL_UP_TO) == "rounding"
    assert how_close(1e-3) == "approx"
    assert how_close(0.5) == "far"


def test_block_progress_shows_the_processed_blocks_and_the_reference() -> None:
    query, key, value = row(7, 4, seed=3)
    run = online_softmax_attention(query, key, value, 3)  # blocks 0–2, 3–5, 6
    progress = block_progress(run, 2)
    assert progress.weights.shape == (4, 7) and progress.outputs.shape == (4, 4)
    assert torch.equal(progress.weights[1], run.steps[1].weights_so_far)
    assert torch.equal(progress.outputs[-1], run.reference_output)
    assert progress.weights_shown.tolist() == [
        [True] * 3 + [False] * 4,
        [True] * 6 + [False],
        [False] * 7,  # block 3 is not processed yet at step 2
        [True] * 7,  # ordinary softmax
    ]
    assert progress.outputs_shown[:, 0].tolist() == [True, True, False, True]


def test_traffic_ratio_share_and_tiles() -> None:
    traffic = memory_traffic(4096, 64, 128)
    assert traffic.tiles == 32
    assert traffic.ratio == traffic.naive / traffic.fused
    assert traffic.matrix_share == 100 * traffic.naive_matrix / traffic.naive
