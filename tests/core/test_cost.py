"""core.cost: the timed functions compute attention, the timing loop is bounded (tested with scripted clocks,
never by speed), memory formulas equal real tensor sizes, and every closed-form score count equals the
mask it describes, built pair by pair."""

from __future__ import annotations

import itertools
import math
import time

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, sizes

from core.attention import scaled_dot_product_attention
from core.cost import (
    COST_MASK_KINDS,
    FIT_FROM,
    GROWTH,
    MaskShape,
    TimingPoint,
    TimingRun,
    allowed_count,
    build_cost_mask,
    count_curves,
    doubling_lengths,
    fused_attention,
    growth_exponent,
    io_bytes,
    keys_before,
    naive_attention,
    naive_matrix_bytes,
    rule,
    score_counts,
    tile_fractions,
    time_attention,
    timing_curves,
)
from core.masks import block_mask, causal_mask, sliding_window_mask, strided_mask

EXAMPLES = settings(max_examples=80, deadline=None)


class StepClock:
    """A clock that moves forward by ``step`` seconds every time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step, self.reads = 0.0, step, 0

    def __call__(self) -> float:
        self.now += self.step
        self.reads += 1
        return self.now


# ── the two timed versions ───────────────────────────────────────────────────


@settings(max_examples=40, deadline=None)
@given(**sizes(L=40, S=40, d_k=16), seed=SEEDS)
def test_naive_and_fused_compute_the_same_attention(L: int, S: int, d_k: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    q, k, v = torch.randn(1, 2, L, d_k, generator=g), torch.randn(1, 2, S, d_k, generator=g), torch.randn(1, 2, S, 3)
    expected = scaled_dot_product_attention(q, k, v).output
    torch.testing.assert_close(naive_attention(q, k, v), expected, atol=1e-5, rtol=0)
    torch.testing.assert_close(fused_attention(q, k, v), expected, atol=1e-5, rtol=0)


# ── the timing loop ──────────────────────────────────────────────────────────


def test_doubling_lengths() -> None:
    assert doubling_lengths(16, 2048) == (16, 32, 64, 128, 256, 512, 1024, 2048)
    assert doubling_lengths(16, 100) == (16, 32, 64)
    assert doubling_lengths(5, 5) == (5,)
    with pytest.raises(ValueError, match="shortest"):
        doubling_lengths(0, 4)
    with pytest.raises(ValueError, match="shortest"):
        doubling_lengths(8, 4)


def test_real_run_returns_positive_medians_for_each_length_in_order() -> None:
    before = time.time()
    run = time_attention((8, 16, 32), 8, repeats=3, budget_seconds=30.0)
    assert [p.seq_len for p in run.points] == [8, 16, 32]
    assert not run.stopped_early and run.skipped_prediction is None
    assert all(p.naive_seconds > 0 and p.fused_seconds > 0 for p in run.points)
    assert all(math.isfinite(p.naive_seconds) and math.isfinite(p.fused_seconds) for p in run.points)
    assert (run.d_k, run.repeats, run.requested) == (8, 3, (8, 16, 32))
    assert 0 < run.elapsed_seconds < 30
    assert before <= run.measured_at <= time.time()


def test_medians_and_elapsed_are_read_from_the_clock() -> None:
    # Each timed call reads the clock twice (before, after), so with a step of 1 s every call lasts 1 s.
    clock = StepClock(1.0)
    run = time_attention((4, 8), 4, repeats=5, budget_seconds=1e9, clock=clock)
    assert [(p.naive_seconds, p.fused_seconds) for p in run.points] == [(1.0, 1.0), (1.0, 1.0)]
    assert run.elapsed_seconds == pytest.approx(clock.now - 1.0)  # from the first read to the last


def test_the_run_stops_before_a_length_that_would_overrun_the_budget() -> None:
    # Lengths up to 2^20: measuring the last ones would need terabytes, so the run must stop long before.
    clock = StepClock(0.01)
    run = time_attention(doubling_lengths(4, 2**20), 4, repeats=3, budget_seconds=1.0, clock=clock)
    assert run.stopped_early
    assert 1 <= len(run.points) < len(run.requested)
    assert run.elapsed_seconds <= 1.0
    assert run.skipped_prediction is not None and run.elapsed_seconds + run.skipped_prediction > 1.0
    assert [p.seq_len for p in run.points] == list(run.requested[: len(run.points)])


def test_the_shortest_length_is_always_measured_even_with_no_budget() -> None:
    run = time_attention((4, 8, 16), 4, repeats=1, budget_seconds=0.0, clock=StepClock(0.5))
    assert [p.seq_len for p in run.points] == [4]
    assert run.skipped_prediction == pytest.approx(5 * 0.5 * 4)  # length 4 took 5 clock steps; × (8/4)²


def test_a_real_run_over_huge_lengths_stays_bounded() -> None:
    run = time_attention(doubling_lengths(16, 2**17), 16, repeats=2, budget_seconds=0.3)
    assert run.stopped_early and run.points[-1].seq_len <= 8192
    assert run.elapsed_seconds < 10  # a generous ceiling: the loop stops, whatever the machine's speed


@pytest.mark.parametrize("power", [1.0, 2.0, 2.5])
def test_growth_exponent_recovers_a_power_law(power: float) -> None:
    lengths = [256, 512, 1024, 2048]
    assert growth_exponent(lengths, [3e-9 * n**power for n in lengths]) == pytest.approx(power)
    noisy = [3e-9 * n**power * f for n, f in zip(lengths, [1.1, 0.9, 1.05, 0.97], strict=True)]
    assert growth_exponent(lengths, noisy) == pytest.approx(power, abs=0.15)


@pytest.mark.parametrize(("lengths", "seconds"), [([4], [1.0]), ([4, 4], [1.0, 2.0]), ([4, 8], [1.0, 0.0]), ([4], [])])
def test_growth_exponent_needs_two_lengths_and_positive_times(lengths: list[int], seconds: list[float]) -> None:
    with pytest.raises(ValueError, match="two different lengths"):
        growth_exponent(lengths, seconds)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lengths": (), "d_k": 4},
        {"lengths": (8, 4), "d_k": 4},
        {"lengths": (8, 8), "d_k": 4},
        {"lengths": (0, 4), "d_k": 4},
        {"lengths": (4,), "d_k": 0},
        {"lengths": (4,), "d_k": 4, "repeats": 0},
    ],
)
def test_bad_timing_arguments_are_clear_errors(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        time_attention(**kwargs)


# ── memory ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16])
@pytest.mark.parametrize("L", [1, 7, 64])
def test_naive_matrix_bytes_equal_the_real_score_and_weight_tensors(L: int, dtype: torch.dtype) -> None:
    q = torch.randn(1, 1, L, 8).to(dtype)
    scores = q @ q.transpose(-2, -1)
    weights = torch.softmax(scores.float(), -1).to(dtype)
    assert naive_matrix_bytes(L, dtype) == scores.nbytes + weights.nbytes
    assert io_bytes(L, 8, dtype) == 4 * q.nbytes


def test_the_fused_kernel_allocates_less_than_one_score_matrix() -> None:
    """Backs the page's claim that the fused version never stores an L×L matrix (torch's own allocator log)."""
    from torch.profiler import ProfilerActivity, profile

    L, d_k = 2048, 64
    q, k, v = (torch.randn(1, 1, L, d_k) for _ in range(3))
    allocated = {}
    for name, attention in (("naive", naive_attention), ("fused", fused_attention)):
        attention(q, k, v)
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            attention(q, k, v)
        allocated[name] = sum(max(e.self_cpu_memory_usage, 0) for e in prof.key_averages())
    one_matrix = naive_matrix_bytes(L) // 2
    assert allocated["naive"] >= naive_matrix_bytes(L)
    assert allocated["fused"] < one_matrix / 4, allocated


# ── masks: closed forms against the masks themselves ─────────────────────────


def loop_allowed(kind: str, L: int, shape: MaskShape) -> np.ndarray:
    """Each mask's rule, pair by pair."""
    rules = {
        "none": lambda i, j: True,
        "causal": lambda i, j: j <= i,
        "sliding": lambda i, j: abs(i - j) <= shape.window,
        "block": lambda i, j: i // shape.block == j // shape.block,
        "strided": lambda i, j: (i - j) % shape.stride == 0,
    }
    return np.array([[rules[kind](i, j) for j in range(L)] for i in range(L)], dtype=bool).reshape(L, L)


