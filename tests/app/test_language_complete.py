"""Every page, in English and in 中文: no visible string is left untranslated.

A string is untranslated when a page shows it in both languages, identical, and it contains an English
word (three or more Latin letters) that is not on the allow-list below or in the user's own text. Visible
strings are collected from the whole AppTest element tree: Markdown, captions, headings, alerts, metrics,
widget labels, help texts, placeholders and options, tab, expander and popover labels, table headers and
text cells, and inside Vega-Lite specs every title (chart, axis, legend, tooltip, facet header) plus the
data values that an axis, legend, text mark or tooltip draws. Math (``st.latex``) and code (``st.code``)
are not prose and are skipped; an element type this file does not know fails the test, so a new kind of
element is never skipped silently.

States: each page at its defaults, then with each choice control (select, radio, segmented) at each of
its options and each toggle flipped, one control at a time. The English run changes the widget; the
Chinese run opens the English session's URL with ``lang=zh``, as a shared link would. Pages are
discovered from ``ui/navigation.PAGES``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pytest
from chart_data import as_chart_element, chart_elements
from page_helpers import open_page
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Widget

from ui.i18n import LANGUAGE_KEY
from ui.navigation import PAGES

# Three or more Latin letters; letters joined to a digit or "_" are an identifier (d_model, float32), not English.
ENGLISH_WORD = re.compile(r"(?<![\w])[A-Za-z]{3,}(?![\w])")
STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")

# Words that are the same in a Chinese text, each with the reason. Keep this short: anything else that
# is shown identically in both languages is an untranslated string.
ALLOWED_WORDS: dict[str, str] = {
    "English": "the language switch names each language in that language (English, 中文)",
    "mod": "the modulo operator, in a formula such as (i − j) mod s = 0",
}
# A heatmap's row and column labels are "<position> <token>" (ui/charts.position_labels): tokens of the text
# the page works on, which stay as they are in any language.
POSITION_LABEL = re.compile(r"^\d+ (.+)$", re.S)
TOKEN_LABEL_COLUMNS = ("row_label", "col_label")

# Elements whose text is not prose, and those with no text of their own (a container's children are walked).
NOT_PROSE = {"latex": "math", "code": "source code and the copyable link"}
NO_TEXT = {
    *("root", "main", "sidebar", "event", "flex_container", "column", "tab_container", "container"),
    *("divider", "empty"),
}
PROSE = {"markdown", "caption", "header", "subheader", "title", "text", "info", "warning", "error", "success", "toast"}
CHOICE_TYPES = {"radio", "selectbox", "button_group"}
TOGGLE_TYPES = {"toggle", "checkbox"}


# ── what a page shows ────────────────────────────────────────────────────────


def _walk(node) -> Iterator:
    yield node
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _walk(child)


def _texts_in_spec(node, strings: set[str]) -> None:
    """Every title in a Vega-Lite spec (chart, axis, legend, tooltip, header) and every constant text."""
    if isinstance(node, list):
        for item in node:
            _texts_in_spec(item, strings)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in ("title", "subtitle") and isinstance(value, str | list):
            strings.update([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
        elif key == "text" and isinstance(value, dict) and isinstance(value.get("value"), str):
            strings.add(value["value"])  # a constant text mark
        elif key == "text" and isinstance(value, str | list) and node.get("type") == "text":
            strings.update([value] if isinstance(value, str) else value)
        else:
            _texts_in_spec(value, strings)


def _drawn_fields(node, fields: set[str]) -> None:
    """Data fields whose values are drawn as text: axis labels, legend entries, text marks, tooltips, headers."""
    if isinstance(node, list):
        for item in node:
            _drawn_fields(item, fields)
        return
    if not isinstance(node, dict):
        return
    encoding = node.get("encoding")
    if isinstance(encoding, dict):
        for channel, definition in encoding.items():
            for entry in definition if isinstance(definition, list) else [definition]:
                if not isinstance(entry, dict):
                    continue
                shown = {"x": "axis", "y": "axis", "facet": "header", "row": "header", "column": "header"}
                hidden_by = shown.get(channel, "legend")
                visible = channel in ("text", "tooltip") or entry.get(hidden_by, {}) is not None
                for candidate in (entry, entry.get("condition")):
                    if visible and isinstance(candidate, dict) and isinstance(candidate.get("field"), str):
                        fields.add(candidate["field"])
    for value in node.values():
        _drawn_fields(value, fields)


def _inline_rows(node) -> Iterator[list[dict]]:
    if isinstance(node, dict):
        values = node.get("values")
        if isinstance(values, list) and all(isinstance(row, dict) for row in values):
            yield values
        for value in node.values():
            yield from _inline_rows(value)
    elif isinstance(node, list):
        for item in node:
            yield from _inline_rows(item)


def _chart_strings(element) -> set[str]:
    proto = element.proto
    spec = json.loads(proto.spec)
    strings: set[str] = {proto.alt}
    _texts_in_spec(spec, strings)
    fields: set[str] = set()
    _drawn_fields(spec, fields)
    arrow = [dataset.data.data for dataset in proto.datasets] + ([proto.data.data] if proto.data.data else [])
    tables = [pa.ipc.open_stream(data).read_all() for data in arrow]
    tables += [pa.Table.from_pylist(rows) for rows in _inline_rows(spec) if rows]
    for table in tables:
        for name in fields & set(table.column_names):
            strings.update(v for v in table.column(name).to_pylist() if isinstance(v, str))
    return strings


def _frame_strings(frame) -> set[str]:
    strings = set()
    for column in frame.columns:
        strings.update(str(part) for part in (column if isinstance(column, tuple) else (column,)))
        strings.update(v for v in frame[column].tolist() if isinstance(v, str))
    return strings


def visible_strings(at: AppTest) -> set[str]:
    """Every string the last run put on screen (see the module docstring); fails on an unknown element."""
    strings: set[str] = set()
    for node in _walk(at._tree):
        kind = getattr(node, "type", type(node).__name__)
        if isinstance(node, Widget):
            proto = node.proto
            strings.update(getattr(proto, name, "") for name in ("label", "help", "placeholder"))
            if kind in (*CHOICE_TYPES, "select_slider", "multiselect"):
                strings.update(str(option) for option in node.options)
        elif kind in ("tab", "expander"):
            strings.add(node.label)
        elif kind == "popover":
            strings.update((node.proto.popover.label, node.proto.popover.help))
        elif kind == "page_link":
            strings.update((node.proto.label, node.proto.help))
        elif kind in PROSE:
            strings.add(node.value)
        elif kind == "metric":
            strings.update((node.proto.label, node.proto.body, node.proto.delta, node.proto.help))
        elif kind in ("dataframe", "table"):
            strings |= _frame_strings(node.value)
            if kind == "dataframe" and node.proto.columns:
                for config in json.loads(node.proto.columns).values():
                    strings.update(str(config.get(name, "")) for name in ("label", "help"))
        elif kind == "vega_lite_chart":
            strings |= _chart_strings(node)
        elif kind == "bidi_component" and (chart := as_chart_element(node)) is not None:
            strings |= _chart_strings(chart)
        elif kind == "html":  # the text of the HTML, if any (a <style> element shows none)
            strings.add(TAG.sub(" ", STYLE.sub("", node.proto.body)).strip())
        elif kind not in NO_TEXT and kind not in NOT_PROSE:
            raise AssertionError(f"an element of type {kind!r}: teach visible_strings() what text it shows")
    strings.discard("")
    return strings


# ── the check ────────────────────────────────────────────────────────────────


def token_words(at: AppTest) -> set[str]:
    """Words of the texts the page works on: every text in the session (sentences, typed or default) and
    every token a heatmap labels its rows and columns with. They are shown as they were written."""
    texts = [value for value in at.session_state.values() if isinstance(value, str)]
    for element in chart_elements(at):
        for dataset in element.proto.datasets:
            table = pa.ipc.open_stream(dataset.data.data).read_all()
            for name in set(TOKEN_LABEL_COLUMNS) & set(table.column_names):
                labels = (POSITION_LABEL.match(str(v)) for v in table.column(name).to_pylist())
                texts.extend(label.group(1) for label in labels if label)
    return {word.lower() for word in ENGLISH_WORD.findall(" ".join(texts))}


def untranslated(english: set[str], chinese: set[str], allowed: set[str]) -> list[str]:
    """Strings shown identically in both languages that contain an English word not in ``allowed``."""
    allowed = {word.lower() for word in allowed} | {word.lower() for word in ALLOWED_WORDS}
    return sorted(s for s in english & chinese if {w.lower() for w in ENGLISH_WORD.findall(s)} - allowed)


@dataclass
class Seen:
    english: set[str] = field(default_factory=set)
    chinese: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)  # words of the texts shown in Chinese
    states: int = 0

    def add(self, english: AppTest, url_path: str) -> None:
        """The English session as it is now, and the same URL opened in Chinese."""
        query = {name: _last(value) for name, value in english.query_params.items()} | {LANGUAGE_KEY: "zh"}
        chinese = open_page(url_path, **query)
        self.english |= visible_strings(english)
        self.chinese |= visible_strings(chinese)
        self.tokens |= token_words(chinese)
        self.states += 1


def _last(value: str | list[str]) -> str:
    return value if isinstance(value, str) else value[-1]


def _variants(w: Widget) -> list[object]:
    """The values a control can be set to other than its current one (choices as the label a browser sends)."""
    if w.type in TOGGLE_TYPES:
        return [not w.value]
    labels = list(w.options)
    if all(label.strip().lstrip("-").isdigit() for label in labels):
        return []  # numbered choices (which head) change numbers, not texts
    if w.type == "button_group":
        current = list(w.formatted_values)
    else:
        current = [] if w.index is None else [w.options[w.index]]  # a question not answered yet has no choice
    return [label for label in labels if label not in current]


def explore(url_path: str) -> Seen:
    seen = Seen()
    defaults = open_page(url_path, lang="en")
    seen.add(defaults, url_path)
    controls = [
        (w.key, w.type)
        for w in (n for n in _walk(defaults._tree) if isinstance(n, Widget))
        if w.key and w.key != LANGUAGE_KEY and w.type in CHOICE_TYPES | TOGGLE_TYPES and not w.disabled
    ]
    for key, _ in controls:
        at = open_page(url_path, lang="en")
        found = [n for n in _walk(at._tree) if isinstance(n, Widget) and n.key == key]
        for value in _variants(found[0]):
            widget = next(n for n in _walk(at._tree) if isinstance(n, Widget) and n.key == key)
            widget.set_value(value)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            seen.add(at, url_path)
            if not any(isinstance(n, Widget) and n.key == key for n in _walk(at._tree)):
                break  # this value hid the control
    return seen


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_every_visible_string_is_translated(spec):
    seen = explore(spec.url_path)
    left = untranslated(seen.english, seen.chinese, seen.tokens)
    assert not left, f"{spec.url_path}: shown the same in English and 中文 ({seen.states} states):\n" + "\n".join(
        repr(s) for s in left
    )


# ── the check can fail ───────────────────────────────────────────────────────

PLANTED = """
import pandas as pd
import streamlit as st

