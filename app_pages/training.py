"""Training: a one-head attention model learns a toy task live; a slider scrubs its attention through training.
The induction task trains a two-layer, attention-only transformer instead (core/induction.py) and shows its
induction head forming."""

from __future__ import annotations

import textwrap
import time
from concurrent.futures import wait

import numpy as np
import streamlit as st

from core.induction import (
    DROP_FRACTION,
    DROP_WINDOW,
    AttentionOnlyTransformer,
    InductionRun,
    InductionSettings,
    induction_keys,
    previous_token_keys,
    probe_sequence,
    smoothed,
)
from core.training import (
    TASKS,
    TinyAttentionModel,
    TrainingRun,
    TrainingSettings,
    allowed_keys,
    expected_ceiling,
    expected_keys,
    held_out_tokens,
    train_step,
)
from ui.cache import source_of
from ui.charts import show
from ui.charts.training import history_chart, history_frame, probe_heatmap, probe_table, with_drop
from ui.controls import MAX_SEED
from ui.i18n import language, sentences, t
from ui.presenter import chart_scale, prose
from ui.training_runs import TrainingJob, shared_training_runs
from ui.training_text import (
    at_step_sentence,
    drop_sentence,
    hidden_notice,
    measured_against_ceiling,
    start_sentence,
    stripe_sentence,
)
from ui.url_state import bool_param, choice_param, int_param, page_params

DEFAULTS = TrainingSettings()
MIN_LEN, MAX_LEN = 4, 12
STEP_CHOICES = ("100", "200", "300", "500", "800")  # multiples of 50: every run has the same 51 snapshots
LR_CHOICES = ("0.0003", "0.001", "0.003", "0.01")
D_MODEL_CHOICES = ("8", "16", "32", "64")
HEATMAP_SIZE = 300
POLL_SECONDS = 0.15
REPAINT_SECONDS = 0.5  # while training, the probe's heatmap is redrawn at most twice a second
WRONG_STYLE = "background-color: #fbd5bd; font-weight: bold"  # a wrong answer: light vermillion
WATCHED_KEY = "_train_watched"  # settings whose training this session showed with a progress bar
INDUCTION = "induction"  # the two-layer task of core/induction.py, beside the permutation TASKS
PAGE_TASKS = (*TASKS, INDUCTION)  # appended: every older link's task stays valid
IND_DEFAULTS = InductionSettings()
IND_STEP_CHOICES = ("200", "400", "600", "1000", "1500")
IND_D_MODEL_CHOICES = ("16", "32", "48", "64")
IND_HEADS = (1, 2)

page_params(
    "training",
    {
        "train_task": choice_param(PAGE_TASKS, DEFAULTS.task),
        "train_len": int_param(MIN_LEN, MAX_LEN, DEFAULTS.seq_len),
        "train_causal": bool_param(DEFAULTS.causal),
        "train_steps": choice_param(STEP_CHOICES, str(DEFAULTS.steps)),
        "train_lr": choice_param(LR_CHOICES, str(DEFAULTS.learning_rate)),
        "train_d_model": choice_param(D_MODEL_CHOICES, str(DEFAULTS.d_model)),
        "train_seed": int_param(0, MAX_SEED, DEFAULTS.seed),
        "train_at": int_param(0, 100, 100),
        "train_heads": int_param(1, 2, IND_DEFAULTS.heads),
        "train_ind_steps": choice_param(IND_STEP_CHOICES, str(IND_DEFAULTS.steps)),
        "train_ind_lr": choice_param(LR_CHOICES, str(IND_DEFAULTS.learning_rate)),
        "train_ind_d_model": choice_param(IND_D_MODEL_CHOICES, str(IND_DEFAULTS.d_model)),
        "train_ind_seed": int_param(0, MAX_SEED, IND_DEFAULTS.seed),
        "train_ind_at": int_param(0, 100, 100),
    },
)
_PERSIST = {"persist_state": "session"}


