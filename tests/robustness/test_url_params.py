"""Hostile URL query parameters, on every page in ``ui.navigation.PAGES``.

Each case opens a new session at ``/<page>?<name>=<hostile value>``. What the app must do comes from
the parameter's own parser (the shared ``url_params()`` plus the page's own ``page_params``):
"invalid" → the translated ``msg.bad_param`` notice and the default; "clamped" → ``msg.clamped_param``
with the clamped value; "ok" → no URL notice and the value itself. Always: no exception, no
non-finite number in any chart, no element that renders raw HTML.

Bounded: the first page (the default) gets every parameter × every hostile value; every other page
gets every parameter with a rotating slice of the values, so together they cover the full matrix
again, and every page sees every parameter.
"""

from __future__ import annotations

import random

import pytest
from harness import (
    PAGE_BY_ID,
    PAGE_IDS,
    URL_NOTICE_KEYS,
    expected_url_notice,
    inventory,
    notices,
    open_page,
    page_param_specs,
    param_specs,
    run,
    run_problems,
    tr,
    widget,
)
from hostile import HOSTILE, HOSTILE_BY_ID, HOSTILE_IDS

from ui.controls import token_count

# Valid values per known parameter, mixed into the combinations so hostile values meet real settings.
VALID = {
    "lang": ["zh", "en"],
    "mode": ["random", "sentence"],
    "text": ["hello world", "我在学习人工智能"],
    "L": ["5", "64"],
    "d_k": ["1", "128"],
    "heads": ["1", "8"],
    "mask": ["padding", "sliding", "causal"],
    "window": ["0", "63"],
    "seed": ["2147483647", "0"],
    "head": ["7", "1"],
    "qkv": ["true"],
    "present": ["1", "0"],
}
N_COMBOS_FIRST_PAGE = 36
N_COMBOS_OTHER_PAGES = 4


OTHER_PAGE_VALUES_PER_PARAM = 2


def _single_cases() -> list:
    """The first page: every parameter × every value. Other pages: their own free-text parameters (which
    the page parses itself) × every third value, every other parameter × 2 values, rotating so that
    consecutive parameters of a page get consecutive values."""
    cases = []
    shared = set(param_specs("en"))
    for page_index, page_id in enumerate(PAGE_IDS):
        specs = page_param_specs(page_id)
        for name_index, name in enumerate(inventory(page_id).params):
            free_text = all(specs[name].parse(v)[1] == "ok" for v in ("", "<x>", "9" * 400))
            if page_index == 0:
                chosen = HOSTILE_IDS
            elif free_text and name not in shared:  # the page parses it itself: every third value
                chosen = HOSTILE_IDS[name_index % 3 :: 3]
            else:
                start = (page_index + name_index) * OTHER_PAGE_VALUES_PER_PARAM
                chosen = [HOSTILE_IDS[(start + k) % len(HOSTILE_IDS)] for k in range(OTHER_PAGE_VALUES_PER_PARAM)]
            cases += [pytest.param(page_id, name, h, id=f"{page_id}-{name}-{h}") for h in chosen]
    return cases


def _chinese_cases() -> list:
    """With lang=zh: the first page every parameter × every 6th value; other pages their own parameters
    and two shared ones × 1 value."""
    cases = []
    shared = [n for n in param_specs("en") if n != "lang"]
    for page_index, page_id in enumerate(PAGE_IDS):
        names = [n for n in inventory(page_id).params if n != "lang"]
        if page_index > 0:
            own = [n for n in names if n not in shared]
            names = own + [shared[(2 * page_index + k) % len(shared)] for k in range(2)]
        for name_index, name in enumerate(names):
            if page_index == 0:
                chosen = HOSTILE_IDS[name_index % 6 :: 6]
            else:
                chosen = [HOSTILE_IDS[(page_index * 7 + name_index * 5) % len(HOSTILE_IDS)]]
            cases += [pytest.param(page_id, name, h, id=f"{page_id}-{name}-{h}") for h in chosen]
    return cases


def _combo_cases() -> list:
    rng = random.Random(20240917)
    cases = []
    for page_index, page_id in enumerate(PAGE_IDS):
        names = list(inventory(page_id).params)
        for i in range(N_COMBOS_FIRST_PAGE if page_index == 0 else N_COMBOS_OTHER_PAGES):
            combo = {}
            for name in rng.sample(names, min(len(names), rng.randint(2, 5))):
                if name in VALID and rng.random() < 0.3:
                    combo[name] = rng.choice(VALID[name])
                else:
                    combo[name] = rng.choice(HOSTILE)[1]
            cases.append(pytest.param(page_id, combo, id=f"{page_id}-combo{i}"))
    return cases


