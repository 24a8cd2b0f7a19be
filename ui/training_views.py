"""The Training page's sections: a run (trained live with progress, or from the shared cache), then each lesson's
parts. The permutation tasks (core/training.py): the mask's notice, the scrubbed snapshot, the final numbers and
the explanations. The induction task (core/induction.py): the heads of both layers, the loss and score curves,
the final numbers and the model."""

from __future__ import annotations

import textwrap
import time
from concurrent.futures import wait

import streamlit as st

from core.induction import (
    DROP_WINDOW,
    AttentionOnlyTransformer,
    InductionRun,
    InductionSettings,
    induction_keys,
    previous_token_keys,
    probe_sequence,
)
from core.training import (
    TinyAttentionModel,
    TrainingRun,
    TrainingSettings,
    allowed_keys,
    expected_keys,
    held_out_tokens,
    train_step,
)
from ui.cache import source_of
from ui.charts import show
from ui.charts.training import (
    CURVE_WIDTH,
    PAIRED_CURVE_WIDTH,
    history_chart,
    history_frame,
    loss_drop_series,
    loss_steps,
    probe_heatmap,
    probe_table,
    with_drop,
)
from ui.i18n import language, sentences, t
from ui.presenter import chart_scale, prose
from ui.training_runs import TrainingJob, shared_training_runs
from ui.training_text import (
    at_step_sentence,
    drop_sentence,
    hidden_warning,
    reached_sentence,
    snapshot_sentence,
    start_sentence,
    stripe_sentence,
)

HEATMAP_SIZE = 300
POLL_SECONDS = 0.15
REPAINT_SECONDS = 0.5  # while training, the probe's heatmap is redrawn at most twice a second
WRONG_STYLE = "background-color: #fbd5bd; font-weight: bold"  # a wrong answer: light vermillion
WATCHED_KEY = "_train_watched"  # settings whose training this session showed with a progress bar

# ── a run, trained live or from the cache ────────────────────────────────────


def trained_run(settings: TrainingSettings | InductionSettings) -> TrainingRun | InductionRun:
    """The run of ``settings``: from the shared cache, or waited for with its progress shown (and then
    remembered as watched by this session)."""
    job, cached = shared_training_runs().request(settings)
    if cached:
        run = job.result()
    else:
        run = wait_for_induction(job) if isinstance(settings, InductionSettings) else wait_with_progress(job)
    watched = st.session_state.setdefault(WATCHED_KEY, set())
    if not cached:
        watched.add(settings)
    return run


def timing_caption(run: TrainingRun | InductionRun) -> None:
    """How long the run trained, and whether this session watched it or found it cached."""
    s = run.settings
    if s in st.session_state[WATCHED_KEY]:
        st.caption(t("train.fresh", seconds=run.elapsed_seconds, steps=s.steps, batch=s.batch_size))
    else:
        st.caption(t("train.cached", seconds=run.elapsed_seconds))


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
            text = t("train.ind.progress", step=progress.step, steps=progress.steps, loss=progress.loss)
            bar.progress(progress.step / progress.steps, text=text)
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


def probe_figure(weights, tokens, allowed, keys, step: int, steps: int):
    """The probe's attention ``weights [L, L]`` at ``step``, the keys the task expects (``keys [L]``) outlined."""
    title = t("train.chart.heatmap", step=step, steps=steps)
    return probe_heatmap(
        weights, tokens, allowed, keys, title=title, lang=language(), scale=chart_scale(), size=HEATMAP_SIZE
    )


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


def curves(steps, series: dict, step: int, title: str, y_title: str, log_y: bool = False, width: int = CURVE_WIDTH):
    """``series`` (label → values at ``steps``) against the training step, a rule at ``step``."""
    return history_chart(
        history_frame(steps, series),
        step=step,
        series=list(series),
        title=title,
        x_title=t("train.axis.step"),
        y_title=y_title,
        log_y=log_y,
        width=width,
    )


# ── the permutation tasks ────────────────────────────────────────────────────


def mask_notice(run: TrainingRun) -> None:
    """Under a causal mask: which queries cannot see their answer (and what that costs), or that none is hidden."""
    if run.hidden_queries:
        st.warning(hidden_warning(run), icon=":material/visibility_off:")
    elif run.settings.causal:
        st.info(t("train.causal_ok"), icon=":material/visibility:")


def snapshot_view(run: TrainingRun, index: int) -> None:
    """The probe's attention at snapshot ``index``, the history up to it, and the probe's answers then."""
    s, step = run.settings, int(run.steps[index])
    left, right = st.columns([1, 1.2], gap="medium")
    figure = probe_figure(run.probe_weights[index], run.probe_tokens, run.allowed, run.expected_keys, step, s.steps)
    show(left, figure, key="train_heatmap")
    prose(t("train.outline.note.causal" if s.causal else "train.outline.note", uniform=1 / s.seq_len), left)

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
    loss_chart = curves(steps_axis, loss, step, t("train.chart.loss"), t("train.axis.loss"), log_y=True)
    show(right, loss_chart, key="train_loss")
    accuracy_chart = curves(steps_axis, accuracy, step, t("train.chart.accuracy"), t("train.axis.share"))
    show(right, accuracy_chart, key="train_accuracy")

    st.markdown(snapshot_sentence(run, index))
    probe_rows = [t("train.probe.input"), t("train.probe.target"), t("train.probe.output", step=step)]
    predictions = run.probe_predictions[index]
    st.table(probe_table(run.probe_tokens, run.probe_targets, predictions, probe_rows, WRONG_STYLE), width="content")


