"""AppTest tests of the "link to this view" control (ui/links.py) on every page in ui/navigation.PAGES: the
link names the page and exactly the parameters the app wrote into the URL, follows a changed control, and
opened in a new session shows the same widget values."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from page_helpers import open_page, set_controls, tr, widget
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Widget

from ui.navigation import PAGES

PAGE_IDS = [spec.url_path for spec in PAGES]
NUMERIC_TYPES = ("slider", "number_input")


def _walk(node):
    yield node
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _walk(child)


def link_popover(at: AppTest) -> Block:
    found = [node for node in _walk(at.sidebar) if getattr(node, "type", None) == "popover"]
    links = [p for p in found if p.proto.popover.label in {tr("link.button", lang) for lang in ("en", "zh")}]
    assert len(links) == 1, f"{len(links)} link popovers in the sidebar"
    return links[0]


def shown_link(at: AppTest) -> str:
    codes = [node.value for node in _walk(link_popover(at)) if getattr(node, "type", None) == "code"]
    assert len(codes) == 1, codes
    return codes[0]


def link_parts(link: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.netloc and not parts.fragment, link
    query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    assert len({name for name, _ in query}) == len(query), f"a parameter twice in {link}"
    return parts.path, dict(query)


def app_url_params(at: AppTest) -> dict[str, str]:
    return {name: value if isinstance(value, str) else value[-1] for name, value in at.query_params.items()}


def widget_values(at: AppTest) -> dict[str, object]:
    return {node.key: node.value for node in _walk(at._tree) if isinstance(node, Widget) and node.key}


def page_of(path: str) -> str:
    """The url_path of the page a link's path opens (the first page is the root)."""
    return PAGES[0].url_path if path == "/" else path.strip("/")


def step_once(w: Widget) -> object:
    """A value one step from the current one, inside the widget's range (cheap: never the far end)."""
    step = type(w.value)(w.step or 1)  # AppTest reads an int slider's step as a float
    value = w.value + step
    return value if value <= w.max else w.value - step


@pytest.mark.parametrize("spec", PAGES, ids=PAGE_IDS)
def test_link_names_the_page_and_follows_a_changed_control(spec):
    at = open_page(spec.url_path)
    path, query = link_parts(shown_link(at))
    assert page_of(path) == spec.url_path
    assert query == {"lang": "en"} | app_url_params(at)

    # The page's own controls first (the link must carry those too), then the sidebar's shared ones.
    numeric = [
        node
        for area in (at.main, at.sidebar)
        for node in _walk(area)
        if isinstance(node, Widget) and node.key and node.type in NUMERIC_TYPES and not node.disabled
    ]
    if not numeric:
        pytest.skip(f"{spec.url_path} has no numeric control (yet)")
    control = numeric[0]
    value = step_once(control)
    set_controls(at, **{control.key: value})
    path, query = link_parts(shown_link(at))
    assert page_of(path) == spec.url_path
    assert query.get(control.key) == str(value), f"{control.key}={value} missing from {shown_link(at)}"
    assert query == {"lang": "en"} | app_url_params(at)


@pytest.mark.parametrize("spec", PAGES, ids=PAGE_IDS)
def test_the_link_opened_in_a_new_session_shows_the_same_controls(spec):
    at = open_page(spec.url_path, lang="zh", seed=7, heads=3, mask="causal")
    path, query = link_parts(shown_link(at))
    assert query["lang"] == "zh"
    reopened = open_page(page_of(path), **query)
    assert shown_link(reopened) == shown_link(at)
    assert widget_values(reopened) == widget_values(at)


def test_default_view_links_to_the_root_and_always_names_the_language():
    at = open_page(PAGES[0].url_path)
    assert "lang" not in at.query_params  # English is this browser's default, so the URL leaves it out
    assert shown_link(at) == "http://localhost:8501/?lang=en"  # no browser here: Streamlit's own address


def test_a_sentence_with_url_characters_survives_the_link():
    sentence = "a&b c=d #1 50% 我在学习?"
    at = open_page(PAGES[0].url_path)
    widget(at, "text").set_value(sentence)
    at.run()
    link = shown_link(at)
    assert " " not in link and "#" not in link and "我" not in link, link
    path, query = link_parts(link)
    assert query["text"] == sentence
    reopened = open_page(page_of(path), **query)
    assert widget(reopened, "text").value == sentence
    assert widget_values(reopened) == widget_values(at)


def test_the_control_is_translated():
    at = open_page(PAGES[0].url_path, lang="zh")
    popover = link_popover(at)
    assert (popover.proto.popover.label, popover.proto.popover.help) == (tr("link.button", "zh"), tr("link.help", "zh"))


def test_in_presenter_mode_the_link_menu_offers_the_projector_and_the_students_link():
    at = open_page("masks", present=1, masks_kind="block")
    codes = [node.value for node in _walk(link_popover(at)) if getattr(node, "type", None) == "code"]
    assert len(codes) == 2
    projector, students = (link_parts(code)[1] for code in codes)
    assert projector["present"] == "1" and "present" not in students
    assert projector["masks_kind"] == students["masks_kind"] == "block"
