"""The notice a freshly started server shows while it imports torch: only then, in the link's language."""

from __future__ import annotations

import pytest
from page_helpers import tr
from streamlit.testing.v1 import AppTest


def notice_script() -> None:
    from ui.loading import first_run_notice

    first_run_notice()


@pytest.mark.parametrize(("lang", "expected"), [("zh", "zh"), ("en", "en"), ("xx", "en")])
def test_a_fresh_process_says_it_is_loading(monkeypatch, lang: str, expected: str) -> None:
    monkeypatch.setattr("ui.loading.SLOW_IMPORT", "a_module_nobody_imported")  # as in a new process
    at = AppTest.from_function(notice_script)
    at.query_params["lang"] = lang
    at.run()
    assert [node.value for node in at.info] == [tr("loading.first_run", expected)]


def test_a_process_that_has_loaded_shows_nothing() -> None:
    import torch  # noqa: F401 (what the entry script imports right after the notice)

    at = AppTest.from_function(notice_script).run()
    assert len(at.info) == 0 and not at.exception
