"""No NaN, ±inf or null in any number any page shows, over sampled settings.

Each setting opens a new session through the URL (so pages that only read the shared state are covered
as well as pages that draw the controls), checks that the setting took effect, then checks every
numeric column of every chart dataset (numpy isfinite; no nulls), every chart param, every table, metric
and text. The extreme settings also step through every option of the page's own view selectors.
"""

from __future__ import annotations

import random

import pytest
from harness import (
    CHOICE_TYPES,
    PAGE_BY_ID,
    PAGE_IDS,
    chart_problems,
    choice_labels,
    inventory,
    open_page,
    page_param_specs,
    run,
    run_problems,
    spread,
    widget,
    widgets,
)

MAX_SEED = str(2**31 - 1)

EXTREMES: dict[str, dict[str, str]] = {
    # every row fully masked: padding mask over an empty sentence (only <pad> tokens)
    "padding-empty": {"mask": "padding", "text": ""},
    "padding-empty-L64-h8": {"mask": "padding", "text": "", "L": "64", "heads": "8", "head": "7", "qkv": "true"},
    "padding-invisible-only": {"mask": "padding", "text": "\u200b\u202e\x00", "L": "5"},
    "padding-short-L64": {"mask": "padding", "text": "hi", "L": "64", "d_k": "1"},
    "sliding-window0": {"mask": "sliding", "window": "0"},
    "sliding-window0-L64-dk128": {"mask": "sliding", "window": "0", "L": "64", "d_k": "128", "heads": "8"},
    "sliding-window63-L1": {"mask": "sliding", "window": "63", "L": "1"},
    "causal-L1-dk1-h1": {"mask": "causal", "L": "1", "d_k": "1", "heads": "1"},
    "dk1-L64": {"d_k": "1", "L": "64", "text": "a " * 64},
    "dk128-L64-h8-qkv": {"d_k": "128", "L": "64", "heads": "8", "qkv": "true"},
    "heads1": {"heads": "1", "head": "0"},
    "heads8-head7": {"heads": "8", "head": "7"},
    "seed0": {"seed": "0"},
    "seed-max-random-L64": {"seed": MAX_SEED, "mode": "random", "L": "64", "heads": "8"},
    "random-padding": {"mode": "random", "mask": "padding"},
    "random-L1-dk1-causal": {"mode": "random", "L": "1", "d_k": "1", "mask": "causal", "seed": MAX_SEED},
    "emoji-3k-causal": {"text": "🙂" * 3000, "mask": "causal"},
    "repeated-token-L64": {"text": "the " * 200, "mask": "none", "d_k": "128"},
    "zh-padding-empty": {"lang": "zh", "mask": "padding", "text": ""},
    "zh-sentence-sliding0": {"lang": "zh", "mask": "sliding", "window": "0", "heads": "8"},
}
# Settings whose page views are all stepped through as well.
VIEW_SWEEP = ("padding-empty-L64-h8", "causal-L1-dk1-h1", "seed-max-random-L64")
N_RANDOM = 10


def _random_settings() -> dict[str, dict[str, str]]:
    rng = random.Random(7)
    settings = {}
    for i in range(N_RANDOM):
        mask = rng.choice(["none", "causal", "padding", "sliding"])
        setting = {
            "mode": rng.choice(["sentence", "sentence", "random"]),
            "L": str(rng.choice([1, 2, 3, 7, 12, 13, 33, 64])),
            "d_k": str(rng.choice([1, 2, 3, 8, 64, 128])),
            "heads": str(rng.randint(1, 8)),
            "mask": mask,
            "seed": str(rng.choice([0, 1, 42, 2**31 - 1, rng.randint(0, 2**31 - 1)])),
        }
        if mask == "sliding":
            setting["window"] = str(rng.randint(0, 63))
        if rng.random() < 0.5:
            texts = ["", "我在学习人工智能", "a b a b a", "x " * 80, "🙂🚀👨‍👩‍👧", "e\u0301\u0301"]
            setting["text"] = rng.choice(texts)
        setting["head"] = str(rng.randint(0, int(setting["heads"]) - 1))
        settings[f"random{i}"] = setting
    return settings


SETTINGS = EXTREMES | _random_settings()


def check_setting_applied(at, page_id: str, setting: dict[str, str]) -> None:
    lang = setting.get("lang", "en")
    specs = page_param_specs(page_id, lang)
    for name, raw in setting.items():
        value, status = specs[name].parse(raw)
        assert status == "ok", f"the sample setting {name}={raw!r} is not valid: fix the sample"
        assert at.session_state[name] == value, f"{name}={raw!r} did not take effect: {at.session_state[name]!r}"


# The extremes every page gets; the first page gets every setting.
CORE = (
    "padding-empty-L64-h8",
    "padding-short-L64",
    "sliding-window0-L64-dk128",
    "causal-L1-dk1-h1",
    "dk128-L64-h8-qkv",
    "seed-max-random-L64",
    "random-padding",
    "zh-padding-empty",
)


def _cases() -> list:
    """The first page: every setting. Other pages: the CORE extremes, plus 2 other extremes and 1 random
    setting, rotating."""
    pairs = [(PAGE_IDS[0], setting_id) for setting_id in SETTINGS]
    pairs += [(page_id, setting_id) for page_id in PAGE_IDS[1:] for setting_id in CORE]
    pairs += spread(PAGE_IDS, [s for s in EXTREMES if s not in CORE], 2)[len(EXTREMES) - len(CORE) :]
    pairs += spread(PAGE_IDS, [s for s in SETTINGS if s not in EXTREMES], 1)[N_RANDOM:]
    return [pytest.param(p, s, id=f"{p}-{s}") for p, s in pairs]


@pytest.mark.parametrize(("page_id", "setting_id"), _cases())
def test_every_number_finite(page_id, setting_id, cases) -> None:
    setting = SETTINGS[setting_id]
    at = open_page(PAGE_BY_ID[page_id], setting)
    cases(page_id)
    assert run_problems(at) == []
    check_setting_applied(at, page_id, setting)
    if inventory(page_id).charts:
        _, checked = chart_problems(at)
        assert checked > 0, "the page draws charts at its defaults but showed no chart numbers here"

    if setting_id not in VIEW_SWEEP:
        return
    shared = set(page_param_specs(page_id))
    views = [w.key for w in widgets(at) if w.type in CHOICE_TYPES and w.key and w.key not in shared]
    for key in views:
        for label in choice_labels(widget(at, key)):
            current = widget(at, key)
            if current is None or current.proto.disabled:
                break
            cases(page_id)
            current.set_value(label)
            run(at)
            assert run_problems(at) == [], f"{setting_id}, view {key} = {label!r}"


def test_samples_cover_the_brief() -> None:
    """The sampled settings include the extremes the suite promises (guards against edits that drop them)."""
    values = {(name, raw) for setting in SETTINGS.values() for name, raw in setting.items()}
    assert set(CORE) <= set(EXTREMES) and set(VIEW_SWEEP) <= set(CORE)
    for pair in [
        ("d_k", "1"),
        ("d_k", "128"),
        ("L", "1"),
        ("L", "64"),
        ("heads", "1"),
        ("heads", "8"),
        ("seed", "0"),
        ("seed", MAX_SEED),
        ("mode", "random"),
        ("mask", "padding"),
        ("text", ""),
        ("window", "0"),
    ]:
        assert pair in values, pair
