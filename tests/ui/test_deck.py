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
    assert [scene.line for scene in built_in.scenes][:2] == [15, 20] and len(raw) == 12


def test_built_in_questions_are_in_both_languages_with_an_answer_among_their_choices() -> None:
    built_in = deck.parse_deck(DEFAULT.read_text(encoding="utf-8"), "default")
    asked = {number: scene.question for number, scene in enumerate(built_in.scenes, start=1) if scene.question}
    # Steps 2–4 (row sums), why √d_k (a saturated softmax's gradient), masks (a masked key), cross-attention's shape.
    assert sorted(asked) == [4, 6, 7, 9]
    for question in asked.values():
        assert set(question.text) == set(question.reason) == {"en", "zh"}
        assert all(set(choice) == {"en", "zh"} for choice in question.choices)
        assert 0 <= question.answer < len(question.choices)
    assert len({question.answer for question in asked.values()}) > 1  # the right answer is not always first
    masked = asked[7]
    assert masked.choices[masked.answer]["en"] == "Exactly 0"


def test_a_question_table_or_an_inline_question_is_read() -> None:
    text = (
        '[[scene]]\nlink = "masks"\ntitle = "a"\n'
        'question = { text = "Q?", choices = ["x", { en = "y", zh = "乙" }], answer = 2, reason = "why" }\n'
    )
    (scene,) = deck.parse_deck(text, "mine").scenes
    assert scene.question == deck.Question({"en": "Q?"}, ({"en": "x"}, {"en": "y", "zh": "乙"}), 1, {"en": "why"})


def test_the_built_in_decks_chinese_uses_full_width_punctuation() -> None:
    # The deck's text is shown but is not in ui/strings, so test_zh_punctuation's sweep does not see it.
    from test_zh_punctuation import ascii_marks_beside_chinese  # same folder, on pytest's path

    built_in = deck.parse_deck(DEFAULT.read_text(encoding="utf-8"), "default")
    texts = [part["zh"] for scene in built_in.scenes for part in (scene.title, scene.say)]
    for question in (scene.question for scene in built_in.scenes if scene.question):
        texts += [part["zh"] for part in (question.text, *question.choices, question.reason)]
    wrong = [text for text in texts if ascii_marks_beside_chinese(text) or re.search(r"[\u4e00-\u9fff][?!]", text)]
    assert not wrong, wrong
    assert "（i，" not in "".join(texts)  # a coordinate is maths: (i, j) keeps ASCII


def test_links_are_read_as_the_sidebar_gives_them() -> None:
    full = "http://127.0.0.1:8501/masks?masks_kind=causal&lang=zh&present=1"
    assert deck.parse_link(full, 1) == ("masks", (("masks_kind", "causal"),))  # the deck sets lang and present
    assert deck.parse_link("http://host:8501/", 1) == ("playground", ())
    assert deck.parse_link("why-sqrt-dk?scale_dk_left=8", 1) == ("why-sqrt-dk", (("scale_dk_left", "8"),))


# The second scene's question: its table starts on line 8, its choices are on line 10 and its answer on line 11.
QUESTION = (
    '[[scene]]\nlink = "masks"\ntitle = "a"\n\n[[scene]]\nlink = "steps"\ntitle = "b"\n[scene.question]\n'
    'text = "Which?"\nchoices = {choices}\nanswer = {answer}\nreason = "why"\n'
)


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
        pytest.param(QUESTION.format(choices='["only one"]', answer=1), "deck.error.question.choices", 10,
                     id="one-choice"),
        pytest.param(QUESTION.format(choices='"a, b"', answer=1), "deck.error.question.choices", 10,
                     id="choices-not-a-list"),
        pytest.param(QUESTION.format(choices='["a", 2]', answer=1), "deck.error.text", 10, id="choice-not-text"),
        pytest.param(QUESTION.format(choices='["a", "b"]', answer=3), "deck.error.question.answer", 11,
                     id="answer-past-the-choices"),
        pytest.param(QUESTION.format(choices='["a", "b"]', answer=0), "deck.error.question.answer", 11,
                     id="answer-counted-from-0"),
        pytest.param(QUESTION.format(choices='["a", "b"]', answer='"a"'), "deck.error.question.answer", 11,
                     id="answer-not-a-number"),
        pytest.param(QUESTION.format(choices='["a", "b"]', answer="true"), "deck.error.question.answer", 11,
                     id="answer-a-boolean"),
        pytest.param(QUESTION.format(choices='["a", "b"]', answer=1).replace('reason = "why"\n', ""),
                     "deck.error.question.missing", 8,
                     id="no-reason"),
        pytest.param('[[scene]]\nlink = "masks"\ntitle = "a"\nquestion = "why?"\n', "deck.error.question", 4,
                     id="question-not-a-table"),
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
