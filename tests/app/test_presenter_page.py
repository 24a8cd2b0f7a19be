"""AppTest tests of presenter mode (``?present=1``): on every page a sidebar switch bound to the URL; on the
playground, step by step and why √d_k pages larger charts and no explanatory captions; on step by step the
stepper answers the keyboard; and the switch stays on across pages."""

from __future__ import annotations

import json

import pytest
from chart_data import chart_elements
from page_helpers import open_page, set_controls, tr, widget
from streamlit.testing.v1 import AppTest

from core.why_scale import SWEEP_KEYS, SWEEP_QUERIES
from ui.charts.why_scale import PANEL_HEIGHT, PANEL_WIDTH
from ui.presenter import CHART_SCALE, PRESENT_KEY, PRESENTER_STYLE

PLAYGROUND_SIZE = 200  # app_pages/playground.py CHART_SIZE
STEPS_SIZE = 300  # app_pages/step_by_step.py CHART_SIZE
SCALE_PAIR_SIZE = 300  # app_pages/why_scale.py HEATMAP_SIZE


def heatmap_sizes(at: AppTest) -> list[tuple[int, int]]:
    """(width, height) of every heatmap drawn (a layered chart with a fixed size)."""
    specs = [json.loads(element.proto.spec) for element in chart_elements(at)]
    return [(spec["width"], spec["height"]) for spec in specs if "layer" in spec and "width" in spec]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def styles(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def presenting(at: AppTest) -> bool:
    return bool(at.session_state[PRESENT_KEY])


# ── the switch and the URL ───────────────────────────────────────────────────


@pytest.mark.parametrize("url_path", ["playground", "steps", "why-sqrt-dk", "masks"])
def test_switch_is_in_the_sidebar_of_every_page_and_off_by_default(url_path):
    at = open_page(url_path)
    switch = widget(at, PRESENT_KEY)
    assert switch is not None and switch in list(at.sidebar)
    assert switch.label == tr("presenter.toggle") and switch.value is False
    assert not presenting(at) and PRESENT_KEY not in at.query_params
    assert styles(at) == []


@pytest.mark.parametrize("raw", ["1", "true"])
def test_link_turns_it_on_and_the_url_says_present_1(raw):
    at = open_page("playground", present=raw)
    assert presenting(at) and widget(at, PRESENT_KEY).value is True
    assert at.query_params[PRESENT_KEY] == "1"
    assert styles(at) == [PRESENTER_STYLE]  # the larger type: one constant style rule, nothing else


@pytest.mark.parametrize("raw", ["yes", "2", "<b>1</b>"])
def test_invalid_value_is_ignored_with_the_notice(raw):
    at = open_page("playground", present=raw)
    assert not presenting(at)
    assert tr("msg.bad_param", name=PRESENT_KEY) in [w.value for w in at.warning]
    assert PRESENT_KEY not in at.query_params


def test_switch_off_restores_prose_and_sizes_and_leaves_the_url():
    at = open_page("playground", present=1)
    set_controls(at, **{PRESENT_KEY: False})
    assert not presenting(at) and PRESENT_KEY not in at.query_params
    assert tr("pg.intro") in captions(at)
    assert set(heatmap_sizes(at)) == {(PLAYGROUND_SIZE, PLAYGROUND_SIZE)}
    assert styles(at) == []
    set_controls(at, **{PRESENT_KEY: True})
    assert at.query_params[PRESENT_KEY] == "1" and tr("pg.intro") not in captions(at)


def test_stays_on_across_pages():
    at = open_page("playground", present=1)
    at.switch_page("app_pages/why_scale.py").run()
    assert not at.exception
    assert presenting(at) and widget(at, PRESENT_KEY).value is True
    assert at.query_params[PRESENT_KEY] == "1"
    assert tr("scale.intro") not in captions(at)


# ── larger charts, less prose ────────────────────────────────────────────────


def test_playground_enlarges_every_heatmap_and_hides_the_intro():
    normal, shown = open_page("playground"), open_page("playground", present=1)
    assert tr("pg.intro") in captions(normal)
    assert tr("pg.intro") not in captions(shown)
    big = round(PLAYGROUND_SIZE * CHART_SCALE)
    assert set(heatmap_sizes(normal)) == {(PLAYGROUND_SIZE, PLAYGROUND_SIZE)}
    assert heatmap_sizes(shown) == [(big, big)] * 3  # scores, weights, output
    # The numbers stay: the d_model / scale line is data, not prose.
    assert any(c.startswith("d_model = ") for c in captions(shown))


def test_step_by_step_enlarges_the_chart_and_hides_intro_and_hints():
    normal = open_page("steps", steps_step=2)
    shown = open_page("steps", steps_step=2, present=1)
    for key in ("steps.intro", "steps.click_hint", "steps.cell.rounding"):
        assert tr(key) in captions(normal)
        assert tr(key) not in captions(shown), key
    big = round(STEPS_SIZE * CHART_SCALE)
    assert heatmap_sizes(normal) == [(STEPS_SIZE, STEPS_SIZE)]
    assert heatmap_sizes(shown) == [(big, big)]


def test_why_scale_enlarges_sweep_and_pair_and_hides_captions():
    normal, shown = open_page("why-sqrt-dk"), open_page("why-sqrt-dk", present=1)
    sweep_caption = tr("scale.sweep.caption", queries=SWEEP_QUERIES, keys=SWEEP_KEYS, seed=0)
    for text in (tr("scale.intro"), sweep_caption, tr("scale.gradient.explain"), tr("scale.pair.caption")):
        assert text in captions(normal)
        assert text not in captions(shown)
    big = round(SCALE_PAIR_SIZE * CHART_SCALE)
    assert heatmap_sizes(shown) == [(big, big)] * 2
    sweep = json.loads(chart_elements(shown)[0].proto.spec)
    panel = sweep["concat"][0]
    assert (panel["width"], panel["height"]) == (round(PANEL_WIDTH * CHART_SCALE), round(PANEL_HEIGHT * CHART_SCALE))
    assert (
        sweep["config"]["axis"]["labelFontSize"]
        > json.loads(chart_elements(normal)[0].proto.spec)["config"]["axis"]["labelFontSize"]
    )


def test_chinese_presenter_mode_hides_the_chinese_intro():
    at = open_page("steps", present=1, lang="zh", steps_step=4)
    assert widget(at, PRESENT_KEY).label == tr("presenter.toggle", "zh")
    assert tr("steps.intro", "zh") not in captions(at)
    assert heatmap_sizes(at) == [(round(STEPS_SIZE * CHART_SCALE),) * 2]


# ── keyboard stepping ────────────────────────────────────────────────────────


def test_stepper_has_no_shortcuts_outside_presenter_mode():
    at = open_page("steps", steps_step=2)
    assert widget(at, "steps_prev").proto.shortcut == ""
    assert widget(at, "steps_next").proto.shortcut == ""
    assert widget(at, "steps_page_up") is None and widget(at, "steps_page_down") is None


def test_presenter_stepper_answers_arrows_and_clicker_keys():
    at = open_page("steps", steps_step=2, present=1)
    keys = {key: widget(at, key).proto.shortcut for key in ("steps_prev", "steps_next")}
    assert keys == {"steps_prev": "left", "steps_next": "right"}
    # A clicker sends PageUp / PageDown; a button has one shortcut, so a second pair sits in the folded sidebar.
    clicker = {key: widget(at, key) for key in ("steps_page_up", "steps_page_down")}
    assert {key: button.proto.shortcut for key, button in clicker.items()} == {
        "steps_page_up": "pageup",
        "steps_page_down": "pagedown",
    }
    assert all(button in list(at.sidebar) for button in clicker.values())
    widget(at, "steps_page_down").click()
    at.run()
    assert at.session_state["steps_step"] == 3
    widget(at, "steps_page_up").click()
    at.run()
    widget(at, "steps_page_up").click()
    at.run()
    assert at.session_state["steps_step"] == 1
    assert at.query_params["steps_step"] == "1"


def test_clicker_buttons_stop_at_the_ends():
    first = open_page("steps", present=1)
    assert widget(first, "steps_page_up").proto.disabled and not widget(first, "steps_page_down").proto.disabled
    last = open_page("steps", present=1, steps_step=5)
    assert widget(last, "steps_page_down").proto.disabled and not widget(last, "steps_page_up").proto.disabled
