"""AppTest tests of the cost lesson. Timings are never compared with speeds: the tests check that the page
shows the run it measured (or cached), that the computed memory and every mask count equal ``core``, and
that each control changes what is shown."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from chart_data import chart_elements
from page_helpers import median_rerun_seconds, open_page, set_controls, tr, widget
from streamlit.testing.v1 import AppTest

from core.cost import (
    COST_MASK_KINDS,
    MaskShape,
    allowed_count,
    doubling_lengths,
    io_bytes,
    naive_matrix_bytes,
    tile_fractions,
)
from ui.i18n import STRINGS

PAGE_PATH = "cost"
MB = 2**20
MASK_LENGTHS = [16 * 2**i for i in range(9)]


def prefix(key: str, lang: str = "en") -> str:
    """The fixed text before a string's first placeholder."""
    return STRINGS[key][lang].split("{")[0]


@pytest.fixture
def page() -> AppTest:
    return open_page(PAGE_PATH)


def charts(at: AppTest) -> dict[str, dict[str, pd.DataFrame]]:
    """Every chart's datasets, by the chart's title."""
    found = {}
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or spec.get("layer", [{}])[0].get("title")
        title = title.get("text") if isinstance(title, dict) else title
        found[title] = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
    return found


def spec_of(at: AppTest, title: str) -> dict:
    found = [spec for spec in (json.loads(e.proto.spec) for e in chart_elements(at)) if spec.get("title") == title]
    assert len(found) == 1
    return found[0]


def table(at: AppTest, first_column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if d.value.columns[0] == first_column]
    assert len(found) == 1, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def timings(at: AppTest) -> pd.DataFrame:
    return table(at, "L")


def masks_table(at: AppTest, lang: str = "en") -> pd.DataFrame:
    return table(at, tr("cost.col.mask", lang))


def notices(at: AppTest) -> list[str]:
    return [e.value for e in (*at.success, *at.info)]


def series(df: pd.DataFrame, name: str, column: str) -> np.ndarray:
    rows = df[df["series"] == name].sort_values("L")
    return rows[column].to_numpy()


def assert_clean(at: AppTest) -> None:
    for title, datasets in charts(at).items():
        for name, df in datasets.items():
            assert not df.isna().any().any(), f"{title}/{name}: nulls"
            numbers = df.select_dtypes(include="number").to_numpy(dtype=np.float64)
            assert np.isfinite(numbers).all(), f"{title}/{name}: non-finite numbers"


# ── 1. timings ───────────────────────────────────────────────────────────────


def test_the_time_chart_and_table_show_one_measured_run(page: AppTest) -> None:
    found = charts(page)
    assert list(found) == [
        tr("cost.chart.time", d_k=64),
        tr("cost.chart.patterns", L=1024, side=16),
        tr("cost.chart.counts"),
    ]
    times = found[tr("cost.chart.time", d_k=64)]["times"]
    rows = timings(page)
    lengths = rows["L"].tolist()
    assert lengths == list(doubling_lengths(16, 2048)[: len(lengths)]) and len(lengths) >= 4
    naive, fused = series(times, tr("cost.series.naive"), "ms"), series(times, tr("cost.series.fused"), "ms")
    assert (naive > 0).all() and (fused > 0).all()
    np.testing.assert_allclose(rows[tr("cost.col.naive_ms")], naive)
    np.testing.assert_allclose(rows[tr("cost.col.fused_ms")], fused)
    np.testing.assert_allclose(rows[tr("cost.col.ratio")], naive / fused)
    # The O(L²) guide meets the naive line at the longest length and falls by 4× per halving.
    guide = series(times, tr("cost.series.guide"), "ms")
    np.testing.assert_allclose(guide, naive[-1] * (np.array(lengths) / lengths[-1]) ** 2)
    # Memory is computed exactly from the shapes.
    assert rows[tr("cost.col.matrix_mb")].tolist() == [naive_matrix_bytes(n) / MB for n in lengths]
    assert rows[tr("cost.col.io_mb")].tolist() == [io_bytes(n, 64) / MB for n in lengths]
    assert rows[tr("cost.col.matrix_mb")].iloc[-1] == 2 * lengths[-1] ** 2 * 4 / MB
    assert len(notices(page)) == 1
    assert_clean(page)


