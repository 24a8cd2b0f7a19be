"""The tutorials' worked examples on a page: their tensors' sizes, as the Multi-head page's examples and the Masks
page's toy run both show them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from core.tutorial_examples import TensorSize
from ui.charts import show
from ui.charts.tutorial_examples import dimension_bars, shapes_table
from ui.i18n import t


def sizes_view(sizes: Sequence[TensorSize], names: Mapping[str, str], *, key: str) -> None:
    """A worked example's tensors two ways, side by side: their shapes in a table (two fifths of the width) and
    bars of their dimensions (three fifths), drawn under ``key``. ``names`` maps a tensor's name to its label."""
    table, bars = st.columns([2, 3], gap="medium")
    table.table(
        shapes_table(sizes, names, tensor_title=t("example.tensor"), shape_title=t("example.shape")), hide_index=True
    )
    title, length, width, value = (t(f"example.bars.{name}") for name in ("title", "length", "width", "value"))
    figure = dimension_bars(sizes, names, title=title, length_title=length, width_title=width, value_title=value)
    show(bars, figure, key=key)
