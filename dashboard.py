"""Uppsök: the entry point. Page config, language, login, first run (demo), navigation per role.

Run with `streamlit run dashboard.py`. The pages live in app_pages/ (not pages/, which Streamlit would also serve on its own) and stay thin; the logic
is in geo/. Which role sees which page is geo.access.PAGE_ROLES; each page checks it again.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo import access, imports, store
from geo.texts import t

st.set_page_config(layout="wide", page_title="Uppsök", page_icon="🗺️")
imports.start_upload_sweeper()  # once per process: uploads left by a crash or a closed browser go

lang = ui.language_switch()
ui.local_mode_guard()  # without a login: this machine only (everyone would be admin)
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

# Title key and icon of every page; the file is app_pages/<url_path>.py. Which pages a role
# sees, and in which order, is geo.access.PAGE_ROLES (tests check the two name the same pages).
PAGES: dict[str, tuple[str, str]] = {
    "karta": ("page_map", "🗺️"),
    "planera": ("page_plan", "📋"),
    "pass": ("page_pass", "🚶"),
    "logga": ("page_log", "📝"),
    "rapportera": ("page_report", "📣"),
    "trender": ("page_trends", "📈"),
    "synpunkter": ("page_feedback", "💬"),
    "omraden": ("page_areas", "🧭"),
    "importera": ("page_import", "📥"),
    "platser": ("page_places", "📍"),
    "installningar": ("page_settings", "⚙️"),
    "anvandare": ("page_users", "👥"),
    "granskning": ("page_audit", "🔎"),
}
pages = [st.Page(f"app_pages/{p}.py", title=t(PAGES[p][0], lang), icon=PAGES[p][1], url_path=p)
         for p in access.pages_for(who.role)]
# Streamlit serves the default page at "/" only, so a link to /karta (or a partner's link to
# /rapportera) would say "Page not found". A hidden start page is the default instead; it
# sends the visitor on to the role's first page, and every page keeps its own address.
start = st.Page(lambda: st.switch_page(pages[0]), title="Uppsök", url_path="start", default=True, visibility="hidden")
st.navigation([start, *pages], expanded=True).run()
