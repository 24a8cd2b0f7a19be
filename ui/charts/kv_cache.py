"""The KV cache lesson's table: the cache of every preset model (core/kv_cache.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from core.kv_cache import PRESETS, ModelShape, cache_size

KIB, GIB = 2**10, 2**30


def presets_frame(
    bytes_per_value: int,
    tokens: int,
    *,
    label: Callable[[str], str],
    kind: Callable[[ModelShape], str],
    columns: Sequence[str],
) -> pd.DataFrame:
    """One row per preset: its ``label``, its ``kind`` of attention, KiB per token, and GiB for ``tokens`` tokens as
    it is and with one K/V head per query head (``columns`` names the five)."""
    sizes = {code: cache_size(shape, bytes_per_value, tokens) for code, shape in PRESETS.items()}
    rows = [
        (label(code), kind(PRESETS[code]), size.per_token / KIB, size.total / GIB, size.as_mha / GIB)
        for code, size in sizes.items()
    ]
    return pd.DataFrame(rows, columns=list(columns))
