"""Controls ↔ URL query parameters, so a link reopens the exact view.

The URL holds language-independent codes (``mask=causal``, ``lang=zh``), not the translated labels
Streamlit's own ``bind="query-params"`` would store. Query parameters are untrusted input: on a
session's first run each known one is parsed; a number outside its range is clamped and anything
else invalid is ignored, each with a visible, translated notice. After every run the current
settings are written back, leaving out values equal to their defaults.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from ui.i18n import t

Status = Literal["ok", "clamped", "invalid"]
_RESTORED_KEY = "_url_restored"
_NOTICES_KEY = "_url_notices"
_PAGES_RESTORED_KEY = "_url_restored_pages"
_RUN_PARAMS_KEY = "_url_run_params"
_PAGE_PARAM_NAMES_KEY = "_url_page_param_names"  # every page parameter this session has drawn


def _serialize(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class Param:
    """How one query parameter is read, what its widget's default is and how its value is written back."""

    parse: Callable[[str], tuple[object, Status]]
    default: object
    serialize: Callable[[object], str] = _serialize


def int_param(low: int, high: int, default: int) -> Param:
    def parse(raw: str) -> tuple[object, Status]:
        try:
            number = float(raw.strip())
        except ValueError:
            return None, "invalid"
        if not math.isfinite(number):
            return None, "invalid"
        value = min(max(round(number), low), high)
        return value, "ok" if value == number else "clamped"

    return Param(parse, default)


def choice_param(options: Iterable[str], default: str | None) -> Param:
    """One of ``options``; a ``None`` default is a control with nothing chosen yet (a segmented control)."""
    allowed = frozenset(options)
    return Param(lambda raw: (raw, "ok") if raw in allowed else (None, "invalid"), default)


def bool_param(default: bool) -> Param:
    values = {"true": True, "false": False}
    return Param(lambda raw: (values[raw], "ok") if raw in values else (None, "invalid"), default)


def flag_param(default: bool) -> Param:
    """A switch written as ``1``/``0`` (short enough to type into an address bar); ``true``/``false`` also read."""
    values = {"1": True, "true": True, "0": False, "false": False}
    return Param(
        lambda raw: (values[raw], "ok") if raw in values else (None, "invalid"),
        default,
        lambda value: "1" if value else "0",
    )


def text_param(default: str, keep: Callable[[str], str] | None = None) -> Param:
    """Any text; ``keep`` picks the part of it the URL carries (a link need not hold what is never read)."""
    if keep is None:
        return Param(lambda raw: (raw, "ok"), default)
    return Param(lambda raw: (raw, "ok"), default, lambda value: keep(str(value)))


def restore_from_url(params: dict[str, Param]) -> None:
    """Once per session, before any widget: valid URL values become the widgets' state."""
    if st.session_state.get(_RESTORED_KEY):
        return
    st.session_state[_NOTICES_KEY] = _restore(params)
    st.session_state[_RESTORED_KEY] = True


def _restore(params: dict[str, Param]) -> list[tuple[str, dict[str, object]]]:
    notices: list[tuple[str, dict[str, object]]] = []
    for name in st.query_params:
        param = params.get(name)
        if param is None:
            continue
        value, status = param.parse(st.query_params[name])
        if status == "invalid":
            notices.append(("msg.bad_param", {"name": name}))
            continue
        st.session_state[name] = value
        if status == "clamped":
            notices.append(("msg.clamped_param", {"name": name, "value": value}))
    return notices


def page_params(page: str, params: dict[str, Param]) -> None:
    """A page's own URL-bound controls: restored from the URL on the page's first run in the session,
    given their defaults, and written back to the URL with the shared ones after each run."""
    restored = st.session_state.setdefault(_PAGES_RESTORED_KEY, set())
    if page not in restored:
        restored.add(page)
        for key, values in _restore(params):
            st.warning(t(key, **values), icon="⚠️")
    for name, param in params.items():
        if st.session_state.get(name) is None:
            st.session_state[name] = param.default
    st.session_state.setdefault(_RUN_PARAMS_KEY, {}).update(params)
    st.session_state.setdefault(_PAGE_PARAM_NAMES_KEY, set()).update(params)


def forget_restored_params(shared: Iterable[str], keep: Iterable[str] = ()) -> None:
    """Back to a fresh session's settings (but ``keep``): the next run restores the shared and every page's
    parameters from the URL again, and gives the rest their defaults, as a new browser opening the link would.
    Call it before any widget of the run."""
    kept = set(keep)
    for name in (set(shared) | st.session_state.get(_PAGE_PARAM_NAMES_KEY, set())) - kept:
        st.session_state.pop(name, None)
    st.session_state[_RESTORED_KEY] = False
    st.session_state[_PAGES_RESTORED_KEY] = set()


def start_run() -> None:
    """Forget the previous run's page parameters (the entry point calls this before the page runs)."""
    st.session_state[_RUN_PARAMS_KEY] = {}


def run_params() -> dict[str, Param]:
    return st.session_state.get(_RUN_PARAMS_KEY, {})


def show_url_notices() -> None:
    """Warn about the link's ignored or clamped values until the user changes that control."""
    kept = []
    for key, values, *seen in st.session_state.get(_NOTICES_KEY, []):
        current = st.session_state.get(str(values["name"]))
        if seen and seen[0] != current:
            continue  # the user chose a value: what the link said no longer matters
        kept.append((key, values, current))
        # Only the parameter's name (one of ours) and a parsed number are shown, never raw URL text.
        st.warning(t(key, **values), icon="⚠️")
    st.session_state[_NOTICES_KEY] = kept


def write_to_url(params: dict[str, Param]) -> None:
    """Mirror the current settings into the URL; defaults and controls not on screen are left out."""
    for name, param in params.items():
        value = st.session_state.get(name)
        if value is None or value == param.default:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != param.serialize(value):
            st.query_params[name] = param.serialize(value)


def power_of_two_param(options: tuple[int, ...], default: int) -> Param:
    """One of ``options`` (powers of two, ascending); another number in their range snaps to the nearest one on a
    log scale, with the clamped notice (Why √d_k's two values of d_k)."""
    as_int = int_param(options[0], options[-1], default)

    def parse(raw: str) -> tuple[object, Status]:
        value, status = as_int.parse(raw)
        if value is None:
            return None, status
        nearest = min(options, key=lambda option: abs(math.log2(option) - math.log2(value)))
        return nearest, status if nearest == value else "clamped"

    return Param(parse, default)
