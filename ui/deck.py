"""Lecture decks: an ordered list of scenes, each a view link (a page with its settings), a title and a line to
say, stepped through with a clicker.

A deck is a TOML file in ``decks/`` (see ``decks/default.toml``) or view links pasted on the Lecture page. While a
deck runs, the URL carries ``deck`` and ``scene`` beside the scene's own settings, so every scene's URL reopens it;
a bar above the page shows "scene 3 of 12" with previous / next buttons that answer → / ← and a clicker's
PageDown / PageUp. A scene may hold a predict-then-reveal question: a button in the bar opens it, so the page's
first chart stays where it was. Moving to a scene resets every setting to its default, then applies the scene's
link, exactly as a fresh browser opening that link would.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import streamlit as st

from ui.controls import url_params
from ui.i18n import LANGUAGE_KEY, language, t
from ui.markdown import literal
from ui.navigation import PAGES
from ui.predict import predict_then_reveal
from ui.presenter import PRESENT_KEY
from ui.url_state import forget_restored_params

DECK_DIR = Path(__file__).resolve().parents[1] / "decks"
DEFAULT_DECK = "default"
PASTED_DECK = "pasted"  # links pasted on the Lecture page: kept in the session, not in a file
DECK_KEY, SCENE_KEY = "deck", "scene"
# Parameters a scene's link may hold that the deck sets itself: the lecturer's language is kept.
DECK_OWN_PARAMS = frozenset({LANGUAGE_KEY, PRESENT_KEY, DECK_KEY, SCENE_KEY})
MAX_SCENES = 200
MIN_CHOICES, MAX_CHOICES = 2, 6
MAX_DECK_BYTES = 200_000
_GOTO_KEY = "_deck_goto"
_PASTED_KEY = "_deck_pasted"
_OPEN_KEY = "_deck_open"
_NAME = re.compile(r"[a-z0-9_-]{1,40}")
_SCENE_HEADER = re.compile(r"^\s*\[\[\s*scene\s*\]\]")
_QUESTION_START = re.compile(r"^\s*(\[\s*scene\s*\.\s*question\s*\]|question\s*=)")
_TOML_LINE = re.compile(r"line (\d+)")
PAGE_PATHS = {page.url_path: page.path for page in PAGES}
_PAGE_TITLES = {page.url_path: page.title_key for page in PAGES}


def in_language(texts: dict[str, str]) -> str:
    """A deck text in the current language (English if the deck has no translation, else any)."""
    return texts.get(language()) or texts.get("en") or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Question:
    """Predict, then reveal: asked while the scene is on screen; the reason is shown once a choice is made."""

    text: dict[str, str]  # language → text, as every deck text
    choices: tuple[dict[str, str], ...]
    answer: int  # 0-based index into choices (the deck file counts from 1)
    reason: dict[str, str]


@dataclass(frozen=True)
class Scene:
    url_path: str  # one of ui/navigation.py's pages
    query: tuple[tuple[str, str], ...]  # the link's settings, the deck's own parameters left out
    title: dict[str, str] = field(hash=False)  # language → text
    say: dict[str, str] = field(hash=False)
    line: int  # where the scene starts in its deck file (or the pasted text), for messages
    question: Question | None = field(default=None, hash=False)

    def text(self, part: str) -> str:
        """The title or the line to say in the current language (English if the deck has no translation)."""
        return in_language(getattr(self, part))


@dataclass(frozen=True)
class Deck:
    name: str
    scenes: tuple[Scene, ...]


class DeckError(ValueError):
    """A deck that cannot be read: a translation key and its values, the line among them."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def message(self) -> str:
        return t(self.key, **self.values)


