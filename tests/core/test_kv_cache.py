"""core.kv_cache: generating token by token with a cache equals the full causal computation, grouped-query
attention equals PyTorch's ``enable_gqa=True`` and a loop over heads, and the cache sizes equal the formula
and the tensors they describe."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, sizes

from core.attention import scaled_dot_product_attention
from core.kv_cache import (
    BYTES_PER_VALUE,
    PRESETS,
    attention_kind,
    binary_size,
    cache_bytes,
    cache_bytes_per_token,
    cache_size,
    cache_size_choices,
    cache_step,
    generate_with_cache,
    generated_so_far,
    grouped_projections,
    grouped_query_attention,
    kv_head_choices,
    kv_head_of,
    project,
    sharing,
    snap_kv_heads,
    torch_gqa_difference,
    toy_cache_floats,
)

EXAMPLES = settings(max_examples=40, deadline=None)
HEAD_PAIRS = [(h, g) for h in range(1, 9) for g in kv_head_choices(h)]
KIB = 1024


def setup(heads: int, kv_heads: int, length: int, d_k: int, seed: int, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    d_model = heads * d_k
    weights = grouped_projections(d_model, d_k, heads, kv_heads, generator)
    weights = type(weights)(weights.w_q.to(dtype), weights.w_k.to(dtype), weights.w_v.to(dtype), heads, kv_heads)
    x = torch.randn(2, length, d_model, generator=generator, dtype=dtype)  # batch 2
    return weights, x


@pytest.mark.parametrize(("heads", "kv_heads"), HEAD_PAIRS)
def test_cached_generation_equals_full_causal_rows(heads, kv_heads, parity) -> None:
    weights, x = setup(heads, kv_heads, 13, 8, seed=heads * 10 + kv_heads)
    run = generate_with_cache(x, weights)
    parity.check(f"cache H={heads} G={kv_heads} outputs", run.outputs, run.full_outputs, atol=1e-6)
    parity.check(f"cache H={heads} G={kv_heads} weights", run.weights, run.full_weights, atol=1e-6)
    assert run.max_output_diff < 1e-6 and run.max_weight_diff < 1e-6
    assert run.k_cache.shape == (2, kv_heads, 13, 8) and run.v_cache.shape == (2, kv_heads, 13, 8)
    assert torch.equal(run.weights.triu(1), torch.zeros_like(run.weights))  # step t sees keys 0…t only


def test_float32_generation_is_within_the_page_tolerance() -> None:
    weights, x = setup(8, 2, 64, 16, seed=3, dtype=torch.float32)
    run = generate_with_cache(x, weights)
    assert 0.0 < run.max_output_diff < 1e-5  # the two orders of summation differ, by rounding only


def test_each_step_uses_only_the_cache_so_far() -> None:
    """Changing a later token leaves every earlier step's output unchanged: nothing from the future leaks in."""
    weights, x = setup(4, 2, 9, 4, seed=1)
    changed = x.clone()
    changed[:, 6:] += 5.0
    before, after = generate_with_cache(x, weights), generate_with_cache(changed, weights)
    assert torch.equal(before.outputs[..., :6, :], after.outputs[..., :6, :])
    assert not torch.allclose(before.outputs[..., 6:, :], after.outputs[..., 6:, :])


@given(
    pair=st.sampled_from(HEAD_PAIRS),
    **sizes(length=20, d_k=16),
    seed=SEEDS,
    causal=st.booleans(),
)
@EXAMPLES
def test_grouped_query_attention_equals_torch_enable_gqa(pair, length, d_k, seed, causal, parity) -> None:
    heads, kv_heads = pair
    generator = torch.Generator().manual_seed(seed)
    q = torch.randn(2, heads, length, d_k, generator=generator)
    k = torch.randn(2, kv_heads, length, d_k, generator=generator)
    v = torch.randn(2, kv_heads, length, d_k, generator=generator)
    ours = grouped_query_attention(q, k, v, is_causal=causal).output
    theirs = F.scaled_dot_product_attention(q, k, v, is_causal=causal, enable_gqa=True)
    parity.check(f"gqa H={heads} G={kv_heads} L={length}", ours, theirs)


def test_grouped_query_attention_equals_a_loop_over_heads() -> None:
    """An independent formula: query head h attends with K/V head h // (H/G), head by head."""
    generator = torch.Generator().manual_seed(5)
    q = torch.randn(1, 6, 5, 4, generator=generator, dtype=torch.float64)
    k = torch.randn(1, 3, 5, 4, generator=generator, dtype=torch.float64)
    v = torch.randn(1, 3, 5, 4, generator=generator, dtype=torch.float64)
    ours = grouped_query_attention(q, k, v).output
    for h in range(6):
        g = h // 2
        alone = scaled_dot_product_attention(q[:, h], k[:, g], v[:, g]).output
        assert torch.allclose(ours[:, h], alone, atol=1e-12)


def test_torch_gqa_difference_is_small_for_every_head_pair() -> None:
    differences = []
    for heads, kv_heads in HEAD_PAIRS:
        weights, x = setup(heads, kv_heads, 10, 8, seed=heads + kv_heads, dtype=torch.float32)
        differences.append(torch_gqa_difference(x, weights))
    assert max(differences) < 1e-5


