"""Strings of presenter mode (ui/presenter.py)."""

STRINGS: dict[str, dict[str, str]] = {
    "presenter.toggle": {"en": "Presenter mode", "zh": "演示模式"},
    "presenter.help": {
        "en": "For a projector: larger type and charts, fewer explanations, the sidebar folded away (open it "
        "with the arrow at the top left). On Step by step, the ← → keys, or a clicker's PageUp / PageDown, "
        "change the step. A link with present=1 opens in this mode.",
        "zh": "用于投影：更大的字号和图表，更少的说明文字，侧边栏收起（点左上角的箭头可重新打开）。"
        "在“逐步计算”页，用 ← → 键或翻页笔的 PageUp / PageDown 切换步骤。带 present=1 的链接会以此模式打开。",
    },
    "presenter.prev": {"en": "Previous step", "zh": "上一步"},
    "presenter.next": {"en": "Next step", "zh": "下一步"},
}
