"""AppTest helpers for the robustness suite, on top of the shared ones in tests/app (``page_helpers``: opening
a page, widgets by key, translations; ``chart_data``: chart elements).

* ``open_page(page, query)``: a fresh session opened at ``page``'s URL with ``query`` as its query string
  (``page_helpers.open_page`` with this suite's language shim; exceptions are left to the tests).
* ``run(at)``: rerun with the language shim (see below) pointed at ``at``.
* ``chart_problems(at)``: every non-finite number or null in any chart dataset or chart param.
* ``html_problems(at, payload)``: every element that allows raw HTML, or shows ``payload`` in markdown.
* ``param_specs(lang)``: the app's own ``url_params()`` (names, parsers, defaults), read inside a run.

Language shim: AppTest computes a select/radio/segmented widget's state *outside* the script run by
calling its ``format_func``. The app's format functions call ``t()``, which reads the language from
``st.session_state``; outside a run that reads nothing and falls back to English, so after a 中文 run
AppTest looks for "none" among ["无", "因果", …] and raises ValueError before the next run starts. A
browser never formats options (it sends the label it shows), so this is an AppTest limitation, not an
app bug. ``install_language_shim`` makes ``ui.i18n.language()`` return the tested session's language
when (and only when) it is called outside a script run.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
for _path in (str(REPO_ROOT), str(HERE), str(HERE.parent / "app")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from chart_data import chart_elements  # noqa: E402
from page_helpers import all_nodes, tr, widget  # noqa: E402, F401  (tr and widget: for this suite's tests too)
from page_helpers import open_page as open_url  # noqa: E402
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.testing.v1.element_tree import Block, Widget  # noqa: E402

import ui.i18n as i18n  # noqa: E402
from ui.i18n import LANGUAGE_KEY, STRINGS  # noqa: E402
from ui.navigation import PAGES, PageSpec  # noqa: E402
from ui.presenter import PRESENTER_STYLE  # noqa: E402  (the one constant HTML the app may send)
from ui.url_state import _RUN_PARAMS_KEY  # noqa: E402  (where page_params() leaves a page's own params)

TIMEOUT = 60
URL_NOTICE_KEYS = ("msg.bad_param", "msg.clamped_param")
SEQUENCE_NOTICE_KEYS = ("msg.too_long_text", "msg.cut", "msg.empty", "msg.padded", "msg.shortened")
PAGE_IDS = [page.url_path for page in PAGES]


# ── language shim ────────────────────────────────────────────────────────────

_original_language = i18n.language
_current: dict[str, AppTest | None] = {"at": None}


def _language_outside_runs() -> str:
    at = _current["at"]
    if get_script_run_ctx() is None and at is not None:
        try:
            lang = at.session_state[LANGUAGE_KEY]
        except (KeyError, AttributeError):
            lang = None
        if lang in i18n.LANGUAGES:
            return lang
    return _original_language()


def install_language_shim() -> None:
    i18n.language = _language_outside_runs


def forget_current_session() -> None:
    _current["at"] = None


def uninstall_language_shim() -> None:
    i18n.language = _original_language
    _current["at"] = None


# ── speed: scan installed packages for Streamlit components once per process ─────────

_scan_cache: list = []


def install_component_scan_cache() -> None:
    """A new AppTest scans every installed distribution's metadata for v2 components on its first run
    (~50 ms CPU here, most of a lesson page's run). The installed packages do not change during a test
    session, so the first scan's result is reused."""
    from streamlit.components.v2 import manifest_scanner

    if getattr(manifest_scanner.scan_component_manifests, "_robustness_cached", False):
        return
    original = manifest_scanner.scan_component_manifests

    def cached_scan(*args: Any, **kwargs: Any) -> list:
        if not _scan_cache:
            _scan_cache.append(original(*args, **kwargs))
        return list(_scan_cache[0])

    cached_scan._robustness_cached = True  # type: ignore[attr-defined]
    manifest_scanner.scan_component_manifests = cached_scan


install_component_scan_cache()


# ── running the app ──────────────────────────────────────────────────────────


def run(at: AppTest) -> AppTest:
    _current["at"] = at
    at.run(timeout=TIMEOUT)
    return at


def open_page(page: PageSpec, query: dict[str, Any] | None = None) -> AppTest:
    """A new session whose first request is ``/<page.url_path>?<query>`` (the first page: ``/?<query>``);
    asserts it landed on ``page``. Values are passed as given (a list is a repeated parameter)."""
    return open_url(page.url_path, query, root=page == PAGES[0], run=run, allow_exceptions=True)


def exceptions(at: AppTest) -> list[str]:
    return [f"{e.value}\n{''.join(e.stack_trace)}" for e in at.exception]


# ── walking the element tree ─────────────────────────────────────────────────


def widgets(at: AppTest) -> list[Widget]:
    return [node for node in all_nodes(at) if isinstance(node, Widget)]


def choice_labels(w: Widget) -> list[str]:
    """The labels a user can pick (what the browser sends back for select/radio/segmented widgets)."""
    return list(w.options)


def current_label(w: Widget) -> str | None:
    if w.type == "button_group":
        values = list(w.formatted_values)
        return values[0] if values else None
    return None if w.index is None else w.options[w.index]


# ── charts ───────────────────────────────────────────────────────────────────


def charts(at: AppTest) -> list[tuple[dict, dict[str, pa.Table]]]:
    found = []
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)  # json accepts NaN/Infinity literals: checked below
        tables = {d.name: pa.ipc.open_stream(d.data.data).read_all() for d in element.proto.datasets}
        found.append((spec, tables))
    return found


