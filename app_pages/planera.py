"""Planera: overdue places ranked by urgency, with the reason per row. Widgets only; see geo/urgency.py."""

from __future__ import annotations

import streamlit as st

import ui
from geo import settings, store
from geo.boundaries import list_layers, load_layer
from geo.exports import to_safe_csv
from geo.config import KINDS
from geo.texts import kind_label, t
from geo.urgency import plan_table, ranked_places, with_districts

ui.require_page("planera")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()

st.subheader(t("plan_heading", lang))
st.caption(t("plan_caption", lang))

layers = list(list_layers(cur)["layer"])
f_kind, f_layer, f_district = st.columns([2, 2, 3])
kinds = ui.choice(f_kind.multiselect, t("filter_kind", lang), KINDS, default=list(KINDS),
                  format_func=lambda kind: kind_label(kind, lang), key="plan_kinds")
layer = f_layer.selectbox(t("plan_district_layer", lang), options=layers, key="plan_layer") if layers else None
areas = load_layer(cur, layer) if layer else None
districts = f_district.multiselect(t("plan_district", lang), options=sorted(areas["name"]) if areas is not None else [],
                                   key="plan_districts", disabled=areas is None)
if not layers:
    st.caption(t("plan_no_layers", lang))

ranked = with_districts(ranked_places(cur, targets=settings.targets(cur)), areas, layer)
ranked = ranked[ranked["kind"].isin(kinds)]
if districts:
    ranked = ranked[ranked["district"].isin(districts)]
table = plan_table(ranked, lang)

if table.empty:
    st.info(t("plan_empty", lang))
else:
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("plan_download", lang), data=to_safe_csv(table).encode("utf-8"), file_name="uppsok_planera.csv",
        mime="text/csv", key="plan_download",
        on_click=lambda: store.audit(cur, ui.actor(), "export_plan_csv", {"rows": len(table), "layer": layer}),
    )
