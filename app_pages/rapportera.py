"""Rapportera: a partner (or staff taking a phone call) reports a sleeping place or an
encampment; staff follow the incoming reports. Widgets only; see geo/partner_reports.py.

Where and "acute" sit outside the form: a tap on the map must rerun the page to show the
point, and the notice to call Socialjouren must appear the moment "acute" is switched on.
A partner (or a manager) sees only their own reports and statuses, never where the team's
places are (`geo.access.sees_places`).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

import ui
from geo import access, settings, store
from geo import partner_reports as reports
from geo.localtime import utc_series_to_local
from geo.texts import kind_label, t

MODES = ("map", "coords", "text")

who = ui.require_page("rapportera")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
actor = ui.actor()
state = st.session_state


def _when(values: pd.Series) -> list[str]:
    return list(utc_series_to_local(values).dt.strftime("%Y-%m-%d %H:%M"))


def _yes_no(flag: object) -> str:
    return t("rep_yes" if bool(flag) else "rep_no", lang)


def _where(description: object, lat: float, lon: float) -> str:
    """Staff only: the sender's description and the point, as text."""
    parts = [description] if isinstance(description, str) else []
    if not pd.isna(lat):
        parts.append(f"{lat:.5f}, {lon:.5f}")
    return " · ".join(parts) or t("rep_no_position", lang)


def _own_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A partner's own reports: number, when, kind, people, acute, status. Nothing about where."""
    return pd.DataFrame({
        t("rep_col_id", lang): frame["report_id"].astype(int),
        t("rep_col_reported", lang): _when(frame["reported_at"]),
        t("rep_col_kind", lang): [kind_label(k, lang) for k in frame["kind"]],
        t("rep_col_people", lang): ["–" if pd.isna(p) else str(int(p)) for p in frame["people"]],
        t("rep_col_acute", lang): [_yes_no(a) for a in frame["acute"]],
        t("rep_col_status", lang): [t(f"rep_status_{s}", lang) for s in frame["status"]],
    })


st.subheader(t("rep_heading", lang))
st.caption(t("rep_intro", lang))

mode = ui.choice(st.radio, t("rep_where", lang), MODES, default=MODES[0], format_func=lambda m: t(f"rep_mode_{m}", lang),
                 horizontal=True, key="rapportera_mode")
point: tuple[float, float] | None = None
coordinates: str | None = None
if mode == "map":
    st.caption(t("rep_map_hint", lang))
    picked = ui.tapped_point("rapportera_map", "rapportera_picked")
    point = picked
    st.caption(t("rep_not_picked", lang) if picked is None else t("rep_picked", lang, lat=picked[0], lon=picked[1]))
elif mode == "coords":
    coordinates = st.text_input(t("rep_coords", lang), placeholder="59.33, 18.06", help=t("rep_coords_help", lang),
                                max_chars=60, key="rapportera_coords")

acute = st.toggle(t("rep_acute", lang), key="rapportera_acute")
acute_kinds: list[str] = []
if acute:
    st.error(t("rep_call_now", lang, phone=ui.plain(settings.socialjouren_phone(cur))), icon="☎️")
    acute_kinds = ui.choice(st.multiselect, t("rep_acute_kinds", lang), reports.ACUTE_KINDS, default=[],
                            key="rapportera_acute_kinds", format_func=lambda k: t(f"rep_acute_{k}", lang))

with st.form("rapportera_form", border=False):
    description = st.text_input(t("rep_description", lang), help=t("rep_description_help", lang), max_chars=200,
                                key="rapportera_description")
    kind = ui.choice(st.radio, t("rep_kind", lang), reports.REPORT_KINDS, default=reports.REPORT_KINDS[0],
                     horizontal=True, key="rapportera_kind", format_func=lambda k: kind_label(k, lang))
    people = st.number_input(t("rep_people", lang), min_value=0, max_value=reports.MAX_PEOPLE, step=1, value=None,
                             help=t("rep_people_help", lang), key="rapportera_people")
    message = st.text_area(t("rep_message", lang), max_chars=reports.MAX_TEXT, key="rapportera_message")
    submitted = st.form_submit_button(t("rep_submit", lang), type="primary", width="stretch")

