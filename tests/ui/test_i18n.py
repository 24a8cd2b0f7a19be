"""Every string exists in English and 中文, and its placeholders match."""

import ast
import string
from pathlib import Path

import pytest

from ui.i18n import LANGUAGES, STRINGS

REPO = Path(__file__).resolve().parents[2]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_every_language_with_same_placeholders(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert _placeholders(entry["en"]) == _placeholders(entry["zh"])


def test_chinese_strings_are_really_translated():
    # Keys whose text is math or a symbol may be identical; anything else must differ.
    same = {key for key, entry in STRINGS.items() if entry["en"] == entry["zh"]}
    assert same <= {"ctl.d_k"}, same


def _translation_keys_used_in_code() -> set[str]:
    keys = set()
    for path in [*REPO.glob("app_pages/*.py"), *REPO.glob("ui/*.py"), REPO / "streamlit_app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_literal_key_used_in_code_exists():
    missing = _translation_keys_used_in_code() - set(STRINGS)
    assert not missing, missing
