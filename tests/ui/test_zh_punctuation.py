"""Chinese UI text uses full-width punctuation next to Chinese: （）,：; not ASCII ( ) , : ;.

"做点积(Q·Kᵀ),乘以" should read "做点积（Q·Kᵀ），乘以". Code and maths keep their ASCII: text in backticks, $…$,
format placeholders ({n}, {x:.2f}), URLs and link targets are skipped, as are calls and tuples with no Chinese
inside, such as softmax(x), f(x) or (i, j). A Chinese character or a full-width mark next to an ASCII mark flags
it; a pair of parentheses is flagged when Chinese touches it from outside or inside.
"""

from __future__ import annotations

import re

import pytest

from ui.i18n import STRINGS

FULL_WIDTH = {"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"}
# Han, kana, Hangul, CJK symbols and punctuation (、。「」…), full-width forms (（），：；！？).
_CHINESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_SKIPPED = re.compile(
    r"`[^`]*`"  # code
    r"|\$[^$]*\$"  # maths
    r"|\{[^{}]*\}"  # format placeholders, format specs included
    r"|https?://\S+"  # URLs
    r"|\]\([^)]*\)"  # a Markdown link's target
)
_CALL = re.compile(r"[A-Za-z0-9_\u1d00-\u1dbf\u2070-\u209f′']$")  # softmax(, f(, Kᵀ(: a call or maths, not prose
_TUPLE = re.compile(r"^[\sA-Za-z0-9_.,+\-−=×·/\x00]*,[\sA-Za-z0-9_.,+\-−=×·/\x00]*$")  # (i, j), (B, L, d_k)

# Strings whose ASCII marks beside Chinese are code or data by design (none so far).
ALLOWED: dict[str, str] = {}


def _masked(text: str) -> str:
    """``text`` with every skipped span replaced by NULs (same length, so indices still match)."""
    return _SKIPPED.sub(lambda m: "\x00" * len(m.group()), text)


def _chinese(ch: str) -> bool:
    return bool(ch) and _CHINESE.match(ch) is not None


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character that is not a space, from ``index`` in direction ``step`` ('' at the ends)."""
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def ascii_marks_beside_chinese(text: str) -> list[int]:
    """Indices of ASCII ( ) , : ; that should be full-width, in order."""
    masked = _masked(text)
    flagged: set[int] = set()
    for index, ch in enumerate(masked):
        if ch in ",:;" and (_chinese(masked[index - 1] if index else "") or _chinese(masked[index + 1 : index + 2])):
            flagged.add(index)
    opened: list[int] = []
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    for index, ch in enumerate(masked):
        if ch == "(":
            opened.append(index)
        elif ch == ")":
            if opened:
                pairs.append((opened.pop(), index))
            else:
                unmatched.append(index)
    unmatched += opened
    for start, end in pairs:
        inner = masked[start + 1 : end]
        if not _CHINESE.search(inner) and (_CALL.search(masked[:start]) or _TUPLE.match(inner)):
            continue  # softmax(x), (i, j): maths; √d_k(遮蔽 = −∞) is prose
        touching = (
            _chinese(_neighbour(masked, start, -1))
            or _chinese(_neighbour(masked, end, 1))
            or _chinese(_neighbour(masked, start, 1))
            or _chinese(_neighbour(masked, end, -1))
        )
        if touching:
            flagged.update((start, end))
    for index in unmatched:
        if _chinese(_neighbour(masked, index, -1)) or _chinese(_neighbour(masked, index, 1)):
            flagged.add(index)
    return sorted(flagged)


def full_width(text: str) -> str:
    """``text`` with the flagged marks made full-width and the spaces around them dropped (the fix)."""
    while True:
        flagged = ascii_marks_beside_chinese(text)
        if not flagged:
            return text
        chars = list(text)
        for index in flagged:
            chars[index] = FULL_WIDTH[chars[index]]
            for step in (-1, 1):  # a full-width mark carries its own space
                near = index + step
                while 0 <= near < len(chars) and chars[near] == " ":
                    chars[near] = ""
                    near += step
        text = "".join(chars)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("做点积(Q·Kᵀ),乘以", "做点积（Q·Kᵀ），乘以"),
        ("查询(Q)与键(K)", "查询（Q）与键（K）"),
        ("窗口(每侧词元数)", "窗口（每侧词元数）"),
        ("结果: 3", "结果：3"),
        ("形状 (B, H, L, d_k) 不变", "形状 (B, H, L, d_k) 不变"),  # a tuple: maths
        ("对 softmax(x) 求导,得到", "对 softmax(x) 求导，得到"),  # a call keeps its parentheses
        ("第 {n} 行: {x:.2f}", "第 {n} 行：{x:.2f}"),  # the format spec's colon stays
        ("用 `f(x)` 计算,再", "用 `f(x)` 计算，再"),
        ("见 [文档](https://a.b/c),然后", "见 [文档](https://a.b/c)，然后"),
        ("Q·Kᵀ / √d_k", "Q·Kᵀ / √d_k"),
        ("格子 ({i}, {j}):查询", "格子 ({i}, {j})：查询"),
        ("得分 Q·Kᵀ/√d_k(遮蔽 = −∞)", "得分 Q·Kᵀ/√d_k（遮蔽 = −∞）"),
    ],
)
def test_the_rule_on_examples(text: str, expected: str) -> None:
    assert full_width(text) == expected
    assert ascii_marks_beside_chinese(expected) == []


def test_every_chinese_string_uses_full_width_punctuation() -> None:
    found = []
    for key, texts in STRINGS.items():
        text = texts.get("zh", "")
        if key in ALLOWED or not (hits := ascii_marks_beside_chinese(text)):
            continue
        found.append(f"{key}: " + " · ".join(text[max(0, i - 6) : i + 7] for i in hits[:3]))
    assert not found, f"{len(found)} strings with ASCII punctuation beside Chinese:\n" + "\n".join(found)
