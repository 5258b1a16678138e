"""Synpunkter: register feedback and complaints and follow each case to a reply.
Widgets only; validation, scrubbing, storage and the audit trail are in geo/feedback.py."""

from __future__ import annotations

import duckdb
import streamlit as st

import ui
from geo import feedback, store
from geo.texts import t

ui.require_page("synpunkter")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
actor = ui.actor()

st.subheader(t("fb_heading", lang))
st.caption(t("fb_intro", lang))

st.markdown(f"**{t('fb_new_heading', lang)}**")
with st.form("fb_new_form"):
    c_date, c_channel, c_category = st.columns(3)
    received_on = c_date.date_input(t("fb_received_on", lang), value=feedback.today_local(),
                                    max_value=feedback.today_local(), format="YYYY-MM-DD", key="fb_received_on")
    channel = ui.choice(c_channel.selectbox, t("fb_channel", lang), feedback.CHANNELS, default=feedback.CHANNELS[0],
                        key="fb_channel", format_func=lambda c: t(f"fb_channel_{c}", lang))
    category = ui.choice(c_category.selectbox, t("fb_category", lang), feedback.CATEGORIES,
                         default=feedback.CATEGORIES[0], key="fb_category",
                         format_func=lambda c: t(f"fb_category_{c}", lang))
    from_whom = st.text_input(t("fb_from_whom", lang), help=t("fb_from_whom_help", lang),
                              max_chars=feedback.MAX_SHORT, key="fb_from_whom")
    body = st.text_area(t("fb_body", lang), max_chars=feedback.MAX_TEXT, key="fb_body")
    responsible = st.text_input(t("fb_responsible", lang), value=actor, max_chars=feedback.MAX_SHORT,
                                key="fb_new_responsible")
    register = st.form_submit_button(t("fb_register", lang), type="primary")
if register:
    try:
        done = feedback.register(cur, received_on=received_on, channel=channel, category=category, body=body,
                                 from_whom=from_whom, responsible=responsible, actor=actor)
    except feedback.FeedbackError as exc:
        st.error(exc.message(lang))
    except (store.StoreError, duckdb.TransactionException):
        st.error(t("db_in_use", lang), icon="🔒")
    else:
        st.success(t("fb_registered", lang, feedback_id=done.feedback_id), icon="✅")
        if done.removed_identifiers:
            st.warning(t("fb_removed", lang, count=done.removed_identifiers))

st.subheader(t("fb_list_heading", lang))
f_status, f_category = st.columns(2)
statuses = ui.choice(f_status.multiselect, t("fb_filter_status", lang), feedback.STATUSES,
                     default=list(feedback.STATUSES[:2]), format_func=lambda s: t(f"fb_status_{s}", lang),
                     key="fb_filter_status")
categories = ui.choice(f_category.multiselect, t("fb_filter_category", lang), feedback.CATEGORIES,
                       default=list(feedback.CATEGORIES), key="fb_filter_category",
                       format_func=lambda c: t(f"fb_category_{c}", lang))
cases = feedback.list_feedback(cur, statuses=statuses, categories=categories)
if cases.empty:
    st.caption(t("fb_empty", lang))
    st.stop()

st.markdown(f"**{t('fb_follow_heading', lang)}**")
labels = {int(i): f"#{int(i)} · {t(f'fb_category_{c}', lang)} · {t(f'fb_status_{s}', lang)}"
          for i, c, s in zip(cases["feedback_id"], cases["category"], cases["status"])}
picked = ui.choice(st.selectbox, t("fb_pick", lang), list(labels), default=next(iter(labels)), format_func=labels.get,
                   key="fb_pick")
case = cases[cases["feedback_id"] == picked].iloc[0]
with st.form(f"fb_follow_form_{picked}"):  # a form per case: its fields start from that case's values
    status = ui.choice(st.selectbox, t("fb_status", lang), feedback.STATUSES, default=case["status"],
                       format_func=lambda s: t(f"fb_status_{s}", lang), key=f"fb_status_{picked}")
    reply = st.text_area(t("fb_reply", lang), value=case["reply"] if isinstance(case["reply"], str) else "",
                         max_chars=feedback.MAX_TEXT, key=f"fb_reply_{picked}")
    owner = st.text_input(t("fb_responsible", lang),
                          value=case["responsible"] if isinstance(case["responsible"], str) else actor,
                          max_chars=feedback.MAX_SHORT, key=f"fb_responsible_{picked}")
    save = st.form_submit_button(t("fb_save", lang))
if save:
    try:
        updated = feedback.update(cur, picked, status=status, reply=reply, responsible=owner, actor=actor)
    except feedback.FeedbackError as exc:
        st.error(exc.message(lang))
    except (store.StoreError, duckdb.TransactionException):
        st.error(t("db_in_use", lang), icon="🔒")
    else:
        if updated.changes:
            st.success(t("fb_saved", lang, feedback_id=picked, count=len(updated.changes)))
            cases = feedback.list_feedback(cur, statuses=statuses, categories=categories)
        else:
            st.info(t("fb_unchanged", lang))
        if updated.removed_identifiers:
            st.warning(t("fb_removed", lang, count=updated.removed_identifiers))

st.dataframe(feedback.table(cases, lang), hide_index=True, width="stretch", key="fb_table")
