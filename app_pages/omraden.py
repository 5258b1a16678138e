"""Områden: import a boundary layer from a file, see what was rejected, list and delete layers.

Widgets only; reading, reprojection, validation, storage and the audit trail are in
geo/boundaries.py (the same `import_layer` as `python -m geo areas import`).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import streamlit as st

import ui
from geo import access, boundaries, imports
from geo.config import MAX_UPLOAD_MB
from geo.texts import t

FILE_TYPES = ["geojson", "json", "gpkg", "zip", "parquet", "geoparquet"]
NO_FIELD = ""

who = ui.require_page("omraden")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
state = st.session_state
state.setdefault("areas_gen", 0)  # bumped after an import: a new uploader key empties it
state.setdefault("areas_session", secrets.token_hex(8))
# Managers see which layers exist (names of districts, counts), never places; only team
# leads and admins import or delete layers.
can_edit = who.role in access.EDIT_AREAS


def _import(path: str, layer_key: str, field_key: str, file_name: str) -> None:
    """Import button callback: the layer, then a fresh uploader and the summary."""
    if not Path(path).is_file():
        state["areas_message"] = ("error", t("areas_upload_gone", lang))
        return
    layer = state.get(layer_key, "")
    field = state.get(field_key) or None
    try:
        summary = boundaries.import_layer(cur, Path(path), layer, name_field=field, actor=ui.actor(),
                                          file_name=file_name)
    except boundaries.BoundaryError as exc:
        state["areas_message"] = ("error", str(exc))
        return
    finally:  # the next run saves the widget's bytes again if the import failed
        imports.remove_upload(Path(path))
    state["areas_last"] = summary
    state["areas_gen"] += 1


def _delete() -> None:
    layer = state.get("areas_delete_pick")
    try:
        count = boundaries.delete_layer(cur, layer, ui.actor())
    except boundaries.BoundaryError as exc:
        state["areas_message"] = ("error", str(exc))
        return
    state.pop("areas_last", None)  # the last import's summary would now describe a deleted layer
    state["areas_message"] = ("success", t("areas_deleted", lang, layer=ui.plain(layer), count=count))


st.subheader(t("areas_heading", lang))
st.caption(t("areas_intro", lang))

uploaded = None
if can_edit:
    uploaded = st.file_uploader(t("areas_upload", lang), type=FILE_TYPES, max_upload_size=MAX_UPLOAD_MB,
                                key=f"areas_upload_{state['areas_gen']}")
else:
    st.info(t("areas_read_only", lang))
if uploaded is not None and not ui.upload_too_big(uploaded, "python -m geo areas import"):
    path, digest = imports.save_upload(uploaded.getvalue(), uploaded.name, session=state["areas_session"],
                                       previous=state.get("areas_saved_path"))
    state["areas_saved_path"] = str(path)
    try:
        cached = state.get("areas_fields")
        if cached is None or cached[0] != digest:  # read the file once per upload, not per rerun
            state["areas_fields"] = cached = (digest, *boundaries.name_field_options(path))
        _, columns, detected = cached
    except boundaries.BoundaryError as exc:
        st.error(str(exc))
    else:
        layer_key, field_key = f"areas_layer_{digest[:12]}", f"areas_field_{digest[:12]}"  # fresh per file
        layer = st.text_input(t("areas_layer_name", lang), value=Path(uploaded.name).stem,
                              max_chars=boundaries.MAX_LAYER_NAME, key=layer_key)
        options = [*columns, NO_FIELD]
        ui.choice(st.selectbox, t("areas_name_field", lang), options,
                  default=detected if detected in options else NO_FIELD,
                  format_func=lambda c: c or t("areas_no_name_field", lang),
                     help=t("areas_name_field_help", lang), key=field_key)
        existing = boundaries.list_layers(cur)
        same = existing[existing["layer"] == layer.strip()]
        if len(same):
            st.warning(t("areas_replaces", lang, layer=ui.plain(layer.strip()), count=int(same["areas"].iloc[0])))
        st.button(t("areas_import", lang), type="primary", key="areas_import",
                  on_click=_import, args=(str(path), layer_key, field_key, uploaded.name))

message = state.pop("areas_message", None)
if message:
    getattr(st, message[0])(message[1])
last = state.get("areas_last")
if last is not None:
    st.success(t("areas_imported", lang, layer=ui.plain(last.layer), areas=last.areas,
                 file=ui.plain(last.source_file), crs=ui.plain(last.source_crs), repaired=last.repaired,
                 rejected=len(last.rejected)))
    if last.rejected:
        st.markdown(f"**{t('areas_rejected_heading', lang)}**")
        st.dataframe(boundaries.rejected_frame(last, lang), hide_index=True, width="stretch")

st.subheader(t("areas_list_heading", lang))
table = boundaries.layers_table(cur, lang)
if table.empty:
    st.caption(t("areas_none", lang))
else:
    st.dataframe(table, hide_index=True, width="stretch")
if not table.empty and can_edit:
    d_pick, d_button = st.columns([3, 1])
    d_pick.selectbox(t("areas_delete_pick", lang), options=list(boundaries.list_layers(cur)["layer"]),
                     key="areas_delete_pick")
    d_button.button(t("areas_delete", lang), key="areas_delete", on_click=_delete)
