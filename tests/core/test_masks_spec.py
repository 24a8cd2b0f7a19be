"""``core.masks.MaskSpec`` and ``build``: every kind equals the builder (or combination of builders) the pages and
``core.cost`` used before there was one spec, and ``parse_positions`` / ``fit_custom`` keep the Masks page's rules."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core.attention import scaled_dot_product_attention
from core.cost import COST_MASK_KINDS, MaskShape, build_cost_mask
from core.masks import (
    CUSTOM_MAX_LEN,
    MASK_FUNCTIONS,
    MASK_KINDS,
    MaskSpec,
    block_mask,
    build,
    causal_mask,
    exact_zeros,
    fit_custom,
    global_tokens_mask,
    kind_summaries,
    mask_from_code,
    mask_to_code,
    padding_mask,
    parse_positions,
    row_counts,
    sliding_window_mask,
    strided_mask,
    summarize_mask,
)
from core.pipeline import MASK_KINDS as PIPELINE_KINDS
from core.pipeline import build_mask

EXAMPLES = settings(max_examples=60, deadline=None)


def old_builder(spec: MaskSpec, n: int) -> torch.Tensor:
    """What each kind meant before ``build``: the page's and the pipeline's tables, written out again."""
    if spec.kind == "none":
        return torch.ones(n, n, dtype=torch.bool)
    if spec.kind == "causal":
        return causal_mask(n)
    if spec.kind == "padding":
        length = n if spec.real_len is None else spec.real_len
        return padding_mask([length], n)[0, 0].expand(n, n)
    if spec.kind == "sliding":
        return sliding_window_mask(n, spec.window)
    if spec.kind == "block":
        return block_mask(n, spec.block)
    if spec.kind == "strided":
        return strided_mask(n, spec.stride)
    if spec.kind == "global":
        return sliding_window_mask(n, spec.window) | global_tokens_mask(n, spec.global_positions)
    raise AssertionError(spec.kind)


@st.composite
def specs(draw, kinds=tuple(k for k in MASK_KINDS if k != "custom")):
    n = draw(st.integers(1, 20))
    kind = draw(st.sampled_from(kinds))
    positions = draw(st.lists(st.integers(0, n - 1), max_size=4))
    spec = MaskSpec(
        kind,
        window=draw(st.integers(0, 25)),
        block=draw(st.integers(1, 25)),
        stride=draw(st.integers(1, 25)),
        global_positions=tuple(positions),
        real_len=draw(st.none() | st.integers(0, n)),
    )
    return spec, n


@EXAMPLES
@given(specs())
def test_every_kind_equals_its_old_builder(case: tuple[MaskSpec, int]) -> None:
    spec, n = case
    mask = build(spec, n)
    assert mask.dtype == torch.bool and mask.shape == (n, n)
    assert torch.equal(mask, old_builder(spec, n)), spec


@EXAMPLES
@given(specs(kinds=PIPELINE_KINDS))
def test_the_pipeline_builds_through_the_spec(case: tuple[MaskSpec, int]) -> None:
    spec, n = case
    mask = build_mask(spec.kind, n, real_len=spec.real_len, window=spec.window)
    if spec.kind == "none":
        assert mask is None  # no mask at all, as before
    else:
        assert torch.equal(mask, old_builder(spec, n))


@EXAMPLES
@given(n=st.integers(1, 40), window=st.integers(0, 45), block=st.integers(1, 45), stride=st.integers(1, 45))
def test_the_cost_masks_are_the_specs(n: int, window: int, block: int, stride: int) -> None:
    shape = MaskShape(window, block, stride)
    for kind in COST_MASK_KINDS:
        spec = shape.spec(kind)
        assert (spec.window, spec.block, spec.stride) == (window, block, stride)
        assert torch.equal(build_cost_mask(kind, n, shape), old_builder(spec, n)), kind


def test_one_name_per_pattern() -> None:
    assert set(PIPELINE_KINDS) <= set(MASK_KINDS)
    assert set(COST_MASK_KINDS) <= set(MASK_KINDS)
    assert build(MaskSpec("none"), 3).all()  # "none" is no mask: every key allowed (the cost page's "full")
    assert set(MASK_FUNCTIONS) == set(MASK_KINDS) - {"none", "custom"}


def test_the_spec_is_frozen_and_unknown_kinds_are_a_clear_error() -> None:
    spec = MaskSpec("causal")
    with pytest.raises(AttributeError):
        spec.kind = "block"  # type: ignore[misc]
    with pytest.raises(ValueError, match="unknown mask kind"):
        build(MaskSpec("diagonal"), 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown mask kind"):
        build_mask("block", 3)  # type: ignore[arg-type]  # the sidebar offers only its own four


# ── custom grids ─────────────────────────────────────────────────────────────


def old_stored_grid(code: str, size: int) -> torch.Tensor:
    """The Masks page's ``stored_grid`` before: kept where it overlaps, causal elsewhere."""
    causal = causal_mask(size)
    if not code:
        return causal
    grid = mask_from_code(code, CUSTOM_MAX_LEN)
    keep = min(size, grid.size(0))
    fitted = causal.clone()
    fitted[:keep, :keep] = grid[:keep, :keep]
    return fitted


