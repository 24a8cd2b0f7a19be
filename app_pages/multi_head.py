"""Multi-head — stub until the lesson is written."""

import streamlit as st

from ui.i18n import t

st.header(t("nav.multi_head"), anchor=False)
st.info(t("msg.coming_soon"))
