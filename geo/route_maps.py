"""A patrol plan on the map: one FeatureGroup per pair (a line and numbered stops in the pair's
colour), the start/end point, and the places left out. The base map stays geo.maps.base_map();
these groups travel through ui.show_map's `feature_group_to_add`, so the map is not remounted.

A plan has tens of stops, not thousands, so plain folium markers are fine here. Names are
HTML-escaped before they reach a tooltip.
"""

from __future__ import annotations

import html
import math

import folium

from geo.routes import Plan
from geo.texts import kind_label, t

# Okabe-Ito: distinct for colour-blind readers, and none of them the map's never-visited magenta.
PAIR_COLOURS: list[str] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def pair_colour(pair: int) -> str:
    return PAIR_COLOURS[(pair - 1) % len(PAIR_COLOURS)]


def route_view(plan: Plan, width_px: int = 700) -> tuple[tuple[float, float], int]:
    """Centre and zoom that show every stop and the start and end points.

    The page moves the constant base map there (st_folium's `center`/`zoom`) instead of
    fitting bounds inside the map, which would change the map and remount it.
    """
    request = plan.request
    points = [request.start_point, request.end_point or request.start_point,
              *((stop.lat, stop.lon) for route in plan.routes for stop in route.stops)]
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    centre = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    # Degrees of longitude the extent needs (a degree of latitude is 1/cos(lat) wider on the map).
    span = max(max(lons) - min(lons), (max(lats) - min(lats)) / math.cos(math.radians(centre[0])), 1e-3)
    zoom = math.floor(math.log2(width_px * 360 / (256 * span)))  # 256 px per 360 degrees at zoom 0
    return centre, max(10, min(16, zoom))


def _number_icon(number: int, colour: str) -> folium.DivIcon:
    return folium.DivIcon(
        html=(f'<div style="background:{colour};color:#fff;border:2px solid #fff;border-radius:50%;'
              f'width:24px;height:24px;line-height:20px;text-align:center;font:bold 12px sans-serif;'
              f'box-shadow:0 0 2px #000">{number}</div>'),
        icon_size=(24, 24), icon_anchor=(12, 12), class_name="uppsok-stop")


def route_layers(plan: Plan, lang: str) -> list[folium.FeatureGroup]:
    """The groups for ui.show_map: base point, one per pair, and the left-out places."""
    request = plan.request
    base = folium.FeatureGroup(name="route_base")
    folium.CircleMarker(list(request.start_point), radius=9, color="#1a1a1a", weight=3, fill=True,
                        fill_color="#ffffff", fill_opacity=1,
                        tooltip=html.escape(t("route_start", lang))).add_to(base)
    if request.end != request.start_point:
        folium.CircleMarker(list(request.end), radius=9, color="#1a1a1a", weight=3, fill=True,
                            fill_color="#bdbdbd", fill_opacity=1,
                            tooltip=html.escape(t("route_end", lang))).add_to(base)
    groups = [base]
    for route in plan.routes:
        colour = pair_colour(route.pair)
        group = folium.FeatureGroup(name=f"route_pair_{route.pair}")
        points = [list(request.start_point), *[[s.lat, s.lon] for s in route.stops], list(request.end)]
        folium.PolyLine(points, color=colour, weight=4, opacity=0.85,
                        tooltip=html.escape(t("route_pair", lang, pair=route.pair))).add_to(group)
        for i, s in enumerate(route.stops, start=1):
            tip = (f"<b>{i}. {html.escape(s.name)}</b><br>{html.escape(kind_label(s.kind, lang))} · "
                   f"{s.arrival:%H:%M} · {s.minutes} min")
            folium.Marker([s.lat, s.lon], icon=_number_icon(i, colour), tooltip=tip).add_to(group)
        groups.append(group)
    left = folium.FeatureGroup(name="route_left_out")
    for item in plan.left_out:
        folium.CircleMarker([item.lat, item.lon], radius=4, color="#6b6b6b", weight=1, fill=True,
                            fill_color="#bdbdbd", fill_opacity=0.8,
                            tooltip=html.escape(f"{item.name} · {t(f'route_left_{item.reason}', lang)}")).add_to(left)
    groups.append(left)
    return groups
