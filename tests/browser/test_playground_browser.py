"""The playground in a real browser: it paints, it reacts to the keyboard, links open the right view,
and text from the user or the URL never runs as HTML.

"Painted" is checked twice, so neither an empty SVG nor a blank canvas passes:
1. DOM: the chart's <canvas> (or a Vega chart's <svg>) exists with a non-zero size, and an SVG holds one
   rect-mark <path> per heatmap cell (Vega draws each cell as a ``g.mark-rect.role-mark > path``);
2. pixels: a screenshot of just the chart has many distinct colours and a fair share of non-white
   pixels. This works the same for SVG and canvas and proves the marks were rasterised, not merely
   put in the DOM.
Row labels are read from what the chart drew: the canvas heatmap's ``data-row-labels`` (the labels it
painted), or a Vega y-axis (``g.role-axis[aria-label^="Y-axis"]``), not from the app's state.

Set ATTENTION_LAB_UPDATE_SCREENSHOT=1 to (re)write docs/screenshot.png (1280x720, default page).
"""

from __future__ import annotations

import io
import os
import urllib.parse
from pathlib import Path

import pytest
from browser_helpers import wait_settled

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"], .al-heatmap'
EXCEPTION = '[data-testid="stException"]'
SEQ_LEN_SLIDER = 'input[type="range"][aria-label="Sequence length"]'
SENTENCE_BOX = 'input[type="text"][aria-label="Sentence"]'
MAIN_CHARTS = 3  # scaled scores, weights, output; the heads overview (heads > 1) comes after them
MASKED_GREY = "#c8c8c8"
TIMEOUT_MS = 30_000
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
FIRST_ROW = "0 <"

# Per chart: what is drawn, read from the DOM.
CHARTS_JS = """
() => {
  const norm = (colour) => { const c = document.createElement('canvas').getContext('2d');
                             c.fillStyle = colour || '#000'; return c.fillStyle; };
  const hash = (s) => { let h = 2166136261;
                        for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
                        return (h >>> 0).toString(16) + ':' + s.length; };
  return [...document.querySelectorAll('CHART_SELECTOR')].map((chart) => {
    const svg = chart.querySelector('svg'), canvas = chart.querySelector('canvas');
    // The canvas heatmap (ui/heatmap) publishes its row labels and title as data attributes.
    const drawn = chart.dataset.rowLabels ? JSON.parse(chart.dataset.rowLabels) : null;
    const surface = svg || canvas, box = surface ? surface.getBoundingClientRect() : {width: 0, height: 0};
    const cells = svg ? [...svg.querySelectorAll('g.mark-rect.role-mark > path')] : [];
    const yAxis = svg ? svg.querySelector('g.role-axis[aria-label^="Y-axis"]') : null;
    return {
      kind: svg ? 'svg' : canvas ? 'canvas' : null,
      width: box.width, height: box.height,
      cells: cells.length,
      masked: cells.filter((p) => norm(p.getAttribute('fill')) === 'MASKED_GREY').length,
      rows: drawn || (yAxis ? [...yAxis.querySelectorAll('g.role-axis-label text')].map((t) => t.textContent) : []),
      title: chart.dataset.title
        || (svg ? [...svg.querySelectorAll('g.role-title text')].map((t) => t.textContent).join(' ') : ''),
      fingerprint: surface ? hash(svg ? svg.innerHTML : canvas.toDataURL()) : '',
    };
  });
}
""".replace("MASKED_GREY", MASKED_GREY).replace("CHART_SELECTOR", CHART)

