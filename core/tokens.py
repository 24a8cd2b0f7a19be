"""Sentences → tokens → embeddings, deterministic so the same controls always show the same numbers.

Words for space-separated text; one token per character for CJK (我在学习人工智能 → 8 tokens).
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata

import torch
from torch import Tensor

PAD_TOKEN = "<pad>"

_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
)
# Han characters (Chinese hanzi, Japanese kanji) only: the unified ideographs, their extensions and compatibility forms.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAN_CHARACTER = re.compile(f"[{_HAN}]")


def has_han(text: str) -> bool:
    """Whether ``text`` holds a Han character (汉字)."""
    return _HAN_CHARACTER.search(text) is not None


def _combining_marks() -> str:
    # Regex class body of every Unicode mark (Mn, Mc, Me): accents, Indic vowel signs, variation selectors.
    # `\w` excludes them, so without this "नमस्ते" or a decomposed "café" would shed lone-mark tokens.
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


_MARK = _combining_marks()
# One CJK character | a word (letters/digits, inner apostrophes) | any other single visible symbol;
# each base character keeps the combining marks that follow it.
_TOKEN = re.compile(
    rf"[{_CJK}][{_MARK}]*|(?:(?![{_CJK}])\w[{_MARK}]*)+(?:['’](?:(?![{_CJK}])\w[{_MARK}]*)+)*|[^\w\s][{_MARK}]*"
)


def tokenize(text: str) -> list[str]:
    """Split text into tokens. Control and format characters are dropped; punctuation stands alone."""
    visible = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or ch.isspace())
    return _TOKEN.findall(visible)


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
