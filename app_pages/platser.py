"""Platser: every place with its visits; merge two places that are one (undoable), rename one,
mark one cleared or reopen it. Team leads and admins. Widgets only; the work is geo/places.py."""

from __future__ import annotations

import duckdb
import streamlit as st

import ui
from geo import places, store
from geo.texts import t

ui.require_page("platser")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
state = st.session_state
KEEP, MERGE, UNDO, EDIT = "plc_keep", "plc_merge", "plc_undo", "plc_edit"


def _run(action, done: str, *forget: str, **values: object) -> None:
    """Do one change; keep the message for the next run and clear the choices it used."""
    try:
        result = action()
    except places.PlaceError as exc:
        state["plc_msg"] = ("error", exc.message(lang))
        return
    except store.StoreError as exc:  # our own sentence (the database is busy or read-only)
        state["plc_msg"] = ("error", str(exc))
        return
    except duckdb.Error:  # never DuckDB's own text on the page
        state["plc_msg"] = ("error", t("places_failed", lang))
        return
    state["plc_msg"] = ("success", t(done, lang, **{k: v(result) if callable(v) else v for k, v in values.items()}))
    for key in forget:
        ui.forget_choice(key, empty=True)


def _merge(keep: str, merge: str, kept_name: str, merged_name: str) -> None:
    _run(lambda: places.merge_places(cur, keep, merge, ui.actor()), "places_merge_done", KEEP, MERGE,
         kept=ui.plain(kept_name), merged=ui.plain(merged_name), visits=lambda r: len(r.visit_ids))


def _undo(merge_id: str, merged_name: str) -> None:
    _run(lambda: places.undo_merge(cur, merge_id, ui.actor()), "places_undo_done", UNDO,
         merged=ui.plain(merged_name), visits=lambda r: r.visits_moved_back)


def _rename(place_id: str) -> None:
    _run(lambda: places.rename_place(cur, place_id, state.get("plc_new_name", ""), ui.actor()),
         "places_renamed", name=lambda r: ui.plain(r))


def _clear(place_id: str, name: str, cleared: bool) -> None:
    _run(lambda: places.set_cleared(cur, place_id, cleared, ui.actor()),
         "places_cleared" if cleared else "places_reopened", name=ui.plain(name))


def _pick(label: str, rows: dict[str, dict], key: str) -> str | None:
    """A place choice keyed by place id, nothing preselected."""
    return ui.choice(st.selectbox, label, list(rows), default=None, key=key,
                     format_func=lambda p: places.place_label(rows[p], lang) if p in rows else str(p),
                     placeholder=t("places_pick", lang))


st.subheader(t("places_heading", lang))
st.caption(t("places_intro", lang))
message = state.pop("plc_msg", None)
if message:
    (st.success if message[0] == "success" else st.error)(message[1])

search = st.text_input(t("places_search", lang), max_chars=120, key="plc_search")
frame = places.list_places(cur, search)
if frame.empty:
    st.caption(t("places_none", lang))
else:
    st.dataframe(places.places_table(frame, lang), hide_index=True, width="stretch", key="plc_table")
open_rows = {r["place_id"]: r for r in frame.to_dict(orient="records") if r["status"] != places.MERGED}

st.markdown(f"**{t('places_merge_heading', lang)}**")
left, right = st.columns(2)
with left:
    keep = _pick(t("places_keep", lang), open_rows, KEEP)
with right:
    merge = _pick(t("places_merge_from", lang), {p: r for p, r in open_rows.items() if p != keep}, MERGE)
if keep and merge and keep != merge:
    kept_name, merged_name = open_rows[keep]["name"], open_rows[merge]["name"]
    st.warning(t("places_merge_summary", lang, visits=int(open_rows[merge]["visits"]), merged=ui.plain(merged_name),
                 kept=ui.plain(kept_name)))
    st.button(t("places_merge_button", lang), key="plc_merge_go", type="primary", on_click=_merge,
              args=(keep, merge, kept_name, merged_name))

merges = {r["merge_id"]: r for r in places.active_merges(cur).to_dict(orient="records")}
if merges:
    st.markdown(f"**{t('places_undo_heading', lang)}**")
    undo = ui.choice(st.selectbox, t("places_undo_select", lang), list(merges), default=None, key=UNDO,
                     format_func=lambda m: places.merge_label(merges[m], lang) if m in merges else str(m),
                     placeholder=t("places_undo_pick", lang))
    if undo:
        st.button(t("places_undo_button", lang), key="plc_undo_go", on_click=_undo,
                  args=(undo, merges[undo]["merged_name"]))

st.markdown(f"**{t('places_edit_heading', lang)}**")
edit = _pick(t("places_edit_select", lang), open_rows, EDIT)
if edit:
    row = open_rows[edit]
    name_col, rename_col, clear_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    name_col.text_input(t("places_new_name", lang), max_chars=places.MAX_NAME, key="plc_new_name")
    rename_col.button(t("places_rename_button", lang), key="plc_rename_go", on_click=_rename, args=(edit,))
    cleared = row["status"] == places.CLEARED
    clear_col.button(t("places_reopen_button" if cleared else "places_clear_button", lang), key="plc_clear_go",
                     on_click=_clear, args=(edit, row["name"], not cleared))
