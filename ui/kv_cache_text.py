"""The KV-cache page's sentences, built from its numbers: which query heads share which K/V head, a real model's
label in the calculator, and what that model's cache costs against one K/V head per query head."""

from __future__ import annotations

from core.kv_cache import PRESETS, CacheSize, ModelShape, binary_size
from ui.i18n import t

MHA_GROUPS = 8  # the K/V heads of the grouped models in the presets, for the multi-head model's sentence


def head_groups(heads: int, kv_heads: int) -> str:
    """``"Groups: query heads 0–3 → K/V head 0; …"``: each K/V head after the query heads that read it."""
    group = heads // kv_heads
    groups = [
        t("kv.group", first=g * group, last=(g + 1) * group - 1, kv=g)
        if group > 1
        else t("kv.group.one", first=g, kv=g)
        for g in range(kv_heads)
    ]
    return t("kv.groups", groups="; ".join(groups))


def preset_label(code: str) -> str:
    """A preset's name with its layers, query heads and K/V heads."""
    shape = PRESETS[code]
    return t("kv.preset.label", name=shape.name, layers=shape.layers, heads=shape.heads, kv_heads=shape.kv_heads)


def cache_sentence(shape: ModelShape, context: int, size: CacheSize) -> str:
    """How large the model's cache is for ``context`` tokens and, for a grouped model, how large it would be with one
    K/V head per query head."""
    (total_value, total_unit), (mha_value, mha_unit) = binary_size(size.total), binary_size(size.as_mha)
    said = dict(name=shape.name, heads=shape.heads, tokens=f"{context:,}", total=total_value, unit=total_unit)
    if shape.kind == "mha":
        return t("kv.calc.is_mha", ratio=f"{shape.heads / MHA_GROUPS:g}", **said)
    ratio = f"{shape.heads / shape.kv_heads:g}"
    return t("kv.calc.saved", kv_heads=shape.kv_heads, ratio=ratio, mha=mha_value, mha_unit=mha_unit, **said)
