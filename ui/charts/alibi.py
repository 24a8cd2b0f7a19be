"""The slopes table of the ALiBi lesson (app_pages/alibi.py)."""

from __future__ import annotations

import math

import pandas as pd

from core.alibi import AlibiRun


def power_of_two(slope: float) -> str:
    """``0.25`` → ``"2^−2"``; slopes of non-power-of-2 head counts get a fractional exponent."""
    exponent = math.log2(slope)
    shown = f"{exponent:.0f}" if abs(exponent - round(exponent)) < 1e-9 else f"{exponent:.2f}"
    return f"2^{shown}".replace("-", "−")


def slopes_frame(run: AlibiRun, titles: dict[str, str]) -> pd.DataFrame:
    """One row per head: its number (from 1), slope, slope as a power of 2 and mean look-back distance with and
    without the bias. ``titles`` names the columns "head", "slope", "power", "with" and "without"."""
    slopes = run.slopes.tolist()
    return pd.DataFrame(
        {
            titles["head"]: [str(h + 1) for h in range(len(slopes))],
            titles["slope"]: slopes,
            titles["power"]: [power_of_two(m) for m in slopes],
            titles["with"]: run.mean_distance_with.tolist(),
            titles["without"]: run.mean_distance_without.tolist(),
        }
    )
