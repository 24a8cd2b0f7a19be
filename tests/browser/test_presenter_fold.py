"""Presenter mode fits the projector: at 1280×720, every page's first chart starts high enough on the screen
that a good part of it shows without scrolling, in English and 中文."""

from __future__ import annotations

import pytest
from browser_helpers import wait_settled

from ui.navigation import PAGES

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"], .al-heatmap'
TIMEOUT_MS = 60_000
VIEWPORT_HEIGHT = 720
VISIBLE_AT_LEAST = 200  # pixels of the first chart above the fold
CHARTED_PAGES = [page for page in PAGES if page.charts]

FIRST_CHART_TOP = """(selector) => {
  const tops = [...document.querySelectorAll(selector)]
    .map((element) => element.getBoundingClientRect())
    .filter((box) => box.width > 0 && box.height > 0)
    .map((box) => box.top);
  return tops.length ? Math.min(...tops) : null;
}"""


def _steady_top(page) -> float:
    """The first chart's top once two reads 150 ms apart agree (a chart above may still be sizing itself)."""
    top = page.evaluate(FIRST_CHART_TOP, CHART)
    for _ in range(20):
        page.wait_for_timeout(150)
        previous, top = top, page.evaluate(FIRST_CHART_TOP, CHART)
        if top == previous:
            break
    return top


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_chart_is_above_the_fold_in_presenter_mode(browser, app_url, lang: str) -> None:
    # Deep links, as a lecturer's prepared links open (their base-path probes log 404s: not this test's concern).
    context = browser.new_context(viewport={"width": 1280, "height": VIEWPORT_HEIGHT}, locale="en-US")
    page = context.new_page()
    tops = {}
    try:
        for spec in CHARTED_PAGES:
            page.goto(f"{app_url}/{spec.url_path}?present=1&lang={lang}")
            wait_settled(page, TIMEOUT_MS)
            page.wait_for_function(f"({FIRST_CHART_TOP})({CHART!r}) !== null", timeout=TIMEOUT_MS)
            tops[spec.url_path] = _steady_top(page)
    finally:
        context.close()
    too_low = {name: top for name, top in tops.items() if top > VIEWPORT_HEIGHT - VISIBLE_AT_LEAST}
    assert not too_low, f"first chart below {VIEWPORT_HEIGHT - VISIBLE_AT_LEAST} px: {too_low}"
