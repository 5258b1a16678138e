"""Logga besök: one visit from a phone, validated as a file import. Widgets only; see geo/visit_form.py.

One column, no tables: it has to work on a phone during a shift. Where the visit was is
chosen outside the form (a tap on the map must rerun the page to show the point); the
rest is one st.form, so typing does not rerun anything until "Spara".
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import streamlit as st

import ui
from geo import settings, store, visit_form
from geo.texts import kind_label, shift_label, t

MODES = ("list", "coords", "map")
KIND_CODES = {"sovplats": "sleeping_place", "boplats": "encampment", "annan": "other"}

ui.require_page("logga")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()

st.subheader(t("log_heading", lang))
st.caption(t("log_intro", lang))

mode = ui.choice(st.radio, t("log_where", lang), MODES, default=MODES[0], format_func=lambda m: t(f"log_mode_{m}", lang),
                 horizontal=True, key="logga_mode")
place_id: str | None = None
lat: float | str | None = None
lon: float | str | None = None
if mode == "list":
    places = visit_form.known_places(cur)
    if places.empty:
        st.info(t("log_no_places", lang))
    labels = {pid: f"{name} ({kind_label(kind, lang)})"
              for pid, name, kind in places[["place_id", "name", "kind"]].itertuples(index=False)}
    place_id = ui.choice(st.selectbox, t("log_place", lang), list(labels), default=None, format_func=labels.get,
                         placeholder=t("log_place_placeholder", lang), key="logga_place")
elif mode == "coords":
    lat = st.text_input(t("log_lat", lang), placeholder="59.3309", help=t("log_coords_help", lang), key="logga_lat")
    lon = st.text_input(t("log_lon", lang), placeholder="18.0593", help=t("log_coords_help", lang), key="logga_lon")
else:
    st.caption(t("log_map_hint", lang))
    picked = ui.tapped_point("logga_map", "logga_picked")
    if picked is None:
        st.caption(t("log_not_picked", lang))
    else:
        lat, lon = picked
        st.caption(t("log_picked", lang, lat=picked[0], lon=picked[1]))

# Defaults once per session: a default that changed every minute would reset the widgets.
now = visit_form.now_local()
st.session_state.setdefault("logga_date", now.date())
st.session_state.setdefault("logga_time", now.time().replace(minute=now.minute - now.minute % 5))

with st.form("logga_form", border=False):
    name = kind = None
    if mode != "list":
        name = st.text_input(t("log_new_name", lang), help=t("log_new_name_help", lang, radius=int(settings.match_radius_m(cur))), max_chars=80,
                             key="logga_name")
        kind = ui.choice(st.radio, t("log_kind", lang), list(KIND_CODES), default="sovplats", horizontal=True,
                         key="logga_kind", format_func=lambda k: kind_label(KIND_CODES[k], lang))
    day = st.date_input(t("log_date", lang), format="YYYY-MM-DD", key="logga_date")
    clock = st.time_input(t("log_time", lang), step=300, key="logga_time")
    people = st.number_input(t("log_people", lang), min_value=0, step=1, value=None,
                             help=t("log_people_help", lang), key="logga_people")
    children = st.number_input(t("log_children", lang), min_value=0, step=1, value=None, key="logga_children")
    acute = st.toggle(t("log_acute", lang), key="logga_acute")
    referred = ui.choice(st.selectbox, t("log_referred", lang), visit_form.FORM_REFERRALS, key="logga_referred",
                         default=visit_form.FORM_REFERRALS[0],
                         format_func=lambda r: t("log_referred_none" if r is None else f"referral_{r}", lang))
    team = st.text_input(t("log_team", lang), max_chars=20, key="logga_team")
    notes = st.text_area(t("log_notes", lang), max_chars=1000, key="logga_notes")
    submitted = st.form_submit_button(t("log_submit", lang), type="primary", width="stretch")

if submitted:
    form = visit_form.VisitForm(
        visited_at=datetime.combine(day, clock), place_id=place_id, place_name=name, lat=lat, lon=lon,
        kind=kind, people=people, children=children, acute=acute, referred_to=referred, team=team, notes=notes,
    )
    try:
        result = visit_form.log_visit(cur, form, actor=ui.actor())
    except store.DatabaseInUseError:
        st.error(t("db_in_use", lang), icon="🔒")
    except (store.StoreError, duckdb.TransactionException):
        st.error(t("log_db_busy", lang), icon="🔒")
    else:
        place = ui.plain(result.place_name or "")
        if result.outcome == "imported":
            local = visit_form.to_local(result.visited_at_utc)
            st.success(t("log_saved", lang, place=place, shift=shift_label(result.shift, lang),
                         when=f"{local:%Y-%m-%d %H:%M}"), icon="✅")
            if result.new_place:
                st.info(t("log_saved_new_place", lang, place=place))
        elif result.outcome == "duplicate":
            st.info(t("log_duplicate", lang, place=place))
        else:
            st.error(t("log_rejected", lang, reason=ui.plain(result.reason(lang) or "")))
        if result.removed_identifiers:
            st.warning(t("log_removed", lang, count=result.removed_identifiers))
