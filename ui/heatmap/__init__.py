"""The screen path for heatmaps: one Streamlit components-v2 element that paints a whole matrix (or a grid
of matrices, one per head) on a single ``<canvas>``, with its own hover tooltip and click.

Why this path (docs/BENCHMARKS.md, "Heatmap drawing paths"): in one run on one page (the playground's other
elements plus its three matrices) a step took 87 ms with canvas heatmaps and 198 ms with raster Vega-Lite charts
(one ``image`` mark each), 132 vs 267 ms at L = 64; on the playground itself, 138 ms against 196 ms with
per-cell Vega charts. Vega runs its dataflow over a mark per cell (~45,000 at L = 64) or decodes an image per
chart per step; here the browser views each panel's array and fills rectangles. Export (PNG/SVG/CSV) stays
Altair/Vega-Lite through vl-convert: ``Heatmap.vega`` builds the same figure as a Vega-Lite spec.

What travels: the element's bytes (``ui.charts.heatmaps.encode_payload``: a JSON header, then raw float32 or
float64 arrays), not a JSON dict, which Streamlit scanned, dumped and dumped again to hash (a fifth of the
server's time under load). The JavaScript and CSS live in ``static/heatmap/`` (Streamlit serves that folder at
``app/static/``, see ``.streamlit/config.toml``); each element carries a few lines of loader that import the
script once per page, where the 20 KB script and its CSS used to travel in every heatmap on every rerun. Together:
44 KiB instead of 155 KiB per playground step, 21 ms instead of 28.5 ms of server CPU per change. User text
(token labels, titles) reaches the page only through canvas ``fillText`` and ``textContent``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

STATIC = Path(__file__).resolve().parents[2] / "static" / "heatmap"
SCRIPT = STATIC / "heatmap.js"
NAME = "attention_lab.heatmap"
# The URL changes with the script's content, so a browser never runs a cached older version after a deploy.
VERSION = hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:12]
# Resolved against Streamlit's own entry script (…/static/js/index.*.js), so it also works under a
# server.baseUrlPath and on any page's URL.
LOADER = f"""
const entry = document.querySelector('script[type="module"][src*="static/js/index"]');
const url = entry
  ? new URL("../../app/static/heatmap/heatmap.js?v={VERSION}", entry.src)
  : new URL("app/static/heatmap/heatmap.js?v={VERSION}", document.baseURI);
export default function (component) {{
  return import(url.href).then((module) => module.default(component));
}}
"""
# Registered once per process. isolate_styles=False keeps the canvas in the page's DOM (no shadow root), so
# the theme's CSS variables apply and tests find it like any other element.
_render = st.components.v2.component(
    NAME,
    js=LOADER,
    css=(STATIC / "heatmap.css").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def mount(container, wire: bytes, key: str, on_click: Callable[[], None] | None = None):
    """Draw the heatmap whose payload ``wire`` holds (``ui.charts.heatmaps.encode_payload``) in ``container``
    (``st``, a column, the sidebar). With ``on_click``, a click on a cell sets the trigger ``click`` =
    {panel, row, col} and reruns."""
    callbacks = {"on_click_change": on_click} if on_click is not None else {}
    if container is st:
        return _render(data=wire, key=key, width="stretch", **callbacks)
    with container:
        return _render(data=wire, key=key, width="stretch", **callbacks)


def clicked(state: Mapping | None, *, panels: int, rows: int, cols: int) -> tuple[int, int, int] | None:
    """The (panel, row, col) of the last click on a clickable heatmap, from its ``st.session_state[key]``;
    None when there was no click or the values are not cells of this chart (the browser's word is not trusted)."""
    click = (state or {}).get("click") if isinstance(state, Mapping) else None
    if not isinstance(click, Mapping):
        return None
    cell = click.get("panel", 0), click.get("row"), click.get("col")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in cell):
        return None
    panel, row, col = cell
    return cell if 0 <= panel < panels and 0 <= row < rows and 0 <= col < cols else None