def test_kv_head_mapping() -> None:
    assert kv_head_of(8, 2).tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert kv_head_of(8, 8).tolist() == list(range(8))
    assert kv_head_of(8, 1).tolist() == [0] * 8
    assert kv_head_of(6, 3).tolist() == [0, 0, 1, 1, 2, 2]
    with pytest.raises(ValueError, match="divide"):
        kv_head_of(8, 3)
    assert kv_head_choices(8) == [1, 2, 4, 8] and kv_head_choices(6) == [1, 2, 3, 6] and kv_head_choices(1) == [1]


def test_attention_kind() -> None:
    assert attention_kind(8, 8) == "mha" and attention_kind(8, 2) == "gqa" and attention_kind(8, 1) == "mqa"
    assert attention_kind(1, 1) == "mha"


def test_projection_shapes() -> None:
    weights, x = setup(8, 2, 5, 3, seed=0)
    q, k, v = project(x, weights)
    assert q.shape == (2, 8, 5, 3) and k.shape == (2, 2, 5, 3) and v.shape == (2, 2, 5, 3)


def test_cache_size_of_the_presets() -> None:
    bf16 = BYTES_PER_VALUE["bf16"]
    assert cache_bytes_per_token(32, 8, 128, 2) == 128 * KIB  # the example
    assert cache_bytes(PRESETS["llama3-8b"], bf16, 1) == 128 * KIB
    assert cache_bytes(PRESETS["mistral-7b"], bf16, 1) == 128 * KIB
    assert cache_bytes(PRESETS["llama2-7b"], bf16, 1) == 512 * KIB  # multi-head: 32 K/V heads
    assert cache_bytes(PRESETS["llama3-70b"], bf16, 1) == 320 * KIB
    assert cache_bytes(PRESETS["falcon-7b"], bf16, 1) == 8 * KIB  # multi-query: one K/V head of 64
    assert cache_bytes(PRESETS["llama3-8b"], bf16, 8192) == 2**30  # 1 GiB at 8192 tokens
    # The multi-head baseline with the same query heads is H/G times larger.
    shape = PRESETS["llama3-8b"]
    assert cache_bytes(shape, bf16, 100, kv_heads=shape.heads) == 4 * cache_bytes(shape, bf16, 100)
    assert [p.kind for p in PRESETS.values()] == ["mha", "gqa", "gqa", "gqa", "mqa"]


def test_cache_size_equals_the_tensors_it_describes() -> None:
    """The formula counts exactly the elements of K and V caches of every layer."""
    layers, kv_heads, d_head, tokens = 3, 2, 5, 7
    for dtype, name in ((torch.float32, "fp32"), (torch.bfloat16, "bf16"), (torch.float8_e4m3fn, "fp8")):
        cache = [torch.zeros(2, kv_heads, tokens, d_head, dtype=dtype) for _ in range(layers)]  # K and V per layer
        held = sum(t.numel() * t.element_size() for t in cache)
        assert held == tokens * cache_bytes_per_token(layers, kv_heads, d_head, BYTES_PER_VALUE[name])


def test_toy_cache_matches_the_generated_cache() -> None:
    weights, x = setup(8, 2, 11, 4, seed=2)
    run = generate_with_cache(x[:1], weights)
    assert run.k_cache.numel() + run.v_cache.numel() == toy_cache_floats(11, 2, 4)


def test_binary_size() -> None:
    assert binary_size(131072) == (128.0, "KiB")
    assert binary_size(2**30) == (1.0, "GiB")
    assert binary_size(512) == (512.0, "B")
    assert binary_size(0) == (0.0, "B")
    assert binary_size(3 * 2**40 * 1024) == (3072.0, "TiB")


def test_an_asked_g_snaps_to_the_largest_divisor_not_above_it() -> None:
    assert [snap_kv_heads(asked, 6) for asked in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 3, 3, 3, 6, 6]


@pytest.mark.parametrize(("heads", "kv_heads"), HEAD_PAIRS)
def test_sharing_marks_the_kv_head_each_query_head_reads(heads: int, kv_heads: int) -> None:
    grid = sharing(heads, kv_heads)
    assert grid.shape == (heads, kv_heads) and torch.equal(grid.sum(dim=1), torch.ones(heads, dtype=torch.float64))
    assert torch.equal(grid.argmax(dim=1), kv_head_of(heads, kv_heads))


def test_a_step_counts_its_cache_and_matches_the_full_computation() -> None:
    weights, x = setup(4, 2, 5, 3, 0)
    run = generate_with_cache(x[:1], weights)  # one sequence, as the page generates
    for step in range(1, 6):
        cached = cache_step(run, step)
        assert cached.floats == toy_cache_floats(step, 2, 3) and cached.difference < 1e-9
        assert toy_cache_floats(step, 2, 3) in cache_size_choices(step, 4, 2, 3)
        done = generated_so_far(5, step)
        assert int(done.sum()) == step * (step + 1) // 2 and not done[step:].any()


def test_cache_size_is_per_token_total_and_multi_head() -> None:
    shape = PRESETS["llama3-8b"]
    size = cache_size(shape, 2, 8192)
    assert size.per_token == cache_bytes_per_token(32, 8, 128, 2) == 128 * KIB
    assert size.total == cache_bytes(shape, 2, 8192) and size.as_mha == 4 * size.total
