"""What a lesson page opens with: its title, introduction and formula, and the inputs from the sidebar (the shared
controls, the token sequence they give and the head the large charts show)."""

from __future__ import annotations

from typing import NamedTuple

import streamlit as st

from core.pipeline import MaskKind
from ui.controls import PlaygroundSettings, head_selector, lesson_controls
from ui.presenter import prose
from ui.sequence import TokenSequence, prepare_sequence


def lesson_header(title: str, intro: str, latex: str | None = None) -> None:
    """The page's title (no anchor link), its introduction (left out in presenter mode) and, given ``latex``,
    the formula the lesson is about."""
    st.header(title, anchor=False)
    prose(intro)
    if latex is not None:
        st.latex(latex)


class LessonInputs(NamedTuple):
    settings: PlaygroundSettings
    sequence: TokenSequence
    head: int  # the head the large charts show; 0 when there is only one


def lesson_inputs(mask: MaskKind = "none") -> LessonInputs:
    """The sidebar of a lesson whose mask the lesson fixes: the sequence, model and seed controls, the sequence
    they give (with its notices on the page) and, with more than one head, the head selector."""
    settings = lesson_controls(mask=mask)
    sequence = prepare_sequence(settings)
    head = head_selector(settings.heads) if settings.heads > 1 else 0
    return LessonInputs(settings, sequence, head)