def _spec_numbers(node: Any, path: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _spec_numbers(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _spec_numbers(value, f"{path}[{i}]")
    elif isinstance(node, float):
        yield path, node


def chart_problems(at: AppTest) -> tuple[list[str], int]:
    """(problems, how many numbers were checked). A problem is a non-finite number or a null anywhere in a
    chart dataset, a non-finite number in a spec (e.g. the colour ``extent`` param), or a masked cell whose
    value is not the documented 0."""
    problems: list[str] = []
    checked = 0
    for index, (spec, tables) in enumerate(charts(at)):
        for path, number in _spec_numbers(spec):
            checked += 1
            if not math.isfinite(number):
                problems.append(f"chart {index}: spec{path} = {number}")
        for name, table in tables.items():
            for column_name, column in zip(table.column_names, table.columns, strict=True):
                where = f"chart {index} dataset {name!r} column {column_name!r}"
                if column.null_count:
                    problems.append(f"{where}: {column.null_count} nulls")
                kind = column.type
                if pa.types.is_dictionary(kind):
                    kind = kind.value_type
                if pa.types.is_floating(kind) or pa.types.is_integer(kind) or pa.types.is_decimal(kind):
                    values = column.to_numpy(zero_copy_only=False).astype(np.float64)
                    checked += values.size
                    bad = ~np.isfinite(values)
                    if bad.any():
                        examples = values[bad][:3]
                        problems.append(f"{where}: {int(bad.sum())} non-finite of {values.size}, e.g. {examples}")
            if {"masked", "value"} <= set(table.column_names):
                masked = table.column("masked").to_numpy(zero_copy_only=False).astype(bool)
                value = table.column("value").to_numpy(zero_copy_only=False)
                if np.any(value[masked] != 0):
                    problems.append(f"chart {index} dataset {name!r}: masked cells with a non-zero value")
    return problems, checked


def chart_labels(at: AppTest) -> set[str]:
    labels: set[str] = set()
    for _, tables in charts(at):
        for table in tables.values():
            for column_name in ("row_label", "col_label"):
                if column_name in table.column_names:
                    labels.update(str(v) for v in table.column(column_name).to_pylist())
    return labels


_NONFINITE_WORD = re.compile(r"(?<![A-Za-z])(nan|inf|infinity)(?![A-Za-z])")
_NO_NUMBER_CHECK_TYPES = {"code", "latex"}  # source code and formulas may spell inf / \\infty


def shown_number_problems(at: AppTest) -> list[str]:
    """Non-finite numbers outside the charts: in table (st.dataframe) number columns, and as Python's
    "nan"/"inf" spelling in any rendered text or metric (the app's own strings never spell them so:
    they write NaN and −∞)."""
    problems = []
    for node in all_nodes(at):
        node_type = getattr(node, "type", "")
        if node_type == "dataframe":
            frame = node.value
            numeric = frame.select_dtypes(include="number")
            values = numeric.to_numpy(dtype=np.float64)
            if values.size and not np.isfinite(values).all():
                problems.append(f"dataframe: non-finite numbers in {list(numeric.columns)}")
        elif node_type == "metric":
            for text in (node.proto.body, node.proto.delta):
                if _NONFINITE_WORD.search(text):
                    problems.append(f"metric {node.proto.label!r} shows {text!r}")
    # A user may type "nan" or "inf" as a word, and pages quote tokens in their text: those are not numbers.
    typed = " ".join(v for v in at.session_state.values() if isinstance(v, str)).lower()
    user_words = {m.group(1) for m in _NONFINITE_WORD.finditer(typed)}
    for node_type, body in text_bodies(at):
        if node_type in _NO_NUMBER_CHECK_TYPES:
            continue
        found = [m for m in _NONFINITE_WORD.finditer(body) if m.group(1) not in user_words]
        if found:
            where = found[0].start()
            problems.append(f"{node_type} shows a non-finite number: …{body[max(0, where - 80) : where + 40]!r}…")
    return problems


# ── HTML ─────────────────────────────────────────────────────────────────────

_HTML_FLAGS = ("allow_html", "unsafe_allow_html", "is_html")
_TEXT_ELEMENT_TYPES = {
    "markdown",
    "caption",
    "latex",
    "divider",
    "warning",
    "info",
    "error",
    "success",
    "exception",
    "toast",
    "header",
    "subheader",
    "title",
    "heading",
    "text",
    "code",
    "alert",
}


def _proto_flags(proto: Any) -> list[str]:
    found = []
    if proto is None or not hasattr(proto, "ListFields"):
        return found
    for field, value in proto.ListFields():
        if field.name in _HTML_FLAGS and value is True:
            found.append(field.name)
        elif hasattr(value, "ListFields"):  # a sub-message (repeated fields are lists: skipped)
            found.extend(f"{field.name}.{flag}" for flag in _proto_flags(value))
    return found


def text_bodies(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) for every element that renders text as markdown or HTML."""
    bodies = []
    for node in all_nodes(at):
        if isinstance(node, Widget | Block):
            continue
        node_type = getattr(node, "type", "")
        if node_type == "html":
            bodies.append((node_type, node.proto.body))
        elif node_type in _TEXT_ELEMENT_TYPES or hasattr(getattr(node, "proto", None), "body"):
            value = getattr(node, "value", None)
            if isinstance(value, str):
                bodies.append((node_type, value))
    return bodies


def html_problems(at: AppTest, payload: str | None = None) -> list[str]:
    """Elements that allow raw HTML (any ``allow_html``/``unsafe_allow_html`` flag set, or an ``st.html``
    element other than presenter mode's constant style rule), plus, for a markup payload, any
    markdown-rendered text that contains it or a dangerous fragment of it (the app's own texts contain
    none, so any hit is user text reaching markdown)."""
    from hostile import DANGEROUS_FRAGMENTS

    problems = []
    for node in all_nodes(at):
        if isinstance(node, Block):
            continue
        node_type = getattr(node, "type", type(node).__name__)
        if node_type == "html" and node.proto.body != PRESENTER_STYLE:
            problems.append("an st.html element (raw HTML)")
        for flag in _proto_flags(getattr(node, "proto", None)):
            problems.append(f"{node_type}: {flag} = True")
    fragments = [f for f in DANGEROUS_FRAGMENTS if payload and f in payload]
    if fragments:  # only markup payloads are checked: short plain values ("0", " ") occur in any text
        for node_type, body in text_bodies(at):
            if node_type == "code":
                continue  # st.code shows its text verbatim (the sidebar's view link carries the user's sentence)
            if payload in body:
                problems.append(f"{node_type} shows the user's text as markdown: {body[:120]!r}")
            problems.extend(f"{node_type} contains {f!r}: {body[:120]!r}" for f in fragments if f in body)
    return problems


# ── translations and notices ─────────────────────────────────────────────────


@cache
def notice_pattern(key: str) -> re.Pattern[str]:
    """Matches the translated text of ``key`` in any language, whatever its ``{values}``."""
    alternatives = []
    for text in STRINGS[key].values():
        parts = re.split(r"\{[^{}]*\}", text)
        alternatives.append(".*?".join(re.escape(part) for part in parts))
    return re.compile("^(?:" + "|".join(alternatives) + ")$", re.S)


def notices(at: AppTest, keys: tuple[str, ...]) -> list[str]:
    """Every warning/info/error text that is one of ``keys``' translations."""
    texts = [e.value for e in (*at.warning, *at.info, *at.error)]
    return [text for text in texts if any(notice_pattern(key).match(text) for key in keys)]


# ── the app's URL parameters ─────────────────────────────────────────────────

_PARAMS_SCRIPT = """
import streamlit as st
from ui.controls import url_params
st.session_state["lang"] = {lang!r}
st.session_state["__robustness_params"] = url_params()
"""


@cache
def param_specs(lang: str = "en") -> dict[str, Any]:
    """``url_params()`` as the app computes it in a session whose language is ``lang``: name → Param."""
    at = AppTest.from_string(_PARAMS_SCRIPT.format(lang=lang), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, exceptions(at)
    specs = dict(at.session_state["__robustness_params"])
    assert specs, "url_params() returned no parameters"
    return specs


PAGE_BY_ID = {page.url_path: page for page in PAGES}
TEXT_TYPES = ("text_input", "text_area", "chat_input")
NUMERIC_TYPES = ("slider", "number_input")
CHOICE_TYPES = ("selectbox", "radio", "button_group")
TOGGLE_TYPES = ("toggle", "checkbox")


@dataclass(frozen=True)
class Inventory:
    """What a page shows at its defaults: its URL parameters and its widgets by kind (keys)."""

    params: tuple[str, ...]
    text: tuple[str, ...]
    numeric: tuple[str, ...]
    choice: tuple[str, ...]
    toggle: tuple[str, ...]
    buttons: tuple[str, ...]
    charts: int
    token_labels: bool  # its charts label rows/columns "0 The", "1 animal", … with the sentence's tokens


def _keys(at: AppTest, types: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w.key for w in widgets(at) if w.type in types and w.key)


@cache
def _default_session(page_id: str) -> AppTest:
    """The page opened once at its defaults (shared by the collection-time inventory; never rerun)."""
    return open_page(PAGE_BY_ID[page_id])


@cache
def page_param_specs(page_id: str, lang: str = "en") -> dict[str, Any]:
    """Every URL parameter of a page in language ``lang``: the shared ``url_params()`` plus the page's own
    (``page_params``), read from a run of the page."""
    at = _default_session(page_id) if lang == "en" else open_page(PAGE_BY_ID[page_id], {"lang": lang})
    # No assert on exceptions here: this runs at collection, and one broken page must not stop the suite
    # (its own test cases fail instead).
    own = dict(at.session_state[_RUN_PARAMS_KEY]) if _RUN_PARAMS_KEY in at.session_state else {}
    return param_specs(lang) | own


@cache
def inventory(page_id: str) -> Inventory:
    from core.tokens import fit_to_length, tokenize
    from ui.charts import position_labels
    from ui.controls import DEFAULT_SENTENCES, token_count

    at = _default_session(page_id)
    sentence = DEFAULT_SENTENCES["en"]
    default_labels = set(position_labels(fit_to_length(tokenize(sentence), token_count(sentence))))
    return Inventory(
        params=tuple(page_param_specs(page_id)),
        text=_keys(at, TEXT_TYPES),
        numeric=_keys(at, NUMERIC_TYPES),
        choice=_keys(at, CHOICE_TYPES),
        toggle=_keys(at, TOGGLE_TYPES),
        buttons=_keys(at, ("button",)),
        charts=len(chart_elements(at)),
        token_labels=default_labels <= chart_labels(at),
    )


def expected_url_notice(page_id: str, name: str, raw: str, lang: str) -> str | None:
    """The notice the app must show for ``?name=raw``, judged by the parameter's own parser."""
    value, status = page_param_specs(page_id, lang)[name].parse(raw)
    if status == "invalid":
        return tr("msg.bad_param", lang, name=name)
    if status == "clamped":
        return tr("msg.clamped_param", lang, name=name, value=value)
    assert status == "ok", f"{name}: unknown parse status {status!r}"
    return None


def run_problems(at: AppTest, payload: str | None = None) -> list[str]:
    """Everything that must never happen after any run: an exception, a non-finite number shown anywhere,
    an element rendering raw HTML (or markup user text reaching markdown)."""
    chart, _ = chart_problems(at)
    return [
        *(f"exception: {e}" for e in exceptions(at)),
        *chart,
        *shown_number_problems(at),
        *html_problems(at, payload),
    ]


def spread(page_ids: list[str], values: list, per_other_page: int) -> list[tuple[str, Any]]:
    """(page, value) pairs: the first page (the app's default) gets every value, each other page
    ``per_other_page`` of them, rotating so different pages get different values. Bounded: adding a
    page adds ``per_other_page`` cases."""
    if not page_ids:
        return []
    pairs = [(page_ids[0], v) for v in values]
    size = min(len(values), per_other_page)
    for i, page_id in enumerate(page_ids[1:]):
        pairs += [(page_id, values[(i * size + k) % len(values)]) for k in range(size)]
    return pairs


MARKDOWN_MARKS = "$`*_~|#"
_MARKDOWN_TYPES_EXCLUDED = {"code", "latex", "text", "exception"}  # not rendered as Markdown


def unescaped_marks(at: AppTest) -> dict[str, int]:
    """How often each Markdown/LaTeX mark appears unescaped (no backslash before it) in Markdown-rendered text."""
    counts = dict.fromkeys(MARKDOWN_MARKS, 0)
    for node_type, body in text_bodies(at):
        if node_type in _MARKDOWN_TYPES_EXCLUDED:
            continue
        for i, ch in enumerate(body):
            if ch in counts and (i == 0 or body[i - 1] != "\\"):
                counts[ch] += 1
    return counts