if submitted:
    form = reports.ReportForm(kind=kind, point=point, coordinates=coordinates, description=description,
                              people=people, acute=acute, acute_kinds=acute_kinds, message=message)
    try:
        created = reports.create_report(cur, form, actor=actor)
    except reports.ReportError as exc:
        st.error(exc.message(lang))
    except (store.StoreError, duckdb.TransactionException):
        st.error(t("db_in_use", lang), icon="🔒")
    else:
        st.success(t("rep_saved", lang, report_id=created.report_id), icon="✅")
        if created.acute:
            st.error(t("rep_call_now", lang, phone=ui.plain(settings.socialjouren_phone(cur))), icon="☎️")
        if created.lat is None:
            st.info(t("rep_saved_no_position", lang))
        if created.removed_identifiers:
            st.warning(t("rep_removed", lang, count=created.removed_identifiers))

st.subheader(t("rep_own_heading", lang))
own = reports.partner_view(cur, actor)
if own.empty:
    st.caption(t("rep_own_empty", lang))
else:
    st.dataframe(_own_table(own), hide_index=True, width="stretch", key="rapportera_own")

if access.sees_places(who.role):  # the staff's inbox: every report, where it is, status changes
    st.subheader(t("rep_inbox_heading", lang))
    radius = settings.match_radius_m(cur)
    st.caption(t("rep_inbox_caption", lang, radius=int(radius)))
    shown = ui.choice(st.multiselect, t("rep_inbox_filter", lang), reports.STATUSES,
                      default=list(reports.OPEN_STATUSES), format_func=lambda s: t(f"rep_status_{s}", lang),
                      key="rapportera_inbox_status")
    inbox = reports.list_reports(cur, statuses=shown, radius_m=radius)
    if inbox.empty:
        st.caption(t("rep_inbox_empty", lang))
    else:
        with st.form("rapportera_status_form", border=False):
            labels = {int(r): f"#{int(r)} · {t(f'rep_status_{s}', lang)}" for r, s in zip(inbox["report_id"],
                                                                                         inbox["status"])}
            picked_id = ui.choice(st.selectbox, t("rep_pick", lang), list(labels), default=next(iter(labels)),
                                  format_func=labels.get, key="rapportera_pick")
            new_status = ui.choice(st.selectbox, t("rep_new_status", lang), reports.STATUSES,
                                   default=reports.STATUSES[0], key="rapportera_new_status",
                                   format_func=lambda s: t(f"rep_status_{s}", lang))
            save = st.form_submit_button(t("rep_set_status", lang))
        if save:
            try:
                change = reports.set_status(cur, picked_id, new_status, actor=actor, radius_m=radius)
            except reports.ReportError as exc:
                st.error(exc.message(lang))
            else:
                if change is None:
                    st.info(t("rep_status_same", lang, status=t(f"rep_status_{new_status}", lang)))
                else:
                    st.success(t("rep_status_saved", lang, report_id=change.report_id,
                                 before=t(f"rep_status_{change.before}", lang),
                                 after=t(f"rep_status_{change.after}", lang)))
                    inbox = reports.list_reports(cur, statuses=shown, radius_m=radius)
        names = dict(cur.execute("SELECT place_id, name FROM places WHERE list_contains(?::VARCHAR[], place_id)",
                                 [[p for p in inbox["place_id"].dropna()]]).fetchall())
        where = [_where(d, lat, lon) for d, lat, lon in zip(inbox["description"], inbox["lat"], inbox["lon"])]
        acute_text = [_yes_no(a) + (": " + ", ".join(t(f"rep_acute_{k}", lang) for k in ks) if len(ks) else "")
                      for a, ks in zip(inbox["acute"], inbox["acute_kinds"])]
        st.dataframe(pd.DataFrame({
            t("rep_col_id", lang): inbox["report_id"].astype(int),
            t("rep_col_reported", lang): _when(inbox["reported_at"]),
            t("rep_col_by", lang): inbox["reported_by"],
            t("rep_col_kind", lang): [kind_label(k, lang) for k in inbox["kind"]],
            t("rep_col_people", lang): ["–" if pd.isna(p) else str(int(p)) for p in inbox["people"]],
            t("rep_col_acute", lang): acute_text,
            t("rep_col_where", lang): where,
            t("rep_col_place", lang): [names.get(p, "–") if isinstance(p, str) else "–" for p in inbox["place_id"]],
            t("rep_col_message", lang): inbox["message"].fillna("–"),
            t("rep_col_status", lang): [t(f"rep_status_{s}", lang) for s in inbox["status"]],
        }), hide_index=True, width="stretch", key="rapportera_inbox")
