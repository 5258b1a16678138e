"""The area layer of the map: grid cells or districts coloured by days since the last visit.

It travels as its own FeatureGroup beside the places (ui.show_map's `feature_groups`), so
choosing another layer never changes the base map and streamlit-folium does not remount
it (PRODUCT.md §5). Colours are the places' day bins (geo.maps), so one legend reads both;
areas are drawn pale and under the places, and never-visited areas get the magenta of
never-visited places. Area names come from imported files and are HTML-escaped here.
"""

from __future__ import annotations

import html
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely

from geo import maps
from geo.texts import t
from geo.localtime import utc_series_to_local

NONE = ""  # the layer choice "no areas"
AREA_FILL_OPACITY = 0.35
AREA_STROKE = "#555555"


def area_features(cov: pd.DataFrame, areas: gpd.GeoDataFrame, lang: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the areas with their bin and an escaped tooltip.

    Column-wise: the figures are joined once and the geometries rounded as one array, since
    this runs on every rerun of the map page while an area layer is shown.
    """
    figures = areas[["area_id"]].merge(cov[["area_id", "days_since", "places", "overdue_places"]],
                                       on="area_id", how="left")
    geometries = shapely.set_precision(areas.geometry.to_numpy(), 1e-5)
    days_label, places_label, overdue_label = (html.escape(t(k, lang)) for k in
                                               ("col_days_since", "col_places_in_area", "metric_overdue"))
    never = t("never", lang)
    features: list[dict[str, Any]] = []
    for name, geom, days, places, overdue in zip(areas["name"], geometries, figures["days_since"],
                                                 figures["places"], figures["overdue_places"]):
        days = None if pd.isna(days) else int(days)
        tip = f"<b>{html.escape(str(name))}</b><br>{days_label}: {never if days is None else days}"
        if not pd.isna(places):  # the area has coverage figures
            tip += f"<br>{places_label}: {int(places)}<br>{overdue_label}: {int(overdue)}"
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(geom),
                         "properties": {"b": maps.day_bin(days), "tip": tip}})
    return {"type": "FeatureCollection", "features": features}


def _style(feature: dict[str, Any]) -> dict[str, Any]:
    return {"fillColor": maps.bin_colour(feature["properties"]["b"]), "fillOpacity": AREA_FILL_OPACITY,
            "color": AREA_STROKE, "weight": 0.6}


def areas_layer(cov: pd.DataFrame, areas: gpd.GeoDataFrame, lang: str) -> folium.FeatureGroup:
    """A FeatureGroup with one GeoJson of the areas (pass it before the places: drawn under them)."""
    group = folium.FeatureGroup(name="areas", control=False)
    folium.GeoJson(
        area_features(cov, areas, lang), name="area_polygons", style_function=_style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
    ).add_to(group)
    return group


def legend_html(lang: str) -> str:
    """The area legend: the same day bins as the places, as pale squares."""
    parts = [f'<div style="font-weight:600;margin:0.6rem 0 0.2rem">{html.escape(t("legend_areas", lang))}</div>']
    for item in [i for i in maps.legend_items(lang) if i.group == "days"]:
        parts.append(f'<div><span style="display:inline-block;width:14px;height:14px;background:{item.fill};'
                     f'opacity:{AREA_FILL_OPACITY + 0.2};border:1px solid {AREA_STROKE};vertical-align:middle">'
                     f"</span> {html.escape(item.label)}</div>")
    return '<div class="uppsok-area-legend" style="font-size:0.9rem">' + "".join(parts) + "</div>"


def layer_options(imported: list[str]) -> list[str]:
    """The choices of the area selector: none, the grid, then every imported layer."""
    from geo.grid import GRID_LAYER

    return [NONE, GRID_LAYER, *imported]


def display_areas(cur: Any, layer: str) -> gpd.GeoDataFrame:
    """The areas to draw: the grid as is, an imported layer's simplified copy (small HTML)."""
    from geo.boundaries import load_layer
    from geo.grid import grid_resolution, is_grid_layer, service_grid

    return service_grid(cur, grid_resolution(layer)) if is_grid_layer(layer) else load_layer(cur, layer, simplified=True)


# What the map reads back when an area layer is shown: the point of the last click on a
# polygon or place. It changes only on a click, so panning and zooming still send nothing.
CLICK_RETURNS: list[str] = ["last_object_clicked"]


def clicked_area(state: Any, areas: gpd.GeoDataFrame, layer: str) -> tuple[tuple[float, float], str] | None:
    """The point of the map's last click and the area_id of the drawn `areas` it lies in.

    `state` is st_folium's return value (None or without a click: None). A click on a place
    selects the area the place lies in. The point is returned too, so the page can act on a
    click once: streamlit-folium returns the same last click on every later run.
    """
    from geo.coords import from_leaflet
    from geo.coverage import assign_areas

    point = from_leaflet(state.get("last_object_clicked") if isinstance(state, dict) else None)
    if point is None:
        return None
    (area_id,) = assign_areas(areas, [point[0]], [point[1]], layer)
    return None if area_id is None else (point, str(area_id))


def area_option_label(row: Any, lang: str) -> str:
    """One area in the area picker: its name and days since a visit (or never)."""
    days = row["days_since"]
    if days is None or pd.isna(days):
        return t("area_option_never", lang, name=row["name"])
    return t("area_option_days", lang, name=row["name"], days=int(days))


def _count(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else str(int(value))


def area_places_table(places: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An area's places for the page: name, kind, days since the last visit, people last seen."""
    from geo.texts import kind_label

    return pd.DataFrame({
        t("col_name", lang): places["name"].astype(str),
        t("col_kind", lang): [kind_label(k, lang) for k in places["kind"]],
        t("col_days_since", lang): [t("never", lang) if pd.isna(d) else str(int(d)) for d in places["days_since"]],
        t("col_people", lang): [_count(p) for p in places["people_last_seen"]],
    })


def area_visits_table(visits: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An area's latest visits: date and time in Stockholm, shift, place, people (never notes)."""
    from geo.texts import shift_label

    local = utc_series_to_local(visits["visited_at"])
    return pd.DataFrame({
        t("col_date", lang): local.dt.strftime("%Y-%m-%d %H:%M"),
        t("col_shift", lang): [shift_label(s, lang) for s in visits["shift"]],
        t("col_name", lang): visits["place"].astype(str),
        t("col_people_seen", lang): [_count(p) for p in visits["people"]],
    })
