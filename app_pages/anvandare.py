"""Användare: who has which role, by e-mail or identity-provider group. Admins only.

Widgets only; validation, the last-admin guard and the audit trail (before/after) are in
geo/access.py.
"""

from __future__ import annotations

import streamlit as st

import ui
from geo import access
from geo.localtime import utc_series_to_local
from geo.texts import t

ui.require_page("anvandare")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
state = st.session_state


def _save() -> None:
    # the selects' own keys: this callback runs before they are drawn again (ui.choice)
    kind, principal, role = ui.chosen("users_kind"), state.get("users_principal", ""), ui.chosen("users_role")
    try:
        change = access.set_role(cur, kind, principal, role, ui.actor())
    except access.AccessError as exc:
        state["users_message"] = ("error", t(exc.key, lang))
        return
    label = ui.role_label(role, lang)
    shown = ui.plain(access.normalise(kind, principal))
    state["users_message"] = ("success", t("users_saved" if change else "users_unchanged", lang,
                                           principal=shown, role=label))
    state["users_principal"] = ""


def _remove() -> None:
    picked = ui.chosen("users_remove_pick")
    if not picked:
        return
    ui.forget_choice("users_remove_pick")  # the assignment is gone: the next one is shown
    kind, principal = picked.split(":", 1)
    try:
        access.remove_role(cur, kind, principal, ui.actor())
    except access.AccessError as exc:
        state["users_message"] = ("error", t(exc.key, lang))
        return
    state["users_message"] = ("success", t("users_removed", lang, principal=ui.plain(principal)))


st.subheader(t("users_heading", lang))
st.caption(t("users_intro", lang))
message = state.pop("users_message", None)
if message:
    getattr(st, message[0])(message[1])

rows = access.assignments(cur)
if rows.empty:
    st.caption(t("users_none", lang))
else:
    st.dataframe({
        t("users_kind", lang): [t(f"users_kind_{k}", lang) for k in rows["kind"]],
        t("users_principal", lang): rows["principal"],
        t("users_role", lang): [ui.role_label(r, lang) for r in rows["role"]],
        t("users_updated", lang): utc_series_to_local(rows["updated_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        t("users_actor", lang): rows["actor"],
    }, hide_index=True, width="stretch", key="users_table")

st.markdown(f"**{t('users_add_heading', lang)}**")
c_kind, c_principal, c_role, c_button = st.columns([1, 3, 2, 1], vertical_alignment="bottom")
ui.choice(c_kind.selectbox, t("users_kind", lang), list(access.KINDS), default=access.KINDS[0],
          format_func=lambda k: t(f"users_kind_{k}", lang), key="users_kind")
c_principal.text_input(t("users_principal", lang), max_chars=200, key="users_principal")
ui.choice(c_role.selectbox, t("users_role", lang), list(access.ROLES), default=access.ROLES[0],
          format_func=lambda r: ui.role_label(r, lang), key="users_role")
c_button.button(t("users_save", lang), type="primary", key="users_save", on_click=_save)

if not rows.empty:
    st.markdown(f"**{t('users_remove_heading', lang)}**")
    r_pick, r_button = st.columns([5, 1], vertical_alignment="bottom")
    options = [f"{k}:{p}" for k, p in rows[["kind", "principal"]].itertuples(index=False)]
    ui.choice(r_pick.selectbox, t("users_remove_pick", lang), options, default=options[0], key="users_remove_pick",
              format_func=lambda o: f"{o.split(':', 1)[1]} ({t('users_kind_' + o.split(':', 1)[0], lang)})")
    r_button.button(t("users_remove", lang), key="users_remove", on_click=_remove)
