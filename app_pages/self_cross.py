"""Self vs cross — stub until the lesson is written."""

import streamlit as st

from ui.i18n import t

st.header(t("nav.self_cross"), anchor=False)
st.info(t("msg.coming_soon"))