def test_discovery_found_every_control() -> None:
    """The parametrization really reads the app (guards against an empty or stale matrix)."""
    for page_id in PAGE_IDS:
        assert {"lang", "text", "L", "d_k", "heads", "mask", "window", "seed"} <= set(inventory(page_id).params)
    assert len({case.values[:2] for case in _single_cases()}) == sum(len(inventory(p).params) for p in PAGE_IDS)


# ── checks ───────────────────────────────────────────────────────────────────


def check_clean(at, payload: str | None = None) -> None:
    """No exception, no non-finite number shown anywhere, no raw HTML (see harness.run_problems)."""
    assert run_problems(at, payload) == []


def check_single(at, page_id: str, name: str, raw: str, lang: str) -> None:
    check_clean(at, raw)
    expected = expected_url_notice(page_id, name, raw, lang)
    assert notices(at, URL_NOTICE_KEYS) == ([expected] if expected else [])

    if name not in param_specs(lang):
        return  # a page's own parameter: the page may adjust its value further (e.g. an index below L)
    spec = page_param_specs(page_id, lang)[name]
    value, status = spec.parse(raw)
    want = spec.default if status == "invalid" else value
    state = at.session_state
    if name == "head" and want >= state["heads"] and widget(at, "head") is not None:
        want = 0  # a page that shows the head radio resets a head it does not have
    assert state[name] == want, f"{name}={raw[:40]!r}: control holds {state[name]!r}, expected {want!r}"
    if name == "text":
        assert state["L"] == token_count(want), "a linked sentence sets the sequence length to its token count"

    # The URL is rewritten from the state: defaults (so every ignored value) leave it, others are normalised.
    if state[name] == spec.default:
        assert name not in at.query_params, f"{name}: default left in the URL as {at.query_params[name]!r}"
    else:
        assert at.query_params.get(name) == spec.serialize(state[name])


# ── tests ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("page_id", "name", "hostile_id"), _single_cases())
def test_hostile_param(page_id, name, hostile_id, cases) -> None:
    raw = HOSTILE_BY_ID[hostile_id]
    at = open_page(PAGE_BY_ID[page_id], {name: raw})
    cases(page_id)
    check_single(at, page_id, name, raw, "en")


@pytest.mark.parametrize(("page_id", "name", "hostile_id"), _chinese_cases())
def test_hostile_param_in_chinese(page_id, name, hostile_id, cases) -> None:
    raw = HOSTILE_BY_ID[hostile_id]
    at = open_page(PAGE_BY_ID[page_id], {"lang": "zh", name: raw})
    cases(page_id)
    assert at.session_state["lang"] == "zh"
    check_single(at, page_id, name, raw, "zh")
    for text in notices(at, URL_NOTICE_KEYS):
        assert text.startswith("链接中"), f"URL notice not in Chinese: {text!r}"


@pytest.mark.parametrize(("page_id", "combo"), _combo_cases())
def test_hostile_param_combination(page_id, combo, cases) -> None:
    at = open_page(PAGE_BY_ID[page_id], combo)
    cases(page_id, len(combo))
    check_clean(at)

    lang_value, lang_status = page_param_specs(page_id)["lang"].parse(combo.get("lang", ""))
    lang = lang_value if lang_status == "ok" else "en"
    assert at.session_state["lang"] == lang
    expected = [n for n in (expected_url_notice(page_id, name, raw, lang) for name, raw in combo.items()) if n]
    assert sorted(notices(at, URL_NOTICE_KEYS)) == sorted(expected)

    specs = page_param_specs(page_id, lang)
    shared = param_specs(lang)
    for name, raw in combo.items():
        _, status = specs[name].parse(raw)
        # L follows a sentence given in the same link; a page may adjust its own parameters further.
        if status == "invalid" and name != "L" and name in shared:
            assert at.session_state[name] == specs[name].default
            assert name not in at.query_params


