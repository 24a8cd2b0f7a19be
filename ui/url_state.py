"""URL query parameters are untrusted input. Streamlit silently drops a bound widget's invalid value;
we check them first so the user sees which value of the link was ignored, in their language."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import streamlit as st

from ui.i18n import t

Validator = Callable[[str], bool]
_NOTICES_KEY = "_url_notices"


def int_in(low: int, high: int) -> Validator:
    def valid(raw: str) -> bool:
        try:
            value = float(raw.strip())
        except ValueError:
            return False
        return math.isfinite(value) and value.is_integer() and low <= value <= high

    return valid


def one_of(options: Iterable[str]) -> Validator:
    allowed = frozenset(options)
    return lambda raw: raw in allowed


def any_text(raw: str) -> bool:
    return True


def check_query_params(validators: dict[str, Validator]) -> None:
    """On a session's first run, remember which known parameters hold values their widget will drop."""
    if _NOTICES_KEY in st.session_state:
        return
    bad = []
    for name in st.query_params:
        validator = validators.get(name)
        if validator is not None and not all(validator(raw) for raw in st.query_params.get_all(name)):
            bad.append(name)
    st.session_state[_NOTICES_KEY] = bad


def show_url_notices() -> None:
    # Only the parameter's name is shown, never its value: the value is whatever the link said.
    for name in st.session_state.get(_NOTICES_KEY, []):
        st.warning(t("msg.bad_param", name=name), icon="⚠️")
