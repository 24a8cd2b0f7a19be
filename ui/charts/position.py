"""Tables of the Position lesson (app_pages/position.py)."""

from __future__ import annotations

import pandas as pd
from torch import Tensor


def order_frame(tokens: list[str], order: Tensor, row_titles: tuple[str, str, str]) -> pd.DataFrame:
    """The shuffle as a table: one column per position; rows = the original tokens, the shuffled tokens and the
    original position each shuffled token came from (``row_titles``). Every cell is text, so each column has
    one type."""
    taken = order.tolist()
    return pd.DataFrame(
        [tokens, [tokens[i] for i in taken], [str(i) for i in taken]],
        index=list(row_titles),
        columns=[str(p) for p in range(len(tokens))],
    )
