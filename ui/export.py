"""Export a chart as PNG, SVG or CSV, made on the server only when someone asks for it.

Streamlit hides Vega's own export menu (its chart toolbar offers only a PNG of the canvas), so images are
rendered here with vl-convert: Vega in an embedded V8 and resvg for text and pixels; no browser, and no
network (external URLs are refused). A render takes ~0.1–0.5 s and holds the GIL meanwhile, so it never
happens in a rerun: each download button gets a callable as its data, which Streamlit runs only on click,
on a thread of its own. And the buttons are drawn only while their menu is open, so a rerun of a page
nobody exports from pays for one closed popover per chart.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import vl_convert

from core.tokens import has_cjk

if TYPE_CHECKING:
    from ui.charts.figure import Figure

PNG_SCALE = 2  # image pixels per chart pixel: sharp on a projector and in slides
# Where Linux, macOS and Windows keep fonts, and the files of common CJK sans-serif fonts in them
# (file-name prefix → family name).
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/System/Library/Fonts",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
CJK_FONTS = (
    ("NotoSansCJK", "Noto Sans CJK SC"),
    ("NotoSansSC", "Noto Sans SC"),
    ("SourceHanSans", "Source Han Sans SC"),
    ("wqy-microhei", "WenQuanYi Micro Hei"),
    ("wqy-zenhei", "WenQuanYi Zen Hei"),
    ("PingFang", "PingFang SC"),
    ("msyh", "Microsoft YaHei"),
)


def standalone_spec(figure: Figure) -> dict:
    """The figure's Vega-Lite spec with its data inlined, ready for any Vega-Lite renderer."""
    spec = figure.spec()
    # to_json turns categorical labels, numpy numbers and bools into plain JSON.
    spec["datasets"] = {
        name: json.loads(frame.to_json(orient="records", double_precision=15))
        for name, frame in spec["datasets"].items()
    }
    font = cjk_font()
    if font and has_cjk(json.dumps(spec, ensure_ascii=False)):  # core.tokens' one definition of CJK
        # Left to itself, vl-convert draws a chart with any Chinese in it in a serif CJK font, Latin text
        # and numbers included. Naming a CJK sans-serif first keeps the whole chart sans-serif.
        spec["config"] = {**spec.get("config", {}), "font": f"{font}, sans-serif"}
    return spec


@cache
def cjk_font() -> str | None:
    """The family name of an installed CJK sans-serif font, or None (Chinese text may then be drawn in
    a serif font, or as boxes where the machine has no CJK font at all)."""
    for directory in FONT_DIRS:
        root = Path(directory).expanduser()
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            for prefix, family in CJK_FONTS:
                if path.name.startswith(prefix) and path.suffix.lower() in (".ttc", ".otf", ".ttf"):
                    # vl-convert loads the system's fonts itself; registering the folder also covers fonts
                    # installed where its scan does not look.
                    vl_convert.register_font_directory(str(path.parent))
                    return family
    return None


def to_svg(figure: Figure) -> str:
    # Vega escapes every text it writes, so user text (the sentence) cannot become markup.
    return vl_convert.vegalite_to_svg(standalone_spec(figure), allowed_base_urls=[])


def to_png(figure: Figure) -> bytes:
    return vl_convert.vegalite_to_png(standalone_spec(figure), scale=PNG_SCALE, allowed_base_urls=[])


def to_csv(figure: Figure) -> str:
    """The chart's own long-form data (one row per cell, for a heatmap), with masked cells holding the
    value the chart prints there (−∞ for scores, 0 for weights). UTF-8 with a byte-order mark, so that
    spreadsheet programs read token labels in Chinese correctly."""
    frame = figure.datasets[main_dataset(figure)]
    masked = figure.datasets.get("masked")
    if masked is not None and "exact" in masked and len(masked) and {"masked", "value"} <= set(frame.columns):
        shown = _printed_number(str(masked["exact"].iloc[0]))
        if shown is not None:
            frame = frame.assign(value=frame["value"].mask(frame["masked"].astype(bool), shown))
    return "\ufeff" + frame.to_csv(index=False, na_rep="nan")


def _printed_number(text: str) -> float | None:
    try:
        return float(text.replace("−", "-").replace("∞", "inf"))
    except ValueError:
        return None  # a symbol such as ✗: the stored value stays, and the masked column says why


def main_dataset(figure: Figure) -> str:
    """The name of the first dataset the chart draws: the cells of a heatmap, the lines of a plot."""
    names = [name for name in data_names(json.loads(figure.template)) if name in figure.datasets]
    return names[0] if names else next(iter(figure.datasets))


def data_names(node: object) -> Iterator[str]:
    """Every dataset name a (nested) Vega-Lite spec refers to, in document order."""
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "name" in data:
            yield data["name"]
        for key, value in node.items():
            if key != "data":
                yield from data_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from data_names(item)


FORMATS = (  # extension, maker, MIME type
    ("png", to_png, "image/png"),
    ("svg", to_svg, "image/svg+xml"),
    ("csv", to_csv, "text/csv"),
)
