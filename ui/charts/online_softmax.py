"""Tables of the online softmax lesson (app_pages/online_softmax.py): each block's running state, and the memory
traffic as L grows."""

from __future__ import annotations

import math

import pandas as pd

from core.online_softmax import OnlineSoftmaxRun, memory_traffic

FLOAT_BYTES = 4  # float32, as on the Cost page
MIB, KIB = 2**20, 2**10


def shown(value: float) -> str:
    """A running value for the table: four decimals, a true minus sign, −∞ spelled out."""
    return "−∞" if value == -math.inf else f"{value:.4f}".replace("-", "−")


def steps_frame(run: OnlineSoftmaxRun, step: int, titles: dict[str, str]) -> pd.DataFrame:
    """Blocks 1 … ``step``: their keys, block max, m_old, m_new, rescale factor and running sum. ``titles`` names
    the columns "block", "keys", "block_max", "factor" and "sum" (m_old and m_new are math, the same in every
    language)."""
    steps = run.steps[:step]
    return pd.DataFrame(
        {
            titles["block"]: [str(i + 1) for i in range(step)],
            titles["keys"]: [f"{s.start}–{s.end - 1}" for s in steps],
            titles["block_max"]: [shown(s.block_max) for s in steps],
            "m_old": [shown(s.m_old) for s in steps],
            "m_new": [shown(s.m_new) for s in steps],
            titles["factor"]: [shown(s.rescale) for s in steps],
            titles["sum"]: [shown(s.running_sum) for s in steps],
        }
    )


def traffic_frame(lengths: list[int], d_k: int, tile: int, titles: dict[str, str]) -> pd.DataFrame:
    """Per L: naive, its L × L matrices' share and fused traffic in MiB, and their ratio. ``titles`` names the
    columns "L", "naive", "matrix", "fused" and "ratio"."""
    table = [memory_traffic(n, d_k, tile) for n in lengths]
    return pd.DataFrame(
        {
            titles["L"]: lengths,
            titles["naive"]: [x.naive * FLOAT_BYTES / MIB for x in table],
            titles["matrix"]: [x.naive_matrix * FLOAT_BYTES / MIB for x in table],
            titles["fused"]: [x.fused * FLOAT_BYTES / MIB for x in table],
            titles["ratio"]: [x.ratio for x in table],
        }
    )
