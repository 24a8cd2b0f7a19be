"""AppTest tests of the training lesson: the page shows exactly the run ``core.training.train`` computes, the
scrub slider and every control change what is shown, and a trained run is served from the shared cache."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import torch
from chart_data import chart_elements
from page_helpers import open_page, set_controls, tr, widget
from streamlit.testing.v1 import AppTest

from core.induction import (
    PREVIOUS_HEAD,
    STRIPE,
    InductionRun,
    InductionSettings,
    even_scores,
    smoothed,
    train_induction,
)
from core.training import TASKS, TrainingRun, TrainingSettings, accuracy_ceiling, expected_ceiling, expected_keys, train
from ui.charts.training import CURVE_WIDTH
from ui.i18n import sentences
from ui.presenter import CHART_SCALE
from ui.training_runs import shared_training_runs
from ui.training_text import at_step_sentence, drop_sentence, stripe_sentence

QUICK = {"train_steps": 100}  # most tests need a run, not a long one


# The app trains on one intra-op thread; so do the expected runs here, so they match bit for bit.
pytestmark = pytest.mark.usefixtures("one_thread")


@cache
def expected_run(**changes: object) -> TrainingRun:
    return train(replace(TrainingSettings(), **changes))


def charts(at: AppTest) -> dict[str, dict[str, pd.DataFrame]]:
    """Every chart's datasets by its title (a heatmap titles its first layer)."""
    found = {}
    for element in chart_elements(at):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or spec.get("layer", [{}])[0].get("title")
        found[title] = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in element.proto.datasets}
    return found


def heatmap(at: AppTest) -> tuple[str, dict[str, pd.DataFrame]]:
    (title,) = [title for title, datasets in charts(at).items() if "outlined" in datasets]
    return title, charts(at)[title]


def matrix(cells: pd.DataFrame) -> np.ndarray:
    return cells.pivot(index="row", columns="col", values="value").sort_index().sort_index(axis=1).to_numpy()


def outlined(at: AppTest) -> list[tuple[int, int]]:
    cells = heatmap(at)[1]["outlined"].sort_values("row")
    return list(zip(cells["row"].tolist(), cells["col"].tolist(), strict=True))


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def texts(at: AppTest) -> str:
    return " ".join(node.value for node in [*at.markdown, *at.caption, *at.success, *at.info, *at.warning])


def probe_table(at: AppTest) -> pd.DataFrame:
    (table,) = at.table
    return table.value


def marked_wrong(at: AppTest) -> list[int]:
    """The positions whose answer the probe table marks as wrong (styled cells of its last row)."""
    (table,) = at.table
    styles = table.proto.arrow_data.styler.styles
    return sorted(int(col) for col in re.findall(r"_row2_col(\d+)", styles))