shapes = st.builds(MaskShape, window=st.integers(0, 45), block=st.integers(1, 45), stride=st.integers(1, 45))


@EXAMPLES
@given(L=st.integers(1, 40), shape=shapes)
def test_closed_form_counts_equal_the_masks(L: int, shape: MaskShape) -> None:
    for kind in COST_MASK_KINDS:
        mask = build_cost_mask(kind, L, shape)
        assert mask.dtype == torch.bool and mask.shape == (L, L)
        np.testing.assert_array_equal(mask.numpy(), loop_allowed(kind, L, shape), err_msg=kind)
        assert allowed_count(kind, L, shape) == int(mask.sum()), kind
        prefix = torch.cat([torch.zeros(L, 1, dtype=torch.long), mask.long().cumsum(dim=1)], dim=1)  # [L, L + 1]
        torch.testing.assert_close(keys_before(kind, torch.arange(L), torch.arange(L + 1), shape, L), prefix)


def test_the_masks_are_the_projects_own() -> None:
    shape = MaskShape(window=3, block=4, stride=2)
    assert build_cost_mask("none", 9, shape).all()
    assert torch.equal(build_cost_mask("causal", 9, shape), causal_mask(9))
    assert torch.equal(build_cost_mask("sliding", 9, shape), sliding_window_mask(9, 3))
    assert torch.equal(build_cost_mask("block", 9, shape), block_mask(9, 4))
    assert torch.equal(build_cost_mask("strided", 9, shape), strided_mask(9, 2))


