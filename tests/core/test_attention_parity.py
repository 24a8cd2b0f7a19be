"""core.scaled_dot_product_attention against torch.nn.functional.scaled_dot_product_attention.

Outputs are compared with PyTorch's fused function; weights with the softmax written out by hand
(PyTorch's function does not return its weights). Both to atol 1e-5, float32.
Every comparison goes through the ``parity`` fixture, which prints ``PARITY: ...`` at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core import scaled_dot_product_attention

EXAMPLES = settings(max_examples=250, deadline=None)
NEG_INF = float("-inf")


@dataclass(frozen=True)
class Case:
    batch: tuple[int, ...]
    L: int
    S: int
    E: int
    Ev: int
    seed: int

    def tensors(self) -> tuple[torch.Generator, torch.Tensor, torch.Tensor, torch.Tensor]:
        """float32 q, k, v from this case's seed, and the generator to draw masks from."""
        g = torch.Generator().manual_seed(self.seed)
        q = torch.randn(*self.batch, self.L, self.E, generator=g)
        k = torch.randn(*self.batch, self.S, self.E, generator=g)
        v = torch.randn(*self.batch, self.S, self.Ev, generator=g)
        return g, q, k, v

    def __str__(self) -> str:
        return f"batch={self.batch} L={self.L} S={self.S} E={self.E} Ev={self.Ev} seed={self.seed}"


@st.composite
def cases(draw: st.DrawFn) -> Case:
    return Case(
        batch=tuple(draw(st.lists(st.integers(1, 3), max_size=2))),  # 0, 1 or 2 extra batch dims
        L=draw(st.integers(1, 12)),
        S=draw(st.integers(1, 12)),
        E=draw(st.integers(1, 16)),
        Ev=draw(st.integers(1, 16)),
        seed=draw(st.integers(0, 2**63 - 1)),
    )


@st.composite
def mask_shapes(draw: st.DrawFn, case: Case) -> tuple[int, ...]:
    """A shape broadcastable to [*batch, L, S]: leading dims may be dropped or set to 1."""
    dims = [draw(st.sampled_from([1, b])) for b in case.batch]
    dropped = draw(st.integers(0, len(dims)))
    return (*dims[dropped:], case.L, case.S)


def random_bool_mask(g: torch.Generator, shape: tuple[int, ...], p_allow: float, p_dead_row: float) -> torch.Tensor:
    """True = may attend. With probability p_dead_row a whole row is False (fully masked)."""
    allowed = torch.rand(shape, generator=g) < p_allow
    dead = torch.rand(shape[:-1], generator=g) < p_dead_row
    return allowed & ~dead.unsqueeze(-1)


def random_float_mask(
    g: torch.Generator, shape: tuple[int, ...], spread: float, p_inf: float, p_dead_row: float
) -> torch.Tensor:
    """Finite additive biases, some −inf entries, and whole −inf rows with probability p_dead_row."""
    bias = torch.randn(shape, generator=g) * spread
    bias = bias.masked_fill(torch.rand(shape, generator=g) < p_inf, NEG_INF)
    dead = torch.rand(shape[:-1], generator=g) < p_dead_row
    return bias.masked_fill(dead.unsqueeze(-1), NEG_INF)


def explicit_softmax(
    q: torch.Tensor, k: torch.Tensor, scale: float, allowed: torch.Tensor, bias: torch.Tensor | None = None
) -> torch.Tensor:
    """The textbook formula, independent of core: softmax(QKᵀ·scale + bias, masked_fill −inf)."""
    logits = (q @ k.transpose(-2, -1)) * scale
    if bias is not None:
        logits = logits + bias
    return torch.softmax(logits.masked_fill(~allowed, NEG_INF), dim=-1)


def check_weights(parity, label: str, weights: torch.Tensor, reference: torch.Tensor, allowed: torch.Tensor) -> None:
    """Compare on rows that can attend to something (the reference is NaN on the others)."""
    live = allowed.expand(weights.shape).any(dim=-1)  # [..., L]
    parity.check(f"{label} weights", weights[live], reference[live])
    # Rows that cannot attend to anything: ours must be exactly 0 there (torch's formula gives NaN).
    assert torch.equal(weights[~live], torch.zeros_like(weights[~live]))


@EXAMPLES
@given(case=cases())
def test_no_mask_matches_torch(parity, case: Case) -> None:
    _, q, k, v = case.tensors()
    ours = scaled_dot_product_attention(q, k, v)
    parity.check(f"no mask output {case}", ours.output, F.scaled_dot_product_attention(q, k, v))
    everything = torch.ones(case.L, case.S, dtype=torch.bool)
    check_weights(
        parity, f"no mask {case}", ours.weights, explicit_softmax(q, k, 1 / math.sqrt(case.E), everything), everything
    )


@EXAMPLES
@given(
    data=st.data(),
    case=cases(),
    p_allow=st.sampled_from([0.1, 0.5, 0.9, 1.0]),
    p_dead_row=st.sampled_from([0.0, 0.3, 1.0]),
)
def test_bool_mask_matches_torch(parity, data: st.DataObject, case: Case, p_allow: float, p_dead_row: float) -> None:
    g, q, k, v = case.tensors()
    mask = random_bool_mask(g, data.draw(mask_shapes(case)), p_allow, p_dead_row)
    ours = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    # PyTorch 2.13 returns 0 for rows where the bool mask allows nothing, as we do: compare whole outputs.
    parity.check(f"bool mask output {case}", ours.output, F.scaled_dot_product_attention(q, k, v, attn_mask=mask))
    reference = explicit_softmax(q, k, 1 / math.sqrt(case.E), mask)
    check_weights(parity, f"bool mask {case}", ours.weights, reference, mask)


