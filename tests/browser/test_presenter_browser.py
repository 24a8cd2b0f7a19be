"""Presenter mode in a real browser: the sidebar starts folded, the type is larger, and on the step-by-step
page the keys a lecturer or a presentation clicker sends (← →, PageDown / PageUp) change the step shown."""

from __future__ import annotations

import pytest
from browser_helpers import wait_settled

pytestmark = pytest.mark.browser

STEP_TITLE = '[data-testid="stHeading"] h3'
SIDEBAR = '[data-testid="stSidebar"]'
TIMEOUT_MS = 30_000
STEP_0 = "Step 0 · Project X into Q, K and V"
STEP_1 = "Step 1 · Scores: QKᵀ"
STEP_2 = "Step 2 · Scale: ÷√d_k"


def _wait_finished(page) -> None:
    wait_settled(page, TIMEOUT_MS)


def _open_steps(page, app_url: str, query: str = "") -> None:
    """The app opened at its root (opened at /steps, the client's base-path probes log 404s), then the
    step-by-step page chosen in the top navigation, as a lecturer would."""
    page.goto(f"{app_url}/{query}")
    _wait_finished(page)
    page.get_by_text("Lessons", exact=True).click()
    page.locator('[data-testid="stTopNavDropdownLink"][href$="/steps"]').click()
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.textContent === text",
        arg=[STEP_TITLE, STEP_0],
        timeout=TIMEOUT_MS,
    )
    _wait_finished(page)
    page.wait_for_timeout(500)  # the buttons register their shortcuts once drawn


def _step_after(page, key: str, expected: str) -> str:
    page.keyboard.press(key)
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.textContent === text",
        arg=[STEP_TITLE, expected],
        timeout=TIMEOUT_MS,
    )
    wait_settled(page, TIMEOUT_MS)
    return page.locator(STEP_TITLE).first.inner_text()


def test_keys_step_through_the_lesson_in_presenter_mode(watched_page, app_url):
    page = watched_page.page
    _open_steps(page, app_url, "?present=1")
    assert page.locator(SIDEBAR).get_attribute("data-collapsed") == "true"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"

    assert _step_after(page, "ArrowRight", STEP_1) == STEP_1
    assert _step_after(page, "PageDown", STEP_2) == STEP_2  # a clicker's "next"
    assert "steps_step=2" in page.url
    assert _step_after(page, "ArrowLeft", STEP_1) == STEP_1
    assert _step_after(page, "PageUp", STEP_0) == STEP_0  # a clicker's "back"
    watched_page.assert_clean()


def test_keys_do_not_step_outside_presenter_mode(watched_page, app_url):
    page = watched_page.page
    _open_steps(page, app_url)
    assert page.locator(SIDEBAR).get_attribute("data-collapsed") == "false"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "16px"
    for key in ("ArrowRight", "PageDown"):
        page.keyboard.press(key)
    page.wait_for_timeout(1500)
    _wait_finished(page)
    assert page.locator(STEP_TITLE).first.inner_text() == STEP_0
    watched_page.assert_clean()


def test_turning_it_on_folds_the_sidebar_and_off_unfolds_it(watched_page, app_url):
    page = watched_page.page
    _open_steps(page, app_url)
    page.get_by_text("Presenter mode").click()
    page.wait_for_selector(f'{SIDEBAR}[data-collapsed="true"]', timeout=TIMEOUT_MS)
    wait_settled(page, TIMEOUT_MS)
    assert "present=1" in page.url
    # The switch keeps the focus, and Streamlit gives a focused input its own keys: one click on the page first.
    page.locator(STEP_TITLE).first.click()
    assert _step_after(page, "ArrowRight", STEP_1) == STEP_1

    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_selector(f'{SIDEBAR}[data-collapsed="false"]', timeout=TIMEOUT_MS)
    page.get_by_text("Presenter mode").click()
    _wait_finished(page)
    page.wait_for_timeout(500)
    assert page.locator(SIDEBAR).get_attribute("data-collapsed") == "false"  # the switch stays in reach
    assert "present" not in page.url
    watched_page.assert_clean()