@pytest.mark.parametrize(("L", "tiles"), [(8, 8), (8, 1), (12, 4), (64, 16), (96, 32)])
def test_tile_fractions_equal_the_mask_averaged_over_tiles(L: int, tiles: int) -> None:
    for shape in (MaskShape(0, 1, 1), MaskShape(2, 3, 5), MaskShape(7, 16, 4), MaskShape(100, 100, 100)):
        for kind in COST_MASK_KINDS:
            mask = loop_allowed(kind, L, shape).astype(float)
            side = L // tiles
            expected = mask.reshape(tiles, side, tiles, side).mean(axis=(1, 3))
            fractions = tile_fractions(kind, L, shape, tiles)
            np.testing.assert_allclose(fractions.numpy(), expected, atol=1e-12, err_msg=f"{kind} {shape}")
            assert round(float(fractions.sum()) * side * side) == allowed_count(kind, L, shape)


def test_tile_fractions_need_l_to_be_a_multiple_of_the_tiles() -> None:
    with pytest.raises(ValueError, match="multiple"):
        tile_fractions("none", 10, MaskShape(1, 1, 1), 4)


def test_large_lengths_follow_the_expected_growth() -> None:
    for L, w, b in itertools.product([4096, 65536], [0, 16, 128], [1, 64]):
        shape = MaskShape(window=w, block=b, stride=math.isqrt(L))
        assert allowed_count("none", L, shape) == L * L
        assert allowed_count("causal", L, shape) == L * (L + 1) // 2
        assert allowed_count("sliding", L, shape) == (2 * w + 1) * L - w * (w + 1)  # O(L·w)
        assert allowed_count("block", L, shape) == L * b  # O(L·b) when b divides L
        assert allowed_count("strided", L, shape) == L * math.isqrt(L)  # L²/stride: O(L·√L) with stride √L


def test_score_counts_give_counts_and_fractions_in_kind_order() -> None:
    counts = score_counts(10, MaskShape(window=1, block=5, stride=3))
    assert [c.kind for c in counts] == list(COST_MASK_KINDS)
    assert [c.count for c in counts] == [100, 55, 28, 50, allowed_count("strided", 10, MaskShape(1, 5, 3))]
    assert [c.fraction for c in counts][:4] == [1.0, 0.55, 0.28, 0.5]
    with pytest.raises(ValueError, match="seq_len"):
        score_counts(0, MaskShape(1, 1, 1))


@pytest.mark.parametrize(("window", "block", "stride"), [(-1, 1, 1), (0, 0, 1), (0, 1, 0)])
def test_mask_shape_rejects_impossible_sizes(window: int, block: int, stride: int) -> None:
    with pytest.raises(ValueError, match="window"):
        MaskShape(window, block, stride)


