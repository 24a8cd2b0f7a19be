"""One translation function, ``t``, for every string on every page (English and 中文).

Strings live in ``ui/strings/``: ``common.py`` for shared ones and one module per page, each with a
``STRINGS`` dict of ``key → {"en": …, "zh": …}``. Every module there is loaded, so a new page adds
its own file and touches nothing else; a duplicate key is an error, and a test fails if a language is
missing.
"""

from __future__ import annotations

import importlib
import pkgutil

import streamlit as st

from ui import strings as _strings_package

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_KEY = "lang"


def _load_strings() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for module_info in sorted(pkgutil.iter_modules(_strings_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{_strings_package.__name__}.{module_info.name}")
        clash = merged.keys() & module.STRINGS.keys()
        if clash:
            raise KeyError(f"ui/strings/{module_info.name}.py redefines {sorted(clash)}")
        merged.update(module.STRINGS)
    return merged


STRINGS = _load_strings()


def language() -> str:
    """The current language code, from the sidebar switch (English until it has run)."""
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """Translate ``key`` into the current language and fill in ``values``."""
    text = STRINGS[key][language()]
    return text.format(**values) if values else text


def sentences(*parts: str) -> str:
    """Sentences run together as each language writes them: a space after an English full stop, none after 。."""
    return " ".join(part for part in parts if part).replace("。 ", "。")
