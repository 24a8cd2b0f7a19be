r"""The KV cache, multi-query and grouped-query attention.

Generating token by token, step t needs q_t and the keys and values of tokens 0…t. Those of tokens 0…t−1
were computed at earlier steps, so a decoder keeps them (the KV cache) and computes only k_t, v_t. The
result is exactly the row t of the full causal computation.

H query heads may share fewer key/value heads G (G divides H): G = H is multi-head attention, 1 < G < H
grouped-query attention (Ainslie et al. 2023), G = 1 multi-query attention (Shazeer 2019). Query head h
reads K/V head ⌊h / (H/G)⌋, the convention of PyTorch's ``enable_gqa=True`` (``repeat_interleave``).

.. math:: \text{cache bytes per token} = 2 \times \text{layers} \times G \times d_{head} \times \text{bytes per value}
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from core.attention import AttentionResult, scaled_dot_product_attention
from core.multihead import split_heads

# Float32 rounding: projecting one token or all of them at once sums in a different order (~1e-6 here); a real
# difference would be of the size of the values themselves (~0.1–1).
EQUAL_UP_TO = 1e-5


def kv_head_of(num_heads: int, num_kv_heads: int) -> Tensor:
    """Shapes: ``[H]``, the K/V head each query head reads (consecutive query heads share one)."""
    if num_kv_heads < 1 or num_heads % num_kv_heads:
        raise ValueError(f"the number of K/V heads must divide the query heads, got H={num_heads}, G={num_kv_heads}")
    return torch.arange(num_heads) // (num_heads // num_kv_heads)


def kv_head_choices(num_heads: int) -> list[int]:
    """Every valid G for H query heads: the divisors of H."""
    return [g for g in range(1, num_heads + 1) if num_heads % g == 0]


def attention_kind(num_heads: int, num_kv_heads: int) -> str:
    """``"mha"`` (G = H), ``"gqa"`` (1 < G < H) or ``"mqa"`` (G = 1; with H = 1 it is also MHA)."""
    if num_kv_heads == num_heads:
        return "mha"
    return "mqa" if num_kv_heads == 1 else "gqa"


def snap_kv_heads(asked: int, num_heads: int) -> int:
    """The G a page uses when ``asked`` does not divide H (heads shrank, or a link asked for it): the largest
    divisor of H not above it (H itself when it asks for more)."""
    choices = kv_head_choices(num_heads)
    if asked in choices:
        return asked
    return max(g for g in choices if g <= asked) if asked <= num_heads else num_heads


def sharing(num_heads: int, num_kv_heads: int) -> Tensor:
    """Shapes: ``[H, G]`` float64, 1 where query head h reads K/V head g, else 0."""
    return (kv_head_of(num_heads, num_kv_heads).unsqueeze(1) == torch.arange(num_kv_heads)).double()


@dataclass(frozen=True)
class GroupedProjections:
    """W_q for H heads and W_k, W_v for G heads, each head d_k wide. Shapes: w_q ``[H·d_k, d_model]``,
    w_k/w_v ``[G·d_k, d_model]`` (as ``nn.Linear`` weights: y = x·Wᵀ)."""

    w_q: Tensor
    w_k: Tensor
    w_v: Tensor
    num_heads: int
    num_kv_heads: int

    @property
    def d_k(self) -> int:
        return self.w_q.size(0) // self.num_heads


def grouped_projections(
    d_model: int, d_k: int, num_heads: int, num_kv_heads: int, generator: torch.Generator
) -> GroupedProjections:
    """Weights with std 1/√d_model, as ``core.multihead``: unit-variance inputs give unit-variance q, k, v."""
    kv_head_of(num_heads, num_kv_heads)  # validates G
    std = d_model**-0.5
    w_q = torch.randn(num_heads * d_k, d_model, generator=generator) * std
    w_k = torch.randn(num_kv_heads * d_k, d_model, generator=generator) * std
    w_v = torch.randn(num_kv_heads * d_k, d_model, generator=generator) * std
    return GroupedProjections(w_q, w_k, w_v, num_heads, num_kv_heads)


def project(x: Tensor, weights: GroupedProjections) -> tuple[Tensor, Tensor, Tensor]:
    """Shapes: x ``[B, L, d_model]`` → q ``[B, H, L, d_k]``, k and v ``[B, G, L, d_k]``."""
    q = split_heads(x @ weights.w_q.T, weights.num_heads)  # [B, H, L, d_k]
    k = split_heads(x @ weights.w_k.T, weights.num_kv_heads)  # [B, G, L, d_k]
    v = split_heads(x @ weights.w_v.T, weights.num_kv_heads)  # [B, G, L, d_k]
    return q, k, v


def grouped_query_attention(
    query: Tensor, key: Tensor, value: Tensor, *, attn_mask: Tensor | None = None, is_causal: bool = False
) -> AttentionResult:
    """Attention where each K/V head serves H/G query heads.

    Shapes: query ``[B, H, L, d_k]``, key/value ``[B, G, S, d_k]`` → weights ``[B, H, L, S]``.
    """
    heads, kv_heads = query.size(-3), key.size(-3)
    kv_head_of(heads, kv_heads)
    group = heads // kv_heads
    key = key.repeat_interleave(group, dim=-3)  # [B, H, S, d_k]: the shared heads, copied for the arithmetic
    value = value.repeat_interleave(group, dim=-3)
    return scaled_dot_product_attention(query, key, value, attn_mask=attn_mask, is_causal=is_causal)


@dataclass(frozen=True)
class CachedGeneration:
    """Token-by-token generation with a KV cache, beside the full causal computation.

    Shapes: outputs/full_outputs ``[B, H, L, d_k]``; weights/full_weights ``[B, H, L, L]`` (step t fills row t,
    keys 0…t; the rest is 0); k_cache/v_cache ``[B, G, L, d_k]``, what the cache holds after the last step.
    """

    outputs: Tensor
    weights: Tensor
    k_cache: Tensor
    v_cache: Tensor
    full_outputs: Tensor
    full_weights: Tensor
    max_output_diff: float  # max |cached − full| over every step
    max_weight_diff: float


@torch.no_grad()
def generate_with_cache(x: Tensor, weights: GroupedProjections) -> CachedGeneration:
    """Step t projects token t only, appends k_t and v_t to the cache and attends q_t to the whole cache.

    Shapes: x ``[B, L, d_model]``.
    """
    length = x.size(1)
    if length < 1:
        raise ValueError("generation needs at least one token")
    k_steps: list[Tensor] = []
    v_steps: list[Tensor] = []
    outputs, rows = [], []
    for step in range(length):
        q_t, k_t, v_t = project(x[:, step : step + 1], weights)  # [B, H, 1, d_k], [B, G, 1, d_k]
        k_steps.append(k_t)
        v_steps.append(v_t)
        k_cache, v_cache = torch.cat(k_steps, dim=-2), torch.cat(v_steps, dim=-2)  # [B, G, t+1, d_k]
        result = grouped_query_attention(q_t, k_cache, v_cache)  # no mask: the cache holds only the past
        outputs.append(result.output)
        rows.append(F.pad(result.weights, (0, length - step - 1)))  # [B, H, 1, L]
    cached_outputs, cached_weights = torch.cat(outputs, dim=-2), torch.cat(rows, dim=-2)
    q, k, v = project(x, weights)
    full = grouped_query_attention(q, k, v, is_causal=True)
    return CachedGeneration(
        outputs=cached_outputs,
        weights=cached_weights,
        k_cache=k_cache,
        v_cache=v_cache,
        full_outputs=full.output,
        full_weights=full.weights,
        max_output_diff=float((cached_outputs - full.output).abs().max()),
        max_weight_diff=float((cached_weights - full.weights).abs().max()),
    )


def generated_so_far(length: int, step: int) -> Tensor:
    """Shapes: ``[L, L]`` bool, True at the weights computed by step ``step`` (1-based): rows 0…step−1, each up to
    its own position (the keys its cache held)."""
    rows = torch.arange(length)
    return (rows[:, None] < step) & (rows[None, :] <= rows[:, None])


@dataclass(frozen=True)
class CacheStep:
    """Generation after ``step`` steps: how many numbers the cache holds and how far the cached outputs so far are
    from the full causal computation."""

    step: int
    floats: int  # counted in the cache tensors
    difference: float  # max |cached − full| over the outputs of steps 1…step


def cache_step(run: CachedGeneration, step: int) -> CacheStep:
    counted = run.k_cache[..., :step, :].numel() + run.v_cache[..., :step, :].numel()
    difference = float((run.outputs[..., :step, :] - run.full_outputs[..., :step, :]).abs().max())
    return CacheStep(step=step, floats=counted, difference=difference)


def cache_size_choices(step: int, num_heads: int, num_kv_heads: int, d_k: int) -> list[int]:
    """The prediction's answers for the cache's size after ``step`` steps: the right one, half of it (K only), the
    multi-head cache's and one step's; sorted by size so the right one moves, equal ones merged."""
    floats = toy_cache_floats(step, num_kv_heads, d_k)
    return sorted({floats, floats // 2, toy_cache_floats(step, num_heads, d_k), 2 * num_kv_heads * d_k})


def torch_gqa_difference(x: Tensor, weights: GroupedProjections) -> float:
    """Max |ours − ``F.scaled_dot_product_attention(..., is_causal=True, enable_gqa=True)``|. Shapes: x
    ``[B, L, d_model]``."""
    q, k, v = project(x, weights)
    ours = grouped_query_attention(q, k, v, is_causal=True).output
    theirs = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    return float((ours - theirs).abs().max())


# ── the cache-size calculator ────────────────────────────────────────────────


@dataclass(frozen=True)
class ModelShape:
    """What a model's KV cache size depends on, from its published configuration."""

    name: str
    layers: int
    heads: int  # query heads
    kv_heads: int
    d_head: int

    @property
    def kind(self) -> str:
        return attention_kind(self.heads, self.kv_heads)