# Records every <img src=x>, inline handler or payload <script> ever inserted, even if removed again.
INSERTION_SPY_JS = """
(() => {
  window.__inserted = [];
  const bad = (e) => (e.tagName === 'IMG' && /(^|\\/)x$/.test(e.getAttribute('src') || ''))
      || e.hasAttribute('onerror') || (e.tagName === 'SCRIPT' && (e.textContent || '').includes('__pwned'));
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      for (const e of [n, ...n.querySelectorAll('img, script, [onerror]')]) {
        if (bad(e)) window.__inserted.push(e.outerHTML.slice(0, 200));
      }
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""


def charts(page) -> list[dict]:
    return page.evaluate(CHARTS_JS)


def wait_painted(page, rows: int | None = None, first_row: str | None = None) -> list[dict]:
    """Wait until the run finished and the three main charts are drawn, with ``rows`` rows and the first
    row labelled ``first_row`` if given, and the page has settled (every element of the run drawn)."""
    page.wait_for_function(
        """([selector, n, rows, firstRow]) => {
             const app = document.querySelector('[data-testid="stApp"]');
             if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
             const found = [...document.querySelectorAll(selector)].slice(0, n);
             return found.length === n && found.every((c) => {
               const svg = c.querySelector('svg'), s = svg || c.querySelector('canvas');
               if (!s || s.getBoundingClientRect().width === 0) return false;
               if (c.dataset.rowLabels) {
                 const labels = JSON.parse(c.dataset.rowLabels);
                 return (rows === null || labels.length === rows) && (firstRow === null || labels[0] === firstRow);
               }
               if (!svg) return true;
               const axis = svg.querySelector('g.role-axis[aria-label^="Y-axis"]');
               const labels = axis ? [...axis.querySelectorAll('g.role-axis-label text')].map((t) => t.textContent)
                                   : [];
               return svg.querySelectorAll('g.mark-rect.role-mark > path').length > 0
                 && (rows === null || labels.length === rows) && (firstRow === null || labels[0] === firstRow);
             });
           }""",
        arg=[CHART, MAIN_CHARTS, rows, first_row],
        timeout=TIMEOUT_MS,
        polling=100,
    )
    wait_settled(page, TIMEOUT_MS)
    return charts(page)


def pixel_stats(page, index: int) -> tuple[int, float]:
    """(distinct colours, share of non-white pixels) in a screenshot of chart ``index``."""
    import numpy as np
    from PIL import Image

    shot = page.locator(CHART).nth(index).screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).reshape(-1, 3)
    non_white = int((pixels.min(axis=1) < 235).sum())
    return len(np.unique(pixels, axis=0)), non_white / max(len(pixels), 1)


def assert_no_exception(page) -> None:
    errors = page.locator(EXCEPTION)
    assert errors.count() == 0, "st.exception on the page:\n" + "\n---\n".join(errors.all_inner_texts())


def open_app(page, app_url: str, query: str = "", **wait) -> list[dict]:
    page.goto(f"{app_url}/{query}")
    return wait_painted(page, **wait)


def seq_len_shown(page, label: str = "Sequence length") -> int:
    slider = page.locator(f'input[type="range"][aria-label="{label}"]')
    return int(slider.get_attribute("aria-valuetext") or slider.input_value())


def grey_share(page, index: int) -> float:
    """Share of chart ``index``'s pixels in the masked-cell grey (charts are canvas, so pixels are the truth)."""
    import numpy as np
    from PIL import Image

    shot = page.locator(CHART).nth(index).screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).reshape(-1, 3).astype(int)
    grey = np.array([int(MASKED_GREY[i : i + 2], 16) for i in (1, 3, 5)])
    return float((np.abs(pixels - grey).max(axis=1) <= 3).mean())


def test_default_page_paints_three_charts(watched_page, app_url):
    page = watched_page.page
    drawn = open_app(page, app_url)
    assert_no_exception(page)
    assert len(drawn) >= MAIN_CHARTS + 1, f"expected 3 main charts and the heads overview, got {len(drawn)}"
    assert seq_len_shown(page) == 10  # the default sentence's 10 tokens
    for index, chart in enumerate(drawn[:MAIN_CHARTS]):
        assert chart["kind"] == "canvas" and chart["width"] > 150 and chart["height"] > 150, chart
        colours, inked = pixel_stats(page, index)
        assert colours >= 20 and inked >= 0.05, f"chart {index} looks blank: {colours} colours, {inked:.1%} inked"
    assert grey_share(page, 0) < 0.002  # no mask at the defaults: no grey cell (a few antialiased pixels at most)

    if os.environ.get("ATTENTION_LAB_UPDATE_SCREENSHOT") == "1":
        page.mouse.move(0, 0)
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOT))
    watched_page.assert_clean()