def test_notice_never_echoes_raw_url_text(cases) -> None:
    """A notice shows only our parameter name and a parsed number, never the raw value."""
    raw = "<img src=x onerror=alert(1)>"
    at = open_page(PAGE_BY_ID[PAGE_IDS[0]], {"L": raw, "d_k": "1e5", raw: raw})
    cases(PAGE_IDS[0], 3)
    check_clean(at, raw)
    texts = notices(at, URL_NOTICE_KEYS)
    assert texts == [tr("msg.bad_param", "en", name="L"), tr("msg.clamped_param", "en", name="d_k", value=128)]
    assert all(raw not in text and "onerror" not in text for text in texts)


# ── a notice must describe the value in use ──────────────────────────────────


_STALE_CLAMP = (
    "BUG: app_pages/{file}: ?{name}=999999 shows msg.clamped_param “… 63 is used instead”, but the page then "
    "{what} (default sentence, L=10), so the notice names a value that is not in use"
)
KNOWN_BAD_CLAMPS: dict[tuple[str, str], str] = {}  # (page, parameter) → reason, for a known mismatch


def _clamped_int_cases() -> list:
    """(page, parameter) for every page's own integer parameter (those a huge number clamps)."""
    cases = []
    shared = set(param_specs("en"))
    for page_id in PAGE_IDS:
        for name, spec in page_param_specs(page_id).items():
            if name not in shared and spec.parse("999999")[1] == "clamped":
                reason = KNOWN_BAD_CLAMPS.get((page_id, name))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                cases.append(pytest.param(page_id, name, id=f"{page_id}-{name}", marks=marks))
    return cases


@pytest.mark.parametrize(("page_id", "name"), _clamped_int_cases())
def test_clamped_notice_states_the_value_in_use(page_id, name, cases) -> None:
    """``?name=999999`` on a page's own integer parameter: the notice says which value is used instead,
    and that is the value the page then uses."""
    raw = "999999"
    at = open_page(PAGE_BY_ID[page_id], {name: raw})
    cases(page_id)
    check_clean(at)
    value, status = page_param_specs(page_id)[name].parse(raw)
    assert status == "clamped"
    assert notices(at, URL_NOTICE_KEYS) == [tr("msg.clamped_param", "en", name=name, value=value)]
    assert at.session_state[name] == value, (
        f"the notice says {value} is used for {name}, the page uses {at.session_state[name]}"
    )


def test_url_notice_goes_away_once_the_user_changes_the_control(cases) -> None:
    at = open_page(PAGE_BY_ID[PAGE_IDS[0]], {"L": "999", "mask": "bogus"})
    cases(PAGE_IDS[0], 2)
    assert notices(at, URL_NOTICE_KEYS) == [
        tr("msg.clamped_param", "en", name="L", value=64),
        tr("msg.bad_param", "en", name="mask"),
    ]
    widget(at, "L").set_value(10)
    widget(at, "mask").set_value("causal")
    run(at)
    check_clean(at)
    assert (at.session_state["L"], at.session_state["mask"]) == (10, "causal")
    assert notices(at, URL_NOTICE_KEYS) == [], "the notices describe values that are no longer in use"


def test_repeated_parameter_uses_the_last_value(cases) -> None:
    """``?L=5&L=999``: Streamlit's st.query_params returns the last value; the app parses that one."""
    at = open_page(PAGE_BY_ID[PAGE_IDS[0]], {"L": ["5", "999"], "mask": ["causal", "bogus"]})
    cases(PAGE_IDS[0], 2)
    check_clean(at)
    assert sorted(notices(at, URL_NOTICE_KEYS)) == sorted(
        [tr("msg.clamped_param", "en", name="L", value=64), tr("msg.bad_param", "en", name="mask")]
    )
    assert (at.session_state["L"], at.session_state["mask"]) == (64, "none")


def test_unknown_and_internal_parameter_names_are_ignored(cases) -> None:
    """Names that are not URL parameters (including the app's internal session keys) change nothing."""
    hostile_names = {
        "_url_restored": "false",
        "_url_notices": "[]",
        "_browser_lang": "zh",
        "__proto__": "x",
        "FormData": "1",
        "l": "999",
        "LANG": "zh",
        " L": "3",
        "L ": "3",
    }
    at = open_page(PAGE_BY_ID[PAGE_IDS[0]], hostile_names)
    cases(PAGE_IDS[0], len(hostile_names))
    check_clean(at)
    assert notices(at, URL_NOTICE_KEYS) == []
    assert at.session_state["lang"] == "en"
    assert at.session_state["L"] == param_specs("en")["L"].default
