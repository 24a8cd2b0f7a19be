"""Common mistakes: each broken attention beside the right one, on the shared sentence, and what breaks."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import streamlit as st
import torch

from core.mistakes import MISTAKES, Mistake, MistakeReport, WeightChecks, diagnose
from core.pipeline import build_mask, self_attention
from ui.cache import cached_model
from ui.charts import heatmap, position_labels, show, to_long_df
from ui.controls import PlaygroundSettings, head_selector, playground_controls
from ui.i18n import t
from ui.markdown import literal
from ui.presenter import chart_scale, prose
from ui.sequence import prepare_sequence
from ui.url_state import choice_param, page_params

VALUES_IN_CELLS_UP_TO = 12
HEATMAP_SIZE = 320
RIGHT_FORMULA = r"\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(\frac{QK^\top}{\sqrt{d_k}}+M\right)V"
WRONG_FORMULAS: dict[Mistake, str] = {
    "no_scaling": r"\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(QK^\top+M\right)V",
    "softmax_over_queries": r"\operatorname{softmax}_{\,\mathrm{dim}=-2}\!\left(\frac{QK^\top}{\sqrt{d_k}}+M\right)V",
    "mask_after_softmax": r"\left(\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right)"
    r"\odot\mathrm{mask}\right)V",
    "scale_by_d_model": r"\operatorname{softmax}_{\,\mathrm{dim}=-1}\!\left(\frac{QK^\top}{\sqrt{d_{\mathrm{model}}}}"
    r"+M\right)V",
}
ROW_SUM_TOLERANCE = 1e-4  # float32 softmax rows sum to 1 within ~1e-6


def tensor_bytes(tensor: torch.Tensor) -> bytes:
    return tensor.numpy().tobytes() + str((tensor.dtype, tuple(tensor.shape))).encode()


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={torch.Tensor: tensor_bytes})
def cached_diagnosis(
    mistake: Mistake, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None, seed: int
) -> MistakeReport:
    # The leak probe re-runs attention once per token: ~0.2 s at L = 64 with 8 heads of 128, so cache it.
    return diagnose(mistake, q, k, v, mask, seed=seed)


def sum_range(bounds: tuple[float, float]) -> str:
    return f"{bounds[0]:.4f} – {bounds[1]:.4f}"


def is_distribution(checks: WeightChecks) -> bool:
    low, high = checks.row_sum_range
    return abs(low - 1) < ROW_SUM_TOLERANCE and abs(high - 1) < ROW_SUM_TOLERANCE


def diagnostics_table(report: MistakeReport, masks_something: bool) -> pd.DataFrame:
    """Measure | right | with the mistake, every number read from the report."""

    def entropy(checks: WeightChecks) -> str:
        return f"{checks.mean_entropy:.4f}" if is_distribution(checks) else t("mistakes.not_distribution")

    right, wrong = report.correct_checks, report.broken_checks
    rows = [
        ("scale", f"{report.correct.scale:.4f}", f"{report.broken.scale:.4f}"),
        ("row_sums", sum_range(right.row_sum_range), sum_range(wrong.row_sum_range)),
        ("column_sums", sum_range(right.column_sum_range), sum_range(wrong.column_sum_range)),
    ]
    if masks_something:
        rows += [
            ("forbidden_weight", f"{right.max_forbidden_weight:.4f}", f"{wrong.max_forbidden_weight:.4f}"),
            ("influence", f"{right.max_forbidden_influence:.4f}", f"{wrong.max_forbidden_influence:.4f}"),
        ]
    rows += [
        ("output_difference", f"{0.0:.4f}", f"{report.max_output_difference:.4f}"),
        ("entropy", entropy(right), entropy(wrong)),
    ]
    return pd.DataFrame(
        {
            t("mistakes.col.measure"): [t(f"mistakes.row.{name}") for name, _, _ in rows],
            t("mistakes.col.correct"): [value for _, value, _ in rows],
            t("mistakes.col.broken"): [value for _, _, value in rows],
        }
    )


def what_breaks(
    report: MistakeReport, settings: PlaygroundSettings, labels: list[str], mask_kind: str, masks_something: bool
) -> list[str]:
    """The explanation of this mistake, filled with the measured numbers."""
    mistake = report.mistake
    right, wrong = report.correct_checks, report.broken_checks
    difference = report.max_output_difference
    entropies = {"entropy": wrong.mean_entropy, "correct_entropy": right.mean_entropy}
    query, token = wrong.most_influenced
    influence = {
        "influence": wrong.max_forbidden_influence,
        "correct_influence": right.max_forbidden_influence,
        "query": f"“{literal(labels[query])}”",
        "token": f"“{literal(labels[token])}”",
    }
    row_low, row_high = wrong.row_sum_range
    if mistake == "no_scaling":
        if settings.d_k == 1:
            return [t("mistakes.breaks.no_scaling.d_k_1", difference=difference)]
        return [t("mistakes.breaks.no_scaling", d_k=settings.d_k, difference=difference, **entropies)]
    if mistake == "scale_by_d_model":
        if settings.heads == 1:
            return [t("mistakes.breaks.scale_by_d_model.one_head", difference=difference)]
        return [
            t(
                "mistakes.breaks.scale_by_d_model",
                heads=settings.heads,
                d_k=settings.d_k,
                d_model=settings.d_model,
                wrong=report.broken.scale,
                right=report.correct.scale,
                difference=difference,
                **entropies,
            )
        ]
    if mistake == "softmax_over_queries":
        col_low, col_high = wrong.column_sum_range
        if wrong.nan_weights:
            return [t("mistakes.breaks.softmax_over_queries.nan_rows", col_low=col_low, col_high=col_high)]
        texts = [
            t(
                "mistakes.breaks.softmax_over_queries",
                col_low=col_low,
                col_high=col_high,
                row_low=row_low,
                row_high=row_high,
            )
        ]
        if wrong.max_forbidden_influence > 0:
            key = "causal" if mask_kind == "causal" else "leak"
            texts.append(t(f"mistakes.breaks.softmax_over_queries.{key}", **influence))
        return texts
    if not masks_something:
        return [t("mistakes.breaks.mask_after_softmax.no_effect")]
    texts = [
        t(
            "mistakes.breaks.mask_after_softmax",
            forbidden=wrong.max_forbidden_weight,
            row_low=row_low,
            row_high=row_high,
            **influence,
        )
    ]
    if mask_kind == "causal":
        texts.append(t("mistakes.breaks.mask_after_softmax.causal"))
    return texts


st.header(t("mistakes.title"), anchor=False)
prose(t("mistakes.intro"))
page_params("mistakes", {"mistakes_kind": choice_param(MISTAKES, "no_scaling")})

settings = playground_controls()
head = head_selector(settings.heads) if settings.heads > 1 else 0

mistake: Mistake = st.segmented_control(
    t("mistakes.pick"),
    options=list(MISTAKES),
    format_func=lambda m: t(f"mistakes.kind.{m}"),
    key="mistakes_kind",
    required=True,
    persist_state="session",
)
st.markdown(t(f"mistakes.what.{mistake}"))

mask_kind = settings.mask
if mistake == "mask_after_softmax" and mask_kind == "none":
    mask_kind = "causal"
    st.info(t("mistakes.causal_used"))
sequence = prepare_sequence(settings)
mask = build_mask(mask_kind, settings.seq_len, real_len=sequence.real_len, window=settings.window)
model_result = self_attention(cached_model(settings.d_k, settings.heads, settings.seed), sequence.embeddings, mask)
report = cached_diagnosis(mistake, model_result.q, model_result.k, model_result.v, mask, settings.seed)
masks_something = bool((~report.correct.allowed).any())

labels = position_labels(sequence.tokens)
show_values = settings.seq_len <= VALUES_IN_CELLS_UP_TO
allowed = report.correct.allowed[0, head].numpy()
sides = {
    "correct": (t("mistakes.right"), RIGHT_FORMULA, report.correct, report.correct_checks),
    "broken": (t("mistakes.wrong"), WRONG_FORMULAS[mistake], report.broken, report.broken_checks),
}
for column, (name, formula, _, _) in zip(st.columns(2), sides.values(), strict=True):
    column.markdown(f"**{name}**")
    column.latex(formula)
# A row of their own, so the heatmaps line up whatever the formulas' heights.
for column, (side, (_, _, result, checks)) in zip(st.columns(2), sides.items(), strict=True):
    weights = result.weights[0, head].numpy()
    row_sums = checks.row_sums[0, head].numpy()
    figure = heatmap(
        to_long_df(weights, labels, labels, allowed),
        kind="weights",
        title=t(f"mistakes.chart.{side}"),
        x_title=t("axis.key"),
        y_title=t("axis.query"),
        legend_title=t("axis.value"),
        masked_text="NaN" if np.isnan(weights).any() else "0",
        show_values=show_values,
        row_sums=row_sums if np.isfinite(row_sums).all() else None,  # NaN sums are reported below instead
        size=HEATMAP_SIZE,
        scale=chart_scale(),
    )
    show(column, figure, key=f"mistakes_chart_{side}")
st.caption(t("mistakes.head", head=head, heads=settings.heads))

for text in what_breaks(report, settings, labels, mask_kind, masks_something):
    st.markdown(text)
if report.broken_checks.nan_weights:
    nan = report.broken_checks
    st.warning(t("mistakes.nan", count=nan.nan_weights, outputs=nan.nan_outputs))
st.table(diagnostics_table(report, masks_something), hide_index=True)
if masks_something:
    st.caption(t("mistakes.influence.how"))
with st.expander(t("mistakes.code")):
    st.code(inspect.getsource(MISTAKES[mistake]), language="python")
