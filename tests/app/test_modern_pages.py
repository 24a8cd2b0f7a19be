"""AppTest runs of the RoPE, ALiBi and sliding-window pages: each control changes what is shown, and each
sentence that states a verdict picks its wording from the computed numbers (the opposite case included)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from chart_data import chart_elements
from page_helpers import open_page, set_controls, tr
from streamlit.testing.v1 import AppTest

PAGES = ("rope", "alibi", "sliding-window")


def chart_numbers(at: AppTest) -> list[np.ndarray]:
    """Every chart's numbers, all its datasets in order, one flat array per chart."""
    numbers = []
    for element in chart_elements(at):
        frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets]
        values = [frame.select_dtypes("number").to_numpy(dtype=np.float64).ravel() for frame in frames]
        numbers.append(np.concatenate(values) if values else np.zeros(0))
    return numbers


def changed(before: list[np.ndarray], after: list[np.ndarray]) -> bool:
    return len(before) != len(after) or any(
        a.shape != b.shape or not np.allclose(a, b) for a, b in zip(before, after, strict=True)
    )


def markdown(at: AppTest) -> list[str]:
    return [node.value for node in at.markdown]


@pytest.mark.parametrize("url_path", PAGES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_runs_with_finite_charts(url_path: str, lang: str) -> None:
    at = open_page(url_path, lang=lang)
    numbers = chart_numbers(at)
    assert numbers and all(np.isfinite(values).all() for values in numbers)


@pytest.mark.parametrize(
    ("url_path", "control", "value"),
    [
        ("rope", "rope_base", "100"),
        ("rope", "rope_shift", 7),
        ("rope", "rope_span", 40),
        ("rope", "d_k", 16),
        ("rope", "seed", 3),
        ("alibi", "heads", 4),
        ("alibi", "seed", 3),
        ("sliding-window", "sw_window", 5),
        ("sliding-window", "sw_sinks", 3),
        ("sliding-window", "sw_layers", 5),
        ("sliding-window", "seed", 3),
    ],
)
def test_each_control_changes_what_is_shown(url_path: str, control: str, value: object) -> None:
    at = open_page(url_path)
    before, words = chart_numbers(at), markdown(at)
    set_controls(at, **{control: value})
    assert changed(before, chart_numbers(at)) or markdown(at) != words
    assert at.query_params[control] in (str(value), [str(value)])


def test_alibi_compare_toggle_changes_the_view() -> None:
    at = open_page("alibi")
    before = chart_numbers(at)
    set_controls(at, alibi_compare=True)
    assert changed(before, chart_numbers(at))


def test_rope_shift_verdicts_follow_the_numbers() -> None:
    at = open_page("rope", rope_shift=5)
    shown = " ".join(markdown(at))
    assert "Moving every token by 5 leaves every score equal" in shown
    assert "Moving only the keys by 5 changes every distance m − n" in shown
    set_controls(at, rope_shift=0)  # the opposite case: moving the keys by 0 changes nothing
    shown = " ".join(markdown(at))
    assert "Moving only the keys by 0 changes no score" in shown and "changes every distance" not in shown


def test_sliding_window_sentences_follow_the_numbers() -> None:
    at = open_page("sliding-window", sw_window=3, sw_layers=3)
    assert "after 3 layers the last token reaches 6" in " ".join(markdown(at))  # ℓ · (W − 1) = 3 · 2
    set_controls(at, sw_window=1)
    assert tr("sw.reach.one", back=0) in markdown(at)
    set_controls(at, sw_window=3, sw_sinks=0)
    assert any(node.value == tr("sw.sinks.none_outside", L=at.session_state["L"], W=3, S=0) for node in at.info)