def test_a_rerun_shows_the_cached_run_and_measure_again_measures(page: AppTest) -> None:
    first = timings(page)
    page.run()
    assert timings(page).equals(first)  # the same run, from the cache
    (notice,) = notices(page)
    assert notice.startswith(prefix("cost.cached"))
    widget(page, "cost_again").click()
    start = time.perf_counter()
    page.run()
    elapsed = time.perf_counter() - start
    assert not page.exception
    (notice,) = notices(page)
    assert [s.value for s in page.success] == [notice]
    assert notice.startswith(prefix("cost.fresh"))
    assert f": {len(timings(page))} lengths in" in notice
    assert elapsed < 5  # the measurement is bounded (budget 1.5 s); a generous ceiling for loaded machines


def test_d_k_and_the_longest_length_change_what_is_measured(page: AppTest) -> None:
    set_controls(page, cost_d_k="16", cost_longest="512")
    rows = timings(page)
    assert rows["L"].tolist() == [16, 32, 64, 128, 256, 512]
    assert rows[tr("cost.col.io_mb")].tolist() == [io_bytes(n, 16) / MB for n in rows["L"]]
    assert tr("cost.chart.time", d_k=16) in charts(page)
    growth = [c.value for c in page.caption if c.value.startswith("From L = 256 to 512")]
    assert len(growth) == 1


def test_a_length_left_out_is_explained(page: AppTest) -> None:
    set_controls(page, cost_d_k="128", cost_longest="4096")
    lengths = timings(page)["L"].tolist()
    text = "\n".join(c.value for c in page.caption)
    if lengths[-1] < 4096:
        skipped = lengths[-1] * 2
        assert f"L = {skipped} was not measured" in text
    else:
        assert "was not measured" not in text


# ── 2. masks ─────────────────────────────────────────────────────────────────


def test_mask_counts_patterns_and_curves_equal_core(page: AppTest) -> None:
    set_controls(page, cost_len="256", cost_window=3, cost_block=16, cost_stride=7)
    shape = MaskShape(window=3, block=16, stride=7)
    rows = masks_table(page)
    assert rows[tr("cost.col.mask")].tolist() == [tr(f"cost.kind.{k}") for k in COST_MASK_KINDS]
    counts = [allowed_count(k, 256, shape) for k in COST_MASK_KINDS]
    assert rows[tr("cost.col.count")].tolist() == counts
    np.testing.assert_allclose(rows[tr("cost.col.share")], [100 * c / 256**2 for c in counts])
    assert rows[tr("cost.col.rule")].tolist() == [
        tr("cost.always"),
        "j ≤ i",
        "|i − j| ≤ 3",
        "⌊i / 16⌋ = ⌊j / 16⌋",
        "(i − j) mod 7 = 0",
    ]
    found = charts(page)
    tiles = found[tr("cost.chart.patterns", L=256, side=4)]["tiles"]
    for kind in COST_MASK_KINDS:
        panel = tiles[tiles["panel"] == tr(f"cost.kind.{kind}")]
        shown = panel.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()
        np.testing.assert_allclose(shown, tile_fractions(kind, 256, shape, 64).numpy())
    # Hovering a tile names the positions it covers ("4–7"), computed in the browser from the tile index.
    transform = spec_of(page, tr("cost.chart.patterns", L=256, side=4))["spec"]["transform"]
    assert transform == [
        {"calculate": "(datum.row * 4) + '–' + (datum.row * 4 + 3)", "as": "queries"},
        {"calculate": "(datum.col * 4) + '–' + (datum.col * 4 + 3)", "as": "keys"},
    ]
    curves = found[tr("cost.chart.counts")]
    assert curves["marker"]["L"].tolist() == [256]
    for kind in COST_MASK_KINDS:
        shown = series(curves["counts"], tr(f"cost.kind.{kind}"), "count")
        assert shown.tolist() == [allowed_count(kind, n, shape) for n in MASK_LENGTHS]
    assert_clean(page)