def open_training(**query: object) -> AppTest:
    at = open_page("training", **query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_shows(at: AppTest, run: TrainingRun, index: int) -> None:
    """The heatmap, rule, probe table and final metrics are those of ``run`` at snapshot ``index``."""
    step = int(run.steps[index])
    title, datasets = heatmap(at)
    assert title == tr("train.chart.heatmap", step=step, steps=run.settings.steps)
    np.testing.assert_allclose(matrix(datasets["cells"]), run.probe_weights[index].numpy(), atol=1e-6, rtol=0)
    keys = expected_keys(run.settings.task, run.settings.seq_len).tolist()
    assert outlined(at) == list(enumerate(keys))
    labels = [f"{i} {d}" for i, d in enumerate(run.probe_tokens.tolist())]
    assert list(dict.fromkeys(datasets["cells"].sort_values(["row", "col"])["row_label"])) == labels
    for title in (tr("train.chart.loss"), tr("train.chart.accuracy")):
        assert charts(at)[title]["mark"]["step"].tolist() == [step]
    table = probe_table(at)
    assert table.loc[tr("train.probe.output", step=step)].tolist() == run.probe_predictions[index].tolist()
    assert table.loc[tr("train.probe.target")].tolist() == run.probe_targets.tolist()
    assert metrics(at)[tr("train.metric.sequence")] == f"{run.final_sequence_accuracy:.1%}"
    assert metrics(at)[tr("train.metric.token")] == f"{run.final_token_accuracy:.1%}"
    assert metrics(at)[tr("train.metric.share")] == f"{run.final_expected_key_share:.1%}"


# ── what the page shows ───────────────────────────────────────────────────────


def test_default_page_shows_the_core_run_at_its_end() -> None:
    at = open_training()
    run = expected_run()
    assert at.header[0].value == tr("train.title")
    assert_shows(at, run, index=len(run.steps) - 1)
    assert metrics(at)[tr("train.metric.sequence")] == "100.0%"  # the lesson's claim at its defaults
    curves = charts(at)[tr("train.chart.accuracy")]["curves"]
    shown = curves[curves["series"] == tr("train.series.held_out_sequence")].sort_values("step")
    assert shown["step"].tolist() == run.steps.tolist()
    np.testing.assert_allclose(shown["value"].to_numpy(), run.held_out_sequence_accuracy.numpy())
    losses = charts(at)[tr("train.chart.loss")]["curves"]
    held_out = losses[losses["series"] == tr("train.series.held_out_loss")].sort_values("step")
    np.testing.assert_allclose(held_out["value"].to_numpy(), run.held_out_loss.numpy())
    reached = run.first_snapshot_reaching(0.99)
    reached_at = tr("train.reached", step=int(run.steps[reached]), seconds=0.0).split(",")[0]  # times vary per run
    assert reached_at in texts(at)
    assert tr("train.rule.reverse") in texts(at)
    assert not at.warning
    assert dict(at.query_params) == {}


def test_the_scrub_slider_moves_the_heatmap_and_the_rule_through_training() -> None:
    at = open_training(**QUICK)
    run = expected_run(steps=100)
    end = matrix(heatmap(at)[1]["cells"])
    assert marked_wrong(at) == []
    set_controls(at, train_at=0)
    assert_shows(at, run, index=0)
    start = matrix(heatmap(at)[1]["cells"])
    wrong = (run.probe_predictions[0] != run.probe_targets).nonzero().flatten().tolist()
    assert len(wrong) >= 4 and marked_wrong(at) == wrong  # at step 0 it guesses, and the table says where
    assert np.abs(start - 1 / 8).max() < 0.03  # near uniform at step 0…
    deviation = float(np.abs(run.probe_weights[0].numpy() - 1 / 8).max())
    assert tr("train.meaning.start.uniform", deviation=deviation, uniform=1 / 8) in texts(at)
    assert tr("train.outline.note", uniform=1 / 8) in texts(at)
    assert np.mean(end[np.arange(8), np.arange(8)[::-1]]) > 0.9  # …the anti-diagonal at the end
    set_controls(at, train_at=50)
    assert_shows(at, run, index=25)
    assert heatmap(at)[0] == tr("train.chart.heatmap", step=50, steps=100)
    caption = tr(
        "train.at_step",
        step=50,
        sequence=float(run.held_out_sequence_accuracy[25]),
        token=float(run.held_out_token_accuracy[25]),
        share=float(run.expected_key_share[25]),
    )
    assert caption in texts(at)
    assert dict(at.query_params) == {"train_steps": "100", "train_at": "50"}


# ── every control changes what is shown ───────────────────────────────────────


@pytest.mark.parametrize(
    ("control", "value", "changes"),
    [
        ("train_task", "copy", {"task": "copy"}),
        ("train_task", "swap", {"task": "swap"}),
        ("train_len", 5, {"seq_len": 5}),
        ("train_lr", "0.01", {"learning_rate": 0.01}),
        ("train_d_model", "16", {"d_model": 16}),
        ("train_seed", 3, {"seed": 3}),
        ("train_steps", "200", {}),
    ],
)
def test_each_control_trains_and_shows_its_own_run(control, value, changes) -> None:
    at = open_training(**QUICK)
    before = matrix(heatmap(at)[1]["cells"])
    set_controls(at, **{control: value})
    settings = {"steps": 100, **changes} if control != "train_steps" else {"steps": int(value)}
    run = expected_run(**settings)
    assert_shows(at, run, index=len(run.steps) - 1)
    after = matrix(heatmap(at)[1]["cells"])
    assert after.shape != before.shape or np.abs(after - before).max() > 1e-4


def test_causal_mask_on_reverse_says_it_cannot_be_learned() -> None:
    at = open_training(**QUICK)
    set_controls(at, train_causal=True)
    run = expected_run(steps=100, causal=True)
    assert_shows(at, run, index=len(run.steps) - 1)
    sequence, token = accuracy_ceiling("reverse", 8, causal=True)
    assert sequence == pytest.approx(1e-4)  # shown as 0.01%
    ceiling = expected_ceiling("reverse", 8, True, 1000)
    notice = tr(
        "train.hidden",
        positions="0, 1, 2, 3",
        token=token,
        sequence="0.01",
        count=1000,
        token_range=2 * ceiling.token_error * 100,
        sequence_range=2 * ceiling.sequence_error * 100,
    )
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith(notice + " ")
    assert "expected" in warning and "best any model" not in warning
    # After 100 steps the visible half is right and the hidden half guessed: within chance of the expectation.
    token_now, sequence_now = run.final_token_accuracy, run.final_sequence_accuracy
    assert abs(token_now - ceiling.token) < 2 * ceiling.token_error
    assert warning.endswith(tr("train.hidden.within", token=token_now, sequence=sequence_now))
    # Step 0 under the mask: uniform over the i + 1 keys each row may see, and the page says so.
    assert tr("train.outline.note.causal", uniform=1 / 8) in texts(at)
    assert "over the keys the causal mask lets it see" in " ".join(m.value for m in at.markdown)
    cells = heatmap(at)[1]["cells"]
    assert cells["masked"].sum() == 8 * 7 // 2  # the future keys are greyed out
    assert metrics(at)[tr("train.metric.sequence")] == f"{run.final_sequence_accuracy:.1%}"
    assert run.final_sequence_accuracy < 0.05
    assert tr("train.not_reached", steps=100) in texts(at)

    set_controls(at, train_task="copy")  # the same mask on copy: nothing it needs is hidden
    assert not at.warning
    assert [i.value for i in at.info if i.value == tr("train.causal_ok")] == [tr("train.causal_ok")]
    assert_shows(at, expected_run(steps=100, causal=True, task="copy"), index=50)


# ── the shared cache ──────────────────────────────────────────────────────────


def test_a_trained_run_is_served_from_the_cache_without_retraining() -> None:
    runs = shared_training_runs()
    query = {**QUICK, "train_seed": 424_242}  # settings no other test trains
    first = open_training(**query)
    started = runs.trainings_started
    run = expected_run(steps=100, seed=424_242)
    assert status(first, "train.fresh", steps=100, batch=run.settings.batch_size)
    first.run()  # a rerun of the same session: still the run it watched train
    assert status(first, "train.fresh", steps=100, batch=run.settings.batch_size)
    assert not status(first, "train.cached")
    second = open_training(**query)  # another session, same settings
    assert runs.trainings_started == started
    assert status(second, "train.cached") and not status(second, "train.fresh", steps=100, batch=128)
    assert metrics(second)[tr("train.metric.time")] == metrics(first)[tr("train.metric.time")]  # the same run
    assert_shows(second, run, index=50)
    np.testing.assert_array_equal(matrix(heatmap(first)[1]["cells"]), matrix(heatmap(second)[1]["cells"]))


def test_two_sessions_opening_the_same_settings_at_once_train_once() -> None:
    runs = shared_training_runs()
    query = {**QUICK, "train_seed": 515_151}  # settings no other test trains
    started = runs.trainings_started
    with ThreadPoolExecutor(2) as sessions:
        first, second = sessions.map(lambda _: open_training(**query), range(2))
    assert runs.trainings_started == started + 1
    run = expected_run(steps=100, seed=515_151)
    for at in (first, second):
        assert_shows(at, run, index=50)
    assert metrics(first)[tr("train.metric.time")] == metrics(second)[tr("train.metric.time")]


def status(at: AppTest, key: str, **values: object) -> bool:
    """A caption is the English string ``key`` with ``values`` filled in and any number as its seconds."""
    pattern = re.escape(tr(key, seconds=1.5, **values)).replace("1\\.5", r"\d+\.\d")
    return any(re.fullmatch(pattern, node.value) for node in at.caption)


# ── links and language ────────────────────────────────────────────────────────


def test_a_link_sets_every_control() -> None:
    at = open_training(
        train_task="rotate",
        train_len=6,
        train_causal="true",
        train_steps=100,
        train_lr="0.003",
        train_d_model=64,
        train_seed=2,
        train_at=10,
    )
    run = expected_run(task="rotate", seq_len=6, causal=True, steps=100, learning_rate=0.003, d_model=64, seed=2)
    assert_shows(at, run, index=5)
    ceiling = expected_ceiling("rotate", 6, True, 1000)
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith(
        tr(
            "train.hidden",
            positions="0",
            token=accuracy_ceiling("rotate", 6, True)[1],
            sequence="10",
            count=1000,
            token_range=2 * ceiling.token_error * 100,
            sequence_range=2 * ceiling.sequence_error * 100,
        )
    )


def test_bad_link_values_are_clamped_or_ignored_with_a_notice() -> None:
    at = open_training(train_len=99, train_steps=7, train_task="<b>sort</b>", train_at=-5, **{"train_lr": "1"})
    assert at.session_state["train_len"] == 12 and at.session_state["train_at"] == 0
    assert at.session_state["train_task"] == "reverse" and at.session_state["train_steps"] == "300"
    assert sorted(w.value for w in at.warning) == sorted(
        [
            tr("msg.clamped_param", name="train_len", value=12),
            tr("msg.bad_param", name="train_steps"),
            tr("msg.bad_param", name="train_task"),
            tr("msg.clamped_param", name="train_at", value=0),
            tr("msg.bad_param", name="train_lr"),
        ]
    )
    assert heatmap(at)[0] == tr("train.chart.heatmap", step=0, steps=300)


def test_presenter_mode_draws_larger_charts_and_leaves_out_the_explanations() -> None:
    plain, presenting = open_training(**QUICK), open_training(present=1, **QUICK)
    widths = []
    for at in (plain, presenting):
        specs = {json.loads(e.proto.spec).get("title"): json.loads(e.proto.spec) for e in chart_elements(at)}
        widths.append(specs[tr("train.chart.accuracy")]["width"])
    assert widths == [CURVE_WIDTH, round(CURVE_WIDTH * CHART_SCALE)]
    assert tr("train.intro") in texts(plain) and tr("train.intro") not in texts(presenting)
    assert_shows(presenting, expected_run(steps=100), index=50)


def test_chinese() -> None:
    at = open_training(lang="zh", **QUICK)
    run = expected_run(steps=100)
    title, _ = heatmap(at)
    assert title == tr("train.chart.heatmap", "zh", step=100, steps=100)
    assert at.header[0].value == tr("train.title", "zh")
    assert metrics(at)[tr("train.metric.sequence", "zh")] == f"{run.final_sequence_accuracy:.1%}"
    curves = charts(at)[tr("train.chart.accuracy", "zh")]["curves"]
    assert set(curves["series"]) == {
        tr(f"train.series.{name}", "zh") for name in ("held_out_sequence", "held_out_token", "train_sequence", "share")
    }
    assert widget(at, "train_task").options == [tr(f"train.task.{task}", "zh") for task in (*TASKS, "induction")]


# ── the induction task (core/induction.py) ─────────────────────────────────────

IND_QUICK = {"train_task": "induction", "train_ind_steps": "200"}


@cache
def expected_induction(**changes: object) -> InductionRun:
    return train_induction(replace(InductionSettings(), **changes))


def page_induction(**changes: object) -> InductionRun:
    """The run the page shows: the shared cache's, with its own timings (trained by the page's worker)."""
    job, _ = shared_training_runs().request(replace(InductionSettings(), **changes))
    return job.result()


def head_maps(at: AppTest) -> dict[tuple[int, int], tuple[str, dict[str, pd.DataFrame]]]:
    """Every outlined heatmap of the induction task by (layer, head), from its title."""
    found = {}
    for title, datasets in charts(at).items():
        if "outlined" in datasets:
            layer, head = map(int, re.search(r"L(\d) H(\d)", title).groups())
            found[layer, head] = (title, datasets)
    return found


def assert_shows_induction(at: AppTest, run: InductionRun, index: int) -> None:
    """Both layers' heatmaps, their outlines, and the curves' rules are those of ``run`` at snapshot ``index``."""
    settings, half = run.settings, run.settings.half
    step = int(run.snapshot_steps[index])
    maps = head_maps(at)
    assert sorted(maps) == [(layer, head) for layer in (1, 2) for head in range(settings.heads)]
    for (layer, head), (title, datasets) in maps.items():
        assert title == tr("train.ind.chart.head", layer=layer, head=head, step=step, steps=settings.steps)
        weights = (run.layer1 if layer == 1 else run.layer2)[index, head].numpy()
        np.testing.assert_allclose(matrix(datasets["cells"]), np.where(np.tri(2 * half) > 0, weights, 0), atol=1e-6)
        cells = datasets["outlined"].sort_values("row")
        pairs = list(zip(cells["row"].tolist(), cells["col"].tolist(), strict=True))
        if layer == 1:
            assert pairs == [(i, i - 1) for i in range(1, 2 * half)]
        else:
            assert pairs == [(i, i - half + 1) for i in range(half, 2 * half)]
    for title in (tr("train.ind.chart.loss"), tr("train.ind.chart.scores")):
        assert charts(at)[title]["mark"]["step"].tolist() == [step]
    assert at_step_sentence(run, index) in texts(at)


def test_the_induction_task_shows_both_heads_forming_and_the_loss_drop() -> None:
    at = open_training(train_task="induction")
    run = page_induction()
    reference = expected_induction()
    torch.testing.assert_close(run.layer2, reference.layer2, rtol=0, atol=0)  # the page trains what core trains
    torch.testing.assert_close(run.loss, reference.loss, rtol=0, atol=0)
    last = len(run.snapshot_steps) - 1
    assert_shows_induction(at, run, last)
    drop = run.drop()
    assert drop.step is not None  # the shipped seed: the loss drops, the stripe and the previous-token head form
    assert float(run.induction_scores[-1].max()) >= STRIPE
    assert float(run.previous_token_scores[-1].max()) >= PREVIOUS_HEAD
    shown = texts(at)
    assert tr("train.ind.verdict.stripe", threshold=STRIPE) in shown
    assert tr("train.ind.verdict.previous", threshold=PREVIOUS_HEAD) in shown
    assert tr("train.ind.phase.after", drop=drop.step) in shown
    assert sentences(drop_sentence(run), stripe_sentence(run)) in shown
    assert drop_sentence(run).startswith(f"At step {drop.step} the loss fell from its plateau of {drop.plateau:.2f}")
    assert tr("train.ind.toy") in shown and "Olsson et al. (2022" in shown
    assert tr("train.intro") not in shown  # the one-head introduction is not this model's
    loss = charts(at)[tr("train.ind.chart.loss")]
    curve = loss["curves"][loss["curves"]["series"] == tr("train.ind.series.loss")].sort_values("step")
    np.testing.assert_allclose(curve["value"].to_numpy(), run.loss.numpy().clip(min=1e-6))
    assert loss["drop"]["step"].tolist() == [drop.step]
    average = loss["curves"][loss["curves"]["series"] == tr("train.ind.series.smoothed", steps=11)].sort_values("step")
    np.testing.assert_allclose(average["value"].to_numpy(), smoothed(run.loss, 5).numpy().clip(min=1e-6))
    assert loss["drop"]["label"].tolist() == [tr("train.ind.drop_label")]
    plateau = loss["curves"][loss["curves"]["series"] == tr("train.ind.series.plateau")]["value"]
    assert set(plateau.round(9)) == {round(drop.plateau, 9)}
    assert metrics(at)[tr("train.ind.metric.drop")] == str(drop.step)
    assert metrics(at)[tr("train.ind.metric.induction")] == f"{float(run.induction_scores[-1].max()):.1%}"
    assert dict(at.query_params) == {"train_task": "induction"}


def test_at_step_0_the_sentences_say_no_stripe_yet() -> None:
    at = open_training(train_task="induction")
    set_controls(at, train_ind_at=0)
    run = page_induction()
    assert_shows_induction(at, run, 0)
    shown = texts(at)
    assert float(run.induction_scores[0].max()) < STRIPE  # the opposite case of the end of training
    assert tr("train.ind.verdict.no_stripe", threshold=STRIPE) in shown
    assert tr("train.ind.verdict.stripe", threshold=STRIPE) not in shown
    assert float(run.previous_token_scores[0].max()) < PREVIOUS_HEAD
    assert tr("train.ind.verdict.no_previous", threshold=PREVIOUS_HEAD) in shown
    assert tr("train.ind.phase.before", drop=run.drop().step) in shown
    set_controls(at, train_ind_at=50)
    assert_shows_induction(at, run, 25)
    assert dict(at.query_params) == {"train_task": "induction", "train_ind_at": "50"}


def test_the_sentences_follow_the_numbers_when_nothing_forms() -> None:
    """A run whose loss stays flat and whose layer 2 never finds the stripe: the page's sentences say so."""
    run = expected_induction(steps=20)
    flat = replace(
        run,
        loss=torch.full_like(run.loss, 3.0),
        layer2=torch.zeros_like(run.layer2) + torch.tril(torch.ones(16, 16)) / torch.arange(1, 17).unsqueeze(-1),
    )
    drop = flat.drop()
    assert drop.step is None
    assert drop_sentence(flat) == tr("train.ind.no_drop", steps=20, plateau=3.0, final=3.0)
    assert stripe_sentence(flat) == tr("train.ind.stripe_never", threshold=STRIPE)
    sentence = at_step_sentence(flat, len(flat.snapshot_steps) - 1)
    assert tr("train.ind.verdict.no_stripe", threshold=STRIPE) in sentence
    assert "before the loss drop" not in sentence and "after the loss drop" not in sentence
    _, induction_even = even_scores(8)
    assert f"puts {induction_even:.0%} of its weight on the token after" in sentence


@pytest.mark.parametrize(
    ("control", "value", "changes"),
    [
        ("train_heads", 2, {"heads": 2}),
        ("train_ind_lr", "0.01", {"learning_rate": 0.01}),
        ("train_ind_d_model", "32", {"d_model": 32}),
        ("train_ind_seed", 3, {"seed": 3}),
        ("train_ind_steps", "400", {"steps": 400}),
    ],
)
def test_each_induction_control_trains_and_shows_its_own_run(control, value, changes) -> None:
    at = open_training(**IND_QUICK)
    before = matrix(head_maps(at)[2, 0][1]["cells"])
    set_controls(at, **{control: value})
    run = page_induction(**{"steps": 200, **changes})
    torch.testing.assert_close(run.layer2, expected_induction(**{"steps": 200, **changes}).layer2, rtol=0, atol=0)
    assert_shows_induction(at, run, len(run.snapshot_steps) - 1)
    after = matrix(head_maps(at)[2, 0][1]["cells"])
    assert np.abs(after - before).max() > 1e-4


def test_induction_links_and_bad_values() -> None:
    at = open_training(train_task="induction", train_heads=9, train_ind_steps="7", train_ind_at=10)
    assert at.session_state["train_heads"] == 2 and at.session_state["train_ind_steps"] == "600"
    assert sorted(w.value for w in at.warning) == sorted(
        [tr("msg.clamped_param", name="train_heads", value=2), tr("msg.bad_param", name="train_ind_steps")]
    )
    assert_shows_induction(at, page_induction(heads=2), 5)


def test_induction_in_chinese() -> None:
    at = open_training(lang="zh", **IND_QUICK)
    run = page_induction(steps=200)
    assert head_maps(at)[2, 0][0] == tr("train.ind.chart.head", "zh", layer=2, head=0, step=200, steps=200)
    assert tr("train.ind.toy", "zh") in texts(at)
    assert widget(at, "train_task").value == "induction"
    assert run.settings.steps == 200
