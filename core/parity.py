"""Our multi-head attention next to ``torch.nn.MultiheadAttention`` with the same weights.

``nn.MultiheadAttention``'s bool ``attn_mask`` means True = may NOT attend, the opposite of ours, so the
mask is flipped (``~allowed``) exactly where it is handed to PyTorch. With ``need_weights=True`` PyTorch
returns NaN for a query that can attend to no key; ours returns 0 there, so such rows are not compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from core.multihead import MultiHeadResult


@dataclass(frozen=True)
class ParityReport:
    """Shapes: torch_output ``[1, L, d_model]``; torch_weights ``[1, H, L, S]``; compared_rows ``[L]``."""

    torch_output: Tensor  # NaN in rows that can attend to nothing
    torch_weights: Tensor  # per head (average_attn_weights=False)
    compared_rows: Tensor  # bool, True = the query has at least one allowed key
    torch_nan_rows: int  # rows where PyTorch's output holds NaN
    output_max_abs_diff: float | None  # None when no row can be compared
    weights_max_abs_diff: float | None

    @property
    def compared_count(self) -> int:
        """How many query rows were compared (those with at least one allowed key)."""
        return int(self.compared_rows.sum())


def seeded_torch_attention(d_k: int, num_heads: int, seed: int) -> nn.MultiheadAttention:
    """``nn.MultiheadAttention(H·d_k, H, batch_first=True, bias=False)`` with the weights ``build_model`` draws.

    The in-projection's three blocks (W_q, W_k, W_v) and W_o are drawn in that order from one generator
    seeded with ``seed``, with std 1/√d_model, just as ``MultiHeadAttention`` draws its own.
    """
    d_model = num_heads * d_k
    module = nn.MultiheadAttention(d_model, num_heads, bias=False, batch_first=True)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for weight in (*module.in_proj_weight.chunk(3, dim=0), module.out_proj.weight):
            weight.normal_(0.0, d_model**-0.5, generator=generator)  # chunks are views: fills in place
    return module.eval()


@torch.no_grad()
def compare_with_torch(
    module: nn.MultiheadAttention, embeddings: Tensor, allowed: Tensor | None, ours: MultiHeadResult
) -> ParityReport:
    """Run PyTorch's layer on the embeddings ``ours`` was computed from and measure the largest gaps.

    Shapes: embeddings ``[L, d_model]``; allowed ``[L, L]`` bool (True = may attend) or None;
    ours from a batch-1 self-attention call.
    """
    x = embeddings.unsqueeze(0)  # [1, L, d_model]
    torch_mask = None if allowed is None else ~allowed  # PyTorch: True = may NOT attend
    torch_output, torch_weights = module(x, x, x, attn_mask=torch_mask, need_weights=True, average_attn_weights=False)
    length = x.size(1)
    compared = torch.ones(length, dtype=torch.bool) if allowed is None else allowed.any(dim=-1)
    output_diff = weights_diff = None
    if compared.any():
        output_diff = (ours.output[0, compared] - torch_output[0, compared]).abs().max().item()
        weights_diff = (ours.attention.weights[0][:, compared] - torch_weights[0][:, compared]).abs().max().item()
    return ParityReport(
        torch_output=torch_output,
        torch_weights=torch_weights,
        compared_rows=compared,
        torch_nan_rows=int(torch_output[0].isnan().any(dim=-1).sum()),
        output_max_abs_diff=output_diff,
        weights_max_abs_diff=weights_diff,
    )
