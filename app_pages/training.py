"""Placeholder while the page is written."""

import streamlit as st

from ui.i18n import t

st.info(t("msg.coming_soon"))
