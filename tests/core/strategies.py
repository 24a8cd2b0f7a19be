"""Hypothesis strategies shared by the core tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Every seed the app's seed controls accept (ui.controls.MAX_SEED = 2**31 - 1), all of which
# torch.Generator().manual_seed takes.
SEEDS = st.integers(0, 2**31 - 1)


def sizes(**largest: int) -> dict[str, st.SearchStrategy[int]]:
    """One strategy per tensor size, each an integer from 1 to its largest value, as keyword arguments for
    ``given``: ``@given(**sizes(H=8, d_k=16, L=12), seed=SEEDS)``."""
    return {name: st.integers(1, high) for name, high in largest.items()}
