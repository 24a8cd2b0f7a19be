"""The sentences and the table of the Common mistakes page, every number read from a
``core.mistakes.MistakeReport``: what breaks, and the diagnostics, right beside broken."""

from __future__ import annotations

import pandas as pd

from core.mistakes import MistakeReport, WeightChecks
from ui.controls import PlaygroundSettings
from ui.i18n import t
from ui.markdown import literal


def sum_range(bounds: tuple[float, float]) -> str:
    return f"{bounds[0]:.4f} – {bounds[1]:.4f}"


def diagnostics_table(report: MistakeReport) -> pd.DataFrame:
    """Measure | right | with the mistake, every number read from the report."""

    def entropy(checks: WeightChecks) -> str:
        return f"{checks.mean_entropy:.4f}" if checks.rows_sum_to_one else t("mistakes.not_distribution")

    right, wrong = report.correct_checks, report.broken_checks
    rows = [
        ("scale", f"{report.correct.scale:.4f}", f"{report.broken.scale:.4f}"),
        ("row_sums", sum_range(right.row_sum_range), sum_range(wrong.row_sum_range)),
        ("column_sums", sum_range(right.column_sum_range), sum_range(wrong.column_sum_range)),
    ]
    if report.masks_something:
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


def what_breaks(report: MistakeReport, settings: PlaygroundSettings, labels: list[str], mask_kind: str) -> list[str]:
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
    if not report.masks_something:
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
