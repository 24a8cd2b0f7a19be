"""The detectors the suite relies on really detect: each runs on a tiny script that shows the fault."""

from __future__ import annotations

import pytest
from harness import (
    URL_NOTICE_KEYS,
    chart_problems,
    html_problems,
    notices,
    shown_number_problems,
    tr,
    unescaped_marks,
)
from streamlit.testing.v1 import AppTest


def _run(script: str) -> AppTest:
    at = AppTest.from_string(script, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


CHART = """
import numpy as np, pandas as pd, streamlit as st
df = pd.DataFrame({{"x": [0, 1, 2], "value": [0.5, {bad}, 1.0], "masked": [False, False, {masked}]}})
spec = {{"mark": "rect", "data": {{"name": "cells"}}, "encoding": {{"x": {{"field": "x", "type": "ordinal"}}}},
        "params": [{{"name": "extent", "value": {extent}}}]}}
st.vega_lite_chart(spec | {{"datasets": {{"cells": df}}}})
"""


@pytest.mark.parametrize(
    ("bad", "masked", "extent", "found"),
    [
        ("0.25", "False", "1.0", 0),
        ("np.nan", "False", "1.0", 2),  # pandas NaN travels as an Arrow null: a null, and NaN once read
        ("np.inf", "False", "1.0", 1),
        ("None", "False", "1.0", 2),  # a null: counted as a null and as NaN once converted
        ("0.25", "True", "1.0", 1),  # a masked cell whose value is not 0
        ("0.25", "False", "float('nan')", 1),  # a non-finite chart param
    ],
)
def test_chart_problems_detects(bad, masked, extent, found) -> None:
    problems, checked = chart_problems(_run(CHART.format(bad=bad, masked=masked, extent=extent)))
    assert checked > 0
    assert len(problems) == found, problems


def test_html_problems_detects() -> None:
    payload = "<script>window.__pwned=1</script>"
    clean = _run(f"import streamlit as st\nst.markdown('plain')\nst.text_input('x', value={payload!r})")
    assert html_problems(clean, payload) == []
    unsafe = _run("import streamlit as st\nst.markdown('<b>x</b>', unsafe_allow_html=True)")
    assert any("allow_html" in p for p in html_problems(unsafe))
    raw = _run("import streamlit as st\nst.html('<b>x</b>')")
    assert html_problems(raw) != []
    echoed = _run(f"import streamlit as st\nst.caption('you typed ' + {payload!r})")
    assert any("<script" in p for p in html_problems(echoed, payload))


def test_shown_number_problems_detects() -> None:
    clean = _run("import streamlit as st\nst.caption('min 0.5, max 1.0 (NaN never)')\nst.code('float(\"inf\")')")
    assert shown_number_problems(clean) == []
    for script in (
        "st.caption(f'min {float(\"nan\"):.4f}')",
        "st.warning(f'scale {float(\"inf\")}')",
        "st.metric('diff', f'{float(\"nan\"):.2e}')",
        "import pandas as pd\nst.dataframe(pd.DataFrame({'a': [1.0, float('inf')]}))",
    ):
        assert shown_number_problems(_run("import streamlit as st\n" + script)) != [], script


def test_notices_and_marks_detectors() -> None:
    at = _run(
        "import streamlit as st\n"
        f"st.warning({tr('msg.bad_param', 'en', name='L')!r})\n"
        f"st.warning({tr('msg.clamped_param', 'zh', name='d_k', value=128)!r})\n"
        "st.warning('something else')\n"
        "st.caption('Keys 0 $, 1 $ and 2 \\\\$')"
    )
    assert notices(at, URL_NOTICE_KEYS) == [
        tr("msg.bad_param", "en", name="L"),
        tr("msg.clamped_param", "zh", name="d_k", value=128),
    ]
    assert unescaped_marks(at)["$"] == 2
