"""The one set of AppTest helpers, shared by the page tests (tests/app) and the hostile-input suite
(tests/robustness): open a page as a link opens it, find a widget by key, set controls and rerun, and the
app's translated strings. (chart_data.py reads the charts; ``set_controls_read_charts`` there sets controls
and returns the charts.)"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ui.i18n import STRINGS

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_app.py"
TIMEOUT = 60  # seconds a run may take


def tr(key: str, lang: str = "en", **values: object) -> str:
    """The app's string for ``key`` in ``lang``, filled in as the app fills it."""
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def all_nodes(at: AppTest) -> Iterator[Any]:
    """Every block and element of the last run (main, sidebar and the rest), depth first."""
    yield from at._tree


def widget(at: AppTest, key: str):
    """The widget with this key (anywhere on the page), or None if the page did not draw it."""
    found = [node for node in all_nodes(at) if getattr(node, "key", None) == key]
    assert len(found) <= 1, f"{len(found)} widgets with key {key!r}"
    return found[0] if found else None


def open_page(
    url_path: str,
    query: Mapping[str, Any] | None = None,
    *,
    root: bool = False,
    run: Callable[[AppTest], object] = AppTest.run,
    allow_exceptions: bool = False,
    state: Mapping[str, Any] | None = None,
    **params: object,
) -> AppTest:
    """A first visit to /<url_path>?<query>: a deep link, as a shared URL opens the page. Asserts that the run
    raised nothing (unless ``allow_exceptions``: the caller checks) and that it finished on ``url_path``.

    The query string is ``query`` as given (a list value is a repeated parameter), then ``params`` as text.
    ``root`` requests the bare "/" instead, which opens the first page. ``run`` runs the session (the
    robustness suite passes the one that points its language shim at it). ``state`` is put into the session
    before that first run (e.g. a popover already open)."""
    at = AppTest.from_file(str(ENTRY), default_timeout=TIMEOUT)
    for name, value in {**(query or {}), **{name: str(value) for name, value in params.items()}}.items():
        at.query_params[name] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if not root:
        # A deep link: request the page by its st.Page hash (calc_hash(url_path)), as the browser's page name
        # does. AppTest.switch_page needs a run first, which would consume the query string.
        at._page_hash = calc_hash(url_path)
    run(at)
    if not allow_exceptions:
        assert not at.exception, [e.value for e in at.exception]
    landed = at._finished_page_script_hash
    assert landed == calc_hash(url_path), f"opened {url_path!r} but the run finished on page hash {landed}"
    return at


def set_controls(at: AppTest, **values: object) -> AppTest:
    """Set widgets by key, rerun once, and check the run raised nothing."""
    for key, value in values.items():
        found = widget(at, key)
        assert found is not None, f"no widget {key!r}"
        found.set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest, **state: object) -> AppTest:
    """Put ``state`` into the session (keys need no widget on the page), rerun once, check it raised nothing."""
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """Every st.metric of the last run: label → the value shown."""
    return {m.label: m.value for m in at.metric}


def median_rerun_seconds(at: AppTest, label: str, runs: int = 5) -> float:
    """Rerun ``at`` ``runs`` times as it is; print each time and return the median, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"\n{label}: AppTest rerun median {median * 1000:.0f} ms of {[round(t * 1000) for t in times]} ms")
    return median
