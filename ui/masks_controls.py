"""The Masks page's pattern controls: the mask kind and its size (window, block, stride, global positions), the
custom checkbox grid kept in the link, and the table of what every kind keeps at the current sizes. Controls →
``core.masks.MaskSpec`` → ``core.masks.build``."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import torch
from torch import Tensor

from core.masks import (
    CUSTOM_MAX_LEN,
    MaskKind,
    MaskSpec,
    build,
    causal_mask,
    kind_summaries,
    mask_from_code,
    mask_to_code,
    parse_positions,
)
from ui.controls import MAX_SEQ_LEN, PERSIST, translated_choice
from ui.i18n import t
from ui.presenter import prose

KINDS: tuple[MaskKind, ...] = ("causal", "sliding", "block", "strided", "global", "custom")
SUMMARY_KINDS: tuple[MaskKind, ...] = ("none", *KINDS)
_GRID_VERSION = "_masks_grid_version"  # part of the editor's key: a new version starts with no edits
_GRID_BASE = "_masks_grid_base"  # (labels, code): the grid the editor's edits apply to


def stored_code() -> str:
    """The custom grid's code from the session (or link); a code that does not parse is dropped, with a notice."""
    code = st.session_state.get("masks_cells", "")
    if not code:
        return code
    try:
        mask_from_code(code, CUSTOM_MAX_LEN)
    except ValueError:
        st.warning(t("masks.custom.bad_code"))
        st.session_state["masks_cells"] = ""
        return ""
    return code


def reset_grid(pattern: str) -> None:
    size = st.session_state["_masks_custom_len"]
    grids = {
        "all": torch.ones(size, size, dtype=torch.bool),
        "causal": causal_mask(size),
        "none": torch.zeros(size, size, dtype=torch.bool),  # nothing allowed (not the mask kind "none")
    }
    st.session_state["masks_cells"] = "" if pattern == "causal" else mask_to_code(grids[pattern])
    st.session_state[_GRID_VERSION] = st.session_state.get(_GRID_VERSION, 0) + 1


def custom_grid(labels: list[str]) -> Tensor:
    """The checkbox grid (rows = queries, columns = keys). Shapes: ``[L, L]`` bool, True = may attend.

    The editor keeps its edits relative to the table it was first given, so that table stays fixed while the
    editor lives; the edited grid goes into ``masks_cells`` (and the link) on every run.
    """
    state = st.session_state
    size = len(labels)
    state["_masks_custom_len"] = size
    buttons = st.container(horizontal=True)
    for pattern in ("all", "causal", "none"):
        buttons.button(
            t(f"masks.custom.reset.{pattern}"), key=f"masks_reset_{pattern}", on_click=reset_grid, args=(pattern,)
        )
    base = state.get(_GRID_BASE)
    if base is not None and base[0] != tuple(labels):
        state[_GRID_VERSION] = state.get(_GRID_VERSION, 0) + 1  # other tokens: old edits no longer apply
    key = f"masks_grid_{state.get(_GRID_VERSION, 0)}"
    if base is None or base[0] != tuple(labels) or key not in state:  # a new editor starts from the stored grid
        base = (tuple(labels), mask_to_code(build(MaskSpec("custom", code=stored_code()), size)))
        state[_GRID_BASE] = base
    frame = pd.DataFrame(mask_from_code(base[1], CUSTOM_MAX_LEN).numpy(), index=labels, columns=labels)
    edited = st.data_editor(
        frame,
        key=key,
        num_rows="fixed",
        column_config={label: st.column_config.CheckboxColumn(label, width=64) for label in labels},
        width="content",
    )
    grid = torch.from_numpy(edited.to_numpy(dtype=bool).copy())
    # The causal default stays out of the link.
    state["masks_cells"] = "" if torch.equal(grid, causal_mask(size)) else mask_to_code(grid)
    return grid


def current_spec(kind: MaskKind, seq_len: int) -> MaskSpec:
    """Every pattern's setting as its control holds it (the hidden ones too, for the table of all kinds)."""
    state = st.session_state
    return MaskSpec(
        kind,
        window=int(state["masks_window"]),
        block=int(state["masks_block"]),
        stride=int(state["masks_stride"]),
        global_positions=parse_positions(state["masks_global"], seq_len)[0],
        code=state.get("masks_cells", ""),
    )


def pattern_controls(labels: list[str]) -> tuple[MaskSpec, Tensor]:
    """The mask kind and its parameter. Returns (spec, allowed ``[L, L]``); custom grids have L ≤ 12."""
    kind = translated_choice(st.segmented_control, "masks.kind", KINDS, key="masks_kind")
    kind = kind or "causal"  # a segmented control can be deselected
    seq_len = len(labels)
    prose(t(f"masks.kind.{kind}.help"))
    if kind == "custom":
        grid = custom_grid(labels[:CUSTOM_MAX_LEN])
        return current_spec(kind, seq_len), grid
    if kind != "causal":
        left, right = st.columns(2)
        if kind == "block":
            left.slider(t("masks.block"), 1, MAX_SEQ_LEN, key="masks_block", **PERSIST)
        elif kind == "strided":
            left.slider(t("masks.stride"), 1, MAX_SEQ_LEN, key="masks_stride", **PERSIST)
        else:
            left.slider(t("masks.window"), 0, MAX_SEQ_LEN - 1, key="masks_window", **PERSIST)
        if kind == "global":
            text = right.text_input(t("masks.global"), key="masks_global", help=t("masks.global.help"), **PERSIST)
            positions, usable = parse_positions(text, seq_len)
            if not usable:
                st.warning(t("masks.global.bad", max=seq_len - 1, used=", ".join(map(str, positions)) or "—"))
    spec = current_spec(kind, seq_len)
    return spec, build(spec, seq_len)


def kind_summary_table(spec: MaskSpec, seq_len: int) -> pd.DataFrame:
    """Allowed scores for every mask kind with the sizes in ``spec``."""
    rows = []
    for kind, summary in kind_summaries(spec, seq_len, SUMMARY_KINDS).items():
        rows.append(
            {
                t("masks.table.kind"): t(f"masks.kind.{kind}"),
                t("masks.table.allowed"): summary.allowed,
                t("masks.table.total"): summary.total,
                t("masks.table.share"): f"{summary.share:.0%}",
                t("masks.table.empty_rows"): len(summary.fully_masked_rows),
            }
        )
    return pd.DataFrame(rows)
