"""Uppsök: the entry point. Page config, language, first run (demo), navigation.

Run with `streamlit run dashboard.py`. The pages live in app_pages/ (not pages/, which Streamlit would also serve on its own) and stay thin; the logic
is in geo/.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo import store
from geo.texts import t

st.set_page_config(layout="wide", page_title="Uppsök", page_icon="🗺️")

lang = ui.language_switch()
run = ui.first_run()
if run.missing:
    st.warning(t("db_missing", lang, path=run.path))
    st.stop()

cur = ui.cursor()
if store.is_demo(cur):
    banner = t("demo_banner", lang)
    if run.demo_built:
        banner += " " + t("demo_built", lang, path=run.path)
    st.info(banner, icon="ℹ️")

page = st.navigation(
    [
        st.Page("app_pages/karta.py", title=t("page_map", lang), icon="🗺️", url_path="karta", default=True),
        st.Page("app_pages/planera.py", title=t("page_plan", lang), icon="📋", url_path="planera"),
        st.Page("app_pages/trender.py", title=t("page_trends", lang), icon="📈", url_path="trender"),
        st.Page("app_pages/importera.py", title=t("page_import", lang), icon="📥", url_path="importera"),
        st.Page("app_pages/logga.py", title=t("page_log", lang), icon="📝", url_path="logga"),
        st.Page("app_pages/omraden.py", title=t("page_areas", lang), icon="🧭", url_path="omraden"),
        st.Page("app_pages/installningar.py", title=t("page_settings", lang), icon="⚙️", url_path="installningar"),
    ]
)
page.run()
