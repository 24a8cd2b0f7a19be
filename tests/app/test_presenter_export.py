"""Presenter mode leaves out what the projector should not show (issue 14, item 4): the Export menu under every
chart is there for students and gone with ``present=1``, the charts themselves stay."""

from __future__ import annotations

import pytest
from chart_data import chart_elements
from page_helpers import open_page, tr


def export_menus(at) -> list:
    return [block for block in at.get("popover") if block.proto.popover.label == tr("export.menu")]


@pytest.mark.parametrize("url_path", ["playground", "why-sqrt-dk", "masks"])
def test_export_menus_are_left_out_in_presenter_mode(url_path: str) -> None:
    student = open_page(url_path, lang="en")
    projector = open_page(url_path, lang="en", present=1)
    assert export_menus(student), url_path
    assert not export_menus(projector), url_path
    assert len(chart_elements(projector)) == len(chart_elements(student)) > 0