@pytest.mark.parametrize(
    ("control", "value", "kind"),
    [("cost_window", 100, "sliding"), ("cost_block", 1, "block"), ("cost_stride", 2, "strided")],
)
def test_each_mask_size_changes_only_its_own_mask(page: AppTest, control: str, value: int, kind: str) -> None:
    before = masks_table(page)[tr("cost.col.count")].tolist()
    set_controls(page, **{control: value})
    after = masks_table(page)[tr("cost.col.count")].tolist()
    changed = [k for k, b, a in zip(COST_MASK_KINDS, before, after, strict=True) if b != a]
    assert changed == [kind]
    shape = MaskShape(**{"window": 32, "block": 64, "stride": 32, control.removeprefix("cost_"): value})
    assert after[COST_MASK_KINDS.index(kind)] == allowed_count(kind, 1024, shape)


def test_a_short_sequence_draws_every_pair(page: AppTest) -> None:
    set_controls(page, cost_len="16", cost_window=1)
    tiles = charts(page)[tr("cost.chart.patterns", L=16, side=1)]["tiles"]
    sliding = tiles[tiles["panel"] == tr("cost.kind.sliding")]
    allowed = (sliding["row"].astype(int) - sliding["col"].astype(int)).abs() <= 1
    assert (sliding["value"] == allowed.astype(float)).all()
    assert len(sliding) == 16 * 16
    transform = spec_of(page, tr("cost.chart.patterns", L=16, side=1))["spec"]["transform"]
    assert transform[0] == {"calculate": "'' + (datum.row * 1)", "as": "queries"}


# ── 3. language, links, speed ────────────────────────────────────────────────


def test_chinese(page: AppTest) -> None:
    set_controls(page, lang="zh")
    assert page.header[0].value == tr("cost.title", "zh")
    found = charts(page)
    assert tr("cost.chart.counts", "zh") in found
    times = found[tr("cost.chart.time", "zh", d_k=64)]["times"]
    assert set(times["series"]) == {tr(f"cost.series.{s}", "zh") for s in ("naive", "fused", "guide")}
    assert masks_table(page, "zh")[tr("cost.col.rule", "zh")].iloc[0] == tr("cost.always", "zh")
    assert_clean(page)


def test_a_link_restores_the_page_controls_and_bad_values_get_a_notice() -> None:
    at = open_page(PAGE_PATH, cost_d_k="32", cost_longest="512", cost_len="64", cost_window="2", cost_stride="999")
    state = {k: at.session_state[k] for k in ("cost_d_k", "cost_longest", "cost_len", "cost_window", "cost_stride")}
    assert state == {"cost_d_k": "32", "cost_longest": "512", "cost_len": "64", "cost_window": 2, "cost_stride": 512}
    assert [w.value for w in at.warning] == [tr("msg.clamped_param", name="cost_stride", value=512)]
    assert timings(at)["L"].tolist()[-1] == 512
    assert masks_table(at)[tr("cost.col.count")].tolist()[2] == allowed_count("sliding", 64, MaskShape(2, 64, 512))
    assert dict(at.query_params)["cost_len"] == "64"

    at = open_page(PAGE_PATH, cost_d_k="<b>7</b>", cost_len="100")
    warnings = [w.value for w in at.warning]
    assert warnings == [tr("msg.bad_param", name="cost_d_k"), tr("msg.bad_param", name="cost_len")]
    assert (at.session_state["cost_d_k"], at.session_state["cost_len"]) == ("64", "1024")


def test_rerun_time_at_defaults(page: AppTest) -> None:
    median = median_rerun_seconds(page, "cost at defaults")
    assert median < 1.0  # cached measurement: a rerun only draws; a generous ceiling
