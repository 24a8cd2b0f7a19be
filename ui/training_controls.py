"""The Training page's own controls: the task, each lesson's training settings in the sidebar, and the slider
that scrubs through a run's snapshots."""

from __future__ import annotations

import streamlit as st
from torch import Tensor

from core.induction import InductionSettings
from core.training import TASKS, TrainingSettings
from ui.controls import MAX_SEED, PERSIST
from ui.i18n import t

DEFAULTS = TrainingSettings()
MIN_LEN, MAX_LEN = 4, 12
STEP_CHOICES = ("100", "200", "300", "500", "800")  # multiples of 50: every run has the same 51 snapshots
LR_CHOICES = ("0.0003", "0.001", "0.003", "0.01")
D_MODEL_CHOICES = ("8", "16", "32", "64")
INDUCTION = "induction"  # the two-layer task of core/induction.py, beside the permutation TASKS
PAGE_TASKS = (*TASKS, INDUCTION)  # appended: every older link's task stays valid
IND_DEFAULTS = InductionSettings()
IND_STEP_CHOICES = ("200", "400", "600", "1000", "1500")
IND_D_MODEL_CHOICES = ("16", "32", "48", "64")
IND_HEADS = (1, 2)


def task_control(bar) -> str:
    return bar.radio(
        t("train.ctl.task"), PAGE_TASKS, format_func=lambda k: t(f"train.task.{k}"), key="train_task", **PERSIST
    )


def optimiser_controls(bar, prefix: str, step_choices: tuple[str, ...], d_model_choices: tuple[str, ...]) -> dict:
    """Steps, learning rate, d_model and seed, keyed ``{prefix}steps`` … ``{prefix}seed``: both lessons ask for
    them in this order. Returns them as ``TrainingSettings`` / ``InductionSettings`` arguments."""
    steps = bar.select_slider(t("train.ctl.steps"), step_choices, key=f"{prefix}steps", **PERSIST)
    learning_rate = bar.select_slider(t("train.ctl.lr"), LR_CHOICES, key=f"{prefix}lr", **PERSIST)
    d_model = bar.select_slider(t("train.ctl.d_model"), d_model_choices, key=f"{prefix}d_model", **PERSIST)
    seed = bar.number_input(
        t("train.ctl.seed"), 0, MAX_SEED, step=1, key=f"{prefix}seed", help=t("train.ctl.seed.help"), **PERSIST
    )
    return {"steps": int(steps), "learning_rate": float(learning_rate), "d_model": int(d_model), "seed": int(seed)}


def permutation_controls(bar, task: str) -> TrainingSettings:
    """The one-head model's settings for a permutation ``task``."""
    seq_len = bar.slider(t("train.ctl.len"), MIN_LEN, MAX_LEN, key="train_len", **PERSIST)
    causal = bar.toggle(t("train.ctl.causal"), key="train_causal", help=t("train.ctl.causal.help"), **PERSIST)
    rest = optimiser_controls(bar, "train_", STEP_CHOICES, D_MODEL_CHOICES)
    return TrainingSettings(task=task, seq_len=int(seq_len), causal=bool(causal), **rest)


def induction_controls(bar) -> InductionSettings:
    """The two-layer model's settings: its heads per layer, then the optimiser's."""
    heads = bar.radio(t("train.ctl.heads"), IND_HEADS, key="train_heads", horizontal=True, **PERSIST)
    return InductionSettings(
        heads=int(heads), **optimiser_controls(bar, "train_ind_", IND_STEP_CHOICES, IND_D_MODEL_CHOICES)
    )


def snapshot_slider(key: str, steps: Tensor) -> int:
    """The snapshot to look at, of the run's ``steps [S]``, chosen as a share of training."""
    percent = st.slider(t("train.ctl.at"), 0, 100, step=2, format="%d%%", key=key, **PERSIST)
    return round(int(percent) / 100 * (len(steps) - 1))
