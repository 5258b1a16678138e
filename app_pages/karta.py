"""Karta: which places have not been visited recently. Widgets and layout only; see geo/maps.py."""

from __future__ import annotations

import streamlit as st

import ui
from geo import area_maps, maps, partner_reports, settings
from geo.boundaries import list_layers
from geo.config import KINDS
from geo.coverage import RECENT_VISITS, area_details, coverage
from geo.staleness import place_status
from geo.texts import kind_label, t

ui.require_page("karta")  # before anything else: a typed URL cannot bypass the navigation
lang = ui.lang()
cur = ui.cursor()
targets = settings.targets(cur)
status = place_status(cur, targets=targets)

st.subheader(t("map_heading", lang))

figures = maps.headline(status)
c_places, c_overdue, c_people = st.columns(3)
c_places.metric(t("metric_places", lang), figures.places, help=t("metric_places_help", lang))
c_overdue.metric(t("metric_overdue", lang), figures.overdue, help=t("metric_overdue_help", lang, **targets))
c_people.metric(t("metric_people", lang), figures.people, help=t("metric_people_help", lang))

f_kind, f_days = st.columns([3, 2])
kinds = ui.choice(
    f_kind.multiselect, t("filter_kind", lang), KINDS, default=list(KINDS),
    format_func=lambda kind: kind_label(kind, lang), key="karta_kinds",
)
min_days = f_days.slider(
    t("filter_days", lang), min_value=0, max_value=180, value=0, step=1,
    help=t("filter_days_help", lang), key="karta_min_days",
)
shown = maps.filter_places(status, kinds, min_days)

layer_names = {area_maps.NONE: t("area_none", lang), "h3": t("area_grid", lang)}
area_options = area_maps.layer_options(list(list_layers(cur)["layer"]))
area_layer = ui.choice(
    st.selectbox, t("area_layer", lang), area_options, default=area_options[0],
    format_func=lambda name: layer_names.get(name, name), help=t("area_layer_help", lang), key="karta_areas",
)
groups = [maps.places_layer(shown, lang)]
# Partner reports still waiting for the team: a layer of their own, above the places.
reports = partner_reports.open_reports(cur)
reports = reports[reports["kind"].isin(kinds)]
if len(reports):
    groups.append(maps.reports_layer(reports, lang))
cov = None
if area_layer:  # an extra FeatureGroup under the places: the base map stays the same
    overdue_days = settings.area_overdue_days(cur)
    cov = coverage(cur, area_layer, targets=targets, overdue_days=overdue_days)
    drawn = area_maps.display_areas(cur, area_layer)
    groups.insert(0, area_maps.areas_layer(cov, drawn, lang))

map_col, legend_col = st.columns([5, 1])
with map_col:
    # With areas shown a click selects one (read back below); without, nothing is read back.
    # streamlit-folium fixes what it returns at mount, hence a key per mode.
    state = ui.show_map(maps.base_map(), groups, key="karta_map_areas" if area_layer else "karta_map",
                        returned_objects=area_maps.CLICK_RETURNS if area_layer else None)
    st.caption(t("shown_count", lang, shown=len(shown), total=len(status)))
with legend_col:
    st.markdown(maps.legend_html(lang), unsafe_allow_html=True)
    if len(reports):
        st.markdown(maps.reports_legend_html(lang), unsafe_allow_html=True)
    if area_layer:
        st.markdown(area_maps.legend_html(lang), unsafe_allow_html=True)

if cov is not None and len(cov):
    st.subheader(t("area_details", lang))
    st.caption(t("area_overdue_caption", lang, overdue=int(cov["overdue"].sum()), total=len(cov), days=overdue_days))
    labels = {row["area_id"]: area_maps.area_option_label(row, lang) for _, row in cov.iterrows()}
    click = area_maps.clicked_area(state, drawn, area_layer)
    if click is not None and click[1] in labels and st.session_state.get("karta_area_click") != (area_layer, click[0]):
        st.session_state["karta_area_click"] = (area_layer, click[0])  # act on each click once
        ui.set_choice(f"karta_area_pick_{area_layer}", click[1])
    picked = ui.choice(st.selectbox, t("area_pick", lang), list(cov["area_id"]), default=cov["area_id"].iloc[0],
                       format_func=labels.get, key=f"karta_area_pick_{area_layer}")
    details = area_details(cur, area_layer, picked, targets=targets)
    p_col, v_col = st.columns(2)
    p_col.markdown(f"**{t('area_places_heading', lang)}**")
    if details.places.empty:
        p_col.caption(t("area_no_places", lang))
    else:
        p_col.dataframe(area_maps.area_places_table(details.places, lang), hide_index=True, width="stretch")
    v_col.markdown(f"**{t('area_visits_heading', lang, count=RECENT_VISITS)}**")
    if details.visits.empty:
        v_col.caption(t("area_no_visits", lang))
    else:
        v_col.dataframe(area_maps.area_visits_table(details.visits, lang), hide_index=True, width="stretch")

st.subheader(t("table_heading", lang))
table = maps.overdue_table(shown, lang)
if table.empty:
    st.caption(t("table_empty", lang) if len(shown) else t("no_places", lang))
else:
    st.dataframe(table, hide_index=True, width="stretch")
