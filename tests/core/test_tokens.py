"""Tokenizer and deterministic embeddings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import torch

from core import PAD_TOKEN, embed_tokens, fit_to_length, random_embeddings, tokenize
from core.tokens import CJK_RANGES, clip_text, has_cjk, has_han, is_cjk, text_read

ROOT = Path(__file__).resolve().parents[2]


def test_chinese_is_one_token_per_character() -> None:
    assert tokenize("我在学习人工智能") == ["我", "在", "学", "习", "人", "工", "智", "能"]


def test_mixed_chinese_and_latin() -> None:
    assert tokenize("我爱AI") == ["我", "爱", "AI"]


def test_english_words_contractions_and_punctuation() -> None:
    assert tokenize("Hello, world! I didn't go.") == ["Hello", ",", "world", "!", "I", "didn't", "go", "."]
    assert tokenize("don’t") == ["don’t"]  # typographic apostrophe too
    assert tokenize("The cat sat.") == ["The", "cat", "sat", "."]


@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\u3000"])
def test_empty_and_whitespace_give_no_tokens(text: str) -> None:
    assert tokenize(text) == []


def test_control_and_format_characters_are_dropped() -> None:
    assert tokenize("a\x00b\x07c d\u200be") == ["abc", "de"]
    assert tokenize("\x1b[31mred") == ["[", "31mred"]  # ESC dropped, the rest is ordinary text
    assert all(unicodedata.category(ch) not in ("Cc", "Cf") for t in tokenize("x\x00\u200d\ufeffy z") for ch in t)


def test_emoji_become_tokens() -> None:
    assert tokenize("hi 😀🎉 there") == ["hi", "😀", "🎉", "there"]


def test_html_splits_into_harmless_symbols() -> None:
    assert tokenize("<script>alert(1)</script>") == [
        "<", "script", ">", "alert", "(", "1", ")", "<", "/", "script", ">",
    ]  # fmt: skip


def test_combining_marks_stay_with_their_letter() -> None:
    # Regression: marks are not \w, so they used to be split off as lone (often invisible) tokens.
    assert tokenize("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]
    assert tokenize(unicodedata.normalize("NFD", "café au lait")) == [
        unicodedata.normalize("NFD", "café"),
        "au",
        "lait",
    ]
    assert tokenize("❤️ ok") == ["❤️", "ok"]  # heart + variation selector 16 is one token


def test_long_input_returns_right_count() -> None:
    text = "我" * 5000 + " word" * 1000  # 10,000 characters
    assert len(text) == 10_000
    tokens = tokenize(text)
    assert len(tokens) == 6000
    assert tokens[0] == "我" and tokens[-1] == "word"


def test_embed_shape_and_empty() -> None:
    assert embed_tokens(["a", "b", "c"], 8, seed=0).shape == (3, 8)
    empty = embed_tokens([], 8, seed=0)
    assert empty.shape == (0, 8)


def test_same_token_same_vector_across_sentences_and_calls() -> None:
    a = embed_tokens(tokenize("the cat sat"), 16, seed=3)
    b = embed_tokens(tokenize("a cat ran"), 16, seed=3)
    assert torch.equal(a[1], b[1])  # "cat" in both sentences
    assert torch.equal(a, embed_tokens(tokenize("the cat sat"), 16, seed=3))  # repeat call
    assert not torch.equal(a[0], a[1])  # different tokens differ


def test_embedding_depends_on_seed() -> None:
    assert not torch.equal(embed_tokens(["cat"], 16, seed=0), embed_tokens(["cat"], 16, seed=1))


def test_embedding_is_casefolded() -> None:
    e = embed_tokens(["The", "the", "THE"], 16, seed=0)
    assert torch.equal(e[0], e[1]) and torch.equal(e[1], e[2])


def test_embedding_is_stable_across_processes() -> None:
    # A fixed hash (not Python's per-process salted hash()), so a word keeps its vector between runs.
    code = "from core import embed_tokens; print(embed_tokens(['cat', 'Dog'], 4, seed=0).tolist())"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(embed_tokens(["cat", "Dog"], 4, seed=0).tolist())


def test_pad_token_embeds_to_zeros() -> None:
    e = embed_tokens(["cat", PAD_TOKEN], 8, seed=5)
    assert torch.equal(e[1], torch.zeros(8))
    assert e[0].abs().sum() > 0


def test_random_embeddings_deterministic_per_seed() -> None:
    a = random_embeddings(5, 7, seed=11)
    assert a.shape == (5, 7)
    assert torch.equal(a, random_embeddings(5, 7, seed=11))
    assert not torch.equal(a, random_embeddings(5, 7, seed=12))


def test_fit_to_length_pads_and_cuts() -> None:
    assert fit_to_length(["a", "b"], 4) == ["a", "b", PAD_TOKEN, PAD_TOKEN]
    assert fit_to_length(["a", "b", "c"], 2) == ["a", "b"]
    assert fit_to_length(["a", "b"], 2) == ["a", "b"]
    assert fit_to_length([], 3) == [PAD_TOKEN] * 3
    assert fit_to_length(["a"], 0) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("猫", True), ("東京", True), ("𠀀", True), ("ひらがな", False), ("한국어", False), ("😀", False), ("cat", False)],
)
def test_has_han_finds_chinese_characters_only(text: str, expected: bool) -> None:
    assert has_han(text) is expected


@pytest.mark.parametrize(
    ("char", "expected"),
    [("猫", True), ("ひ", True), ("한", True), ("々", True), ("𠀀", True), ("，", False), ("。", False), ("😀", False)],
)
def test_cjk_is_one_definition_of_scripts_not_punctuation(char: str, expected: bool) -> None:
    assert is_cjk(char) is expected and has_cjk(f"a{char}b") is expected
    if expected:
        assert tokenize(f"ab{char}{char}") == ["ab", char, char]  # a CJK character is a token of its own


def test_the_canvas_copy_of_the_cjk_ranges_is_the_same() -> None:
    script = (ROOT / "static" / "heatmap" / "heatmap.js").read_text(encoding="utf-8")
    pattern = re.search(r"const CJK = /\[(.*?)\]/u;", script).group(1)
    ranges = [
        (int(low, 16), int(high, 16)) for low, high in re.findall(r"\\u\{?([0-9a-f]+)\}?-\\u\{?([0-9a-f]+)\}?", pattern)
    ]
    assert tuple(ranges) == CJK_RANGES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👩‍👩‍👧‍👦 hi", ["👩‍👩‍👧‍👦", "hi"]),  # a ZWJ family is one character, its joiners kept
        ("🇨🇳🇺🇸", ["🇨🇳", "🇺🇸"]),  # a flag is two regional indicators
        ("👍🏽!", ["👍🏽", "!"]),  # an emoji with its skin-tone modifier
        ("我👩‍👩‍👧‍👦你", ["我", "👩‍👩‍👧‍👦", "你"]),
    ],
)
def test_user_perceived_characters_are_never_split(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


FAMILY = "👩‍👩‍👧‍👦"  # 7 code points


def test_clip_text_cuts_between_characters_only() -> None:
    assert clip_text("ab" + FAMILY, 4) == "ab"  # not half a family
    assert clip_text("ab" + FAMILY, 9) == "ab" + FAMILY
    assert clip_text("abc", 2) == "ab"
    assert clip_text("abc", 10) == "abc"


def test_text_read_keeps_what_the_tokens_use() -> None:
    assert text_read("one two  three four", 100, 3) == "one two  three"
    assert text_read("one two", 100, 64) == "one two"
    assert text_read("a\u200bb c", 100, 1) == "a\u200bb"  # an invisible character inside the first token
    assert text_read("我在学习人工智能", 100, 2) == "我在"
    long_text = "word " * 2000  # 10,000 characters
    kept = text_read(long_text, 2000, 64)
    assert tokenize(kept) == tokenize(long_text)[:64] and len(kept) == 5 * 64 - 1
