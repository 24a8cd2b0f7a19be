"""The browser tests' one wait for the app: ``wait_settled(page)``, used after every ``goto`` and every action
whose rerun a test needs finished (the fixtures are in conftest.py; test modules import this module).

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
