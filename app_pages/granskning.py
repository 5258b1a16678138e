"""Granskning: search the audit log by who, action, dates and free text; export as CSV. Admins only.

Widgets only; the search is geo/audit_log.py. The export is itself written to the audit log.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo import audit_log, store
from geo.exports import to_safe_csv
from geo.texts import t

ui.require_page("granskning")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()

st.subheader(t("audit_heading", lang))
st.caption(t("audit_intro", lang))

c_actor, c_actions = st.columns([2, 3])
actor = c_actor.text_input(t("audit_actor", lang), max_chars=200, key="audit_actor")
chosen = c_actions.multiselect(t("audit_actions", lang), options=audit_log.actions(cur), key="audit_actions")
c_from, c_to, c_text = st.columns([1, 1, 3])
first_day = c_from.date_input(t("audit_from", lang), value=None, format="YYYY-MM-DD", key="audit_from")
last_day = c_to.date_input(t("audit_to", lang), value=None, format="YYYY-MM-DD", key="audit_to")
text = c_text.text_input(t("audit_text", lang), max_chars=200, key="audit_text")

query = audit_log.AuditQuery(actor=actor, actions=tuple(chosen), first_day=first_day, last_day=last_day, text=text)
frame, total = audit_log.search(cur, query)
if frame.empty:
    st.caption(t("audit_empty", lang))
else:
    shown = audit_log.table(frame, lang)
    st.caption(t("audit_count", lang, shown=len(shown), total=total))
    st.dataframe(shown, hide_index=True, width="stretch", key="audit_table")
    st.download_button(
        t("audit_download", lang), data=to_safe_csv(shown).encode("utf-8"), file_name="uppsok_granskning.csv",
        mime="text/csv", key="audit_download",
        on_click=lambda: store.audit(cur, ui.actor(), "export",
                                     {"what": "audit", "rows": len(shown), **query.describe()}),
    )
