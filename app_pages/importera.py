"""Importera: upload a visits file, check the column mapping and a dry-run preview, import,
see the summary and the rejected rows, and undo a whole import. Widgets and layout only;
the work is in geo/imports.py and geo/ingest.py."""

from __future__ import annotations

import hashlib
import secrets
import shlex
from collections.abc import Callable
from pathlib import Path

import duckdb
import streamlit as st

import ui
from geo import imports, ingest, profiles, store
from geo.config import MAX_UPLOAD_MB
from geo.exports import to_safe_csv
from geo.readers import UnreadableFileError
from geo.texts import t

FILE_TYPES = ["csv", "tsv", "txt", "xlsx", "geojson", "json", "zip"]
NOT_MAPPED = "—"
_KEEP_PREVIEWS = 4  # dry runs kept per session (file hash + mapping)
UNDO_KEY = "imp_undo_id"

ui.require_page("importera")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
state = st.session_state
state.setdefault("imp_gen", 0)  # bumped after an import: a new uploader key empties it
state.setdefault("imp_session", secrets.token_hex(8))  # this session's upload folders


def _do_import(path: str, file_name: str, columns: dict[str, str], plan: profiles.ImportPlan) -> None:
    """Button callback: the real import, then a fresh uploader and the summary. The saved
    upload is deleted whatever happens (a failed import saves it again on the next run)."""
    if not Path(path).is_file():  # swept after an hour without use
        state["imp_error"] = t("imp_upload_gone", lang)
        return
    try:
        # one import at a time per database: a second session waits, and says so
        with store.write_lock(cur, on_wait=lambda: st.info(t("imp_waiting", lang), icon="⏳")):
            summary = ingest.import_file(cur, Path(path), actor=ui.actor(), file_name=file_name, columns=columns,
                                         values=plan.values, metadata=plan.metadata)
    except (ingest.NotAVisitsFileError, UnreadableFileError, store.StoreError) as exc:
        state["imp_error"] = str(exc)
        return
    except duckdb.Error:  # never DuckDB's own text on the page
        state["imp_error"] = t("imp_failed", lang)
        return
    finally:
        imports.remove_upload(Path(path))
        state.pop("imp_saved_path", None)
    state["imp_last"] = summary
    state["imp_last_source"] = (plan.profile, plan.form)  # the summary names what read the file
    state["imp_gen"] += 1
    state.pop("imp_previews", None)


def _undo(import_id: str) -> None:
    """Button callback: undo the import the confirmation named (bound when it was drawn, so
    imports that arrive meanwhile cannot change it); the message is shown on the next run."""
    try:
        result = imports.undo_import(cur, import_id, ui.actor())
    except (imports.UndoRefusedError, store.StoreError) as exc:
        state["imp_undo_msg"] = ("error", str(exc))
    except duckdb.Error:
        state["imp_undo_msg"] = ("error", t("imp_failed", lang))
    else:
        text = t("undo_done", lang, import_id=result.import_id, visits=result.visits_removed,
                 places=result.places_removed)
        if result.visits_restored:
            text += " " + t("undo_restored", lang, restored=result.visits_restored)
        if result.places_kept:
            text += " " + t("undo_kept", lang, kept=result.places_kept)
        state["imp_undo_msg"] = ("success", text)
        state.pop("imp_last", None)
    ui.forget_choice(UNDO_KEY, empty=True)


def _audit_download(import_id: str, rows: int) -> None:
    store.audit(cur, ui.actor(), "export", {"what": "rejects", "import_id": import_id, "rows": rows})