@EXAMPLES
@given(
    data=st.data(),
    case=cases(),
    spread=st.sampled_from([0.1, 1.0, 10.0]),
    p_inf=st.sampled_from([0.0, 0.3, 0.8]),
    p_dead_row=st.sampled_from([0.0, 0.3]),
)
def test_float_mask_matches_torch(
    parity, data: st.DataObject, case: Case, spread: float, p_inf: float, p_dead_row: float
) -> None:
    g, q, k, v = case.tensors()
    bias = random_float_mask(g, data.draw(mask_shapes(case)), spread, p_inf, p_dead_row)
    ours = scaled_dot_product_attention(q, k, v, attn_mask=bias)
    parity.check(f"float mask output {case}", ours.output, F.scaled_dot_product_attention(q, k, v, attn_mask=bias))
    allowed = bias != NEG_INF
    reference = explicit_softmax(q, k, 1 / math.sqrt(case.E), allowed, bias)
    check_weights(parity, f"float mask {case}", ours.weights, reference, allowed)


@EXAMPLES
@given(case=cases())
def test_causal_matches_torch(parity, case: Case) -> None:
    # L != S is allowed; both sides use the top-left aligned lower triangle.
    _, q, k, v = case.tensors()
    ours = scaled_dot_product_attention(q, k, v, is_causal=True)
    parity.check(f"causal output {case}", ours.output, F.scaled_dot_product_attention(q, k, v, is_causal=True))
    tril = torch.ones(case.L, case.S, dtype=torch.bool).tril()
    check_weights(parity, f"causal {case}", ours.weights, explicit_softmax(q, k, 1 / math.sqrt(case.E), tril), tril)


@EXAMPLES
@given(case=cases(), scale=st.floats(0.01, 4.0), with_mask=st.booleans())
def test_custom_scale_matches_torch(parity, case: Case, scale: float, with_mask: bool) -> None:
    g, q, k, v = case.tensors()
    mask = random_bool_mask(g, (case.L, case.S), 0.7, 0.1) if with_mask else None
    ours = scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
    assert ours.scale == scale
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale)
    parity.check(f"scale={scale} output {case}", ours.output, expected)
    allowed = torch.ones(case.L, case.S, dtype=torch.bool) if mask is None else mask
    check_weights(parity, f"scale={scale} {case}", ours.weights, explicit_softmax(q, k, scale, allowed), allowed)


@EXAMPLES
@given(data=st.data(), case=cases(), p_allow=st.sampled_from([0.3, 0.7, 1.0]))
def test_bool_mask_plus_causal_equals_mask_and_tril(parity, data: st.DataObject, case: Case, p_allow: float) -> None:
    # PyTorch refuses attn_mask together with is_causal; we allow it and require both to allow a pair.
    g, q, k, v = case.tensors()
    mask = random_bool_mask(g, data.draw(mask_shapes(case)), p_allow, 0.1)
    combined = mask & torch.ones(case.L, case.S, dtype=torch.bool).tril()
    ours = scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=True)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=combined)
    parity.check(f"bool mask + causal output {case}", ours.output, expected)
    assert torch.equal(ours.allowed, combined.expand(ours.allowed.shape))
    reference = explicit_softmax(q, k, 1 / math.sqrt(case.E), combined)
    check_weights(parity, f"bool mask + causal {case}", ours.weights, reference, combined)


@EXAMPLES
@given(data=st.data(), case=cases())
def test_float_mask_plus_causal_equals_float_mask_with_upper_triangle_minus_inf(
    parity, data: st.DataObject, case: Case
) -> None:
    g, q, k, v = case.tensors()
    bias = random_float_mask(g, data.draw(mask_shapes(case)), 1.0, 0.2, 0.0)
    tril = torch.ones(case.L, case.S, dtype=torch.bool).tril()
    ours = scaled_dot_product_attention(q, k, v, attn_mask=bias, is_causal=True)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=bias.masked_fill(~tril, NEG_INF))
    parity.check(f"float mask + causal output {case}", ours.output, expected)


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_fully_masked_rows_match_torch(parity, kind: str) -> None:
    """Hypothesis may or may not draw dead rows; this case has them for sure (rows 0 and 3 of 5)."""
    g = torch.Generator().manual_seed(7)
    q, k, v = (
        torch.randn(2, 3, 5, 4, generator=g),
        torch.randn(2, 3, 6, 4, generator=g),
        torch.randn(2, 3, 6, 3, generator=g),
    )
    allowed = torch.rand(5, 6, generator=g) < 0.6
    allowed[:, 0] = True
    allowed[[0, 3]] = False
    mask = allowed if kind == "bool" else torch.zeros(5, 6).masked_fill(~allowed, NEG_INF)
    ours = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert torch.equal(expected[..., [0, 3], :], torch.zeros(2, 3, 2, 3))  # PyTorch 2.13 behaviour we rely on
    parity.check(f"dead rows ({kind}) output", ours.output, expected)
    assert ours.fully_masked_rows.tolist() == [[[True, False, False, True, False]] * 3] * 2
    # The Σ column the pages show: 0 in the rows that cannot attend, 1 in the others.
    assert torch.equal(ours.row_sums[..., [0, 3]], torch.zeros(2, 3, 2))
    torch.testing.assert_close(ours.row_sums[..., [1, 2, 4]], torch.ones(2, 3, 3))
