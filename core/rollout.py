"""Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers").

Each layer's attention is averaged over heads, mixed half-and-half with the identity (the residual stream
carries the token itself forward), rows renormalised, and multiplied from the first layer up."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass(frozen=True)
class Rollout:
    """``raw [layers, L, L]``: each layer's attention averaged over heads; ``mixed``: ½·raw + ½·I with rows
    renormalised; ``rollout[l]`` = mixed[l] @ … @ mixed[0], how much each input token reaches each position
    after layer l."""

    raw: Tensor
    mixed: Tensor
    rollout: Tensor


def attention_rollout(attentions: Tensor) -> Rollout:
    """Rollout for ``attentions [layers, heads, L, L]`` (rows = queries, each row sums to 1)."""
    raw = attentions.mean(dim=1)
    eye = torch.eye(raw.size(-1), dtype=raw.dtype)
    mixed = 0.5 * raw + 0.5 * eye
    mixed = mixed / mixed.sum(dim=-1, keepdim=True)
    products, current = [], eye
    for layer_matrix in mixed:
        current = layer_matrix @ current
        products.append(current)
    return Rollout(raw=raw, mixed=mixed, rollout=torch.stack(products))
