"""Read the charts back out of an ``AppTest`` run.

In AppTest an ``st.altair_chart`` is an ``UnknownElement`` of type ``vega_lite_chart``: ``proto.spec``
is the Vega-Lite JSON and ``proto.datasets[i].data.data`` is Arrow IPC bytes, each dataset named in
the spec. A heatmap is a ``bidi_component`` (the canvas, ``ui.heatmap``) whose ``proto.bytes`` hold its
payload; ``chart_elements`` turns it into the Vega-Lite figure its export draws (``figure_from_payload``)
and presents both kinds alike, in page order, so every chart test reads charts the same way.

The proto carries no widget key (``proto.id`` is empty unless selections are on), so a
chart is identified by its title, matched against ``ui.i18n.STRINGS`` in every language; the page's
keys are ``chart_<name>`` for the title key ``chart.<name>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from page_helpers import set_controls
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.WidgetStates_pb2 import WidgetState

from ui.charts.heatmaps import decode_payload, figure_from_payload
from ui.export import data_names
from ui.i18n import LANGUAGES, STRINGS

FIGURES = ("heatmap", "overview", "heads", "grid", "variants_panels")  # the canvas payloads' figure kinds
CHART_NAMES = ("scaled", "weights", "output", "overview", "q", "k", "v")
# Title text (any language) → chart key used on the page.
TITLE_TO_KEY = {STRINGS[f"chart.{name}"][lang]: f"chart_{name}" for name in CHART_NAMES for lang in LANGUAGES}


def _read_arrow(data: bytes) -> pd.DataFrame:
    return pa.ipc.open_stream(data).read_all().to_pandas()


def _title_text(title: Any) -> str | None:
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    return title


@dataclass
class Chart:
    key: str
    title: str
    spec: dict
    datasets: dict[str, pd.DataFrame] = field(repr=False)
    main_name: str = ""

    @property
    def cells(self) -> pd.DataFrame:
        """The long-form cell data: row, col, row_label, col_label, value, masked (+ head for the overview)."""
        return self.datasets[self.main_name]

    @property
    def sums(self) -> pd.DataFrame:
        """The row-sum dataset (row_label, col_label, sum); only the weights chart has one."""
        found = [df for df in self.datasets.values() if "sum" in df.columns]
        assert len(found) == 1, f"{self.key}: expected one row-sum dataset, found {len(found)}"
        return found[0]

    def matrix(self, column: str = "value", head: int | None = None) -> np.ndarray:
        df = self.cells if head is None else self.cells[self.cells["head"] == head]
        return df.pivot(index="row", columns="col", values=column).sort_index().sort_index(axis=1).to_numpy()

    def row_labels(self) -> list[str]:
        return list(dict.fromkeys(self.cells.sort_values(["row", "col"])["row_label"]))

    def col_labels(self) -> list[str]:
        return list(dict.fromkeys(self.cells.sort_values(["col", "row"])["col_label"]))


def _arrow(frame: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _nodes(node) -> Iterator[Any]:
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for child in children.values():
        yield from _nodes(child)


def heatmap_payload(node) -> dict | None:
    """A canvas heatmap's payload (``ui.charts.heatmaps.decode_payload`` of the element's bytes); None for any
    other element."""
    if getattr(node, "type", None) != "bidi_component" or not node.proto.bytes:
        return None
    payload = decode_payload(node.proto.bytes)
    return payload if payload.get("figure") in FIGURES else None


def heatmap_payloads(at) -> list[dict]:
    """The canvas heatmaps' payloads, in page order."""
    return [payload for node in _nodes(at._tree) if (payload := heatmap_payload(node)) is not None]


def as_chart_element(node) -> Any | None:
    """A canvas heatmap (``bidi_component``) as a chart element with the proto fields of a ``vega_lite_chart``
    (``spec``, ``datasets``, ``id``, ``alt``, ``data``), from the Vega-Lite figure its export draws; else None."""
    payload = heatmap_payload(node)
    if payload is None:
        return None
    spec = figure_from_payload(payload).spec()
    datasets = [
        SimpleNamespace(name=name, data=SimpleNamespace(data=_arrow(frame)))
        for name, frame in spec.pop("datasets").items()
    ]
    # Like a Vega chart with a selection, a clickable heatmap has a widget id; other charts have none.
    proto = SimpleNamespace(
        spec=json.dumps(spec, ensure_ascii=False),
        datasets=datasets,
        id=node.proto.id if payload.get("clickable") else "",
        alt="",
        data=SimpleNamespace(data=b""),
    )
    return SimpleNamespace(proto=proto, payload=payload)