def parse_link(link: str, line: int) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A view link (full URL, or page?query) → (url_path, query without the deck's own parameters)."""
    parts = urlsplit(link.strip())
    segments = [segment for segment in parts.path.split("/") if segment]
    url_path = segments[-1] if segments else PAGES[0].url_path  # "/" is the first page
    if url_path not in PAGE_PATHS:
        raise DeckError("deck.error.page", line=line, page=literal(url_path[:60]))
    query = tuple((name, value) for name, value in parse_qsl(parts.query) if name not in DECK_OWN_PARAMS)
    return url_path, query


def _texts(value: object, line: int, part: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return {str(lang): text for lang, text in value.items()}
    raise DeckError("deck.error.text", line=line, part=part)


def _field_line(rows: list[str], start: int, stop: int, name: str) -> int | None:
    """The first line in [start, stop) (1-based) that sets ``name``, or None."""
    pattern = re.compile(rf"^\s*{name}\s*=")
    return next((number for number in range(start, stop) if pattern.match(rows[number - 1])), None)


def _question(raw: object, rows: list[str], start: int, stop: int) -> Question:
    """A scene's ``question`` table (its scene spans lines [start, stop)) → Question, or DeckError naming the line
    of the field that is wrong."""
    at = next((n for n in range(start, stop) if _QUESTION_START.match(rows[n - 1])), start)

    def line_of(name: str) -> int:
        return _field_line(rows, at, stop, name) or at

    if not isinstance(raw, dict):
        raise DeckError("deck.error.question", line=at)
    for name in ("text", "choices", "answer", "reason"):
        if name not in raw:
            raise DeckError("deck.error.question.missing", line=at, part=name)
    choices = raw["choices"]
    if not isinstance(choices, list) or not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        raise DeckError("deck.error.question.choices", line=line_of("choices"), low=MIN_CHOICES, high=MAX_CHOICES)
    answer = raw["answer"]
    if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= len(choices):
        raise DeckError("deck.error.question.answer", line=line_of("answer"), n=len(choices))
    return Question(
        _texts(raw["text"], line_of("text"), "question.text"),
        tuple(_texts(choice, line_of("choices"), "question.choices") for choice in choices),
        answer - 1,
        _texts(raw["reason"], line_of("reason"), "question.reason"),
    )


def parse_deck(text: str, name: str) -> Deck:
    """A deck file's text → Deck, or DeckError naming the line that is wrong."""
    if len(text.encode()) > MAX_DECK_BYTES:
        raise DeckError("deck.error.size", max=MAX_DECK_BYTES)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_LINE.search(str(error))
        raise DeckError("deck.error.toml", line=int(found.group(1)) if found else 1) from error
    rows = text.splitlines()
    header_lines = [number for number, row in enumerate(rows, start=1) if _SCENE_HEADER.match(row)]
    raw_scenes = data.get("scene")
    if not isinstance(raw_scenes, list) or not raw_scenes:
        raise DeckError("deck.error.empty")
    if len(raw_scenes) > MAX_SCENES:
        raise DeckError("deck.error.too_many", n=len(raw_scenes), max=MAX_SCENES)
    scenes = []
    for index, raw in enumerate(raw_scenes):
        line = header_lines[index] if index < len(header_lines) else 1
        stop = header_lines[index + 1] if index + 1 < len(header_lines) else len(rows) + 1
        if not isinstance(raw, dict):
            raise DeckError("deck.error.link", line=line)
        link = raw.get("link")
        if not isinstance(link, str) or not link.strip():
            raise DeckError("deck.error.link", line=line)
        if "title" not in raw:
            raise DeckError("deck.error.title", line=line)
        url_path, query = parse_link(link, line)
        say = _texts(raw["say"], line, "say") if "say" in raw else {}
        question = _question(raw["question"], rows, line, stop) if "question" in raw else None
        scenes.append(Scene(url_path, query, _texts(raw["title"], line, "title"), say, line, question))
    return Deck(name, tuple(scenes))


def parse_pasted(text: str) -> Deck:
    """One view link per line, optionally "title | link"; blank lines are skipped."""
    scenes = []
    for line, row in enumerate(text.splitlines(), start=1):
        if not row.strip():
            continue
        title, _, link = row.rpartition("|")
        url_path, query = parse_link(link, line)
        scenes.append(Scene(url_path, query, {"en": title.strip() or url_path}, {}, line))
        if len(scenes) > MAX_SCENES:
            raise DeckError("deck.error.too_many", n=len(scenes), max=MAX_SCENES)
    if not scenes:
        raise DeckError("deck.error.empty")
    return Deck(PASTED_DECK, tuple(scenes))


def page_title_key(url_path: str) -> str:
    return _PAGE_TITLES[url_path]


def deck_names() -> list[str]:
    """The decks in ``decks/``, the built-in one first."""
    names = sorted(path.stem for path in DECK_DIR.glob("*.toml") if _NAME.fullmatch(path.stem))
    return sorted(names, key=lambda name: name != DEFAULT_DECK)


@lru_cache(maxsize=32)
def _read_deck(name: str, modified: int) -> Deck:  # the file's mtime is part of the key: edits are re-read
    return parse_deck((DECK_DIR / f"{name}.toml").read_text(encoding="utf-8"), name)


def load_deck(name: str) -> Deck:
    """A deck by name (a file in ``decks/``, or the session's pasted one). Raises DeckError."""
    if name == PASTED_DECK:
        pasted = st.session_state.get(_PASTED_KEY)
        if pasted is None:
            raise DeckError("deck.error.no_pasted")
        return pasted
    if name not in deck_names():
        raise DeckError("deck.error.unknown")
    return _read_deck(name, (DECK_DIR / f"{name}.toml").stat().st_mtime_ns)


def keep_pasted(deck: Deck) -> None:
    st.session_state[_PASTED_KEY] = deck


def current() -> tuple[Deck, int] | None:
    """The running deck and the scene index (0-based), from the URL; None outside a deck."""
    name, number = st.query_params.get(DECK_KEY), st.query_params.get(SCENE_KEY)
    if name is None or number is None or not number.isdigit():
        return None
    try:
        deck = load_deck(name)
    except DeckError:
        return None
    index = int(number) - 1
    return (deck, index) if 0 <= index < len(deck.scenes) else None


def go_to(deck_name: str, index: int) -> None:
    """Ask for scene ``index`` (0-based); ``follow`` carries it out at the top of the next run."""
    st.session_state[_GOTO_KEY] = (deck_name, index)


def follow() -> None:
    """At the very top of a run, before any widget: if a scene was asked for, reset every setting and put the
    scene's link (presenter mode on) into the URL, for this run's restore to read. ``open_scene_page`` then
    switches to its page, once the navigation exists."""
    goto = st.session_state.pop(_GOTO_KEY, None)
    if goto is None:
        return
    name, index = goto
    try:
        deck = load_deck(name)
    except DeckError:
        return
    index = min(max(index, 0), len(deck.scenes) - 1)
    scene = deck.scenes[index]
    forget_restored_params(url_params(), keep=DECK_OWN_PARAMS)
    query = dict(scene.query) | {PRESENT_KEY: "1", DECK_KEY: name, SCENE_KEY: str(index + 1)}
    st.query_params.from_dict(query)
    st.session_state[_OPEN_KEY] = (PAGE_PATHS[scene.url_path], query)


def open_scene_page() -> None:
    """After ``st.navigation``: go to the page of the scene ``follow`` prepared, with its settings in the URL."""
    pending = st.session_state.pop(_OPEN_KEY, None)
    if pending is not None:
        path, query = pending
        st.switch_page(path, query_params=query)


def deck_bar() -> None:
    """Above the page while a deck runs, one line: previous, "scene n of N · title", the scene's question (if it
    has one: a button that opens it), next, leave. The line to say is in the sidebar (folded on the projector), so
    the page's first chart stays above the fold."""
    running = current()
    if running is None:
        return
    deck, index = running
    scene = deck.scenes[index]
    first, last = index == 0, index == len(deck.scenes) - 1
    with st.container(key="deck_bar"):
        widths = [1.3, 4.7, 1.3, 1.3, 0.6] if scene.question else [1.3, 6, 1.3, 0.6]
        back, middle, *asking, forward, leave = st.columns(widths, vertical_alignment="center")
        back.button(
            t("deck.prev"),
            key="deck_prev",
            on_click=go_to,
            args=(deck.name, index - 1),
            disabled=first,
            shortcut="Left",
            width="stretch",
        )
        middle.markdown(
            f"**{t('deck.position', n=index + 1, total=len(deck.scenes))}** · {literal(scene.text('title'))}"
        )
        if scene.question:
            with asking[0].popover(
                t("deck.question"), icon=":material/quiz:", key=f"deck_question_{index + 1}", width="stretch"
            ):
                _ask(scene.question, f"deck_{deck.name}_{index + 1}")
        forward.button(
            t("deck.next"),
            key="deck_next",
            on_click=go_to,
            args=(deck.name, index + 1),
            disabled=last,
            shortcut="Right",
            width="stretch",
        )
        leave.button(":material/close:", key="deck_leave", help=t("deck.leave"), on_click=_leave, width="stretch")
    # What a clicker sends: a second pair of buttons, in the (folded) sidebar, so no key is taken twice.
    st.sidebar.button(
        t("deck.prev"),
        key="deck_page_up",
        on_click=go_to,
        args=(deck.name, index - 1),
        disabled=first,
        shortcut="PageUp",
    )
    st.sidebar.button(
        t("deck.next"),
        key="deck_page_down",
        on_click=go_to,
        args=(deck.name, index + 1),
        disabled=last,
        shortcut="PageDown",
    )
    if scene.text("say"):
        st.sidebar.caption(t("deck.say", say=literal(scene.text("say"))))


def _ask(question: Question, key: str) -> None:
    """The scene's question, predict then reveal; every deck text made inert (a deck file is the lecturer's text)."""
    choices = {str(number): literal(in_language(choice)) for number, choice in enumerate(question.choices)}
    predict_then_reveal(
        key,
        literal(in_language(question.text)),
        choices,
        str(question.answer),
        lambda: st.markdown(t("deck.reason", reason=literal(in_language(question.reason)))),
    )


def _leave() -> None:
    for name in (DECK_KEY, SCENE_KEY):
        if name in st.query_params:
            del st.query_params[name]


def running() -> bool:
    """Whether a deck runs: pages then leave the arrow keys to it."""
    return current() is not None
