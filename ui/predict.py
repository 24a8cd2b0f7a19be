"""Predict, then reveal: a question with choices before the answer, which the page computes live.

The lecturer asks, the class commits to a guess, and only then does the page say whether it was right and
show the numbers. The choice lives in the session only (not in the link): every visitor predicts afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ui.i18n import t
from ui.presenter import prose


def predict_then_reveal(
    key: str, question: str, choices: Mapping[str, str], answer: str, explain: Callable[[], None]
) -> bool:
    """Ask ``question`` with ``choices`` (code → label). After a choice, say if it matches ``answer`` and call
    ``explain`` to draw the evidence. Returns whether the answer is revealed."""
    with st.container(border=True):
        st.markdown(f"**{t('predict.label')}** {question}")
        choice = st.radio(
            question,
            list(choices),
            index=None,
            format_func=lambda code: choices[code],
            key=f"predict_{key}",
            label_visibility="collapsed",
            horizontal=True,
        )
        if choice is None:
            prose(t("predict.hint"))
            return False
        if choice == answer:
            st.success(t("predict.right"), icon=":material/check_circle:")
        else:
            st.error(t("predict.wrong", answer=choices[answer]), icon=":material/cancel:")
        explain()
        return True
