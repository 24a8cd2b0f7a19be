"""Every page in ui/navigation.PAGES, in a real browser: it runs, every chart paints, nothing goes wrong
in the console or the network, and no payload typed into a text box or put in the URL ever runs.

Pages are discovered from the registry, so a new page is covered the moment it is listed there.
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import numpy as np
import pytest
from browser_helpers import wait_settled
from PIL import Image

from ui.navigation import PAGES

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"], .al-heatmap'
EXCEPTION = '[data-testid="stException"]'
TIMEOUT_MS = 30_000
PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
# Every shared URL parameter; pages' own parameters are driven with hostile values by tests/robustness.
SHARED_PARAMS = ("lang", "mode", "text", "L", "d_k", "heads", "mask", "window", "seed", "head", "qkv")
# Opened at /<page>, Streamlit's client first asks /<page>/_stcore/host-config and /<page>/_stcore/health,
# gets 404, then retries at the server root. Those two probes are the only failures allowed.
BASE_PATH_PROBE = re.compile(r"^http://127\.0\.0\.1:\d+/[^/]+/_stcore/(host-config|health)$")


@pytest.fixture
def page_in(browser, app_url):
    """A fresh page, and a list of everything that went wrong in it."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    page = context.new_page()
    problems: list[str] = []
    probes: list[str] = []

    def on_response(response):
        if response.status >= 400:
            (probes if BASE_PATH_PROBE.match(response.url) else problems).append(f"{response.status} {response.url}")

    def on_console(message):
        # The browser logs each 404 as "Failed to load resource"; only the allowed probes may do that.
        if message.type == "error":
            if "Failed to load resource" in message.text and "404" in message.text and probes:
                probes.pop()
            else:
                problems.append(f"console error: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}: {request.failure}"))
    page.add_init_script("window.__pwned = undefined;")
    try:
        yield page, problems
    finally:
        context.close()


def _page_url(app_url: str, spec) -> str:
    # The default page lives at the root; Streamlit ignores its url_path.
    return app_url + "/" + ("" if spec is PAGES[0] else spec.url_path)


def _open(page, url: str) -> None:
    page.goto(url)
    wait_settled(page, TIMEOUT_MS)


def _wait_charts_painted(page) -> list[int]:
    """Wait until at least one chart is shown and every shown chart has a drawing surface of non-zero
    size; return the indices of the shown charts (charts in closed tabs or expanders have no size)."""
    page.wait_for_function(
        """(selector) => {
             const shown = [...document.querySelectorAll(selector)].filter((c) => c.getBoundingClientRect().width > 0);
             return shown.length > 0 && shown.every((chart) => {
               const surface = chart.querySelector('canvas, svg');
               const box = surface && surface.getBoundingClientRect();
               return box && box.width > 0 && box.height > 0;
             });
           }""",
        arg=CHART,
        timeout=TIMEOUT_MS,
    )
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
             .map((c, i) => [i, c.getBoundingClientRect().width]).filter(([, w]) => w > 0).map(([i]) => i)""",
        CHART,
    )


def _painted(page, index: int) -> bool:
    """A chart is painted when its screenshot has several colours and some non-white area."""
    chart = page.locator(CHART).nth(index)
    chart.scroll_into_view_if_needed()
    pixels = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB")).reshape(-1, 3)
    return len(np.unique(pixels, axis=0)) >= 8 and (pixels.min(axis=1) < 235).mean() > 0.02


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_runs_and_paints_every_chart(page_in, app_url, spec, lang):
    page, problems = page_in
    _open(page, f"{_page_url(app_url, spec)}?lang={lang}")
    if not spec.charts:  # nothing to paint: the page must still run cleanly
        assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
        assert not problems, "\n".join(problems)
        return
    shown = _wait_charts_painted(page)
    page.wait_for_timeout(500)  # Vega paints a few hundred ms after the run on first load
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    unpainted = [i for i in shown if not _painted(page, i)]
    assert not unpainted, f"charts {unpainted} of {shown} on {spec.url_path} are blank"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_payload_in_every_text_box_and_url_parameter_never_runs(page_in, app_url, spec):
    page, problems = page_in
    query = "&".join(f"{name}={quote(PAYLOAD)}" for name in SHARED_PARAMS)
    _open(page, f"{_page_url(app_url, spec)}?{query}")
    boxes = page.locator(
        '[data-testid="stMain"] input[type="text"], [data-testid="stSidebar"] input[type="text"], textarea'
    )
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if not box.is_visible() or not box.is_editable():
            continue
        box.fill(PAYLOAD)
        box.press("Enter")
        wait_settled(page, TIMEOUT_MS)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned") is None
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    assert not problems, "\n".join(problems)