def same(kind):  # shown identically in both languages: an untranslated string
    return f"Untranslated {kind}"

st.markdown(same("markdown"))
st.caption(same("caption"))
st.header(same("header"))
st.subheader(same("subheader"))
st.info(same("info"))
st.warning(same("warning"))
st.slider(same("slider label"), 0, 3, help=same("slider help"))
st.radio("单选", ["选项", same("radio option")])
st.text_input("文本", placeholder=same("placeholder"))
st.tabs(["标签页", same("tab")])
st.expander(same("expander"))
st.popover(same("popover"))
st.metric(same("metric"), 1)
st.dataframe(pd.DataFrame({same("column"): [same("cell")]}))
st.table(pd.DataFrame({"列": [same("table cell")]}))
st.vega_lite_chart(
    {
        "title": same("chart title"),
        "data": {"values": [{"x": 1, "y": 2, "kind": same("legend entry"), "ink": "black"}]},
        "mark": "point",
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "title": same("x title")},
            "y": {"field": "y", "type": "quantitative", "axis": None},
            "color": {"field": "kind", "type": "nominal", "title": same("legend title")},
            "stroke": {"field": "ink", "type": "nominal", "legend": None},
        },
    }
)
st.latex(r"\\text{math is not prose}")
st.code("print('code is not prose')")
st.markdown("已翻译的段落 softmax mod 2")
"""
PLANTED_KINDS = (
    *("markdown", "caption", "header", "subheader", "info", "warning", "slider label", "slider help"),
    *("radio option", "placeholder", "tab", "expander", "popover", "metric", "column", "cell", "table cell"),
    *("chart title", "legend entry", "x title", "legend title"),
)


def test_the_check_finds_an_untranslated_string_in_every_kind_of_element():
    at = AppTest.from_string(PLANTED, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = visible_strings(at)
    found = untranslated(shown, shown, {"softmax"})
    assert found == sorted(f"Untranslated {kind}" for kind in PLANTED_KINDS)
    assert "black" not in shown  # a field drawn without a legend is not visible text


def test_an_element_the_check_does_not_know_fails_it():
    at = AppTest.from_string('import streamlit as st\nst.json({"a": 1})', default_timeout=30).run()
    with pytest.raises(AssertionError, match="'json'"):
        visible_strings(at)
