"""The Step by step page's own controls: the stepper (buttons, step list and presenter keys), the hand-typed
Q, K, V editors, and the clicked cell whose arithmetic is written out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
import torch
from torch import Tensor

from core.step_by_step import HeadSteps, clean_matrix
from ui import deck
from ui.heatmap import clicked
from ui.i18n import t
from ui.presenter import presenting, prose
from ui.url_state import bool_param, int_param, page_params

STEP_COUNT = 6  # 0: X → Q, K, V; 1–5: the tutorials' five steps
MAX_TYPED_LEN = 4
TYPED_LIMIT = 100
CELLS_CHART_KEY = "steps_cells"


def _move(delta: int) -> None:
    st.session_state["steps_step"] = min(max(st.session_state["steps_step"] + delta, 0), STEP_COUNT - 1)


def stepper() -> int:
    """Previous / next buttons around the list of steps; the list also answers the arrow keys once clicked.

    In presenter mode the ← → keys press the buttons from anywhere on the page (a focused input, such as a
    slider, keeps its own keys), and a second pair in the folded sidebar answers PageUp / PageDown, which
    presentation clickers send: a button takes one shortcut.
    """
    current = st.session_state["steps_step"]
    keys = presenting() and not deck.running()  # in a lecture, the arrow keys move between scenes
    back, steps_list, forward = st.columns([1, 6, 1], vertical_alignment="center")
    first, last = current == 0, current == STEP_COUNT - 1
    back.button(
        t("steps.prev"),
        key="steps_prev",
        on_click=_move,
        args=(-1,),
        disabled=first,
        width="stretch",
        shortcut="Left" if keys else None,
    )
    forward.button(
        t("steps.next"),
        key="steps_next",
        on_click=_move,
        args=(1,),
        disabled=last,
        width="stretch",
        shortcut="Right" if keys else None,
    )
    if keys:
        clicker_back, clicker_forward = st.sidebar.columns(2)
        clicker_back.button(
            t("presenter.prev"), key="steps_page_up", on_click=_move, args=(-1,), disabled=first, shortcut="PageUp"
        )
        clicker_forward.button(
            t("presenter.next"), key="steps_page_down", on_click=_move, args=(1,), disabled=last, shortcut="PageDown"
        )
    return int(
        steps_list.radio(
            t("steps.step"),
            list(range(STEP_COUNT)),
            format_func=lambda step: t(f"steps.name.{step}"),
            key="steps_step",
            horizontal=True,
            label_visibility="collapsed",
            persist_state="session",
        )
    )


def typed_toggle(seq_len: int) -> bool:
    too_long = seq_len > MAX_TYPED_LEN
    on = st.sidebar.toggle(
        t("steps.typed.toggle"),
        key="steps_typed",
        disabled=too_long,
        help=t("steps.typed.help", max=MAX_TYPED_LEN),
        persist_state="session",
    )
    if on and too_long:
        st.sidebar.info(t("steps.typed.too_long", max=MAX_TYPED_LEN, L=seq_len))
    return bool(on) and not too_long


def _reset_typed() -> None:
    # A new key gives fresh editors: the old edits are dropped with the old widgets.
    st.session_state["steps_typed_version"] = st.session_state.get("steps_typed_version", 0) + 1


def typed_matrices(model: HeadSteps, labels: list[str], expanded: bool) -> tuple[Tensor, Tensor, Tensor]:
    """Three editable tables, starting from the model's Q, K, V (2 decimals). Returns them cleaned, float32.

    They are drawn on every step (folded away after step 0): a data editor that is not drawn loses its edits.
    """
    version = st.session_state.get("steps_typed_version", 0)
    d_k = model.q.size(-1)
    columns = [str(d) for d in range(d_k)]
    number = st.column_config.NumberColumn(min_value=-TYPED_LIMIT, max_value=TYPED_LIMIT, step=0.01, format="%.2f")
    typed = []
    with st.expander(t("steps.typed.editors"), expanded=expanded):
        prose(t("steps.typed.start", limit=TYPED_LIMIT))
        for column, name, tensor in zip(st.columns(3), "QKV", (model.q, model.k, model.v), strict=True):
            column.markdown(f"**{name}**  [L, d_k] = [{len(labels)}, {d_k}]")
            start = pd.DataFrame(np.round(tensor.numpy().astype(np.float64), 2), index=labels, columns=columns)
            edited = column.data_editor(
                start,
                key=f"steps_typed_{name.lower()}_{version}",
                num_rows="fixed",
                column_config=dict.fromkeys(columns, number),
            )
            cleaned = clean_matrix(torch.tensor(edited.to_numpy(dtype=np.float64, na_value=np.nan)), TYPED_LIMIT)
            if cleaned.not_numbers:
                column.warning(t("steps.typed.not_numbers", matrix=name, n=cleaned.not_numbers))
            if cleaned.clamped:
                column.warning(t("steps.typed.clamped", matrix=name, n=cleaned.clamped, limit=TYPED_LIMIT))
            typed.append(cleaned.values.float())
        st.button(t("steps.typed.reset"), key="steps_typed_reset", on_click=_reset_typed)
    return typed[0], typed[1], typed[2]


def selected_cell(seq_len: int) -> tuple[int, int]:
    """The cell whose arithmetic is shown, kept inside the matrix when L shrinks."""
    i = min(st.session_state["steps_i"], seq_len - 1)
    j = min(st.session_state["steps_j"], seq_len - 1)
    st.session_state["steps_i"], st.session_state["steps_j"] = i, j
    return i, j


def take_click(seq_len: int) -> None:
    """The clickable chart's callback: the clicked cell becomes the one written out."""
    cell = clicked(st.session_state.get(CELLS_CHART_KEY), panels=1, rows=seq_len, cols=seq_len)
    if cell is not None:
        st.session_state["steps_i"], st.session_state["steps_j"] = cell[1:]


def step_params(seq_len: int) -> None:
    """The page's URL parameters. Called after the shared controls: the clicked cell's range is the sentence's, so
    a link's out-of-range cell is clamped once, to the cell the page really shows, and the notice names it."""
    last = seq_len - 1
    page_params(
        "steps",
        {
            "steps_step": int_param(0, STEP_COUNT - 1, 0),
            "steps_typed": bool_param(False),
            "steps_i": int_param(0, last, min(1, last)),  # the cell whose arithmetic is written out
            "steps_j": int_param(0, last, 0),
        },
    )
