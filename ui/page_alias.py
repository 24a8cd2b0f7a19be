"""A second address for the default page: /playground opens the playground, as / does.

``st.navigation`` serves its default page at / only; /<its url_path> shows a "Page not found" dialog
(Streamlit 1.67). A hidden page with that url_path gives the address, but Streamlit tells pages apart by a
hash of their url_path, which the default page already uses; so this page hashes a name of its own. It is
listed after the default page: ``st.switch_page`` to the file then still opens /, the page in the navigation.
"""

from __future__ import annotations

import streamlit as st
from streamlit.util import calc_hash

from ui.navigation import PageSpec


class _AliasPage(st.Page):
    @property
    def _script_hash(self) -> str:
        return calc_hash(f"alias:{self._url_path}")


def page_alias(spec: PageSpec) -> st.Page:
    """A page hidden from the navigation that runs ``spec``'s script at /<spec.url_path>."""
    return _AliasPage(spec.path, url_path=spec.url_path, visibility="hidden")