@EXAMPLES
@given(
    grid=st.integers(1, CUSTOM_MAX_LEN).flatmap(
        lambda k: st.lists(st.booleans(), min_size=k * k, max_size=k * k).map(
            lambda cells: torch.tensor(cells, dtype=torch.bool).reshape(k, k)
        )
    ),
    size=st.integers(1, CUSTOM_MAX_LEN),
)
def test_custom_grids_are_fitted_as_before(grid: torch.Tensor, size: int) -> None:
    code = mask_to_code(grid)
    fitted = build(MaskSpec("custom", code=code), size)
    assert torch.equal(fitted, old_stored_grid(code, size))
    assert torch.equal(fit_custom(code, size), fitted)
    keep = min(size, grid.size(0))
    assert torch.equal(fitted[:keep, :keep], grid[:keep, :keep])


def test_an_empty_code_is_causal_and_a_bad_code_an_error() -> None:
    assert torch.equal(build(MaskSpec("custom"), 5), causal_mask(5))
    with pytest.raises(ValueError):
        build(MaskSpec("custom", code="1x.11"), 2)
    too_long = mask_to_code(causal_mask(CUSTOM_MAX_LEN + 1))
    with pytest.raises(ValueError):
        fit_custom(too_long, 4)


# ── global positions typed by hand ───────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "n", "expected"),
    [
        ("0", 10, ((0,), True)),
        ("0, 7", 10, ((0, 7), True)),
        ("7 0 7", 10, ((0, 7), True)),
        ("0，3、5；9", 10, ((0, 3, 5, 9), True)),
        ("", 10, ((), True)),
        ("0, 12", 10, ((0,), False)),
        ("x, 2", 10, ((2,), False)),
        ("-1", 10, ((), False)),
        ("２", 10, ((), False)),  # a full-width digit is not a position
    ],
)
def test_parse_positions(text: str, n: int, expected: tuple[tuple[int, ...], bool]) -> None:
    assert parse_positions(text, n) == expected


@EXAMPLES
@given(
    n=st.integers(1, 30),
    positions=st.lists(st.integers(0, 40), max_size=6),
    separator=st.sampled_from([",", " ", "，", "、", ";"]),
)
def test_parsed_positions_always_build_a_global_mask(n: int, positions: list[int], separator: str) -> None:
    parsed, usable = parse_positions(separator.join(map(str, positions)), n)
    assert usable == all(p < n for p in positions)
    assert parsed == tuple(sorted({p for p in positions if p < n}))
    build(MaskSpec("global", window=0, global_positions=parsed), n)  # in range, so never an error


# ── what the Masks page reports ──────────────────────────────────────────────


@EXAMPLES
@given(specs(kinds=("none", "causal", "sliding", "block", "strided", "global")), st.sampled_from(["", "10.01"]))
def test_kind_summaries_summarize_each_kind_with_the_same_sizes(case: tuple[MaskSpec, int], code: str) -> None:
    spec, n = case
    spec = MaskSpec(spec.kind, spec.window, spec.block, spec.stride, spec.global_positions, code=code)
    kinds = ("none", "causal", "sliding", "block", "strided", "global", "custom")
    summaries = kind_summaries(spec, n, kinds)
    assert list(summaries) == list(kinds)
    for kind in kinds[:-1]:
        assert summaries[kind] == summarize_mask(old_builder(MaskSpec(kind, *vars_of(spec)), n)), kind
    assert summaries["custom"] == summarize_mask(old_stored_grid(code, min(n, CUSTOM_MAX_LEN)))


def vars_of(spec: MaskSpec) -> tuple:
    return spec.window, spec.block, spec.stride, spec.global_positions


def test_a_custom_summary_is_at_most_as_wide_as_a_drawable_grid() -> None:
    summary = kind_summaries(MaskSpec("causal"), 20, ["custom"])["custom"]
    assert summary.total == CUSTOM_MAX_LEN**2 and summary.allowed == CUSTOM_MAX_LEN * (CUSTOM_MAX_LEN + 1) // 2


def test_row_counts() -> None:
    assert row_counts(causal_mask(4)) == (1, 2, 3, 4)
    assert row_counts(block_mask(5, 2)) == (2, 2, 2, 2, 1)
    assert row_counts(torch.zeros(2, 3, dtype=torch.bool)) == (0, 0)


@pytest.mark.parametrize("kind", ["none", "causal", "sliding", "block", "strided", "global"])
def test_exact_zeros_counts_the_hidden_scores_and_finds_no_weight_on_them(kind: str) -> None:
    n = 7
    allowed = build(MaskSpec(kind, window=1, block=3, stride=2, global_positions=(0,)), n)
    generator = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, n, 4, generator=generator) for _ in range(3))  # two heads
    result = scaled_dot_product_attention(q, k, v, attn_mask=allowed)
    zeros = exact_zeros(allowed, result.masked_scores[1], result.weights)
    assert zeros.not_allowed == int((~allowed).sum()) == zeros.neg_inf
    assert zeros.largest_weight == 0.0  # exactly: e^−∞ = 0


def test_exact_zeros_reports_the_largest_weight_on_a_hidden_key() -> None:
    allowed = causal_mask(3)
    weights = torch.full((2, 3, 3), 0.25)
    weights[1, 0, 2] = 0.5
    scores = torch.zeros(3, 3).masked_fill(~allowed, float("-inf"))
    scores[0, 1] = 1.0  # a hidden score that is not −∞ (a −1e9 fill, say) is not counted as −∞
    zeros = exact_zeros(allowed, scores, weights)
    assert (zeros.not_allowed, zeros.neg_inf, zeros.largest_weight) == (3, 2, 0.5)
    assert exact_zeros(torch.ones(2, 2, dtype=torch.bool), torch.zeros(2, 2), torch.ones(2, 2)).largest_weight == 0.0