def wait_with_progress(job: TrainingJob) -> TrainingRun:
    """Poll the (shared) job, showing its progress and the probe's attention as it trains; the training itself
    runs in a worker thread. This session's script does the (small) redrawing, at most every REPAINT_SECONDS."""
    bar = st.progress(0.0, text=t("train.waiting"))
    live, painted, s = st.empty(), 0.0, job.settings
    probe, allowed, keys = (
        held_out_tokens(s.seq_len, s.held_out_size)[0],
        allowed_keys(s),
        expected_keys(s.task, s.seq_len),
    )
    shown = None
    while not job.done():
        progress = job.latest
        if progress is not None and progress != shown:
            text = t(
                "train.progress", step=progress.step, steps=progress.steps, accuracy=progress.held_out_sequence_accuracy
            )
            bar.progress(progress.step / progress.steps, text=text)
            shown = progress
            if progress.probe_weights is not None and time.monotonic() - painted >= REPAINT_SECONDS:
                figure = probe_figure(progress.probe_weights, probe, allowed, keys, progress.step, progress.steps)
                show(live.container(), figure, key=f"train_live_{progress.step}")
                painted = time.monotonic()
        wait([job.future], timeout=POLL_SECONDS)
    bar.empty()
    live.empty()
    return job.result()


def probe_figure(weights, tokens, allowed, keys, step: int, steps: int):
    """The probe's attention ``weights [L, L]`` at ``step``, the keys the task expects (``keys [L]``) outlined."""
    title = t("train.chart.heatmap", step=step, steps=steps)
    return probe_heatmap(
        weights, tokens, allowed, keys, title=title, lang=language(), scale=chart_scale(), size=HEATMAP_SIZE
    )


st.header(t("train.title"), anchor=False)
intro = st.empty()  # the permutation tasks' introduction; the induction task introduces itself

# ── controls ─────────────────────────────────────────────────────────────────
bar = st.sidebar
bar.subheader(t("train.settings"), anchor=False)
task = bar.radio(
    t("train.ctl.task"), PAGE_TASKS, format_func=lambda k: t(f"train.task.{k}"), key="train_task", **_PERSIST
)


