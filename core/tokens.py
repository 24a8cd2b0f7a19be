"""Sentences → tokens → embeddings, deterministic so the same controls always show the same numbers.

Words for space-separated text; one token per character for CJK (我在学习人工智能 → 8 tokens).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import regex
import torch
from torch import Tensor

PAD_TOKEN = "<pad>"

# Han characters (Chinese hanzi, Japanese kanji) only: the unified ideographs, their extensions and compatibility forms.
HAN_RANGES: tuple[tuple[int, int], ...] = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
# CJK scripts: the app's one definition of a CJK character. The tokenizer makes each one a token of its own,
# ui/export.py names a CJK font for a chart that holds one, and the canvas heatmap (static/heatmap/heatmap.js,
# which keeps a copy of these ranges, checked by tests/core/test_tokens.py) stacks such labels upright.
CJK_RANGES: tuple[tuple[int, int], ...] = tuple(
    sorted(
        (
            *HAN_RANGES,
            (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
            (0x3005, 0x3007),  # 々 〆 〇
            (0x3021, 0x3029),  # Hangzhou numerals
            (0x3040, 0x30FF),  # hiragana, katakana
            (0x3100, 0x312F),  # bopomofo
            (0x31A0, 0x31BF),  # bopomofo extended
            (0xAC00, 0xD7AF),  # Hangul syllables
        )
    )
)


def _character_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{chr(low)}-{chr(high)}" for low, high in ranges)


_CJK = _character_class(CJK_RANGES)
_CJK_CHARACTER = re.compile(f"[{_CJK}]")
_HAN_CHARACTER = re.compile(f"[{_character_class(HAN_RANGES)}]")


def is_cjk(char: str) -> bool:
    """Whether the character ``char`` is CJK (Han, kana, bopomofo, Hangul, radicals; not punctuation)."""
    return any(low <= ord(char) <= high for low, high in CJK_RANGES)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK character (see ``CJK_RANGES``)."""
    return _CJK_CHARACTER.search(text) is not None


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Han character (汉字)."""
    return _HAN_CHARACTER.search(text) is not None


# Text is read in user-perceived characters (extended grapheme clusters, Unicode UAX #29, the `regex`
# package's \X): a base character with its combining marks (é, स्ते), an emoji ZWJ sequence (👩‍👩‍👧‍👦), a flag
# (two regional indicators, 🇨🇳) or a keycap is one character, never split into tokens of its own.
_CLUSTER = regex.compile(r"\X")
# One CJK character | a word (letters/digits, inner apostrophes) | any other single visible symbol; each
# alternative starts at a cluster and takes it whole.
_WORD_CHARACTER = rf"(?![{_CJK}])(?=\w)\X"
_TOKEN = regex.compile(rf"(?=[{_CJK}])\X|(?:{_WORD_CHARACTER})+(?:['’](?:{_WORD_CHARACTER})+)*|(?=[^\w\s])\X")


def _invisible(cluster: str) -> bool:
    # A cluster of control or format characters only (NUL, ESC, a zero-width space, a stray joiner or BOM).
    # Inside a cluster they stay: the zero-width joiners of 👩‍👩‍👧‍👦 are what makes it one character.
    return all(unicodedata.category(ch) in ("Cc", "Cf") and not ch.isspace() for ch in cluster)


def _visible(text: str) -> str:
    return "".join(cluster for cluster in _CLUSTER.findall(text) if not _invisible(cluster))


def tokenize(text: str) -> list[str]:
    """Split text into tokens. Control and format characters are dropped; punctuation stands alone."""
    return _TOKEN.findall(_visible(text))


def clip_text(text: str, max_chars: int) -> str:
    """At most ``max_chars`` code points of ``text``, cut at a character boundary (never inside 👩‍👩‍👧‍👦)."""
    if len(text) <= max_chars:
        return text
    end = 0
    for match in _CLUSTER.finditer(text):  # lazy: stops at the first cluster past the limit
        if match.end() > max_chars:
            break
        end = match.end()
    return text[:end]


def text_read(text: str, max_chars: int, max_tokens: int) -> str:
    """The part of ``text`` that can become tokens: clipped to ``max_chars``, then cut after its
    ``max_tokens``-th token (a link need not carry what is never read)."""
    clipped = clip_text(text, max_chars)
    visible: list[str] = []
    length = 0
    original_end = {0: 0}  # end of the visible text so far → the same place in ``clipped``
    for match in _CLUSTER.finditer(clipped):
        if not _invisible(match.group()):
            visible.append(match.group())
            length += len(match.group())
            original_end[length] = match.end()
    for count, token in enumerate(_TOKEN.finditer("".join(visible)), start=1):
        if count == max_tokens:
            return clipped[: original_end[token.end()]]  # tokens take whole clusters: a mapped offset
    return clipped


def _token_seed(token: str, seed: int) -> int:
    # A stable hash (Python's hash() changes per process), so a word keeps its vector across runs.
    digest = hashlib.blake2b(f"{seed}\x1f{token.casefold()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF


def embed_tokens(tokens: list[str], d_model: int, seed: int) -> Tensor:
    """Shapes: ``[L, d_model]``. Each token's vector depends only on its text (case-folded) and the seed.

    Entries are standard normal; the padding token embeds to zeros.
    """
    rows = []
    generator = torch.Generator()
    for token in tokens:
        if token == PAD_TOKEN:
            rows.append(torch.zeros(d_model))
            continue
        generator.manual_seed(_token_seed(token, seed))
        rows.append(torch.randn(d_model, generator=generator))
    if not rows:
        return torch.zeros(0, d_model)
    return torch.stack(rows)


def random_embeddings(seq_len: int, d_model: int, seed: int) -> Tensor:
    """Shapes: ``[L, d_model]`` of standard normal entries, for the random-token mode."""
    # A stream of its own: build_model draws W_q from manual_seed(seed), and sharing it made the
    # embeddings equal to W_q's rows × √d_model (projected q then had variance ≈ 2, not 1).
    generator = torch.Generator().manual_seed(_token_seed("\x00random", seed))
    return torch.randn(seq_len, d_model, generator=generator)


def fit_to_length(tokens: list[str], seq_len: int) -> list[str]:
    """Cut to ``seq_len`` tokens, or pad with ``PAD_TOKEN`` up to it."""
    return tokens[:seq_len] + [PAD_TOKEN] * max(0, seq_len - len(tokens))
