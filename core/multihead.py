"""Multi-head attention: project, split into heads, attend per head, concatenate, project out.

Shapes follow PyTorch with ``batch_first=True``: inputs ``[B, L, d_model]``, heads ``[B, H, L, d_k]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from core.attention import AttentionResult, scaled_dot_product_attention


@dataclass(frozen=True)
class MultiHeadResult:
    """Every step of one multi-head attention call."""

    q: Tensor  # [B, H, L, d_k]
    k: Tensor  # [B, H, S, d_k]
    v: Tensor  # [B, H, S, d_k]
    attention: AttentionResult  # per head: weights [B, H, L, S], output [B, H, L, d_k]
    concat: Tensor  # [B, L, d_model], heads side by side
    output: Tensor  # [B, L, d_model], concat · W_oᵀ + b_o


def split_heads(x: Tensor, num_heads: int) -> Tensor:
    """``[B, L, d_model]`` → ``[B, H, L, d_k]``."""
    batch, length, d_model = x.shape
    return x.view(batch, length, num_heads, d_model // num_heads).transpose(1, 2)


def merge_heads(x: Tensor) -> Tensor:
    """``[B, H, L, d_k]`` → ``[B, L, H·d_k]``."""
    batch, heads, length, d_k = x.shape
    return x.transpose(1, 2).reshape(batch, length, heads * d_k)


class MultiHeadAttention(nn.Module):
    """Hand-written multi-head attention, equal to ``nn.MultiheadAttention`` given the same weights.

    d_k = d_model / num_heads. Weights are drawn from ``generator`` with std 1/√d_model, so a
    projection of unit-variance embeddings has unit variance (and raw scores have variance d_k).
    """

    def __init__(
        self, d_model: int, num_heads: int, *, bias: bool = True, generator: torch.Generator | None = None
    ) -> None:
        super().__init__()
        if num_heads < 1 or d_model < 1:
            raise ValueError(f"d_model and num_heads must be ≥ 1, got d_model={d_model}, num_heads={num_heads}")
        if d_model % num_heads:
            lower = (d_model // num_heads) * num_heads or num_heads
            raise ValueError(
                f"d_model={d_model} is not divisible by num_heads={num_heads}: each head needs "
                f"d_k = d_model / num_heads. Use d_model = num_heads × d_k, e.g. {lower} or {lower + num_heads}."
            )
        self.d_model = d_model
        self.num_heads = num_heads
        self.d_k = d_model // num_heads
        self.w_q = nn.Linear(d_model, d_model, bias=bias)
        self.w_k = nn.Linear(d_model, d_model, bias=bias)
        self.w_v = nn.Linear(d_model, d_model, bias=bias)
        self.w_o = nn.Linear(d_model, d_model, bias=bias)
        self._init_weights(generator)

    @torch.no_grad()
    def _init_weights(self, generator: torch.Generator | None) -> None:
        std = self.d_model**-0.5
        for linear in (self.w_q, self.w_k, self.w_v, self.w_o):
            linear.weight.normal_(0.0, std, generator=generator)
            if linear.bias is not None:
                linear.bias.zero_()

    @classmethod
    def from_torch(cls, module: nn.MultiheadAttention) -> MultiHeadAttention:
        """Copy the weights of a PyTorch ``nn.MultiheadAttention`` so both compute the same thing."""
        if not module._qkv_same_embed_dim:
            raise ValueError("only modules with kdim = vdim = embed_dim can be copied")
        if module.bias_k is not None or module.add_zero_attn:
            raise ValueError("add_bias_kv and add_zero_attn are not supported")
        has_bias = module.in_proj_bias is not None
        mine = cls(module.embed_dim, module.num_heads, bias=has_bias)
        with torch.no_grad():
            w_q, w_k, w_v = module.in_proj_weight.chunk(3, dim=0)
            for linear, weight in zip((mine.w_q, mine.w_k, mine.w_v), (w_q, w_k, w_v), strict=True):
                linear.weight.copy_(weight)
            mine.w_o.weight.copy_(module.out_proj.weight)
            if has_bias:
                for linear, b in zip((mine.w_q, mine.w_k, mine.w_v), module.in_proj_bias.chunk(3), strict=True):
                    linear.bias.copy_(b)
                mine.w_o.bias.copy_(module.out_proj.bias)
        return mine

    def forward(
        self,
        query: Tensor,
        key: Tensor | None = None,
        value: Tensor | None = None,
        *,
        attn_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> MultiHeadResult:
        """Self-attention when key and value are omitted; cross-attention otherwise.

        Shapes: query ``[B, L, d_model]``, key/value ``[B, S, d_model]``;
        attn_mask bool (True = may attend) or float, broadcastable to ``[B, H, L, S]``.
        """
        key = query if key is None else key
        value = key if value is None else value
        q = split_heads(self.w_q(query), self.num_heads)  # [B, H, L, d_k]
        k = split_heads(self.w_k(key), self.num_heads)  # [B, H, S, d_k]
        v = split_heads(self.w_v(value), self.num_heads)  # [B, H, S, d_k]
        attention = scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal)
        concat = merge_heads(attention.output)  # [B, L, d_model]
        return MultiHeadResult(q=q, k=k, v=v, attention=attention, concat=concat, output=self.w_o(concat))
