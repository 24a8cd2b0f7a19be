"""Every page in ui/navigation.PAGES, in a real browser, in English and in 中文: it runs, every chart paints,
nothing goes wrong in the console or the network, every request goes to the app's own server, and no payload
typed into a text box or put in the URL ever runs.

The offline proof: every request the browser makes is recorded (``request`` events of the whole context, and
the page's websockets); each must have the app's own origin, or be a ``data:`` URL or a ``blob:`` URL of that
origin. No CDN font, script or style, no telemetry, no tile or image from elsewhere. Tabs, expanders and
popovers are opened too, since their content may load code of its own when first shown. A request to anywhere
else is aborted, so a test never reaches the network, and fails the test. (One page load serves the painting
and the offline checks: a page load is most of a browser test's time.)

Pages are discovered from the registry, so a new page is covered the moment it is listed there.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest
from browser_helpers import open_everything, own_origin, wait_settled
from PIL import Image

from ui.navigation import PAGES

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"], .al-heatmap'
EXCEPTION = '[data-testid="stException"]'
TIMEOUT_MS = 30_000
PAINT_TIMEOUT_MS = 5_000  # Vega paints a few hundred ms after the run on first load
LOCALES = {"en": "en-US", "zh": "zh-CN"}  # the browser's language follows the page's
PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
# Every shared URL parameter; pages' own parameters are driven with hostile values by tests/robustness.
SHARED_PARAMS = ("lang", "mode", "text", "L", "d_k", "heads", "mask", "window", "seed", "head", "qkv")
# Opened at /<page>, Streamlit's client first asks /<page>/_stcore/host-config and /<page>/_stcore/health,
# gets 404, then retries at the server root. Those two probes are the only failures allowed.
BASE_PATH_PROBE = re.compile(r"^http://127\.0\.0\.1:\d+/[^/]+/_stcore/(host-config|health)$")


@dataclass
class PageIn:
    """A fresh page, everything that went wrong in it, and every URL it asked for."""

    page: Any
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_asked_nothing_of_elsewhere(self, app_url: str) -> None:
        assert any(url.endswith("/_stcore/stream") for url in self.requests), "the app's websocket was not recorded"
        elsewhere = sorted({url for url in self.requests if not own_origin(url, app_url)})
        assert not elsewhere, f"{len(elsewhere)} URLs elsewhere:\n" + "\n".join(elsewhere)


def test_own_origin_tells_the_app_from_elsewhere():
    app = "http://127.0.0.1:8765"
    assert own_origin("http://127.0.0.1:8765/static/js/index.js", app)
    assert own_origin("ws://127.0.0.1:8765/_stcore/stream", app)
    assert own_origin("data:font/woff2;base64,AAAA", app)
    assert own_origin("blob:http://127.0.0.1:8765/0b8a-11", app)
    for elsewhere in (
        "https://fonts.googleapis.com/css2?family=Source+Sans",
        "http://127.0.0.1:8766/static/js/index.js",
        "http://localhost:8765/",
        "https://data.streamlit.io/static.json",
        "blob:https://example.com/0b8a-11",
    ):
        assert not own_origin(elsewhere, app), elsewhere


@pytest.fixture
def page_in(browser, app_url, request) -> Iterator[PageIn]:
    """A fresh page in a fresh context whose browser language is the test's ``lang`` (English if it has none),
    recording what goes wrong and every request; requests to anywhere but the app are aborted."""
    callspec = getattr(request.node, "callspec", None)  # the payload test has no "lang": English
    lang = callspec.params.get("lang", "en") if callspec else "en"
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=LOCALES[lang])
    watched = PageIn(context.new_page())
    page, problems = watched.page, watched.problems
    context.on("request", lambda sent: watched.requests.append(sent.url))
    context.route(lambda url: not own_origin(url, app_url), lambda route: route.abort())
    page.on("websocket", lambda socket: watched.requests.append(socket.url))
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
        yield watched
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
    """A chart is painted when its screenshot has several colours and some non-white area. Vega paints a few
    hundred ms after the run on first load, so it is looked at again until PAINT_TIMEOUT_MS have passed."""
    chart = page.locator(CHART).nth(index)
    chart.scroll_into_view_if_needed()
    for _ in range(PAINT_TIMEOUT_MS // 250):
        pixels = np.asarray(Image.open(io.BytesIO(chart.screenshot())).convert("RGB")).reshape(-1, 3)
        if len(np.unique(pixels, axis=0)) >= 8 and (pixels.min(axis=1) < 235).mean() > 0.02:
            return True
        page.wait_for_timeout(250)
    return False


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
@pytest.mark.parametrize("lang", list(LOCALES))
def test_page_runs_paints_every_chart_and_asks_only_the_app(page_in, app_url, spec, lang):
    page, problems = page_in.page, page_in.problems
    _open(page, f"{_page_url(app_url, spec)}?lang={lang}")
    if spec.charts:
        shown = _wait_charts_painted(page)
        unpainted = [i for i in shown if not _painted(page, i)]
        assert not unpainted, f"charts {unpainted} of {shown} on {spec.url_path} are blank"
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    assert not problems, "\n".join(problems)

    assert open_everything(page) > 0, "the link popover, at least, should have been opened"
    page.wait_for_timeout(500)  # anything the last opened part asked for
    wait_settled(page, TIMEOUT_MS)
    if spec.charts:
        _wait_charts_painted(page)  # charts in the opened parts load their code too
    page_in.assert_asked_nothing_of_elsewhere(app_url)
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_payload_in_every_text_box_and_url_parameter_never_runs(page_in, app_url, spec):
    page, problems = page_in.page, page_in.problems
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
