"""Uppsök: the entry point. Page config, language, login, first run (demo), navigation per role.

Run with `streamlit run dashboard.py`. The pages live in app_pages/ (not pages/, which Streamlit would also serve on its own) and stay thin; the logic
is in geo/. Which role sees which page is geo.access.PAGE_ROLES; each page checks it again.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import ui
from geo import access, store
from geo.texts import t

st.set_page_config(layout="wide", page_title="Uppsök", page_icon="🗺️")

lang = ui.language_switch()
ui.login_wall()  # with a login configured, nothing below is shown to a visitor who is not signed in
run = ui.first_run()
if run.missing:
    st.warning(t("db_missing", lang, path=run.path))
    st.stop()

cur = ui.cursor()
who = ui.gate()
ui.account_sidebar(who)
if store.is_demo(cur):
    banner = t("demo_banner", lang)
    if run.demo_built:
        banner += " " + t("demo_built", lang, path=run.path)
    st.info(banner, icon="ℹ️")

# Every page of the app: url_path → (file, title key, icon). The navigation shows those the
# role may open (geo.access.PAGE_ROLES), in that table's order; a file not yet in this
# checkout (pages merged from other branches) is skipped.
PAGES: dict[str, tuple[str, str, str]] = {
    "karta": ("app_pages/karta.py", "page_map", "🗺️"),
    "planera": ("app_pages/planera.py", "page_plan", "📋"),
    "pass": ("app_pages/pass.py", "page_pass", "🚶"),
    "logga": ("app_pages/logga.py", "page_log", "📝"),
    "rapportera": ("app_pages/rapportera.py", "page_report", "📣"),
    "trender": ("app_pages/trender.py", "page_trends", "📈"),
    "synpunkter": ("app_pages/synpunkter.py", "page_feedback", "💬"),
    "omraden": ("app_pages/omraden.py", "page_areas", "🧭"),
    "importera": ("app_pages/importera.py", "page_import", "📥"),
    "installningar": ("app_pages/installningar.py", "page_settings", "⚙️"),
    "anvandare": ("app_pages/anvandare.py", "page_users", "👥"),
    "granskning": ("app_pages/granskning.py", "page_audit", "🔎"),
}
ROOT = Path(__file__).parent
allowed = [p for p in access.pages_for(who.role) if p in PAGES and (ROOT / PAGES[p][0]).exists()]
if not allowed:  # e.g. a partner before the report page is installed
    st.info(t("access_no_pages", lang))
    st.stop()
page = st.navigation(
    [
        st.Page(PAGES[p][0], title=t(PAGES[p][1], lang), icon=PAGES[p][2], url_path=p, default=i == 0)
        for i, p in enumerate(allowed)
    ]
)
page.run()
