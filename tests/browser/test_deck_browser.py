"""The built-in lecture deck in a real browser, in English and 中文: started from the Lecture page, then stepped
through all twelve scenes with the keys a lecturer or a clicker sends (→, PageDown, ←); each scene shows its
page with its link's settings in the URL and presenter mode on."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import wait_settled

from ui import deck
from ui.controls import DEFAULT_SENTENCES
from ui.i18n import STRINGS

pytestmark = pytest.mark.browser

BAR = ".st-key-deck_bar"
TIMEOUT_MS = 30_000
BUILT_IN = deck.parse_deck(deck.DECK_DIR.joinpath("default.toml").read_text(encoding="utf-8"), "default")


def tr(key: str, lang: str, **values: object) -> str:
    return STRINGS[key][lang].format(**values)


def _wait_finished(page) -> None:
    wait_settled(page, TIMEOUT_MS)


def _assert_scene(page, number: int, lang: str) -> None:
    position = tr("deck.position", lang, n=number, total=12)
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector)?.innerText.includes(text)",
        arg=[BAR, position],
        timeout=TIMEOUT_MS,
    )
    _wait_finished(page)
    scene = BUILT_IN.scenes[number - 1]
    url = urlsplit(page.url)
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    expected_path = "" if scene.url_path == "playground" else scene.url_path
    assert url.path.rstrip("/").split("/")[-1] == expected_path, (number, page.url)
    assert (query.get("deck"), query.get("scene"), query.get("present")) == ("default", str(number), "1")
    for name, value in scene.query:
        # A value equal to its default is left out of the URL (the 中文 default sentence is 我在学习人工智能).
        default = DEFAULT_SENTENCES[lang] if name == "text" else None
        assert query.get(name, default) == value, (number, name, page.url)
    assert scene.title[lang] in page.locator(BAR).inner_text().replace("\\", "")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "20px"  # presenter mode


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_built_in_deck_steps_through_with_the_keyboard(watched_page, app_url, lang: str) -> None:
    page = watched_page.page
    page.goto(f"{app_url}/?lang={lang}")
    _wait_finished(page)
    page.get_by_text(tr("nav.section.tools", lang), exact=True).click()
    page.locator('[data-testid="stTopNavDropdownLink"][href$="/lecture"]').click()
    page.get_by_role("button", name=tr("lecture.start", lang, n=1)).click()
    _assert_scene(page, 1, lang)
    page.wait_for_timeout(500)  # the bar's buttons register their shortcuts once drawn
    for number in range(2, 13):
        page.keyboard.press("ArrowRight" if number % 2 else "PageDown")
        _assert_scene(page, number, lang)
        page.wait_for_timeout(300)
    page.keyboard.press("ArrowLeft")
    _assert_scene(page, 11, lang)
    watched_page.assert_clean()
