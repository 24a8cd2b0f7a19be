"""The Lecture page and the deck bar: the built-in deck steps through its twelve scenes, each on its page with
its link's settings and presenter mode on; every scene has a link; a bad deck names its line."""

from __future__ import annotations

import shutil

import pytest
from page_helpers import ENTRY, all_nodes, open_page, set_controls, tr, widget
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ui import deck

BUILT_IN = deck.parse_deck(deck.DECK_DIR.joinpath("default.toml").read_text(encoding="utf-8"), "default")


def bar_text(at: AppTest) -> str:
    return at.markdown[0].value


def assert_on_scene(at: AppTest, number: int, lang: str = "en") -> None:
    scene = BUILT_IN.scenes[number - 1]
    assert not at.exception, [e.value for e in at.exception]
    assert at._finished_page_script_hash == calc_hash(scene.url_path)
    assert bar_text(at).startswith(f"**{tr('deck.position', lang, n=number, total=12)}**")
    assert at.session_state["present"] is True
    assert (at.query_params["deck"], at.query_params["scene"]) in (
        (["default"], [str(number)]),
        ("default", str(number)),
    )
    for name, value in scene.query:
        assert str(at.session_state[name]) == value, (number, name)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    return at


def test_the_lecture_page_lists_every_scene_with_its_own_link() -> None:
    at = open_page("lecture")
    (table,) = at.dataframe
    frame = table.value
    assert list(frame[tr("lecture.col.scene")]) == list(range(1, 13))
    assert list(frame[tr("lecture.col.title")]) == [scene.title["en"] for scene in BUILT_IN.scenes]
    links = list(frame[tr("lecture.col.link")])
    assert all(link.endswith(f"lecture?deck=default&scene={n}&lang=en") for n, link in enumerate(links, start=1))


def test_start_then_next_steps_through_all_twelve_scenes_and_back() -> None:
    at = open_page("lecture")
    click(at, "lec_start")
    assert_on_scene(at, 1)
    assert at.button(key="deck_prev").disabled
    for number in range(2, 13):
        click(at, "deck_next" if number % 2 else "deck_page_down")  # the bar's → and the clicker's PageDown
        assert_on_scene(at, number)
    assert at.button(key="deck_next").disabled
    click(at, "deck_page_up")
    assert_on_scene(at, 11)


def test_moving_to_a_scene_resets_what_the_last_one_changed() -> None:
    at = open_page("lecture")
    click(at, "lec_start")
    set_controls(at, d_k=32, seed=5)
    click(at, "deck_next")
    assert_on_scene(at, 2)
    assert (at.session_state["d_k"], at.session_state["seed"]) == (8, 0)  # as a fresh browser opens the link


def test_a_scene_link_opens_that_scene_in_a_fresh_session() -> None:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for name, value in {"deck": "default", "scene": "7", "lang": "zh"}.items():
        at.query_params[name] = value
    at._page_hash = calc_hash("lecture")  # lecture?deck=default&scene=7, as the scene's link reads
    at.run()
    assert_on_scene(at, 7, "zh")
    assert at.session_state["masks_kind"] == "causal" and at.session_state["lang"] == "zh"
    assert BUILT_IN.scenes[6].title["zh"] in bar_text(at)


def open_scene(number: int, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    for name, value in {"deck": "default", "scene": str(number), "lang": lang}.items():
        at.query_params[name] = value
    at._page_hash = calc_hash("lecture")
    at.run()
    assert_on_scene(at, number, lang)
    at._page_hash = at._finished_page_script_hash  # the browser is on the scene's page now: rerun that page
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_scenes_question_shows_in_the_bar_and_a_choice_reveals_the_answer(lang: str) -> None:
    at = open_scene(7, lang)  # masks: what weight does a masked key get?
    question = BUILT_IN.scenes[6].question
    asked = at.radio(key="predict_deck_default_7")
    assert question.text[lang] in asked.label.replace("\\", "")
    assert [label.replace("\\", "") for label in asked.options] == [choice[lang] for choice in question.choices]
    assert asked.value is None and not at.success and not at.error  # nothing revealed before a prediction
    asked.set_value(str((question.answer + 1) % len(question.choices))).run()  # the choices' codes: "0", "1", …
    right_label = question.choices[question.answer][lang]
    assert [e.value.replace("\\", "") for e in at.error] == [tr("predict.wrong", lang, answer=right_label)]
    reason = tr("deck.reason", lang, reason=question.reason[lang])
    assert any(m.value.replace("\\", "") == reason for m in at.markdown)
    at.radio(key="predict_deck_default_7").set_value(str(question.answer)).run()
    assert [s.value for s in at.success] == [tr("predict.right", lang)] and not at.error
    assert_on_scene(at, 7, lang)  # answering keeps the scene and its settings


def test_a_question_is_asked_afresh_on_each_scene_and_only_where_the_deck_has_one() -> None:
    at = open_scene(6)
    assert widget(at, "predict_deck_default_6") is not None
    click(at, "deck_next")
    assert_on_scene(at, 7)
    assert widget(at, "predict_deck_default_6") is None and at.radio(key="predict_deck_default_7").value is None
    click(at, "deck_next")
    assert_on_scene(at, 8)  # multi-head: no question
    assert not [key for node in all_nodes(at) if str(key := getattr(node, "key", "")).startswith("predict_deck")]


def test_leaving_the_deck_removes_the_bar() -> None:
    at = open_page("lecture")
    click(at, "lec_start")
    click(at, "deck_leave")
    assert widget(at, "deck_next") is None and "deck" not in at.query_params


def test_pasted_links_become_a_deck() -> None:
    at = open_page("lecture")
    set_controls(at, lec_deck="pasted")
    set_controls(at, lec_pasted="Causal | http://x/masks?masks_kind=causal\nhttp://x/why-sqrt-dk?scale_divide=true")
    assert [row for row in at.dataframe[0].value[tr("lecture.col.title")]] == ["Causal", "why-sqrt-dk"]
    click(at, "lec_start")
    assert at._finished_page_script_hash == calc_hash("masks") and at.session_state["masks_kind"] == "causal"
    click(at, "deck_next")
    assert at._finished_page_script_hash == calc_hash("why-sqrt-dk") and at.session_state["scale_divide"] is True


def test_a_bad_pasted_line_is_named() -> None:
    at = open_page("lecture")
    set_controls(at, lec_deck="pasted")
    set_controls(at, lec_pasted="http://x/masks\nhttp://x/nowhere")
    assert at.error[0].value == tr("deck.error.page", line=2, page="nowhere")


@pytest.fixture
def deck_folder(tmp_path, monkeypatch):
    shutil.copy(deck.DECK_DIR / "default.toml", tmp_path / "default.toml")
    (tmp_path / "broken.toml").write_text('[[scene]]\nlink = "masks"\ntitle = "a"\n\n[[scene]]\nlink = "x"\n')
    monkeypatch.setattr(deck, "DECK_DIR", tmp_path)
    return tmp_path


def test_a_bad_deck_file_gets_a_message_naming_the_line(deck_folder) -> None:
    at = open_page("lecture", lec_deck="broken")
    assert [e.value for e in at.error] == [tr("deck.error.title", line=5)]  # the second [[scene]] has no title
    assert widget(at, "lec_start") is None
