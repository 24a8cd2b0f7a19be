"""AppTest tests of the step-by-step lesson: every step draws the matrix core computes, the stepper and
the URL move between steps, a clicked weight is written out with its real numbers (equal to the chart),
and hand-typed Q, K, V recompute every step."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import torch
import torch.nn.functional as F
from chart_data import chart_elements, click_heatmap, heatmap_payloads
from page_helpers import median_rerun_seconds, open_page, rerun
from streamlit.testing.v1 import AppTest

from core.pipeline import build_mask, build_model, self_attention
from core.step_by_step import HeadSteps, cell_arithmetic, head_steps, spread
from core.tokens import embed_tokens, fit_to_length, tokenize
from ui.charts.step_by_step import tex_number
from ui.controls import DEFAULT_SENTENCES
from ui.i18n import STRINGS
from ui.navigation import PAGES

PAGE = "app_pages/step_by_step.py"
EN_SENTENCE = DEFAULT_SENTENCES["en"]
ZH_SENTENCE = DEFAULT_SENTENCES["zh"]
EN_LABELS = ["0 The", "1 animal", "2 didn't", "3 cross", "4 the", "5 street", "6 because", "7 it", "8 was", "9 tired"]
CELLS_KEY = "steps_cells"


def en(key: str, **values: object) -> str:
    text = STRINGS[key]["en"]
    return text.format(**values) if values else text


# ── driving the page ─────────────────────────────────────────────────────────


def open_steps(**query: object) -> AppTest:
    """The app opened with these URL parameters, then switched to this page (as a link would open it)."""
    return rerun(open_page(PAGES[0].url_path, root=True, **query).switch_page(PAGE))


@pytest.fixture
def app() -> AppTest:
    return open_steps()


def go_to(at: AppTest, step: int) -> AppTest:
    at.radio(key="steps_step").set_value(step)
    return rerun(at)


def set_sidebar(at: AppTest, **values: object) -> AppTest:
    for key, value in values.items():
        (found,) = [node for node in at.sidebar if getattr(node, "key", None) == key]
        found.set_value(value)
    return rerun(at)


def click_cell(at: AppTest, cell: dict | None) -> AppTest:
    """What the browser sends when a cell is clicked (the heatmap's ``click`` trigger, {row, col})."""
    return click_heatmap(at, None if cell is None else {"panel": 0, **cell})


def edit_typed(at: AppTest, name: str, edited_rows: dict[int, dict[str, object]]) -> AppTest:
    """Cell edits in the hand-typed Q, K or V table, as the data editor reports them."""
    version = at.session_state["steps_typed_version"] if "steps_typed_version" in at.session_state else 0
    at.session_state[f"steps_typed_{name}_{version}"] = {
        "edited_rows": edited_rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    return rerun(at)


def texts(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def latex(at: AppTest) -> str:
    return "\n".join(texts(at, "latex"))


# ── reading the charts ───────────────────────────────────────────────────────


@dataclass
class Chart:
    title: str
    spec: dict
    datasets: dict[str, pd.DataFrame]
    widget_id: str

    @property
    def cells(self) -> pd.DataFrame:
        return self.datasets["cells"]  # ui.charts.heatmaps's dataset names

    def matrix(self, column: str = "value") -> np.ndarray:
        return self.cells.pivot(index="row", columns="col", values=column).sort_index().sort_index(axis=1).to_numpy()

    def allowed(self) -> np.ndarray:
        return ~self.matrix("masked").astype(bool)

    def row_labels(self) -> list[str]:
        return list(dict.fromkeys(self.cells.sort_values(["row", "col"])["row_label"]))


def read_charts(at: AppTest) -> dict[str, Chart]:
    charts = {}
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        datasets = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
        title = spec["layer"][0]["title"]
        charts[title] = Chart(title, spec, datasets, element.proto.id)
    return charts


def only_chart(at: AppTest) -> Chart:
    (chart,) = read_charts(at).values()
    return chart


def assert_all_finite(at: AppTest) -> None:
    checked = 0
    for chart in read_charts(at).values():
        for name, df in chart.datasets.items():
            values = df.select_dtypes(include="number").to_numpy(dtype=np.float64)
            assert np.isfinite(values).all(), f"{chart.title}/{name} has non-finite numbers"
            checked += values.size
    assert checked > 0


# ── what core computes for the same settings ─────────────────────────────────


def expected(
    *, text=EN_SENTENCE, L=10, d_k=8, heads=2, seed=0, mask="none", head=0, window=1
) -> tuple[torch.Tensor, HeadSteps]:
    tokens = tokenize(text)
    x = embed_tokens(fit_to_length(tokens, L), heads * d_k, seed)
    attn_mask = build_mask(mask, L, real_len=min(len(tokens), L), window=window)
    return x, head_steps(self_attention(build_model(d_k, heads, seed), x, attn_mask), head)


def close(actual: np.ndarray, wanted: torch.Tensor, atol: float = 1e-6) -> None:
    np.testing.assert_allclose(actual, wanted.double().numpy(), atol=atol, rtol=0)


# ── 1. each step draws what core computes ────────────────────────────────────


def test_step_0_shows_x_and_the_heads_q_k_v(app: AppTest) -> None:
    charts = read_charts(app)
    assert list(charts) == [
        en("steps.chart.x", L=10, d_model=16),
        en("steps.chart.q", L=10, d_k=8),
        en("steps.chart.k", L=10, d_k=8),
        en("steps.chart.v", L=10, d_k=8),
    ]
    x, steps = expected()
    chart_x, chart_q, chart_k, chart_v = charts.values()
    assert chart_x.row_labels() == EN_LABELS
    close(chart_x.matrix(), x)
    close(chart_q.matrix(), steps.q)
    close(chart_k.matrix(), steps.k)
    close(chart_v.matrix(), steps.v)
    assert app.subheader[0].value == en("steps.title.0")
    assert en("steps.source.model", head=0, heads=2) in texts(app, "caption")
    assert r"Q = XW_Q &: [L,\,d_k] = [10,\,8]" in latex(app)
    assert not texts(app, "warning") and not texts(app, "info")
    assert app.expander[-1].label == en("steps.code", path="core/multihead.py")
    assert "def forward(" in app.code[0].value  # the code on screen is the code that runs


@pytest.mark.parametrize(
    ("step", "title_key", "field"),
    [(1, "steps.chart.scores", "scores"), (2, "steps.chart.scaled", "scaled"), (5, "steps.chart.output", "output")],
)
def test_each_step_draws_its_matrix(app: AppTest, step: int, title_key: str, field: str) -> None:
    go_to(app, step)
    _, steps = expected()
    chart = only_chart(app)
    assert chart.title == en(title_key, L=10, d_k=8)
    assert chart.row_labels() == EN_LABELS
    close(chart.matrix(), getattr(steps.attention, field))
    assert app.subheader[0].value == en(f"steps.title.{step}")
    assert bool(chart.widget_id) == (step != 5)  # [L, L] charts are clickable, the output is not


def test_scores_then_scaled_differ_by_exactly_the_scale(app: AppTest) -> None:
    scores = only_chart(go_to(app, 1))
    scaled = only_chart(go_to(app, 2))
    np.testing.assert_allclose(scaled.matrix(), scores.matrix() / math.sqrt(8), atol=1e-6)
    _, steps = expected()
    before, after = spread(steps.attention.scores).std, spread(steps.attention.scaled).std
    assert after == pytest.approx(before / math.sqrt(8), rel=1e-5)
    assert en("steps.claim.2", before=before, after=after, d_k=8, scale=1 / math.sqrt(8)) in texts(app, "info")


def test_mask_step_shows_minus_infinity_where_the_mask_forbids(app: AppTest) -> None:
    go_to(app, 3)
    assert texts(app, "info") == [en("steps.claim.3.none")]
    set_sidebar(app, mask="causal")
    chart = only_chart(app)
    causal = np.tril(np.ones((10, 10), dtype=bool))
    assert (chart.allowed() == causal).all()
    _, steps = expected(mask="causal")
    close(chart.matrix()[causal], steps.attention.scaled[torch.from_numpy(causal)])
    assert (chart.matrix()[~causal] == 0).all()  # −∞ travels as 0 + masked flag, drawn as “−∞”
    assert texts(app, "info") == [en("steps.claim.3", kind="causal", masked=45, total=100)]


def test_softmax_step_rows_sum_to_one_and_masked_weights_are_zero(app: AppTest) -> None:
    go_to(app, 4)
    set_sidebar(app, mask="causal")
    chart = only_chart(app)
    _, steps = expected(mask="causal")
    close(chart.matrix(), steps.attention.weights)
    sums = chart.datasets["sums"]["sum"].to_numpy()
    np.testing.assert_allclose(sums, 1.0, atol=1e-6)
    assert (chart.matrix()[~chart.allowed()] == 0).all()
    (claim,) = texts(app, "info")
    assert claim.startswith("Row sums (rows that can attend): min ") and claim.endswith("masked key: 0.")


def test_output_step_claims_the_convex_mix_and_matches_core(app: AppTest) -> None:
    go_to(app, 5)
    _, steps = expected()
    output = only_chart(app).matrix()
    close(output, steps.attention.output)
    v = steps.v.numpy()
    assert (output >= v.min(axis=0) - 1e-6).all() and (output <= v.max(axis=0) + 1e-6).all()
    assert texts(app, "info") == [en("steps.claim.5", verdict="true", n=80)]


def test_numbers_equal_the_playgrounds_for_the_same_head() -> None:
    settings = {"heads": 3, "head": 2, "mask": "causal", "seed": 5}
    steps_page = open_steps(steps_step=4, **settings)
    assert en("steps.source.model", head=2, heads=3) in texts(steps_page, "caption")
    playground = open_page(PAGES[0].url_path, root=True, **settings)  # the same link, opened on the playground
    (element,) = [c for c in chart_elements(playground) if STRINGS["chart.weights"]["en"] in c.proto.spec]
    cells = pa.ipc.open_stream(element.proto.datasets[0].data.data).read_all().to_pandas()
    shown = cells.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()
    np.testing.assert_array_equal(only_chart(steps_page).matrix(), shown)
    _, steps = expected(heads=3, head=2, mask="causal", seed=5)
    close(shown, steps.attention.weights)


# ── 2. moving between steps ──────────────────────────────────────────────────


def test_next_and_previous_move_one_step_and_stop_at_the_ends(app: AppTest) -> None:
    assert app.button(key="steps_prev").disabled
    app.button(key="steps_next").click()
    rerun(app)
    assert app.radio(key="steps_step").value == 1
    assert app.subheader[0].value == en("steps.title.1")
    app.button(key="steps_prev").click()
    rerun(app)
    assert app.radio(key="steps_step").value == 0
    go_to(app, 5)
    assert app.button(key="steps_next").disabled and not app.button(key="steps_prev").disabled


def test_a_lecturers_link_opens_a_step_and_the_url_follows_the_step() -> None:
    at = open_steps(steps_step=3, mask="causal")
    assert at.radio(key="steps_step").value == 3
    assert at.subheader[0].value == en("steps.title.3")
    assert only_chart(at).title == en("steps.chart.masked", L=10)
    go_to(at, 5)
    assert at.query_params["steps_step"] == "5"
    go_to(at, 0)
    assert "steps_step" not in at.query_params  # defaults stay out of the URL


def test_a_bad_step_in_the_link_is_clamped_with_a_notice() -> None:
    at = open_steps(steps_step=99, steps_i="x")
    assert at.radio(key="steps_step").value == 5
    warnings = texts(at, "warning")
    assert en("msg.clamped_param", name="steps_step", value=5) in warnings
    assert en("msg.bad_param", name="steps_i") in warnings


# ── 3. one weight written out with its real numbers ──────────────────────────


def arithmetic_numbers_shown(at: AppTest, i: int, j: int, mask: str = "none") -> None:
    """The written-out arithmetic of cell (i, j) uses core's numbers and ends at the chart's weight."""
    _, steps = expected(mask=mask)
    a = steps.attention
    cell = cell_arithmetic(steps.q, steps.k, a.masked_scores[i], i, j, a.scale)
    shown = latex(at)
    for d in range(8):
        assert f"({tex_number(float(steps.q[i, d]))})({tex_number(float(steps.k[j, d]))})" in shown
    assert f"= {tex_number(float(a.scores[i, j]))}" in shown  # Σ_d q_i[d]·k_j[d] = S_ij
    assert rf"\times {tex_number(a.scale)} = {tex_number(float(a.scaled[i, j]))}" in shown  # ÷√d_k
    chart_weight = float(only_chart(at).matrix()[i, j])
    assert cell.weight == pytest.approx(chart_weight, abs=1e-6)
    assert f"= {chart_weight:.4f}" in shown  # … ÷ row sum = the weight in the chart
    assert en("steps.cell.matches_chart", weight=chart_weight) in texts(at, "success")


def test_the_default_cell_is_written_out_with_core_numbers(app: AppTest) -> None:
    go_to(app, 4)
    titles = [m for m in texts(app, "markdown") if m.startswith("**Cell")]
    assert titles == ["**" + en("steps.cell.title", i=1, j=0, query_token="animal", key_token="The") + "**"]
    arithmetic_numbers_shown(app, 1, 0)
    assert en("steps.cell.same", i=1) in texts(app, "caption")


def test_clicking_a_weight_writes_out_that_cell(app: AppTest) -> None:
    go_to(app, 4)
    set_sidebar(app, mask="causal")
    click_cell(app, {"row": 7, "col": 3})
    assert (app.session_state["steps_i"], app.session_state["steps_j"]) == (7, 3)
    arithmetic_numbers_shown(app, 7, 3, mask="causal")
    (payload,) = heatmap_payloads(app)
    assert payload["selected"] == [7, 3, 0]  # the chart outlines the clicked cell
    assert (app.query_params["steps_i"], app.query_params["steps_j"]) == ("7", "3")
    # A masked cell: −∞, exp(−∞) = 0, weight exactly 0.
    click_cell(app, {"row": 2, "col": 6})
    shown = latex(app)
    assert r"\hat S'_{2,6} = -\infty" in shown and r"A_{2,6} = \frac{0.0000}" in shown
    assert en("steps.cell.masked", i=2, j=6) in texts(app, "caption")
    assert only_chart(app).matrix()[2, 6] == 0.0


def summary(at: AppTest) -> tuple[str, str] | None:
    """The clicked cell's summary box beside the chart (title, latex), or None; checks it sits in the column
    next to the chart's, where a click leaves the eye."""
    columns = list(at.columns)
    holding = [n for n, column in enumerate(columns) if any(getattr(x, "key", None) == SUMMARY for x in column)]
    if not holding:
        return None
    beside = columns[holding[-1] + 1]  # the innermost column holding the box, then its right-hand neighbour
    assert [chart for chart in beside if type(chart).__name__ == "UnknownElement" and chart.proto.id], "no chart"
    (box,) = [x for x in columns[holding[-1]] if getattr(x, "key", None) == SUMMARY][:1]
    titles = [x.value for x in box if type(x).__name__ == "Markdown"]
    formulas = [x.value for x in box if type(x).__name__ == "Latex"]
    return titles[0], formulas[0]


SUMMARY = "steps_cell_summary"


def test_the_clicked_cells_numbers_appear_beside_the_chart(app: AppTest) -> None:
    go_to(app, 4)
    set_sidebar(app, mask="causal")
    click_cell(app, {"row": 7, "col": 3})
    _, steps = expected(mask="causal")
    a = steps.attention
    cell = cell_arithmetic(steps.q, steps.k, a.masked_scores[7], 7, 3, a.scale)
    title, formula = summary(app)
    assert (
        title
        == ":material/ads_click: **" + en("steps.summary.title", i=7, j=3, query_token="it", key_token="cross") + "**"
    )
    for number in (cell.score, cell.scaled, cell.masked_score, cell.exp_shifted, cell.row_sum_shifted, cell.weight):
        assert tex_number(number) in formula
    assert tex_number(cell.weight) == tex_number(float(only_chart(app).matrix()[7, 3]))
    click_cell(app, {"row": 2, "col": 6})  # masked: −∞, and weight 0
    title, formula = summary(app)
    assert "(2, 6)" in title and r"\hat S'_{2,6} &= -\infty" in formula


def test_the_summary_grows_with_the_steps_and_leaves_with_the_cells(app: AppTest) -> None:
    go_to(app, 1)
    _, formula = summary(app)
    assert r"S_{1,0}" in formula and r"\hat S" not in formula
    go_to(app, 3)
    _, formula = summary(app)
    assert r"\hat S'_{1,0}" in formula and "A_{1,0}" not in formula
    go_to(app, 5)
    assert summary(app) is None
    go_to(app, 0)
    assert summary(app) is None


def test_a_click_off_the_cells_keeps_the_cell(app: AppTest) -> None:
    go_to(app, 1)
    click_cell(app, {"row": 4, "col": 5})
    click_cell(app, {})  # no row/col
    click_cell(app, {"row": 4, "col": 10})  # past the last key (the Σ column)
    click_cell(app, None)
    assert (app.session_state["steps_i"], app.session_state["steps_j"]) == (4, 5)


def test_the_arithmetic_grows_with_the_steps(app: AppTest) -> None:
    go_to(app, 1)
    shown = latex(app)
    assert r"S_{1,0} = q_{1} \cdot k_{0}" in shown and r"\hat S_{1,0}" not in shown
    go_to(app, 2)
    assert r"\hat S_{1,0} = \frac{S_{1,0}}{\sqrt{d_k}}" in latex(app) and r"\hat S'_{1,0}" not in latex(app)
    go_to(app, 3)
    assert r"\hat S'_{1,0} = \hat S_{1,0}" in latex(app) and "m_{1} = " not in latex(app)
    go_to(app, 4)
    assert "m_{1} = " in latex(app)
    go_to(app, 5)
    assert not [m for m in texts(app, "markdown") if m.startswith("**Cell")]


def test_a_shorter_sequence_keeps_the_cell_inside_the_matrix() -> None:
    at = open_steps(steps_step=4, steps_i=9, steps_j=8)
    assert (at.session_state["steps_i"], at.session_state["steps_j"]) == (9, 8)
    set_sidebar(at, L=4)
    assert (at.session_state["steps_i"], at.session_state["steps_j"]) == (3, 3)
    assert heatmap_payloads(at)[0]["selected"] == [3, 3, 0]  # the outline moved with the cell


# ── 4. Q, K, V typed by hand ─────────────────────────────────────────────────


def typed_app() -> AppTest:
    at = open_steps(text="the cat sat", steps_step=1)
    assert at.session_state["L"] == 3
    assert not at.toggle(key="steps_typed").disabled
    at.toggle(key="steps_typed").set_value(True)
    return rerun(at)


def test_typing_q_k_v_recomputes_every_step() -> None:
    at = typed_app()
    assert len(at.data_editor) == 3
    _, model = expected(text="the cat sat", L=3)
    start = [
        torch.tensor(np.round(t.numpy().astype(np.float64), 2), dtype=torch.float32)
        for t in (model.q, model.k, model.v)
    ]
    pd.testing.assert_frame_equal(
        at.data_editor[0].value.reset_index(drop=True),
        pd.DataFrame(start[0].double().numpy(), columns=[str(d) for d in range(8)]),
        check_dtype=False,
    )
    assert en("steps.source.typed") in texts(at, "caption")

    edit_typed(at, "q", {0: {"0": 5.0, "1": -2.5}})
    edit_typed(at, "k", {2: {"3": 4.0}})
    q, k, v = (m.clone() for m in start)
    q[0, 0], q[0, 1], k[2, 3] = 5.0, -2.5, 4.0
    close(only_chart(at).matrix(), q @ k.T, atol=1e-5)  # step 1 recomputed from the typed numbers
    go_to(at, 4)
    close(only_chart(at).matrix(), torch.softmax(q @ k.T / math.sqrt(8), dim=-1), atol=1e-6)
    go_to(at, 5)
    close(only_chart(at).matrix(), F.scaled_dot_product_attention(q, k, v), atol=1e-5)
    go_to(at, 0)
    assert at.subheader[0].value == en("steps.title.0.typed")
    assert [c.title for c in read_charts(at).values()] == [en(f"steps.chart.{n}", L=3, d_k=8) for n in "qkv"]
    assert en("steps.explain.0.typed") in texts(at, "markdown")
    assert r"Q,\ K,\ V &: [L,\,d_k] = [3,\,8]" in latex(at) and "W_Q" not in latex(at)


def test_typed_values_are_clamped_and_empty_cells_become_zero() -> None:
    at = typed_app()
    edit_typed(at, "v", {1: {"0": 1e9, "2": None}})
    warnings = texts(at, "warning")
    assert en("steps.typed.clamped", matrix="V", n=1, limit=100) in warnings
    assert en("steps.typed.not_numbers", matrix="V", n=1) in warnings
    go_to(at, 0)
    v = read_charts(at)[en("steps.chart.v", L=3, d_k=8)].matrix()
    assert (v[1, 0], v[1, 2]) == (100.0, 0.0)  # what the next steps compute with
    go_to(at, 5)
    assert_all_finite(at)


def test_huge_typed_scores_show_why_softmax_subtracts_the_max() -> None:
    at = typed_app()
    edit_typed(at, "q", {1: {str(d): 100.0 for d in range(8)}})
    edit_typed(at, "k", {0: {str(d): 100.0 for d in range(8)}})
    go_to(at, 4)
    click_cell(at, {"row": 1, "col": 0})
    assert en("steps.cell.overflow") in texts(at, "warning")
    weights = only_chart(at).matrix()
    assert weights[1, 0] == pytest.approx(1.0) and np.isfinite(weights).all()
    assert "= 1.0000" in latex(at) and r"\mathrm{NaN}" in latex(at)  # shifted: 1; unshifted: ∞/∞


def test_reset_brings_back_the_models_values() -> None:
    at = typed_app()
    before = only_chart(at).matrix()
    edit_typed(at, "q", {0: {"0": 9.0}})
    assert not np.allclose(only_chart(at).matrix(), before)
    at.button(key="steps_typed_reset").click()
    rerun(at)
    np.testing.assert_array_equal(only_chart(at).matrix(), before)


def test_typing_needs_a_short_sequence(app: AppTest) -> None:
    assert app.toggle(key="steps_typed").disabled  # L = 10
    at = open_steps(steps_typed="true")
    assert en("steps.typed.too_long", max=4, L=10) in texts(at, "info")
    assert not at.data_editor
    _, steps = expected()
    close(read_charts(at)[en("steps.chart.q", L=10, d_k=8)].matrix(), steps.q)


# ── 5. inputs, languages, robustness ─────────────────────────────────────────


def test_random_tokens_work_on_every_step(app: AppTest) -> None:
    set_sidebar(app, mode="random")
    for step in range(6):
        go_to(app, step)
        assert read_charts(app)
        assert_all_finite(app)
    assert only_chart(app).row_labels() == [f"{i} t{i}" for i in range(10)]


def test_token_text_is_shown_literally(app: AppTest) -> None:
    set_sidebar(app, text="[x](y) *b* $z$")
    go_to(app, 1)
    assert app.session_state["L"] == 12  # [ x ] ( y ) * b * $ z $
    click_cell(app, {"row": 1, "col": 3})
    (title,) = [m for m in texts(app, "markdown") if m.startswith("**Cell")]
    assert title == "**" + en("steps.cell.title", i=1, j=3, query_token="x", key_token=r"\(") + "**"
    click_cell(app, {"row": 9, "col": 10})
    (title,) = [m for m in texts(app, "markdown") if m.startswith("**Cell")]
    assert r"“\$”" in title and "“z”" in title


@pytest.mark.parametrize("step", [0, 4])
def test_large_settings_stay_finite(app: AppTest, step: int) -> None:
    set_sidebar(app, L=64, d_k=128, heads=8)
    go_to(app, step)
    assert_all_finite(app)
    if step == 0:
        assert en("steps.x_cut", d_model=1024, shown=64) in texts(app, "caption")


def test_padding_on_an_empty_sentence_explains_the_fully_masked_row(app: AppTest) -> None:
    set_sidebar(app, text="")
    set_sidebar(app, L=3, mask="padding")
    go_to(app, 4)
    assert en("steps.cell.fully_masked", i=0) in texts(app, "warning")  # L was 1 after the empty text
    assert only_chart(app).allowed().sum() == 0
    assert_all_finite(app)


def test_chinese_shows_the_chinese_sentence_and_strings(app: AppTest) -> None:
    # AppTest cannot rerun after a Chinese run (see test_playground.py), so this test ends here.
    set_sidebar(app, lang="zh")
    assert app.header[0].value == STRINGS["nav.steps"]["zh"]
    assert app.subheader[0].value == STRINGS["steps.title.0"]["zh"]
    assert app.session_state["text"] == ZH_SENTENCE and app.session_state["L"] == 8
    x_chart, q_chart, *_ = read_charts(app).values()
    assert x_chart.title == STRINGS["steps.chart.x"]["zh"].format(L=8, d_model=16)
    assert x_chart.row_labels() == [f"{i} {ch}" for i, ch in enumerate(ZH_SENTENCE)]
    _, steps = expected(text=ZH_SENTENCE, L=8)
    close(q_chart.matrix(), steps.q)


def test_chinese_softmax_step_writes_out_the_same_weight() -> None:
    at = set_sidebar(open_steps(steps_step=4), lang="zh")
    chart = only_chart(at)
    assert chart.title == STRINGS["steps.chart.weights"]["zh"].format(L=8)
    _, steps = expected(text=ZH_SENTENCE, L=8)
    close(chart.matrix(), steps.attention.weights)
    cell = cell_arithmetic(steps.q, steps.k, steps.attention.masked_scores[1], 1, 0, steps.attention.scale)
    assert STRINGS["steps.cell.matches_chart"]["zh"].format(weight=chart.matrix()[1, 0]) in texts(at, "success")
    assert f"= {tex_number(cell.weight)}" in latex(at)


# ── 6. rerun time (measured, not asserted) ───────────────────────────────────


def test_measure_rerun_time_at_defaults(app: AppTest) -> None:
    for step in (0, 4):
        go_to(app, step)
        median_rerun_seconds(app, f"step {step}")