# From the models' published configuration files (Hugging Face config.json field names).
PRESETS: dict[str, ModelShape] = {
    # num_hidden_layers 32, num_attention_heads 32 (no num_key_value_heads: one K/V per head), hidden_size 4096
    "llama2-7b": ModelShape("Llama-2-7B", 32, 32, 32, 128),
    # num_hidden_layers 32, num_attention_heads 32, num_key_value_heads 8, hidden_size 4096
    "llama3-8b": ModelShape("Llama-3-8B", 32, 32, 8, 128),
    # n_layers 32, n_heads 32, n_kv_heads 8, head_dim 128 (params.json of Mistral-7B-v0.1)
    "mistral-7b": ModelShape("Mistral-7B", 32, 32, 8, 128),
    # num_hidden_layers 80, num_attention_heads 64, num_key_value_heads 8, hidden_size 8192
    "llama3-70b": ModelShape("Llama-3-70B", 80, 64, 8, 128),
    # n_layer 32, n_head 71, multi_query: one K/V head; hidden_size 4544 = 71 × 64, fused QKV 4672 = 4544 + 2 × 64
    "falcon-7b": ModelShape("Falcon-7B", 32, 71, 1, 64),
}
BYTES_PER_VALUE = {"fp32": 4, "bf16": 2, "fp8": 1}