def permutation_lesson(task: str) -> None:
    """The one-head model on a permutation task (core/training.py)."""
    prose(t("train.intro"), intro.container())
    seq_len = bar.slider(t("train.ctl.len"), MIN_LEN, MAX_LEN, key="train_len", **_PERSIST)
    causal = bar.toggle(t("train.ctl.causal"), key="train_causal", help=t("train.ctl.causal.help"), **_PERSIST)
    steps = bar.select_slider(t("train.ctl.steps"), STEP_CHOICES, key="train_steps", **_PERSIST)
    learning_rate = bar.select_slider(t("train.ctl.lr"), LR_CHOICES, key="train_lr", **_PERSIST)
    d_model = bar.select_slider(t("train.ctl.d_model"), D_MODEL_CHOICES, key="train_d_model", **_PERSIST)
    seed = bar.number_input(
        t("train.ctl.seed"), 0, MAX_SEED, step=1, key="train_seed", help=t("train.ctl.seed.help"), **_PERSIST
    )
    settings = TrainingSettings(
        task=task,
        seq_len=int(seq_len),
        causal=bool(causal),
        steps=int(steps),
        learning_rate=float(learning_rate),
        d_model=int(d_model),
        seed=int(seed),
    )
    st.markdown(t(f"train.rule.{task}"))

    # ── training (or the shared cache) ───────────────────────────────────────────
    job, cached = shared_training_runs().request(settings)
    run = job.result() if cached else wait_with_progress(job)
    watched = st.session_state.setdefault(WATCHED_KEY, set())
    if not cached:
        watched.add(settings)
    if run.hidden_queries:
        ceiling = expected_ceiling(task, settings.seq_len, True, settings.held_out_size)
        positions = ", ".join(str(i) for i in run.hidden_queries)
        measured = measured_against_ceiling(run.final_token_accuracy, run.final_sequence_accuracy, ceiling)
        st.warning(
            sentences(hidden_notice(positions, ceiling, settings.held_out_size), measured),
            icon=":material/visibility_off:",
        )
    elif causal:
        st.info(t("train.causal_ok"), icon=":material/visibility:")

    # ── the scrubbed snapshot ────────────────────────────────────────────────────
    percent = st.slider(t("train.ctl.at"), 0, 100, step=2, format="%d%%", key="train_at", **_PERSIST)
    index = round(int(percent) / 100 * (len(run.steps) - 1))
    step = int(run.steps[index])

    left, right = st.columns([1, 1.2], gap="medium")
    figure = probe_figure(
        run.probe_weights[index], run.probe_tokens, run.allowed, run.expected_keys, step, settings.steps
    )
    show(left, figure, key="train_heatmap")
    prose(t("train.outline.note.causal" if causal else "train.outline.note", uniform=1 / settings.seq_len), left)

    steps_axis = run.steps.numpy()
    loss = {
        t("train.series.train_loss"): run.train_loss.numpy(),
        t("train.series.held_out_loss"): run.held_out_loss.numpy(),
    }
    accuracy = {
        t("train.series.held_out_sequence"): run.held_out_sequence_accuracy.numpy(),
        t("train.series.held_out_token"): run.held_out_token_accuracy.numpy(),
        t("train.series.train_sequence"): run.train_sequence_accuracy.numpy(),
        t("train.series.share"): run.expected_key_share.numpy(),
    }
    for chart_key, series, title, y_title, log_y in (
        ("train_loss", loss, t("train.chart.loss"), t("train.axis.loss"), True),
        ("train_accuracy", accuracy, t("train.chart.accuracy"), t("train.axis.share"), False),
    ):
        chart = history_chart(
            history_frame(steps_axis, series),
            step=step,
            series=list(series),
            title=title,
            x_title=t("train.axis.step"),
            y_title=y_title,
            log_y=log_y,
        )
        show(right, chart, key=chart_key)

    st.markdown(
        t(
            "train.at_step",
            step=step,
            sequence=float(run.held_out_sequence_accuracy[index]),
            token=float(run.held_out_token_accuracy[index]),
            share=float(run.expected_key_share[index]),
        )
    )
    probe_rows = [t("train.probe.input"), t("train.probe.target"), t("train.probe.output", step=step)]
    predictions = run.probe_predictions[index]
    st.table(probe_table(run.probe_tokens, run.probe_targets, predictions, probe_rows, WRONG_STYLE), width="content")

    # ── final numbers ────────────────────────────────────────────────────────────
    st.subheader(t("train.final.header"), anchor=False)
    columns = st.columns(4)
    columns[0].metric(t("train.metric.sequence"), f"{run.final_sequence_accuracy:.1%}")
    columns[1].metric(t("train.metric.token"), f"{run.final_token_accuracy:.1%}")
    columns[2].metric(t("train.metric.share"), f"{run.final_expected_key_share:.1%}")
    columns[3].metric(t("train.metric.time"), t("train.seconds", seconds=run.elapsed_seconds))
    reached = run.first_snapshot_reaching(0.99)
    if reached is None:
        st.caption(t("train.not_reached", steps=settings.steps))
    else:
        st.caption(t("train.reached", step=int(run.steps[reached]), seconds=float(run.seconds[reached])))
    if settings in watched:
        st.caption(t("train.fresh", seconds=run.elapsed_seconds, steps=settings.steps, batch=settings.batch_size))
    else:
        st.caption(t("train.cached", seconds=run.elapsed_seconds))
    prose(t("train.held_out.note", count=settings.held_out_size))

    # ── explanations ─────────────────────────────────────────────────────────────
    st.subheader(t("train.meaning.header"), anchor=False)
    st.markdown(t("train.meaning.text", start=start_sentence(run, causal)))
    st.subheader(t("train.model.header"), anchor=False)
    st.latex(
        r"\begin{gathered} x_i = E_{t_i} + P_i, \quad q_i = x_i W_Q, \quad k_j = x_j W_K, \quad v_j = E_{t_j} W_V \\"
        r"a_{ij} = \operatorname{softmax}_j\!\left(\frac{q_i \cdot k_j}{\sqrt{d_k}}\right), \quad"
        r"\text{logits}_i = \Big(\sum_j a_{ij} v_j\Big) W_{\text{out}} + b \end{gathered}"
    )
    st.markdown(t("train.model.text", d_model=settings.d_model))
    st.markdown(t("train.loop.text", batch=settings.batch_size, lr=learning_rate, every=settings.snapshot_every))
    with st.expander(t("train.code")):
        forward = textwrap.dedent(source_of(TinyAttentionModel.forward))  # a method: indented in its class
        st.code(forward + "\n\n" + source_of(train_step), language="python")


