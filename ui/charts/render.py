"""Putting a chart on the page: ``show`` draws a ``Heatmap`` with the canvas component (or any ``Figure`` with
Vega-Lite) and the export menu under it. The only chart module that talks to Streamlit's page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ui.charts.figure import Figure
from ui.charts.heatmaps import SCREEN_PATH, Heatmap, encode_payload
from ui.export import FORMATS
from ui.i18n import t
from ui.presenter import presenting


def show(
    container,
    figure: Figure | Heatmap,
    key: str,
    *,
    on_click: Callable[[], None] | None = None,
    selected_cell: tuple[int, int] | None = None,
    selected_panel: int | None = None,
) -> None:
    """Draw ``figure`` in a Streamlit container (``st``, a column, the sidebar), with an export menu under it.

    With ``on_click`` a heatmap is clickable: a click on a cell stores ``{panel, row, col}`` as the trigger
    ``click`` of ``st.session_state[key]`` (read it with ``ui.heatmap.clicked``) and calls ``on_click``. The
    ``selected_cell`` (row, col) of the first panel, or the whole ``selected_panel``, is outlined."""
    if isinstance(figure, Heatmap) and SCREEN_PATH != "vega":
        from ui.heatmap import mount  # registers the component on first use

        payload = figure.payload()
        if on_click is not None:
            payload |= {"clickable": True}
        if selected_cell is not None:
            payload |= {"selected": [int(selected_cell[0]), int(selected_cell[1]), 0]}
        payload |= {"selectedPanel": selected_panel}
        mount(container, encode_payload(payload), key, on_click)
    else:
        container.vega_lite_chart(figure.spec(), width="content", key=key)
    export_menu(container, figure, key)


def export_menu(container, figure: Figure, key: str) -> None:
    """A small "Export" popover under a chart. Its buttons exist only while it is open (opening it reruns
    the page), and each file is made only when its button is clicked. Presenter mode leaves it out: the
    projector shows the figure, not the lecturer's tools."""
    if presenting():
        return
    menu = container.popover(
        t("export.menu"),
        icon=":material/download:",
        type="tertiary",
        help=t("export.help"),
        key=f"{key}_export",
        on_change="rerun",
    )
    if not menu.open:
        return
    for extension, make, mime in FORMATS:
        menu.download_button(
            t(f"export.{extension}"),
            partial(make, figure),
            file_name=f"{key}.{extension}",
            mime=mime,
            key=f"{key}_export_{extension}",
            on_click="ignore",  # downloading changes nothing on the page: no rerun
        )
