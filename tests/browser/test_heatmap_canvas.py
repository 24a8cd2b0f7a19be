"""The canvas heatmap (ui/heatmap) in Chromium: it paints every chart, its tooltip names the query token,
the key token and the exact value the server computed, it redraws on a slider step, and user text in
labels stays text. The exact values come from an AppTest run of the same URL (same seeds, same numbers).
"""

from __future__ import annotations

import io
import json
import sys
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from browser_helpers import wait_settled

pytestmark = pytest.mark.browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from chart_data import heatmap_payloads  # noqa: E402
from page_helpers import open_page  # noqa: E402

from ui.i18n import STRINGS  # noqa: E402

HEATMAP = ".al-heatmap"
TIMEOUT_MS = 30_000


def open_playground(page, app_url: str, query: str = "") -> None:
    page.goto(f"{app_url}/{query}")
    wait_settled(page, 60_000)
    page.wait_for_function(
        "n => document.querySelectorAll('.al-heatmap canvas').length >= n && "
        "[...document.querySelectorAll('.al-heatmap')].every((h) => h.dataset.cells)",
        arg=3,
        timeout=TIMEOUT_MS,
    )


def cell_centre(page, index: int, row: int, col: int) -> tuple[float, float]:
    """Viewport coordinates of a cell's centre, from the geometry the chart publishes (data-cells)."""
    chart = page.locator(HEATMAP).nth(index)
    chart.scroll_into_view_if_needed()
    x0, y0, cw, ch = map(float, chart.get_attribute("data-cells").split(","))
    box = chart.locator("canvas").bounding_box()
    return box["x"] + x0 + (col + 0.5) * cw, box["y"] + y0 + (row + 0.5) * ch


def tooltip(page, index: int, row: int, col: int) -> list[str]:
    x, y = cell_centre(page, index, row, col)
    page.mouse.move(x, y)
    tip = page.locator(HEATMAP).nth(index).locator(".al-heatmap-tip.visible")
    tip.wait_for(timeout=5_000)
    return [line.inner_text() for line in tip.locator("div").all()]


def payload_values(payload: dict) -> np.ndarray:
    shape = (len(payload["rows"]), len(payload["cols"]))
    return payload["panels"][0]["values"].astype(np.float64).reshape(shape)


def test_every_heatmap_is_painted_with_many_colours(watched_page, app_url):
    from PIL import Image

    page = watched_page.page
    open_playground(page, app_url)
    charts = page.locator(HEATMAP)
    assert charts.count() == 4  # scores, weights, output, all heads (heads = 2 at the defaults)
    for index in range(charts.count()):
        canvas = charts.nth(index).locator("canvas")
        canvas.scroll_into_view_if_needed()
        picture = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
        pixels = np.asarray(picture).reshape(-1, 3)
        colours = len(np.unique(pixels, axis=0))
        coloured = float((np.abs(pixels.astype(int) - 255).sum(axis=1) > 30).mean())
        assert colours > 40 and coloured > 0.25, (index, colours, coloured)
    watched_page.assert_clean()


def test_hover_shows_the_tokens_and_the_exact_value(watched_page, app_url):
    page = watched_page.page
    open_playground(page, app_url)
    scores, weights = heatmap_payloads(open_page("playground"))[:2]
    for index, payload, (row, col) in ((0, scores, (2, 5)), (1, weights, (7, 1))):
        lines = tooltip(page, index, row, col)
        assert lines[0] == f"{payload['yTitle']}: {payload['rows'][row]}", lines
        assert lines[1] == f"{payload['xTitle']}: {payload['cols'][col]}", lines
        assert lines[2] == f"{payload['legendTitle']}: {payload_values(payload)[row, col]:.6f}", lines
    # The Σ column's tooltip is the row's sum.
    sums = tooltip(page, 1, 3, len(weights["cols"]))
    assert sums[-1] == f"Σ: {weights['sums'][3]:.6f}", sums
    watched_page.assert_clean()


