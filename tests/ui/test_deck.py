"""Lecture decks: the built-in deck is valid and follows the tutorials' course; a bad deck names its line."""

from __future__ import annotations

import re
import tomllib

import pytest

from ui import deck, i18n
from ui.navigation import PAGES

DEFAULT = deck.DECK_DIR / "default.toml"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setattr(i18n, "language", lambda: "en")


def test_built_in_deck_has_twelve_scenes_on_real_pages_in_both_languages() -> None:
    built_in = deck.parse_deck(DEFAULT.read_text(encoding="utf-8"), "default")
    assert len(built_in.scenes) == 12
    pages = {page.url_path for page in PAGES}
    assert all(scene.url_path in pages for scene in built_in.scenes)
    for scene in built_in.scenes:
        assert set(scene.title) == {"en", "zh"} and set(scene.say) == {"en", "zh"}
    # The tutorials' course: why attention → Q, K, V → the five steps on 我在学习人工智能 → … → training.
    assert [scene.url_path for scene in built_in.scenes] == [
        "playground", "steps", "steps", "steps", "steps", "why-sqrt-dk", "masks", "multi-head",
        "self-vs-cross", "variants", "pretrained", "training",
    ]  # fmt: skip
    assert dict(built_in.scenes[2].query) == {"text": "我在学习人工智能", "steps_step": "1"}
    raw = tomllib.loads(DEFAULT.read_text(encoding="utf-8"))["scene"]
    assert [scene.line for scene in built_in.scenes][:2] == [11, 16] and len(raw) == 12


def test_the_built_in_decks_chinese_uses_full_width_punctuation() -> None:
    # The deck's text is shown but is not in ui/strings, so test_zh_punctuation's sweep does not see it.
    from test_zh_punctuation import ascii_marks_beside_chinese  # same folder, on pytest's path

    built_in = deck.parse_deck(DEFAULT.read_text(encoding="utf-8"), "default")
    texts = [part["zh"] for scene in built_in.scenes for part in (scene.title, scene.say)]
    wrong = [text for text in texts if ascii_marks_beside_chinese(text) or re.search(r"[\u4e00-\u9fff][?!]", text)]
    assert not wrong, wrong
    assert "（i，" not in "".join(texts)  # a coordinate is maths: (i, j) keeps ASCII


def test_links_are_read_as_the_sidebar_gives_them() -> None:
    full = "http://127.0.0.1:8501/masks?masks_kind=causal&lang=zh&present=1"
    assert deck.parse_link(full, 1) == ("masks", (("masks_kind", "causal"),))  # the deck sets lang and present
    assert deck.parse_link("http://host:8501/", 1) == ("playground", ())
    assert deck.parse_link("why-sqrt-dk?scale_dk_left=8", 1) == ("why-sqrt-dk", (("scale_dk_left", "8"),))


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        pytest.param('[[scene]]\nlink = "masks"\ntitle = "ok"\n\n[[scene]]\nlink = "masks\n', "deck.error.toml", 6,
                     id="broken-toml"),
        pytest.param('[[scene]]\nlink = "masks"\ntitle = "a"\n\n[[scene]]\nlink = "nowhere?x=1"\ntitle = "b"\n',
                     "deck.error.page", 5, id="unknown-page"),
        pytest.param('[[scene]]\nlink = "masks"\n', "deck.error.title", 1, id="no-title"),
        pytest.param('[[scene]]\ntitle = "x"\n', "deck.error.link", 1, id="no-link"),
        pytest.param('[[scene]]\nlink = "masks"\ntitle = 3\n', "deck.error.text", 1, id="title-not-text"),
    ],
)  # fmt: skip
def test_a_bad_deck_file_names_the_line(text: str, key: str, line: int) -> None:
    with pytest.raises(deck.DeckError) as raised:
        deck.parse_deck(text, "mine")
    assert raised.value.key == key and raised.value.values["line"] == line
    assert f"line {line}" in raised.value.message().lower()


def test_an_empty_deck_is_refused() -> None:
    with pytest.raises(deck.DeckError) as raised:
        deck.parse_deck("# nothing here\n", "mine")
    assert raised.value.key == "deck.error.empty"


def test_pasted_links_with_titles_and_a_bad_line() -> None:
    pasted = deck.parse_pasted("Causal | http://h/masks?masks_kind=causal\n\nhttp://h/why-sqrt-dk\n")
    assert [(s.url_path, s.text("title"), s.line) for s in pasted.scenes] == [
        ("masks", "Causal", 1),
        ("why-sqrt-dk", "why-sqrt-dk", 3),
    ]
    with pytest.raises(deck.DeckError) as raised:
        deck.parse_pasted("http://h/masks\nhttp://h/<script>alert(1)</script>\n")
    assert raised.value.values["line"] == 2
    assert "<script>" not in raised.value.message()  # shown as inert text: its punctuation is escaped