def wait_for_induction(job: TrainingJob) -> InductionRun:
    """Poll the (shared) induction job, showing its loss and repainting the probe's layer-1 and layer-2 attention
    at most every REPAINT_SECONDS; the training itself runs in the worker thread."""
    bar = st.progress(0.0, text=t("train.waiting"))
    live, painted, s = st.empty(), 0.0, job.settings
    probe = probe_sequence(s.vocab_size, s.half)
    shown = None
    while not job.done():
        progress = job.latest
        if progress is not None and progress != shown:
            bar.progress(progress.step / progress.steps, text=t("train.ind.progress", **_progress_values(progress)))
            shown = progress
            if progress.layer1 is not None and time.monotonic() - painted >= REPAINT_SECONDS:
                columns = live.container().columns(2)
                for layer, weights in ((1, progress.layer1), (2, progress.layer2)):
                    figure = induction_figure(weights[0], probe, layer, 0, progress.step, progress.steps, s.half)
                    show(columns[layer - 1], figure, key=f"train_ind_live_{layer}_{progress.step}")
                painted = time.monotonic()
        wait([job.future], timeout=POLL_SECONDS)
    bar.empty()
    live.empty()
    return job.result()


def _progress_values(progress) -> dict[str, object]:
    return {"step": progress.step, "steps": progress.steps, "loss": progress.loss}


def induction_figure(weights, tokens, layer: int, head: int, step: int, steps: int, half: int):
    """One head's attention on the probe, ``weights [L, L]``, its expected keys outlined: the previous token in
    layer 1, the key after the previous occurrence of the current token in layer 2."""
    keys = previous_token_keys(2 * half) if layer == 1 else induction_keys(half)
    title = t("train.ind.chart.head", layer=layer, head=head, step=step, steps=steps)
    allowed = allowed_keys(TrainingSettings(seq_len=2 * half, causal=True))
    return probe_heatmap(
        weights,
        tokens,
        allowed,
        keys,
        title=title,
        lang=language(),
        scale=chart_scale(),
        size=HEATMAP_SIZE,
        axis_keys=("train.ind.axis.key", "train.ind.axis.query"),
    )