def cache_bytes_per_token(layers: int, kv_heads: int, d_head: int, bytes_per_value: int) -> int:
    """2 (K and V) × layers × K/V heads × d_head × bytes per value."""
    return 2 * layers * kv_heads * d_head * bytes_per_value


def cache_bytes(shape: ModelShape, bytes_per_value: int, tokens: int, *, kv_heads: int | None = None) -> int:
    """The whole cache for ``tokens`` tokens of one sequence; ``kv_heads`` overrides the model's (e.g. H for
    the multi-head baseline)."""
    heads = shape.kv_heads if kv_heads is None else kv_heads
    return tokens * cache_bytes_per_token(shape.layers, heads, shape.d_head, bytes_per_value)


def toy_cache_floats(tokens: int, num_kv_heads: int, d_k: int) -> int:
    """Numbers this page's one-layer cache holds after ``tokens`` steps: K and V, G heads of d_k each."""
    return 2 * tokens * num_kv_heads * d_k


@dataclass(frozen=True)
class CacheSize:
    """One model's cache for one sequence, in bytes: per token, for the whole context, and with one K/V head per
    query head (the multi-head baseline)."""

    per_token: int
    total: int
    as_mha: int


def cache_size(shape: ModelShape, bytes_per_value: int, tokens: int) -> CacheSize:
    return CacheSize(
        per_token=cache_bytes_per_token(shape.layers, shape.kv_heads, shape.d_head, bytes_per_value),
        total=cache_bytes(shape, bytes_per_value, tokens),
        as_mha=cache_bytes(shape, bytes_per_value, tokens, kv_heads=shape.heads),
    )


def binary_size(n_bytes: float) -> tuple[float, str]:
    """(value, unit) in powers of 1024: 131072 → (128.0, "KiB")."""
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    power = min(int(math.log(n_bytes, 1024)) if n_bytes >= 1 else 0, len(units) - 1)
    return n_bytes / 1024**power, units[power]