def test_a_slider_step_redraws_the_charts(watched_page, app_url):
    page = watched_page.page
    open_playground(page, app_url)
    before = page.evaluate("[...document.querySelectorAll('.al-heatmap canvas')].map((c) => c.toDataURL())")
    assert page.locator(HEATMAP).first.get_attribute("data-rows") == "10"
    slider = page.locator('input[type="range"][aria-label="Sequence length"]')
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => document.querySelector('.al-heatmap').dataset.rows === '9'", timeout=TIMEOUT_MS)
    wait_settled(page, TIMEOUT_MS)
    after = page.evaluate("[...document.querySelectorAll('.al-heatmap canvas')].map((c) => c.toDataURL())")
    assert all(a != b for a, b in zip(before[:3], after[:3], strict=True))
    watched_page.assert_clean()


def test_html_in_a_token_is_drawn_as_text(watched_page, app_url):
    page = watched_page.page
    xss = "<img src=x onerror=window.__pwned=1> cat"
    open_playground(page, app_url, "?text=" + urllib.parse.quote(xss, safe=""))
    # The tokenizer splits punctuation: "<", "img", … each a row, each written out as typed.
    assert tooltip(page, 1, 0, 0)[0].endswith(": 0 <")
    assert tooltip(page, 1, 1, 0)[0].endswith(": 1 img")
    assert page.evaluate("window.__pwned") is None
    assert page.locator(f"{HEATMAP} img").count() == 0
    watched_page.assert_clean()


def _open(browser, url: str):
    """A page at ``url`` (1280 × 800) that records JavaScript errors; waits for the first heatmap."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    wait_settled(page, 60_000)
    page.wait_for_function("() => document.querySelector('.al-heatmap')?.dataset.cells", timeout=TIMEOUT_MS)
    return context, page, errors


def test_a_click_on_a_weight_writes_out_that_cell_and_outlines_it(browser, app_url):
    context, page, errors = _open(browser, f"{app_url}/steps?steps_step=4")
    try:
        assert "Cell (1, 0)" in page.locator(".st-key-steps_cell_summary").inner_text()  # the page's first cell
        x, y = cell_centre(page, 0, 7, 3)
        page.mouse.click(x, y)
        page.wait_for_function(
            "() => document.querySelector('.st-key-steps_cell_summary')?.innerText.includes('Cell (7, 3)')",
            timeout=TIMEOUT_MS,
        )
        wait_settled(page, TIMEOUT_MS)
        assert page.locator(HEATMAP).first.get_attribute("data-selected") == "7,3,0"
        assert "steps_i=7" in page.url and "steps_j=3" in page.url
        assert errors == []
    finally:
        context.close()


def test_a_click_on_a_head_in_the_grid_shows_it_large(browser, app_url):
    context, page, errors = _open(browser, f"{app_url}/pretrained")
    try:
        grid = page.locator(f"{HEATMAP}[data-panels='72']")
        grid.wait_for(timeout=TIMEOUT_MS)
        assert grid.get_attribute("data-selected-panel") == str(3 * 12 + 1)  # the page starts on layer 3, head 1
        grid.scroll_into_view_if_needed()
        origins = json.loads(grid.get_attribute("data-panel-origins"))
        _, _, cw, ch = map(float, grid.get_attribute("data-cells").split(","))
        box = grid.locator("canvas").bounding_box()
        x0, y0 = origins[5 * 12 + 11]
        page.mouse.move(box["x"] + x0 + 2.5 * cw, box["y"] + y0 + 1.5 * ch)
        tip = grid.locator(".al-heatmap-tip.visible")
        tip.wait_for(timeout=5_000)
        lines = [line.inner_text() for line in tip.locator("div").all()]
        query, key = STRINGS["axis.query"]["en"], STRINGS["axis.key"]["en"]
        assert (
            lines[0].endswith(": L5 H11") and lines[1].startswith(f"{query}: 1 ") and lines[2].startswith(f"{key}: 2 ")
        )
        page.mouse.click(box["x"] + x0 + 2.5 * cw, box["y"] + y0 + 1.5 * ch)
        page.wait_for_function(
            "() => document.querySelector(\".al-heatmap[data-panels='72']\")?.dataset.selectedPanel === '71'",
            timeout=TIMEOUT_MS,
        )
        wait_settled(page, TIMEOUT_MS)
        assert page.locator(f"{HEATMAP}[data-title='Layer 5, head 11']").count() == 1  # the large chart
        assert errors == []
    finally:
        context.close()
