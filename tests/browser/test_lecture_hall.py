"""What a lecturer tripped over, in a real browser: /playground is an address of the playground (no
"Page not found" dialog), and on Step by step a clicked weight's arithmetic appears where the eye is."""

from __future__ import annotations

import pytest
from browser_helpers import wait_settled

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"], .al-heatmap'
TIMEOUT_MS = 60_000


def open_view(watched_page, url: str):
    page = watched_page.page
    page.goto(url)
    wait_settled(page, TIMEOUT_MS)
    page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
    return page


def assert_clean_but_base_path_probes(watched_page) -> None:
    """Streamlit's frontend probes <page>/_stcore/health and host-config first (two 404s on any deep link, see
    test_every_page.py); nothing else may fail."""
    watched_page.checked = True
    probes = [p for p in watched_page.problems if "Failed to load resource" in p and "404" in p]
    assert len(probes) <= 2 and len(watched_page.problems) == len(probes), watched_page.problems


def test_playground_path_opens_the_playground(watched_page, app_url) -> None:
    page = open_view(watched_page, app_url + "/playground?lang=en")
    page.wait_for_timeout(500)  # the "Page not found" dialog arrives with the navigation message
    assert page.locator('[role="dialog"]').count() == 0
    assert page.get_by_role("heading", name="Attention playground").count() == 1
    assert page.locator(CHART).count() >= 3
    assert_clean_but_base_path_probes(watched_page)


def test_an_unknown_path_still_says_page_not_found(watched_page, app_url) -> None:
    page = open_view(watched_page, app_url + "/no-such-page")
    page.wait_for_selector('[role="dialog"]', timeout=TIMEOUT_MS)
    assert "Page not found" in page.locator('[role="dialog"]').inner_text()
    watched_page.checked = True  # the dialog is the point; its 404s are expected


def test_the_warm_up_opens_every_page(app_url, capsys) -> None:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from deploy.warmup import warm
    from ui.navigation import PAGES

    # A thread of its own: Playwright's sync API leaves an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, warm(app_url, ["zh"])).result() == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("zh ")]
    assert [line.split()[1] for line in lines] == [page.url_path for page in PAGES]
    assert all(line.endswith(" ok") for line in lines), lines


@pytest.mark.parametrize(("query", "height"), [("", 800), ("&present=1", 720)], ids=["student", "presenter"])
def test_the_clicked_cells_arithmetic_is_in_sight_beside_the_chart(browser, app_url, query: str, height: int) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": height}, locale="en-US")
    try:
        page = context.new_page()
        page.goto(f"{app_url}/steps?steps_step=4&steps_i=7&steps_j=3{query}")  # what a click on (7, 3) sets
        wait_settled(page, TIMEOUT_MS)
        page.wait_for_selector(CHART, timeout=TIMEOUT_MS)
        box = page.locator(".st-key-steps_cell_summary").bounding_box()
        chart = page.locator(CHART).first.bounding_box()
        assert box is not None and chart is not None
        assert box["y"] + box["height"] <= height, (box, height)  # on screen without scrolling
        assert box["x"] + box["width"] <= chart["x"] and box["y"] < chart["y"] + chart["height"]  # beside it
        assert "Cell (7, 3)" in page.locator(".st-key-steps_cell_summary").inner_text()
    finally:
        context.close()