def test_keyboard_moves_sequence_length_and_repaints(watched_page, app_url):
    page = watched_page.page
    before = open_app(page, app_url)
    assert seq_len_shown(page) == 10, "the default sentence has 10 tokens, so ArrowLeft twice must give L=8"
    slider = page.locator(SEQ_LEN_SLIDER)
    old_pixels = [canvas_data(page, i) for i in range(MAIN_CHARTS)]  # before the key presses
    slider.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "([selector, old]) => [...document.querySelectorAll(selector)].slice(0, 3).every((c, i) => {"
        "  const canvas = c.querySelector('canvas'); return canvas && canvas.toDataURL() !== old[i]; })",
        arg=[CHART, old_pixels],
        timeout=TIMEOUT_MS,
    )
    after = wait_painted(page)
    assert_no_exception(page)
    assert "L=8" in urllib.parse.urlsplit(page.url).query.split("&"), page.url
    assert seq_len_shown(page) == 8
    for index in range(MAIN_CHARTS):
        assert after[index]["fingerprint"] != before[index]["fingerprint"], f"chart {index} was not repainted"
    watched_page.assert_clean()


def canvas_data(page, index: int) -> str:
    return page.evaluate(
        "([selector, i]) => document.querySelectorAll(selector)[i].querySelector('canvas').toDataURL()",
        [CHART, index],
    )


def test_deep_link_opens_chinese_causal_view_with_five_rows(watched_page, app_url):
    page = watched_page.page
    page.goto(f"{app_url}/?L=5&mask=causal&lang=zh")
    wait_painted(page)
    page.wait_for_timeout(500)
    assert_no_exception(page)
    title = page.locator('[data-testid="stHeading"]').first.inner_text()
    assert "注意力演练场" in title, title
    assert seq_len_shown(page, "序列长度") == 5
    # Causal on 5 tokens: 10 of the 25 score cells are masked, drawn grey.
    assert grey_share(page, 0) > 0.02, "no masked (grey) cell in the scores chart"
    watched_page.assert_clean()


def _assert_inert(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", "the payload ran"
    assert page.evaluate("window.__inserted") == [], "payload elements were inserted into the DOM"
    found = page.evaluate(
        """() => [...document.querySelectorAll('img, script, [onerror]')]
                 .filter((e) => (e.tagName === 'IMG' && /(^|\\/)x$/.test(e.getAttribute('src') || ''))
                                || e.hasAttribute('onerror') || (e.textContent || '').includes('__pwned'))
                 .map((e) => e.outerHTML.slice(0, 200))"""
    )
    assert found == [], found


def _hover_tooltip(page) -> str:
    """Hover the scores chart until it shows a tooltip; return the tooltip's HTML."""
    canvas = page.locator(CHART).first.locator("canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    for fraction in (0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65):
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.3)
        try:
            page.wait_for_selector(".al-heatmap-tip.visible", timeout=1_000)
            return page.evaluate("document.querySelector('.al-heatmap-tip.visible').innerHTML")
        except Exception:
            continue
    raise AssertionError("no tooltip appeared over the scores chart")


def test_xss_typed_into_sentence_box_is_shown_as_text(watched_page, app_url):
    page = watched_page.page
    page.add_init_script(INSERTION_SPY_JS)
    open_app(page, app_url)
    box = page.locator(SENTENCE_BOX)
    box.fill(XSS)
    box.press("Enter")
    # Punctuation is a token of its own, so the sequence length follows the payload's many tokens.
    page.wait_for_function(f"document.querySelector('{SEQ_LEN_SLIDER}').getAttribute('aria-valuetext') !== '10'")
    wait_painted(page)
    assert_no_exception(page)
    tooltip = _hover_tooltip(page)
    assert "<img" not in tooltip and "<script" not in tooltip, tooltip
    _assert_inert(page)
    watched_page.assert_clean()


def test_xss_in_url_text_parameter_is_shown_as_text(watched_page, app_url):
    page = watched_page.page
    page.add_init_script(INSERTION_SPY_JS)
    open_app(page, app_url, "?text=" + urllib.parse.quote(XSS, safe=""))

    assert_no_exception(page)
    assert page.locator(SENTENCE_BOX).input_value() == XSS
    tooltip = _hover_tooltip(page)
    assert "<img" not in tooltip and "<script" not in tooltip, tooltip
    _assert_inert(page)
    watched_page.assert_clean()
