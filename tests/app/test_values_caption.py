"""The playground's caption about printed values follows the charts' own rule (issue 11): it appears
exactly when a chart leaves its numbers out, and says why."""

from __future__ import annotations

import pytest
from chart_data import heatmap_payloads
from page_helpers import open_page, tr

from ui.charts.heatmaps import MIN_CELL_FOR_TEXT


def shown(L: int) -> tuple[list[bool], list[str]]:
    at = open_page("playground", L=L)
    return [p["showValues"] for p in heatmap_payloads(at)[:3]], [c.value for c in at.caption]


@pytest.mark.parametrize("L", [10, 11, 12, 13])
def test_caption_appears_when_and_only_when_a_chart_hides_its_values(L):
    printed, captions = shown(L)
    small = tr("note.values_small", px=MIN_CELL_FOR_TEXT) in captions
    hidden = tr("note.values_hidden", n=12) in captions
    if L > 12:
        assert printed == [False, False, False] and hidden and not small
    else:
        assert not hidden
        assert small == (not all(printed[:2])), (L, printed, captions)
    if L == 10:
        assert printed == [True, True, True] and not small  # the defaults print every number
    if L == 11:
        assert printed[1] is False and small  # 12 columns with Σ: cells of 16 px
