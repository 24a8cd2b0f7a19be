"""Training: a one-head attention model learns a toy task live; a slider scrubs its attention through training.
The induction task trains a two-layer, attention-only transformer instead (core/induction.py) and shows its
induction head forming."""

from __future__ import annotations

import streamlit as st

from ui.controls import MAX_SEED
from ui.i18n import t
from ui.presenter import prose
from ui.training_controls import (
    D_MODEL_CHOICES,
    DEFAULTS,
    IND_D_MODEL_CHOICES,
    IND_DEFAULTS,
    IND_STEP_CHOICES,
    INDUCTION,
    LR_CHOICES,
    MAX_LEN,
    MIN_LEN,
    PAGE_TASKS,
    STEP_CHOICES,
    induction_controls,
    permutation_controls,
    snapshot_slider,
    task_control,
)
from ui.training_views import (
    drop_view,
    explanations_view,
    final_view,
    heads_view,
    induction_final_view,
    induction_model_view,
    induction_rule,
    mask_notice,
    snapshot_view,
    trained_run,
)
from ui.url_state import bool_param, choice_param, int_param, page_params

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

st.header(t("train.title"), anchor=False)
intro = st.empty()  # the permutation tasks' introduction; the induction task introduces itself

# ── controls ─────────────────────────────────────────────────────────────────
bar = st.sidebar
bar.subheader(t("train.settings"), anchor=False)
task = task_control(bar)

if task == INDUCTION:
    # The two-layer, attention-only model on repeated sequences (core/induction.py): the loss plateau and its
    # drop, the previous-token head in layer 1 and the induction stripe in layer 2.
    settings = induction_controls(bar)
    induction_rule(settings)
    run = trained_run(settings)  # training (or the shared cache)
    index = snapshot_slider("train_ind_at", run.snapshot_steps)
    heads_view(run, index)
    drop_view(run, index)
    induction_final_view(run)
    induction_model_view(run)
else:
    # The one-head model on a permutation task (core/training.py).
    prose(t("train.intro"), intro.container())
    settings = permutation_controls(bar, task)
    st.markdown(t(f"train.rule.{task}"))
    run = trained_run(settings)  # training (or the shared cache)
    mask_notice(run)
    index = snapshot_slider("train_at", run.steps)  # the scrubbed snapshot
    snapshot_view(run, index)
    final_view(run)
    explanations_view(run)