def _show_summary(summary: ingest.ImportSummary) -> None:
    """What the import did, then its rejected rows as a table and a formula-safe CSV."""
    st.success(t("imp_done", lang, import_id=summary.import_id, file=ui.plain(summary.file_name),
                 rows=summary.rows, imported=summary.imported, updated=summary.updated,
                 duplicates=summary.duplicates,
                 rejected=summary.rejected))
    ids = summary.removed_identifiers
    profile, form = state.get("imp_last_source", (None, None))
    notes = [t("imp_source", lang, profile=ui.plain(profile or t("imp_source_none", lang)),
               form=ui.plain(form or t("imp_source_none", lang))),
             t("imp_new_places", lang, count=summary.new_places),
             t("imp_removed", lang, total=sum(ids.values()), **ids)]
    if summary.sweref_rows:
        notes.append(t("imp_sweref", lang, count=summary.sweref_rows))
    st.info("  \n".join(notes))
    _place_matches(summary)
    if summary.swapped_coordinates:
        st.warning(t("imp_swapped", lang, count=summary.swapped_coordinates))
    if summary.date_only_rows:
        st.warning(t("imp_date_only", lang, count=summary.date_only_rows))
    if summary.cp1252_rows:
        st.warning(t("imp_mixed_encoding", lang, count=summary.cp1252_rows))
    _column_notices(summary)

    st.markdown(f"**{t('imp_rejected_heading', lang)}**")
    rejects = imports.rejects_frame(cur, summary.import_id)
    if rejects.empty:
        st.caption(t("imp_rejected_none", lang))
        return
    st.caption(t("imp_rejected_help", lang))
    st.dataframe(imports.rejects_table(rejects, lang), hide_index=True, width="stretch", key="imp_rejects")
    st.download_button(
        t("imp_download", lang), data=to_safe_csv(rejects), file_name=f"avvisade-{summary.import_id}.csv",
        mime="text/csv", key="imp_download", on_click=_audit_download, args=(summary.import_id, len(rejects)),
    )


def _place_matches(summary: ingest.ImportSummary, heading: str = "imp_place_matches") -> None:
    """Each name variant that joined (or, in the preview, will join) a nearby place of its
    kind, so the user can check it."""
    if summary.place_matches:
        lines = [t("imp_place_match", lang, name=ui.plain(m["name"]), place=ui.plain(m["place"]),
                   distance=m["distance_m"]) for m in summary.place_matches]
        st.info(t(heading, lang) + "  \n" + "  \n".join(lines))


def _column_notices(summary: ingest.ImportSummary) -> None:
    if summary.dropped_columns:
        st.warning(t("imp_dropped_columns", lang, columns=ui.plain(", ".join(summary.dropped_columns))))
    if summary.unknown_columns:
        st.info(t("imp_unknown_columns", lang, columns=ui.plain(", ".join(summary.unknown_columns))))
    if summary.skipped_tables:
        tables = ", ".join(f"{name} ({rows})" for name, rows in summary.skipped_tables.items())
        st.info(t("imp_skipped_tables", lang, tables=ui.plain(tables)))


def _profile_label(name: str) -> str:
    if not name:
        return t("imp_profile_auto", lang)
    return t("imp_profile_builtin", lang, name=name) if name in profiles.BUILTIN else name


def _save_and_select(save: Callable[[], str], profile_key: str, message: Callable[[str], str]) -> None:
    """Save a profile (or a form with it), then select it; a refusal is one sentence."""
    try:
        saved = save()
    except ValueError as exc:
        state["imp_profile_msg"] = ("error", str(exc))
        return
    except duckdb.Error:
        state["imp_profile_msg"] = ("error", t("imp_failed", lang))
        return
    state["imp_profile_msg"] = ("success", message(saved))
    ui.set_choice(profile_key, saved)


def _save_profile(headers: list[str], choices: dict[str, str], profile_key: str) -> None:
    """Button callback: save the mapping on screen as a named profile, then select it."""
    _save_and_select(
        lambda: imports.save_profile(cur, state.get("imp_profile_name", ""), headers, choices, ui.actor()),
        profile_key,
        lambda saved: t("imp_profile_saved", lang, name=ui.plain(saved), cli=shlex.quote(saved).replace("`", "'")))


def _save_form(profile_key: str) -> None:
    """Button callback: save the uploaded form definition with the named profile, then select it."""
    uploaded = state.get("imp_form_file")
    if uploaded is None:
        state["imp_profile_msg"] = ("error", t("imp_form_missing", lang))
        return
    _save_and_select(
        lambda: imports.save_form_upload(cur, state.get("imp_profile_name", ""), uploaded.getvalue(),
                                         uploaded.name, ui.actor()),
        profile_key,
        lambda saved: t("imp_form_saved", lang, name=ui.plain(saved)))


