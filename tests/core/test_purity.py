"""core/ is pure torch: no Streamlit, Altair or pandas, so it can be tested and reused without a UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = {"streamlit", "altair", "pandas"}
CORE_FILES = sorted(CORE.glob("*.py"))


def imported_top_level_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_files_found() -> None:
    assert {p.name for p in CORE_FILES} >= {"__init__.py", "attention.py", "masks.py", "multihead.py", "tokens.py"}


def test_checker_sees_imports() -> None:
    # Guard against a checker that never finds anything.
    assert imported_top_level_modules("import streamlit as st\nfrom pandas.api import x\n") == {"streamlit", "pandas"}


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_no_ui_imports_in_source(path: Path) -> None:
    found = imported_top_level_modules(path.read_text(encoding="utf-8")) & FORBIDDEN
    assert not found, f"{path.name} imports {sorted(found)}"


def test_importing_core_loads_no_ui_modules() -> None:
    code = "import core, sys; print(any(m.split('.')[0] in ('streamlit','altair','pandas') for m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=CORE.parent, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
