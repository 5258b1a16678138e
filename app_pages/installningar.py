"""Inställningar: targets per kind, the area overdue threshold, the import's matching radius,
the service area (the default or an imported layer), and for patrol planning the minutes per
stop by kind and the routes' base. Admins also delete old visits here, keeping weekly totals
(retention, geo/retention.py; audited there).

Widgets only; validation, storage and the audit trail are in geo/settings.py.
"""

from __future__ import annotations

import duckdb
import streamlit as st

import ui
from geo import access, settings, store
from geo.boundaries import list_layers
from geo.config import ESTIMATE_WINDOW_DAYS
from geo.localtime import utc_to_local
from geo.retention import apply_retention
from geo.texts import t


who = ui.require_page("installningar")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
state = st.session_state


def _forget_inputs() -> None:
    """Drop the inputs' state so that they show the stored values on the next run."""
    for key in (*settings.KEYS, settings.ROUTE_BASE_KEY):
        state.pop(f"set_{key}", None)
    ui.forget_choice(f"set_{settings.SERVICE_AREA_LAYER}")


def _reset() -> None:
    """Reset button callback (runs before the widgets are drawn)."""
    try:
        changes = settings.reset(cur, ui.actor())
    except settings.SettingsError as exc:
        state["set_message"] = ("error", str(exc))
        return
    _forget_inputs()
    state["set_message"] = ("success", t("settings_reset_done", lang, count=len(changes)))


st.subheader(t("settings_heading", lang))
st.caption(t("settings_intro", lang))

current = settings.get_all(cur)
with st.form("settings_form"):
    values = {}
    for key, spec in settings.SPECS.items():
        help_text = t("settings_default", lang, value=spec.default)
        if key == "match_radius_m":
            help_text = t("set_match_radius_m_help", lang) + " " + help_text
        if settings.is_text(key):
            values[key] = st.text_input(t(f"set_{key}", lang), value=str(current[key]), max_chars=spec.high,
                                        help=t(f"set_{key}_help", lang) + " " + help_text, key=f"set_{key}")
            continue
        values[key] = st.number_input(t(f"set_{key}", lang), min_value=spec.low, max_value=spec.high,
                                      value=current[key], step=1, help=help_text, key=f"set_{key}")
    area_options = ["", *sorted(list_layers(cur)["layer"])]
    current_area = settings.service_area_layer(cur)
    service_area = ui.choice(
        st.selectbox, t("set_service_area_layer", lang), area_options, default=current_area,
        format_func=lambda layer: layer or t("set_service_area_default", lang),
        help=t("set_service_area_layer_help", lang), key=f"set_{settings.SERVICE_AREA_LAYER}")
    route_base = st.text_input(t("set_route_base", lang), value=settings.format_point(settings.route_base(cur)),
                               help=t("set_route_base_help", lang), key=f"set_{settings.ROUTE_BASE_KEY}")
    submitted = st.form_submit_button(t("settings_save", lang), type="primary")
st.button(t("settings_reset", lang), key="set_reset", on_click=_reset)

if submitted:
    try:
        changes = settings.save(cur, values, ui.actor())
        area_change = settings.save_service_area_layer(cur, service_area or "", ui.actor())
        base_change = settings.save_route_base(cur, route_base, ui.actor())
        changes = changes + [c for c in (area_change, base_change) if c]
    except settings.SettingsError as exc:
        st.error(str(exc))
    else:
        st.success(t("settings_saved", lang, count=len(changes)) if changes else t("settings_unchanged", lang))
message = state.pop("set_message", None)
if message:
    getattr(st, message[0])(message[1])


# --- retention (admins only) ----------------------------------------------------------------
def _day(cutoff: object) -> str:
    return f"{utc_to_local(cutoff):%Y-%m-%d}"


def _apply_retention() -> None:
    """The confirm button's callback: archive and delete (audited by geo.retention)."""
    state["ret_ok"] = False
    try:
        done = apply_retention(cur, int(state["ret_days"]), ui.actor())
    except (store.StoreError, duckdb.TransactionException):
        state["ret_message"] = ("error", t("db_in_use", lang))
        return
    state["ret_message"] = ("success", t("ret_done", lang, visits=done.visits, weeks=done.weeks,
                                         cutoff=_day(done.cutoff)))


if who.role in access.RETENTION:
    st.divider()
    st.subheader(t("ret_heading", lang))
    max_age = settings.estimate_max_age_days(cur)
    needed = ESTIMATE_WINDOW_DAYS + max_age
    st.caption(t("ret_intro", lang, needed=needed, window=ESTIMATE_WINDOW_DAYS, max_age=max_age))
    days = st.number_input(t("ret_days", lang), min_value=0, max_value=36_500, value=365, step=30, key="ret_days")
    if days < needed:
        st.warning(t("ret_too_short", lang, needed=needed))
    preview = apply_retention(cur, int(days), ui.actor(), dry_run=True)  # changes nothing, writes no audit row
    if preview.visits:
        st.info(t("ret_preview", lang, visits=preview.visits, weeks=preview.weeks, cutoff=_day(preview.cutoff)))
        confirmed = st.checkbox(t("ret_confirm", lang, visits=preview.visits), key="ret_ok")
        st.button(t("ret_run", lang), type="primary", disabled=not confirmed, key="ret_go", on_click=_apply_retention)
    else:
        st.caption(t("ret_nothing", lang, cutoff=_day(preview.cutoff)))
    ret_message = state.pop("ret_message", None)
    if ret_message:
        getattr(st, ret_message[0])(ret_message[1])
