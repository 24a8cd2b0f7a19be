"""shape_flow reads the shapes of a real multi-head call: checked against the formulas on random sizes."""

from __future__ import annotations

import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import sizes

from core.multihead import MultiHeadAttention
from core.shapes import STAGE_NAMES, shape_flow


@settings(max_examples=40, deadline=None)
@given(**sizes(H=8, d_k=12, L=12, S=12), seed=st.integers(0, 99))
def test_stages_follow_the_multi_head_formulas(H: int, d_k: int, L: int, S: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    d_model = H * d_k
    model = MultiHeadAttention(d_model, H, bias=False, generator=g)
    x = torch.randn(L, d_model, generator=g)
    memory = torch.randn(S, d_model, generator=g)
    with torch.no_grad():
        result = model(x.unsqueeze(0), memory.unsqueeze(0))  # cross-attention, so L and S stay apart
    stages = shape_flow(x, result)
    assert tuple(s.name for s in stages) == STAGE_NAMES
    assert [s.shape for s in stages] == [
        (L, d_model),
        (H, L, d_k),
        (H, L, S),
        (H, L, d_k),
        (L, d_model),
        (L, d_model),
    ]
    assert [s.per_head for s in stages] == [False, True, True, True, False, False]
    split, concat = stages[1], stages[4]
    assert split.heads * split.cols == concat.cols == d_model  # the heads tile d_model exactly


def test_batched_input_gives_the_same_stages() -> None:
    g = torch.Generator().manual_seed(0)
    model = MultiHeadAttention(12, 3, generator=g)
    x = torch.randn(1, 5, 12, generator=g)
    with torch.no_grad():
        result = model(x)
    assert shape_flow(x, result) == shape_flow(x[0], result)