def final_view(run: TrainingRun) -> None:
    st.subheader(t("train.final.header"), anchor=False)
    columns = st.columns(4)
    columns[0].metric(t("train.metric.sequence"), f"{run.final_sequence_accuracy:.1%}")
    columns[1].metric(t("train.metric.token"), f"{run.final_token_accuracy:.1%}")
    columns[2].metric(t("train.metric.share"), f"{run.final_expected_key_share:.1%}")
    columns[3].metric(t("train.metric.time"), t("train.seconds", seconds=run.elapsed_seconds))
    st.caption(reached_sentence(run))
    timing_caption(run)
    prose(t("train.held_out.note", count=run.settings.held_out_size))


def explanations_view(run: TrainingRun) -> None:
    """What the run shows, the model's equations, its training loop and their code."""
    s = run.settings
    st.subheader(t("train.meaning.header"), anchor=False)
    st.markdown(t("train.meaning.text", start=start_sentence(run, s.causal)))
    st.subheader(t("train.model.header"), anchor=False)
    st.latex(
        r"\begin{gathered} x_i = E_{t_i} + P_i, \quad q_i = x_i W_Q, \quad k_j = x_j W_K, \quad v_j = E_{t_j} W_V \\"
        r"a_{ij} = \operatorname{softmax}_j\!\left(\frac{q_i \cdot k_j}{\sqrt{d_k}}\right), \quad"
        r"\text{logits}_i = \Big(\sum_j a_{ij} v_j\Big) W_{\text{out}} + b \end{gathered}"
    )
    st.markdown(t("train.model.text", d_model=s.d_model))
    st.markdown(t("train.loop.text", batch=s.batch_size, lr=s.learning_rate, every=s.snapshot_every))
    with st.expander(t("train.code")):
        forward = textwrap.dedent(source_of(TinyAttentionModel.forward))  # a method: indented in its class
        st.code(forward + "\n\n" + source_of(train_step), language="python")


# ── the induction task ───────────────────────────────────────────────────────


def induction_rule(settings: InductionSettings) -> None:
    half = settings.half
    st.markdown(t("train.rule.induction", half=half, vocab=settings.vocab_size, offset=half - 1))
    prose(t("train.ind.toy"))


def heads_view(run: InductionRun, index: int) -> None:
    """What snapshot ``index`` says, then every head of layer 1 and of layer 2 on the probe, expected keys outlined."""
    s, step = run.settings, int(run.snapshot_steps[index])
    st.markdown(at_step_sentence(run, index))
    for layer, maps in ((1, run.layer1), (2, run.layer2)):
        columns = st.columns(s.heads)
        for head in range(s.heads):
            figure = induction_figure(maps[index, head], run.probe_tokens, layer, head, step, s.steps, s.half)
            show(columns[head], figure, key=f"train_ind_layer{layer}_head{head}")
        prose(t(f"train.ind.outline.layer{layer}", offset=s.half - 1))


def drop_view(run: InductionRun, index: int) -> None:
    """The loss with its plateau and the drop, beside each head's previous-token and induction scores."""
    heads, step, drop = run.settings.heads, int(run.snapshot_steps[index]), run.drop()
    names = (
        t("train.ind.series.loss"),
        t("train.ind.series.smoothed", steps=2 * DROP_WINDOW + 1),
        t("train.ind.series.plateau"),
        t("train.ind.series.half"),
    )
    loss = loss_drop_series(run.loss, drop.plateau, names)
    scores = {t("train.ind.series.previous", head=h): run.previous_token_scores[:, h].numpy() for h in range(heads)}
    for head in range(heads):
        scores[t("train.ind.series.induction", head=head)] = run.induction_scores[:, head].numpy()
    left, right = st.columns(2, gap="medium")
    label = t("train.ind.drop_label")
    loss_chart = curves(
        loss_steps(run.loss), loss, step, t("train.ind.chart.loss"), t("train.axis.loss"), True, PAIRED_CURVE_WIDTH
    )
    show(left, with_drop(loss_chart, drop.step, label), key="train_ind_loss")
    scores_chart = curves(
        run.snapshot_steps.numpy(), scores, step, t("train.ind.chart.scores"), t("train.axis.share"), False,
        PAIRED_CURVE_WIDTH,
    )  # fmt: skip
    show(right, with_drop(scores_chart, drop.step, label), key="train_ind_scores")
    st.markdown(sentences(drop_sentence(run), stripe_sentence(run)))


def induction_final_view(run: InductionRun) -> None:
    drop = run.drop()
    st.subheader(t("train.final.header"), anchor=False)
    columns = st.columns(4)
    columns[0].metric(t("train.ind.metric.induction"), f"{float(run.induction_scores[-1].max()):.1%}")
    columns[1].metric(t("train.ind.metric.previous"), f"{float(run.previous_token_scores[-1].max()):.1%}")
    columns[2].metric(t("train.ind.metric.drop"), t("train.ind.metric.no_drop") if drop.step is None else drop.step)
    columns[3].metric(t("train.metric.time"), t("train.seconds", seconds=run.elapsed_seconds))
    timing_caption(run)


def induction_model_view(run: InductionRun) -> None:
    s = run.settings
    st.subheader(t("train.model.header"), anchor=False)
    st.markdown(
        t(
            "train.ind.model.text",
            d_model=s.d_model,
            heads=s.heads,
            vocab=s.vocab_size,
            batch=s.batch_size,
            lr=s.learning_rate,
            min_half=s.min_half,
            half=s.half,
            every=s.snapshot_every,
        )
    )
    with st.expander(t("train.ind.code")):
        st.code(textwrap.dedent(source_of(AttentionOnlyTransformer.forward)), language="python")
