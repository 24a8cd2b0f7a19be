"""The "link to this view" control: the current page's full URL with every setting, ready to copy.

The link is built on the server after the page has run, from the parameters ``write_to_url`` has just
written, so it always matches what is on screen. It is shown in ``st.code``, whose copy button needs no
JavaScript of ours; the text stays plain (never Markdown or HTML) although it contains the user's sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ui.i18n import LANGUAGE_KEY, language, t
from ui.presenter import PRESENT_KEY


def link_slot() -> DeltaGenerator:
    """A place in the sidebar, filled by ``show_view_link`` once the page has run and its settings are known."""
    return st.sidebar.empty()


def page_url(url_path: str) -> str:
    """The page's URL without a query: as the browser reached the app (proxy, base path and all) when it
    said so, else the address Streamlit itself would print for this server (a client without a browser)."""
    if st.context.url:
        return st.context.url
    base_path = str(st.get_option("server.baseUrlPath")).strip("/")
    path = "/".join(part for part in (base_path, url_path) if part)
    return f"http://{st.get_option('browser.serverAddress')}:{st.get_option('browser.serverPort')}/{path}"


def view_link(url_path: str, param_names: Iterable[str], *, leave_out: Iterable[str] = ()) -> str:
    """The current view's full URL: the page plus every parameter the app wrote into the URL (but ``leave_out``).
    The language is always named: left out, it would follow the reader's browser instead of the lecturer's."""
    skipped = set(leave_out)
    query = {LANGUAGE_KEY: language()}
    query.update(
        (name, st.query_params[name]) for name in param_names if name in st.query_params and name not in skipped
    )
    scheme, netloc, path, _, _ = urlsplit(page_url(url_path))
    return urlunsplit((scheme, netloc, path or "/", urlencode(query, quote_via=quote), ""))


def show_view_link(slot: DeltaGenerator, url_path: str, param_names: Iterable[str]) -> None:
    # The explanation is the button's tooltip: the popover holds nothing but the link.
    popover = slot.popover(t("link.button"), icon=":material/link:", help=t("link.help"), width="stretch")
    if PRESENT_KEY not in st.query_params:
        popover.code(view_link(url_path, param_names), language=None, wrap_lines=True)
        return
    # In presenter mode: the projector's link, and the same view for students' laptops in normal mode.
    popover.markdown(t("link.projector"))
    popover.code(view_link(url_path, param_names), language=None, wrap_lines=True)
    popover.markdown(t("link.students"))
    popover.code(view_link(url_path, param_names, leave_out=[PRESENT_KEY]), language=None, wrap_lines=True)
