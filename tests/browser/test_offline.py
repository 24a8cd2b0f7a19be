"""Offline proof: every page in ui/navigation.PAGES, in English and in 中文, loads everything from the app's
own server. No CDN font, script or style, no telemetry, no tile or image from elsewhere.

Every request the browser makes is recorded (``request`` events of the whole context, and the page's
websockets); each must have the app's own origin, or be a ``data:`` URL or a ``blob:`` URL of that origin.
Expanders, tabs and popovers are opened too, since their content may load code of its own when first shown.
A request to anywhere else is aborted, so the test never reaches the network, and fails the test.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser_helpers import wait_settled

from ui.navigation import PAGES

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"], .al-heatmap'
LINK_POPOVER = '[data-testid="stSidebar"] [data-testid="stPopoverButton"]:visible'  # a tooltip's copy has no size
CLOSED_EXPANDER = '[data-testid="stExpander"] details:not([open]) > summary'
TAB = '[data-testid="stTab"]'
POPOVER = '[data-testid="stPopoverButton"]'
FIRST_RUN_TIMEOUT_MS = 240_000  # a page's first run may train a model on a busy machine
TIMEOUT_MS = 60_000
CLICK_TIMEOUT_MS = 5_000
VIEWPORT = {"width": 1280, "height": 720}
LOCALES = {"en": "en-US", "zh": "zh-CN"}


def own_origin(url: str, app_url: str) -> bool:
    app = urlsplit(app_url)
    if url.startswith("data:"):
        return True
    if url.startswith("blob:"):
        url = url.removeprefix("blob:")  # blob:<origin>/<uuid>
    parts = urlsplit(url)
    return parts.scheme in ("http", "ws") and parts.netloc == app.netloc


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


def _wait_until_drawn(page) -> None:
    page.locator(LINK_POPOVER).wait_for(timeout=FIRST_RUN_TIMEOUT_MS)  # drawn at the end of every run
    wait_settled(page, FIRST_RUN_TIMEOUT_MS)
    page.wait_for_function(
        """(selector) => [...document.querySelectorAll(selector)]
             .filter((chart) => chart.getBoundingClientRect().width > 0)
             .every((chart) => { const c = chart.querySelector('canvas, svg');
                                 return c && c.getBoundingClientRect().width > 0; })""",
        arg=CHART,
        timeout=TIMEOUT_MS,
    )


def _click(page, target) -> bool:
    """Click if it can be clicked within a few seconds (a part can vanish while others open): opening is
    to reach more requests, and what is asserted is the requests."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # installed where the browser tests run

    try:
        target.click(timeout=CLICK_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        return False
    wait_settled(page, TIMEOUT_MS)
    return True


def _open_everything(page) -> int:
    """Show each tab and, in it, open each expander; open one popover of each label (Escape closes it).
    Return how many were opened."""
    opened = 0
    tabs = page.locator(TAB)
    for index in range(max(tabs.count(), 1)):
        if tabs.count():
            opened += _click(page, tabs.nth(index))
        expanders = page.locator(CLOSED_EXPANDER)
        for _ in range(expanders.count()):  # each click removes one from the closed ones
            visible = [e for e in expanders.all() if e.is_visible()]
            if not visible or not _click(page, visible[0]):
                break
            opened += 1
    popovers = page.locator(POPOVER)
    labels: set[str] = set()  # popovers with one label (a chart's "Export") hold the same kind of content
    for index in range(popovers.count()):
        popover = popovers.nth(index)
        label = popover.inner_text()
        if label in labels or not popover.is_visible() or popover.get_attribute("aria-expanded") != "false":
            continue
        if _click(page, popover):
            labels.add(label)
            opened += 1
            page.keyboard.press("Escape")
    return opened


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
@pytest.mark.parametrize("lang", list(LOCALES))
def test_every_request_goes_to_the_app_itself(browser, app_url, spec, lang):
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALES[lang])
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    context.route(lambda url: not own_origin(url, app_url), lambda route: route.abort())
    try:
        page = context.new_page()
        page.on("websocket", lambda socket: requests.append(socket.url))
        path = "" if spec is PAGES[0] else spec.url_path  # the default page lives at the root
        page.goto(f"{app_url}/{path}?lang={lang}")
        _wait_until_drawn(page)
        assert _open_everything(page) > 0, "the link popover, at least, should have been opened"
        page.wait_for_timeout(500)  # anything the last opened part asked for
        _wait_until_drawn(page)
    finally:
        context.close()
    assert any(url.endswith("/_stcore/stream") for url in requests), "the app's websocket was not recorded"
    elsewhere = sorted({url for url in requests if not own_origin(url, app_url)})
    assert not elsewhere, f"{spec.url_path} ({lang}) asked for {len(elsewhere)} URLs elsewhere:\n" + "\n".join(
        elsewhere
    )