def induction_lesson() -> None:
    """The two-layer, attention-only model on repeated sequences (core/induction.py): the loss plateau and its
    drop, the previous-token head in layer 1 and the induction stripe in layer 2."""
    heads = bar.radio(t("train.ctl.heads"), IND_HEADS, key="train_heads", horizontal=True, **_PERSIST)
    steps = bar.select_slider(t("train.ctl.steps"), IND_STEP_CHOICES, key="train_ind_steps", **_PERSIST)
    learning_rate = bar.select_slider(t("train.ctl.lr"), LR_CHOICES, key="train_ind_lr", **_PERSIST)
    d_model = bar.select_slider(t("train.ctl.d_model"), IND_D_MODEL_CHOICES, key="train_ind_d_model", **_PERSIST)
    seed = bar.number_input(
        t("train.ctl.seed"), 0, MAX_SEED, step=1, key="train_ind_seed", help=t("train.ctl.seed.help"), **_PERSIST
    )
    settings = InductionSettings(
        heads=int(heads), steps=int(steps), learning_rate=float(learning_rate), d_model=int(d_model), seed=int(seed)
    )
    half = settings.half
    st.markdown(t("train.rule.induction", half=half, vocab=settings.vocab_size, offset=half - 1))
    prose(t("train.ind.toy"))

    job, cached = shared_training_runs().request(settings)
    run = job.result() if cached else wait_for_induction(job)
    watched = st.session_state.setdefault(WATCHED_KEY, set())
    if not cached:
        watched.add(settings)

    percent = st.slider(t("train.ctl.at"), 0, 100, step=2, format="%d%%", key="train_ind_at", **_PERSIST)
    index = round(int(percent) / 100 * (len(run.snapshot_steps) - 1))
    step = int(run.snapshot_steps[index])
    st.markdown(at_step_sentence(run, index))

    for layer, maps in ((1, run.layer1), (2, run.layer2)):
        columns = st.columns(settings.heads)
        for head in range(settings.heads):
            figure = induction_figure(maps[index, head], run.probe_tokens, layer, head, step, settings.steps, half)
            show(columns[head], figure, key=f"train_ind_layer{layer}_head{head}")
        prose(t(f"train.ind.outline.layer{layer}", offset=half - 1))

    drop = run.drop()
    steps_axis = run.loss.new_tensor(range(len(run.loss))).long().numpy()
    loss = {
        t("train.ind.series.loss"): run.loss.numpy(),
        t("train.ind.series.smoothed", steps=2 * DROP_WINDOW + 1): smoothed(run.loss, DROP_WINDOW).numpy(),
        t("train.ind.series.plateau"): np.full(len(run.loss), drop.plateau),
        t("train.ind.series.half"): np.full(len(run.loss), DROP_FRACTION * drop.plateau),
    }
    scores = {}
    for head in range(settings.heads):
        scores[t("train.ind.series.previous", head=head)] = run.previous_token_scores[:, head].numpy()
    for head in range(settings.heads):
        scores[t("train.ind.series.induction", head=head)] = run.induction_scores[:, head].numpy()
    left, right = st.columns(2, gap="medium")
    loss_chart = history_chart(
        history_frame(steps_axis, loss),
        step=step,
        series=list(loss),
        title=t("train.ind.chart.loss"),
        x_title=t("train.axis.step"),
        y_title=t("train.axis.loss"),
        log_y=True,
    )
    show(left, with_drop(loss_chart, drop.step, t("train.ind.drop_label")), key="train_ind_loss")
    scores_chart = history_chart(
        history_frame(run.snapshot_steps.numpy(), scores),
        step=step,
        series=list(scores),
        title=t("train.ind.chart.scores"),
        x_title=t("train.axis.step"),
        y_title=t("train.axis.share"),
    )
    show(right, with_drop(scores_chart, drop.step, t("train.ind.drop_label")), key="train_ind_scores")
    st.markdown(sentences(drop_sentence(run), stripe_sentence(run)))

    st.subheader(t("train.final.header"), anchor=False)
    columns = st.columns(4)
    columns[0].metric(t("train.ind.metric.induction"), f"{float(run.induction_scores[-1].max()):.1%}")
    columns[1].metric(t("train.ind.metric.previous"), f"{float(run.previous_token_scores[-1].max()):.1%}")
    columns[2].metric(t("train.ind.metric.drop"), t("train.ind.metric.no_drop") if drop.step is None else drop.step)
    columns[3].metric(t("train.metric.time"), t("train.seconds", seconds=run.elapsed_seconds))
    if settings in watched:
        st.caption(t("train.fresh", seconds=run.elapsed_seconds, steps=settings.steps, batch=settings.batch_size))
    else:
        st.caption(t("train.cached", seconds=run.elapsed_seconds))

    st.subheader(t("train.model.header"), anchor=False)
    st.markdown(
        t(
            "train.ind.model.text",
            d_model=settings.d_model,
            heads=settings.heads,
            vocab=settings.vocab_size,
            batch=settings.batch_size,
            lr=learning_rate,
            min_half=settings.min_half,
            half=half,
            every=settings.snapshot_every,
        )
    )
    with st.expander(t("train.ind.code")):
        st.code(textwrap.dedent(source_of(AttentionOnlyTransformer.forward)), language="python")


if task == INDUCTION:
    induction_lesson()
else:
    permutation_lesson(task)
