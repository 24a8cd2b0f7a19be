"""Hostile input values: a generated list of ``(id, value)`` pairs shared by every robustness test.

Ids are short ASCII names so parametrized test ids stay readable; values are what a URL or a text
box may deliver. ``HTML_PAYLOADS`` are the ones that must never reach an element rendering HTML.
"""

from __future__ import annotations

import itertools

CJK_SENTENCE = "我在学习人工智能"
EMOJI = "🙂🚀👨‍👩‍👧"


def _cycle(text: str, length: int) -> str:
    return "".join(itertools.islice(itertools.cycle(text), length))


NUMBERS: list[tuple[str, str]] = [
    ("empty", ""),
    ("space", " "),
    ("zero", "0"),
    ("minus1", "-1"),
    ("huge_neg", "-999999999999"),
    ("1e309", "1e309"),
    ("nan", "nan"),
    ("NaN", "NaN"),
    ("inf", "inf"),
    ("neg_inf", "-inf"),
    ("3.5", "3.5"),
    ("comma_1,5", "1,5"),
    ("hex_0x10", "0x10"),
    ("padded_7", " 7 "),
    ("underscore_1_000", "1_000"),
    ("digits_400", "9" * 400),
    ("arabic_digits", "٣"),
]
LITERALS: list[tuple[str, str]] = [
    ("true", "true"),
    ("None", "None"),
    ("null", "null"),
    ("list", "[]"),
    ("dict", "{}"),
    ("causall", "causall"),
    ("CAUSAL", "CAUSAL"),
    ("zh_name", "中文"),
]
LONG: list[tuple[str, str]] = [
    ("long_a_10k", "a" * 10_000),
    ("long_cjk_10k", _cycle(CJK_SENTENCE, 10_000)),
    ("long_emoji_3k", _cycle("🙂🚀😀🎉", 3_000)),
]
UNICODE: list[tuple[str, str]] = [
    ("cjk", CJK_SENTENCE),
    ("emoji", EMOJI),
    ("rtl", "مرحبا بالعالم"),
    ("rlo_override", "\u202eevil"),
    ("control_chars", "\x00\x01\x1b[31m"),
    ("zero_width", "\u200b\u200d"),
    ("combining", "e\u0301\u0301\u0301"),
]
HTML_PAYLOADS: list[tuple[str, str]] = [
    ("script_tag", "<script>window.__pwned=1</script>"),
    ("img_onerror", "<img src=x onerror=window.__pwned=1>"),
    ("js_url", "javascript:alert(1)"),
    ("md_js_link", "[x](javascript:alert(1))"),
    ("md_image", "![x](http://127.0.0.1:1/x.png)"),
]
TEMPLATES: list[tuple[str, str]] = [
    ("fmt_name", "{name}"),
    ("fmt_0", "{0}"),
    ("percent_s", "%s"),
    ("braces", "{{}}"),
    ("latex", "$\\\\LaTeX$"),
    ("sql", "'; DROP TABLE x;--"),
]

HOSTILE: list[tuple[str, str]] = NUMBERS + LITERALS + LONG + UNICODE + HTML_PAYLOADS + TEMPLATES
HOSTILE_IDS = [name for name, _ in HOSTILE]
HOSTILE_BY_ID = dict(HOSTILE)

# Substrings of HTML_PAYLOADS that would be dangerous if a markdown/HTML element showed them raw.
DANGEROUS_FRAGMENTS = ("<script", "<img", "onerror", "javascript:", "](http", "__pwned")

assert len(HOSTILE_IDS) == len(set(HOSTILE_IDS)), "hostile ids must be unique"
assert len(HOSTILE) >= 40
