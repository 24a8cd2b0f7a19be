"""The Training page repaints the probe's heatmap while the model trains (issue 15, item 5), not only the
progress bar: a fresh training is watched in Chromium, and the chart under the bar changes while it runs."""

from __future__ import annotations

import time

import pytest
from browser_helpers import wait_settled

pytestmark = pytest.mark.browser

PROGRESS = '[data-testid="stProgress"]'
# Settings no other test trains, so this server has not cached them: 800 steps take several seconds.
FRESH = "train_steps=800&train_d_model=16&train_seed=4242&lang=en"
FRAME = """() => {
  const canvas = document.querySelector('[data-testid="stVegaLiteChart"] canvas');
  return canvas && canvas.width > 0 ? canvas.toDataURL() : null;
}"""


def test_the_heatmap_repaints_while_training(watched_page, app_url) -> None:
    page = watched_page.page
    page.goto(f"{app_url}/training?{FRESH}")
    page.wait_for_selector(PROGRESS, timeout=60_000)
    frames, deadline = [], time.monotonic() + 120
    while page.locator(PROGRESS).count() and time.monotonic() < deadline:
        frame = page.evaluate(FRAME)
        if frame is not None and (not frames or frame != frames[-1]):
            frames.append(frame)
        page.wait_for_timeout(100)
    assert len(frames) >= 2, f"{len(frames)} distinct heatmap frames seen while the bar was shown"
    wait_settled(page, 60_000)
    assert page.locator(PROGRESS).count() == 0
    # A deep link's two base-path probes (<page>/_stcore/health, host-config) answer 404; nothing else may fail.
    watched_page.checked = True
    probes = [p for p in watched_page.problems if "Failed to load resource" in p and "404" in p]
    assert len(probes) <= 2 and len(watched_page.problems) == len(probes), watched_page.problems
