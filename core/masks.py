"""Attention masks. All are bool with True = may attend, as in ``F.scaled_dot_product_attention``.

``nn.MultiheadAttention`` uses the opposite convention (True = may NOT attend): pass ``~allowed`` there.
"""

from __future__ import annotations

import torch
from torch import Tensor

from core.attention import causal_allowed


def causal_mask(seq_len: int) -> Tensor:
    """Shapes: ``[L, L]``. Query i may attend to keys 0..i (no peeking at the future)."""
    return causal_allowed(seq_len, seq_len)


def padding_mask(lengths: Tensor | list[int], seq_len: int) -> Tensor:
    """Shapes: lengths ``[B]`` → ``[B, 1, 1, L]`` (broadcasts over heads and queries).

    Keys at positions ≥ a sequence's length are padding and may not be attended to.
    """
    lengths = torch.as_tensor(lengths, dtype=torch.long)
    if lengths.dim() != 1:
        raise ValueError(f"lengths must be 1-D (one length per sequence), got shape {tuple(lengths.shape)}")
    if (lengths < 0).any() or (lengths > seq_len).any():
        raise ValueError(f"every length must lie in 0..{seq_len}, got {lengths.tolist()}")
    positions = torch.arange(seq_len)
    allowed = positions.unsqueeze(0) < lengths.unsqueeze(1)  # [B, L]
    return allowed[:, None, None, :]  # [B, 1, 1, L]


def sliding_window_mask(seq_len: int, window: int) -> Tensor:
    """Shapes: ``[L, L]``. Query i may attend to keys j with |i − j| ≤ window (local attention)."""
    if window < 0:
        raise ValueError(f"window must be ≥ 0, got {window}")
    positions = torch.arange(seq_len)
    distance = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs()  # [L, L]
    return distance <= window
