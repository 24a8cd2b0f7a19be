"""The export controls in the app: a closed "Export" menu under every chart, download buttons once it is
open, the playground's PyTorch code, and every chart of every page rendering to SVG and CSV."""

from __future__ import annotations

import contextlib
import io
import json
import xml.etree.ElementTree as ET

import numpy as np
import pyarrow as pa
import pytest
from chart_data import chart_elements, read_charts
from page_helpers import open_page, tr
from streamlit.testing.v1 import AppTest

from ui.charts import Figure
from ui.export import to_csv, to_svg
from ui.navigation import PAGES

PLAYGROUND_CHARTS = ["chart_scaled", "chart_weights", "chart_output", "chart_overview"]  # at the defaults
SNIPPET_START = '"""Attention Lab, playground:'


def open_playground_with(state: dict[str, object], **query: object) -> AppTest:
    """A first visit to the playground with widgets already in ``state`` (an open popover or expander),
    in one run: AppTest cannot rerun a Chinese page (it formats options in English outside a run)."""
    return open_page("playground", state=state, **query)


def export_menus(at, lang: str = "en") -> list:
    return [block for block in at.get("popover") if block.proto.popover.label == tr("export.menu", lang)]


def snippet_code(at) -> str | None:
    found = [element.value for element in at.code if element.value.startswith(SNIPPET_START)]
    assert len(found) <= 1
    return found[0] if found else None


def test_every_playground_chart_has_a_closed_export_menu() -> None:
    at = open_page("playground")
    assert list(read_charts(at)) == PLAYGROUND_CHARTS
    assert len(export_menus(at)) == len(PLAYGROUND_CHARTS)
    # Closed menus draw no buttons and the closed code expander no code: a rerun does not pay for them.
    assert not at.download_button
    assert snippet_code(at) is None
    assert tr("export.code") in [expander.label for expander in at.expander]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_open_menu_offers_png_svg_and_csv(lang: str) -> None:
    at = open_playground_with({"chart_weights_export": True}, lang=lang)  # what opening the popover sends
    buttons = {button.key: button.proto.label for button in at.download_button}
    assert buttons == {
        "chart_weights_export_png": tr("export.png", lang),
        "chart_weights_export_svg": tr("export.svg", lang),
        "chart_weights_export_csv": tr("export.csv", lang),
    }
    assert len(export_menus(at, lang)) == len(PLAYGROUND_CHARTS)


def test_the_code_expander_shows_code_that_reproduces_the_charts() -> None:
    query = {"mask": "causal", "heads": 4, "head": 2, "text": "我在学习人工智能", "L": 10}
    at = open_playground_with({"playground_code": True}, **query)
    code = snippet_code(at)
    assert code is not None
    assert "playground_code_download" in [button.key for button in at.download_button]

    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "snippet", "exec"), namespace)
    charts = read_charts(at)
    head = 2
    weights = charts["chart_weights"]
    np.testing.assert_allclose(weights.matrix(), namespace["weights"][0, head].numpy(), atol=1e-6, rtol=0)
    np.testing.assert_allclose(charts["chart_output"].matrix(), namespace["output"][0, head].numpy(), atol=1e-6)
    scores = namespace["masked"][0, head].numpy()
    allowed = ~charts["chart_scaled"].matrix("masked").astype(bool)
    np.testing.assert_allclose(charts["chart_scaled"].matrix()[allowed], scores[allowed], atol=1e-6, rtol=0)
    assert np.isneginf(scores[~allowed]).all()
    assert namespace["tokens"][:8] == list("我在学习人工智能") and namespace["tokens"][8:] == ["<pad>"] * 2


def _figures(at) -> list[tuple[str, Figure]]:
    """Every chart of the last run as the Figure that drew it (spec from the proto, data from Arrow)."""
    figures = []
    for element in chart_elements(at):
        proto = element.proto
        datasets = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in proto.datasets}
        spec = json.loads(proto.spec)
        title = spec.get("title") or (spec.get("layer") or [{}])[0].get("title")
        figures.append((str(title), Figure(proto.spec, datasets)))
    return figures


@pytest.mark.parametrize("page", PAGES, ids=[page.url_path for page in PAGES])
def test_every_chart_renders_to_svg_and_csv(page) -> None:
    at = open_page(page.url_path)
    figures = _figures(at)
    assert len(export_menus(at)) == len(figures)  # one menu per chart
    for title, figure in figures:
        ET.fromstring(to_svg(figure))
        assert len(to_csv(figure).splitlines()) >= 2, title  # a header and at least one row