def _mapping_choices(headers: list[str], digest: str) -> tuple[dict[str, str], profiles.ImportPlan] | None:
    """A profile to start from, then one selectbox per canonical column preset from it,
    and saving the result as a profile. None when the chosen profile cannot be used."""
    detected_profile = profiles.plan_for_headers(cur, headers).profile  # a saved form's profile too
    profile_key = f"imp_profile_{digest[:12]}"
    names = [imports.AUTOMATIC, *profiles.list_profiles(cur)]
    chosen = ui.choice(st.selectbox, t("imp_profile_select", lang), names, default=detected_profile or imports.AUTOMATIC,
                       format_func=_profile_label, help=t("imp_profile_help", lang), key=profile_key)
    try:
        detected = imports.detect_mapping(cur, headers, profile=chosen)
    except ValueError as exc:
        st.error(str(exc))
        return None
    options = [""] + [h for h in headers if h not in detected.mapping.dropped and h not in detected.plan.metadata]
    found = sum(1 for c in imports.CANONICAL_COLUMNS if c in detected.mapping.columns)
    choices: dict[str, str] = {}
    with st.expander(t("imp_mapping", lang, found=found, total=len(imports.CANONICAL_COLUMNS)), expanded=True):
        st.caption(t("imp_mapping_help", lang))
        if detected.profile and detected.profile == detected_profile:
            st.caption(t("imp_profile_detected", lang, profile=detected.profile))
        if detected.plan.form:
            st.caption(t("imp_form_detected", lang, form=detected.plan.form))
        grid = st.columns(4)
        widget = f"{digest[:12]}_{hashlib.sha1(chosen.encode()).hexdigest()[:8]}"  # a new profile resets the boxes
        for i, canon in enumerate(imports.CANONICAL_COLUMNS):
            default = detected.mapping.columns.get(canon, "")
            choices[canon] = ui.choice(
                grid[i % 4].selectbox, t(f"canon_{canon}", lang), options, default=default if default in options else "",
                format_func=lambda h: h or NOT_MAPPED, help=canon, key=f"imp_map_{widget}_{canon}",
            )
        name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        name_col.text_input(t("imp_profile_name", lang), max_chars=60, key="imp_profile_name")
        button_col.button(t("imp_profile_save", lang), key="imp_profile_go", on_click=_save_profile,
                          args=(headers, dict(choices), profile_key))
        form_col, form_button = st.columns([3, 1], vertical_alignment="bottom")
        form_col.file_uploader(t("imp_form_upload", lang), type=["xlsx", "xml"], key="imp_form_file",
                               help=t("imp_form_help", lang))
        form_button.button(t("imp_form_save", lang), key="imp_form_go", on_click=_save_form, args=(profile_key,))
        message = state.pop("imp_profile_msg", None)
        if message:
            (st.success if message[0] == "success" else st.error)(message[1])
    return imports.full_mapping(choices), detected.plan


def _cached_preview(path: Path, file_name: str, digest: str, columns: dict[str, str],
                    plan: profiles.ImportPlan) -> imports.Preview | str:
    """The dry run for this file and mapping, once per session; an error is a sentence to show."""
    previews: dict[tuple, imports.Preview | str] = state.setdefault("imp_previews", {})
    key = (digest, tuple(sorted(columns.items())))
    if key not in previews:
        try:
            with store.write_lock(cur, on_wait=lambda: st.info(t("imp_waiting", lang), icon="⏳")):
                previews[key] = imports.preview(cur, path, file_name, columns, plan)
        except (ingest.NotAVisitsFileError, UnreadableFileError, store.StoreError) as exc:
            previews[key] = str(exc)
        except duckdb.Error:
            previews[key] = t("imp_failed", lang)
        for old in list(previews)[:-_KEEP_PREVIEWS]:
            del previews[old]
    return previews[key]