def test_unknown_kind_is_a_clear_error() -> None:
    shape = MaskShape(1, 1, 1)
    with pytest.raises(ValueError, match="unknown mask kind"):
        build_cost_mask("diagonal", 4, shape)
    with pytest.raises(ValueError, match="unknown mask kind"):
        allowed_count("diagonal", 4, shape)
    with pytest.raises(ValueError, match="unknown mask kind"):
        keys_before("diagonal", torch.arange(2), torch.arange(2), shape, 2)


# ── what the page draws of a run ─────────────────────────────────────────────


def scripted_run(points: list[tuple[int, float, float]]) -> TimingRun:
    lengths = tuple(n for n, _, _ in points)
    return TimingRun(
        d_k=8,
        repeats=1,
        requested=lengths,
        points=tuple(TimingPoint(*p) for p in points),
        budget_seconds=1.0,
        elapsed_seconds=0.5,
        skipped_prediction=None,
        measured_at=0.0,
    )


def test_timing_curves_give_milliseconds_the_quadratic_guide_and_the_fitted_growth() -> None:
    run = scripted_run(
        [(64, 1e-5, 2e-5), (128, 2e-5, 3e-5), (256, 1e-4, 5e-5), (512, 4e-4, 1e-4), (1024, 1.6e-3, 2e-4)]
    )
    curves = timing_curves(run)
    assert curves.lengths == (64, 128, 256, 512, 1024)
    np.testing.assert_allclose(curves.naive_ms, [0.01, 0.02, 0.1, 0.4, 1.6])
    np.testing.assert_allclose(curves.fused_ms, [0.02, 0.03, 0.05, 0.1, 0.2])
    # Through the naive time at the longest length, falling like (L / L_max)²: 1.6 · (L / 1024)².
    np.testing.assert_allclose(curves.guide_ms, [1.6 * (n / 1024) ** 2 for n in curves.lengths])
    assert curves.guide_ms[-1] == curves.naive_ms[-1]
    assert FIT_FROM == 256 and curves.fitted == (256, 512, 1024)  # shorter lengths are call overhead
    assert curves.naive_growth == pytest.approx(2.0) and curves.fused_growth == pytest.approx(1.0)
    assert curves.naive_growth == growth_exponent([256, 512, 1024], curves.naive_ms[2:])
    np.testing.assert_allclose(curves.ratio, [0.5, 2 / 3, 2.0, 4.0, 8.0])


def test_no_growth_is_fitted_from_fewer_than_two_long_lengths() -> None:
    curves = timing_curves(scripted_run([(16, 1e-5, 1e-5), (32, 2e-5, 1e-5), (256, 1e-4, 5e-5)]))
    assert curves.fitted == (256,) and curves.naive_growth is None and curves.fused_growth is None
    assert timing_curves(scripted_run([(16, 1e-5, 1e-5), (32, 4e-5, 2e-5)]), fit_from=16).naive_growth == pytest.approx(
        2.0
    )


def test_count_curves_are_the_closed_forms_in_kind_order() -> None:
    shape = MaskShape(window=2, block=8, stride=4)
    lengths = [16, 32, 64]
    curves = count_curves(lengths, shape)
    assert list(curves) == list(COST_MASK_KINDS)
    assert curves == {kind: tuple(allowed_count(kind, n, shape) for n in lengths) for kind in COST_MASK_KINDS}
    assert curves["none"] == (256, 1024, 4096)


def test_each_kind_has_its_rule_with_the_sizes_and_its_growth() -> None:
    shape = MaskShape(window=3, block=4, stride=5)
    rules = [rule(kind, shape) for kind in COST_MASK_KINDS]
    assert rules == [None, "j ≤ i", "|i − j| ≤ 3", "⌊i / 4⌋ = ⌊j / 4⌋", "(i − j) mod 5 = 0"]
    assert list(GROWTH) == list(COST_MASK_KINDS)
    assert [GROWTH[kind] for kind in COST_MASK_KINDS] == ["O(L²)", "O(L²)", "O(L·w)", "O(L·b)", "O(L²/s)"]