def click_heatmap(at, click: object) -> Any:
    """Send what the browser sends when the page's one clickable heatmap is clicked: its ``click`` trigger with
    ``{panel, row, col}`` (or any value, to test what the page does with nonsense), then rerun."""
    (chart,) = [c for c in chart_elements(at) if c.proto.id]
    states = at._tree.get_widget_states()  # AppTest has no public API for a component's trigger
    events = _make_trigger_id(chart.proto.id, "events")
    states.widgets.append(WidgetState(id=events, json_trigger_value=json.dumps([{"event": "click", "value": click}])))
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_elements(at) -> list[Any]:
    """Every chart of the last run in page order, each with ``proto.spec`` (Vega-Lite JSON), ``proto.datasets``
    (name, Arrow bytes) and ``proto.id``, whether it is drawn by Vega or by the canvas component."""
    elements = []
    for node in _nodes(at._tree):
        if getattr(node, "type", None) == "vega_lite_chart":
            elements.append(node)
        elif (element := as_chart_element(node)) is not None:
            elements.append(element)
    return elements


def read_charts(at) -> dict[str, Chart]:
    """All charts of the last run, keyed by chart key, in page order. Fails on an unknown or repeated title."""
    charts: dict[str, Chart] = {}
    for element in chart_elements(at):
        proto = element.proto
        spec = json.loads(proto.spec)
        title = _title_text(spec.get("title"))
        if title is None and spec.get("layer"):
            title = _title_text(spec["layer"][0].get("title"))
        assert title in TITLE_TO_KEY, f"chart with unknown title {title!r}"
        key = TITLE_TO_KEY[title]
        assert key not in charts, f"two charts titled {title!r}"
        datasets = {d.name: _read_arrow(d.data.data) for d in proto.datasets}
        names = [n for n in data_names(spec) if n in datasets]
        assert names, f"{key}: the spec names none of its datasets {list(datasets)}"
        charts[key] = Chart(key=key, title=title, spec=spec, datasets=datasets, main_name=names[0])
    return charts


def set_controls_read_charts(at, **values: object) -> dict[str, Chart]:
    """``page_helpers.set_controls`` (set widgets by key, rerun once, assert no exception), then that run's
    charts by key (``read_charts``)."""
    return read_charts(set_controls(at, **values))


def charts_by_title(at, main_name: str | None = None) -> dict[str, Chart]:
    """Every chart of the last run by its own title (for charts outside ``TITLE_TO_KEY``), in page order;
    ``main_name`` is the dataset ``Chart.matrix`` reads (default: the first). Fails on a repeated title."""
    found: dict[str, Chart] = {}
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or spec.get("layer", [{}])[0].get("title")
        title = title.get("text") if isinstance(title, dict) else title
        datasets = {d.name: _read_arrow(d.data.data) for d in element.proto.datasets}
        assert title not in found, f"two charts titled {title!r}"
        main = main_name or next(iter(datasets))
        found[title] = Chart(key=title, title=title, spec=spec, datasets=datasets, main_name=main)
    return found


def assert_chart_numbers_finite(charts: dict[str, Chart]) -> None:
    """No null in any dataset, every number finite, and some numbers at all."""
    checked = 0
    for chart in charts.values():
        for name, df in chart.datasets.items():
            assert not df.isna().any().any(), f"{chart.title}/{name} has nulls"
            values = df.select_dtypes(include="number").to_numpy(dtype=np.float64)
            assert np.isfinite(values).all(), f"{chart.title}/{name} has non-finite numbers"
            checked += values.size
    assert checked > 0


def spec_titles(node: object) -> set[str]:
    """Every title text anywhere in a Vega-Lite spec (chart, layer, axis, legend)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str):
                found.add(value)
            elif key == "title" and isinstance(value, dict) and isinstance(value.get("text"), str):
                found.add(value["text"])
            else:
                found |= spec_titles(value)
    elif isinstance(node, list):
        for item in node:
            found |= spec_titles(item)
    return found


def cells_titled(at, title: str) -> pd.DataFrame:
    """The ``cells`` dataset of the one chart that has ``title`` anywhere in its spec."""
    found = []
    for element in chart_elements(at):
        if title in spec_titles(json.loads(element.proto.spec)):
            datasets = {d.name: _read_arrow(d.data.data) for d in element.proto.datasets}
            found.append(datasets["cells"])
    assert len(found) == 1, f"{len(found)} charts titled {title!r}"
    return found[0]


def cells_matrix(cells: pd.DataFrame, column: str = "value") -> np.ndarray:
    """A long-form cell frame (row, col, ``column``) as a matrix, rows and columns in order."""
    return cells.pivot(index="row", columns="col", values=column).sort_index().sort_index(axis=1).to_numpy()


def all_datasets(at) -> Iterator[tuple[str, str, pd.DataFrame]]:
    for chart in read_charts(at).values():
        for name, df in chart.datasets.items():
            yield chart.key, name, df


def assert_all_finite(at) -> int:
    """Every number in every chart dataset is finite; returns how many numbers were checked."""
    checked = 0
    for key, name, df in all_datasets(at):
        numeric = df.select_dtypes(include="number")
        values = numeric.to_numpy(dtype=np.float64)
        bad = ~np.isfinite(values)
        assert not bad.any(), f"{key}/{name}: {int(bad.sum())} non-finite numbers in columns {list(numeric.columns)}"
        checked += values.size
    assert checked > 0, "no chart numbers at all"
    return checked