def _upload_step(uploaded) -> None:
    """Save the upload, map its columns, show the dry run, offer the import button."""
    if ui.upload_too_big(uploaded, "python -m geo import"):
        return
    try:
        path, digest = imports.save_upload(uploaded.getvalue(), uploaded.name, session=state["imp_session"],
                                           previous=state.get("imp_saved_path"))
    except imports.UploadFolderError as exc:
        st.error(str(exc))
        return
    state["imp_saved_path"] = str(path)
    try:
        headers = imports.file_headers(path)
    except UnreadableFileError as exc:
        st.error(str(exc))
        return
    chosen = _mapping_choices(headers, digest)
    if chosen is None:
        return
    columns, plan = chosen
    result = _cached_preview(path, uploaded.name, digest, columns, plan)
    if isinstance(result, str):
        st.error(t("imp_is_a_form", lang, file=ui.plain(uploaded.name))
                 if imports.looks_like_xlsform(headers, uploaded.name) else result)
        return
    summary, outcomes = result.summary, result.outcomes
    _column_notices(summary)
    if columns.get("visited_at") in profiles.TIME_FALLBACKS:  # the form's own time question was not found
        st.warning(t("imp_time_fallback", lang, column=ui.plain(columns["visited_at"])))

    st.markdown(f"**{t('imp_preview_heading', lang)}**")
    m_rows, m_imp, m_upd, m_dup, m_rej = st.columns(5)
    m_rows.metric(t("imp_rows", lang), summary.rows)
    m_imp.metric(t("imp_to_import", lang), summary.imported)
    m_upd.metric(t("imp_updated", lang), summary.updated)
    m_dup.metric(t("imp_duplicates", lang), summary.duplicates)
    m_rej.metric(t("imp_rejected", lang), summary.rejected)
    _place_matches(summary, "imp_place_matches_preview")
    if summary.swapped_coordinates:
        st.warning(t("imp_swapped", lang, count=summary.swapped_coordinates))
    st.dataframe(imports.preview_table(outcomes, lang), hide_index=True, width="stretch", key="imp_preview")
    st.caption(t("imp_preview_caption", lang, shown=min(len(outcomes), imports.PREVIEW_ROWS), total=len(outcomes)))
    st.button(t("imp_button", lang), type="primary", key="imp_go", on_click=_do_import,
              args=(str(path), uploaded.name, columns, plan))


def _history_step() -> None:
    st.subheader(t("hist_heading", lang))
    message = state.pop("imp_undo_msg", None)
    if message:
        (st.success if message[0] == "success" else st.error)(message[1])
    history = imports.import_history(cur)
    if history.empty:
        st.caption(t("hist_empty", lang))
        return
    st.dataframe(imports.history_table(history, lang), hide_index=True, width="stretch", key="imp_history")
    st.markdown(f"**{t('undo_heading', lang)}**")
    choices = imports.undo_choices(cur)
    if not choices:
        st.caption(t("undo_none", lang))
        return
    previous = ui.chosen(UNDO_KEY)
    if previous is not None and previous not in choices:  # undone meanwhile, in another session
        st.caption(t("undo_gone", lang))
    # Keyed by import id, nothing preselected: the label names file, time, who and counts.
    chosen = ui.choice(st.selectbox, t("undo_select", lang), list(choices), default=None, key=UNDO_KEY,
                       format_func=lambda i: imports.undo_label(choices[i], lang) if i in choices else str(i),
                       placeholder=t("undo_placeholder", lang))
    if chosen is None:
        return
    picked = choices[chosen]
    will = t("undo_will_remove", lang, visits=picked.removed, file=ui.plain(picked.file_name),
             when=picked.when or "–", actor=ui.plain(picked.actor), import_id=picked.import_id,
             places=picked.places)
    if picked.restored:
        will += " " + t("undo_will_restore", lang, restored=picked.restored)
    st.warning(will)
    later = imports.dependents(cur, chosen)
    blocked = any(d.blocks_undo for d in later)
    if later:
        (st.error if blocked else st.info)(t("undo_depends", lang) + "  \n" + "  \n".join(
            "- " + t(f"undo_dep_{d.what}", lang, ref=d.ref, name=ui.plain(d.name), count=d.count) for d in later))
    confirmed = st.checkbox(t("undo_confirm", lang), key=f"imp_undo_ok_{chosen}", disabled=blocked)
    st.button(t("undo_button", lang), key="imp_undo_go", disabled=blocked or not confirmed, on_click=_undo,
              args=(chosen,))


st.subheader(t("imp_heading", lang))
st.caption(t("imp_intro", lang))
error = state.pop("imp_error", None)
if error:
    st.error(error)
uploaded = st.file_uploader(t("imp_upload", lang), type=FILE_TYPES, max_upload_size=MAX_UPLOAD_MB,
                            key=f"imp_upload_{state['imp_gen']}")
if uploaded is not None:
    state.pop("imp_last", None)
    _upload_step(uploaded)
elif "imp_saved_path" in state:  # the user removed the file without importing it
    imports.remove_upload(Path(state.pop("imp_saved_path")))
if uploaded is None and "imp_last" in state:
    _show_summary(state["imp_last"])
_history_step()
