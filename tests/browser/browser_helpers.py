"""What the browser tests share (the fixtures are in conftest.py; test modules import this module):

* ``wait_settled(page)``, the one wait for the app, used after every ``goto`` and every action whose rerun a test
  needs finished;
* ``own_origin(url, app_url)``, whether a request goes to the app itself, and ``open_everything(page)``, which
  shows every tab, expander and popover so the requests of what they hold are made too (the offline proof).

Why not ``[data-testid="stApp"][data-test-script-state="notRunning"]`` alone: that attribute says the *server*
has finished the script, not that the browser has drawn what it sent. Measured here on a fresh page: it reads
``notRunning`` 0.3–0.7 s before the last element is drawn. Until then each element whose code is still loading
is a ``stSkeleton``, and a text box drawn from the URL first shows its default "" and takes the script's value
one render later (the playground's XSS-in-URL test once read that empty box in CI). Before the first run the
state is ``initial`` here (older Streamlit reported ``notRunning`` even then), and a run can start another
within a few hundred ms. So "settled" is all of these at once, held for ``quiet_ms`` without a single change
to the page's DOM:

* connected to the server (``data-test-connection-state="CONNECTED"``) and the script ``notRunning``;
* no element left over from an older run (``[data-stale="true"]``) and none still loading (``stSkeleton``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

QUIET_MS = 300
TIMEOUT_MS = 60_000

SETTLED_JS = """
(quietMs) => {
  const w = window;
  if (w.__attentionLabSettle === undefined) {
    w.__attentionLabSettle = {changed: performance.now()};
    new MutationObserver(() => { w.__attentionLabSettle.changed = performance.now(); })
      .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  }
  const app = document.querySelector('[data-testid="stApp"]');
  const settled = app !== null
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]') === null;
  if (!settled) {
    w.__attentionLabSettle.changed = performance.now();
    return false;
  }
  return performance.now() - w.__attentionLabSettle.changed >= quietMs;
}
"""


def wait_settled(page, timeout_ms: int = TIMEOUT_MS, quiet_ms: int = QUIET_MS) -> None:
    """Wait until the app is connected, its script has run and finished, every element of that run is drawn
    (none stale, none loading), and the page has not changed for ``quiet_ms``."""
    page.wait_for_function(SETTLED_JS, arg=quiet_ms, timeout=timeout_ms, polling=50)


def own_origin(url: str, app_url: str) -> bool:
    """Whether ``url`` is the app's own: its origin, or a ``data:`` URL, or a ``blob:`` URL of its origin."""
    app = urlsplit(app_url)
    if url.startswith("data:"):
        return True
    if url.startswith("blob:"):
        url = url.removeprefix("blob:")  # blob:<origin>/<uuid>
    parts = urlsplit(url)
    return parts.scheme in ("http", "ws") and parts.netloc == app.netloc


TAB = '[data-testid="stTab"]'
CLOSED_EXPANDER = '[data-testid="stExpander"] details:not([open]) > summary'
POPOVER = '[data-testid="stPopoverButton"]'
CLICK_TIMEOUT_MS = 5_000


def _click(page, target) -> bool:
    """Click if it can be clicked within a few seconds (a part can vanish while others open): opening is
    to reach more requests, and what is asserted is the requests."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # installed where the browser tests run

    try:
        target.click(timeout=CLICK_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        return False
    wait_settled(page)
    return True


def open_everything(page) -> int:
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
