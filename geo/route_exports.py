"""A patrol plan as files and links: JSON (the CLI), CSV, GPX, a print page, phone map links.

Every text that comes from a place (its name) is escaped for the format it goes into: HTML
escaped in the print page, XML escaped by gpxpy, formula-neutralised in CSV (geo.exports),
URL-encoded in links. Exports are audited by their callers (page and CLI).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import gpxpy
import gpxpy.gpx
import pandas as pd

from geo.exports import to_safe_csv
from geo.routes import DETOUR_FACTOR, MODES, Plan, Route
from geo.texts import kind_label, t

# Google Maps URLs (api=1 dir): waypoints are passed on, but "the number of waypoints allowed
# varies by the platform where the link opens": up to 3 in a mobile browser, 9 elsewhere. A
# phone without the Maps app opens the link in its browser, so a pair's route is split into
# legs of at most 3 waypoints; each leg's destination is the next leg's origin.
MAPS_URL = "https://www.google.com/maps/dir/"
MAPS_WAYPOINTS_PER_LINK = 3
MAPS_TRAVEL_MODE = {"walk": "walking", "transit": "transit", "car": "driving"}


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def plan_json(plan: Plan) -> dict[str, Any]:
    """The CLI's JSON: `routes` (one per pair, ordered `stops`, `minutes`, `km`) and `left_out`."""
    request = plan.request
    return {
        "start": _iso(request.start), "hours": request.hours, "pairs": request.pairs, "mode": request.mode,
        "start_point": list(request.start_point), "end_point": list(request.end),
        "detour_factor": DETOUR_FACTOR, "urgency": plan.urgency,
        "routes": [{
            "pair": route.pair, "minutes": route.minutes, "km": route.km, "urgency": route.urgency,
            "back_at": _iso(route.back_at),
            "stops": [{"place_id": s.place_id, "name": s.name, "kind": s.kind, "lat": s.lat, "lon": s.lon,
                       "arrival": _iso(s.arrival), "minutes": s.minutes, "urgency": s.urgency, "must": s.must}
                      for s in route.stops],
        } for route in plan.routes],
        "left_out": [{"place_id": item.place_id, "name": item.name, "kind": item.kind, "lat": item.lat,
                      "lon": item.lon, "urgency": item.urgency, "reason": item.reason, "must": item.must}
                     for item in plan.left_out],
    }


def stops_frame(plan: Plan) -> pd.DataFrame:
    """One row per stop, codes and ISO times (the CLI's CSV)."""
    rows = [{"pair": route.pair, "order": i, "name": s.name, "kind": s.kind, "arrival": _iso(s.arrival),
             "minutes": s.minutes, "km_from_previous": s.km_from_previous, "urgency": s.urgency,
             "lat": round(s.lat, 6), "lon": round(s.lon, 6), "place_id": s.place_id}
            for route in plan.routes for i, s in enumerate(route.stops, start=1)]
    return pd.DataFrame(rows, columns=["pair", "order", "name", "kind", "arrival", "minutes", "km_from_previous",
                                       "urgency", "lat", "lon", "place_id"])


def route_table(route: Route, lang: str) -> pd.DataFrame:
    """A pair's stops for the page and the page's CSV: localised headers, Stockholm clock times."""
    return pd.DataFrame({
        t("route_col_order", lang): list(range(1, len(route.stops) + 1)),
        t("route_col_arrival", lang): [_clock(s.arrival) for s in route.stops],
        t("col_name", lang): [s.name for s in route.stops],
        t("col_kind", lang): [kind_label(s.kind, lang) for s in route.stops],
        t("route_col_minutes", lang): [s.minutes for s in route.stops],
        t("route_col_km", lang): [s.km_from_previous for s in route.stops],
        t("col_urgency", lang): [s.urgency for s in route.stops],
    })


def plan_csv(plan: Plan, lang: str) -> str:
    """Every pair's stops in one formula-safe CSV, the pair in the first column."""
    frames = [route_table(route, lang).assign(**{t("route_col_pair", lang): route.pair}) for route in plan.routes]
    if not frames:
        return to_safe_csv(pd.DataFrame())
    frame = pd.concat(frames, ignore_index=True)
    pair = t("route_col_pair", lang)
    return to_safe_csv(frame[[pair, *[c for c in frame.columns if c != pair]]])


def left_out_table(plan: Plan, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("col_name", lang): [item.name for item in plan.left_out],
        t("col_kind", lang): [kind_label(item.kind, lang) for item in plan.left_out],
        t("col_urgency", lang): [item.urgency for item in plan.left_out],
        t("route_col_reason", lang): [t(f"route_left_{item.reason}", lang)
                                      + (" · " + t("route_left_must", lang) if item.must else "")
                                      for item in plan.left_out],
    })


def to_gpx(plan: Plan, lang: str) -> str:
    """GPX 1.1: one <rte> per pair, start point, numbered stops (with arrival time), end point."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Uppsök"
    request = plan.request
    for route in plan.routes:
        rte = gpxpy.gpx.GPXRoute(name=t("route_pair", lang, pair=route.pair))
        rte.points.append(gpxpy.gpx.GPXRoutePoint(request.start_point[0], request.start_point[1],
                                                  name=t("route_start", lang), time=request.start.astimezone(UTC)))
        for i, s in enumerate(route.stops, start=1):
            rte.points.append(gpxpy.gpx.GPXRoutePoint(s.lat, s.lon, name=f"{i}. {s.name}",
                                                      time=s.arrival.astimezone(UTC),
                                                      comment=kind_label(s.kind, lang)))
        rte.points.append(gpxpy.gpx.GPXRoutePoint(request.end[0], request.end[1], name=t("route_end", lang),
                                                  time=route.back_at.astimezone(UTC)))
        gpx.routes.append(rte)
    return gpx.to_xml(version="1.1")


def _point(lat: float, lon: float) -> str:
    return f"{lat:.6f},{lon:.6f}"


def maps_links(plan: Plan, route: Route) -> list[str]:
    """Directions in Google Maps (app or browser) through the pair's stops, in legs of at most
    MAPS_WAYPOINTS_PER_LINK waypoints; walking unless the plan's mode is another."""
    request = plan.request
    points = [request.start_point, *[(s.lat, s.lon) for s in route.stops], request.end]
    links: list[str] = []
    step = MAPS_WAYPOINTS_PER_LINK + 1
    for first in range(0, len(points) - 1, step):
        leg = points[first:first + step + 1]
        query = {"api": "1", "origin": _point(*leg[0]), "destination": _point(*leg[-1]),
                 "travelmode": MAPS_TRAVEL_MODE.get(request.mode, "walking")}
        if len(leg) > 2:
            query["waypoints"] = "|".join(_point(*p) for p in leg[1:-1])
        links.append(MAPS_URL + "?" + urlencode(query))
    return links


PRINT_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:11pt;color:#111;margin:1.5cm}
h1{font-size:16pt;margin:0 0 .2cm}h2{font-size:14pt;margin:.2cm 0}
p.meta{color:#444;margin:.1cm 0}
table{border-collapse:collapse;width:100%;margin-top:.3cm}
th,td{border-bottom:1px solid #999;padding:.15cm .2cm;text-align:left;vertical-align:top}
th{border-bottom:2px solid #111}td.num{text-align:right}td.done{width:1.2cm}
section.pair{break-after:page;page-break-after:always}
section.pair:last-of-type{break-after:auto;page-break-after:auto}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em}
@media print{body{margin:0}a{color:#111;text-decoration:none}}
@page{size:A4;margin:1.5cm}
"""


def print_html(plan: Plan, lang: str, colours: list[str] | None = None) -> str:
    """A print-friendly page: one pair per sheet (page break), a tick column for the field."""
    esc = html.escape
    request = plan.request
    title = t("route_print_title", lang, date=request.start.strftime("%Y-%m-%d"), time=_clock(request.start))
    mode = t(f"route_mode_{request.mode}", lang)
    parts = [f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(title)}</title>'
             f"<style>{PRINT_CSS}</style></head><body>"]
    for route in plan.routes:
        colour = (colours or ["#111"])[(route.pair - 1) % len(colours or ["#111"])]
        parts.append('<section class="pair">')
        parts.append(f"<h1>{esc(title)}</h1>")
        parts.append(f'<h2><span class="swatch" style="background:{esc(colour)}"></span>'
                     f"{esc(t('route_pair', lang, pair=route.pair))}</h2>")
        parts.append(f'<p class="meta">{esc(t("route_summary", lang, stops=len(route.stops), minutes=route.minutes, km=route.km, back=_clock(route.back_at)))}'
                     f" · {esc(mode)}</p>")
        parts.append(f'<p class="meta">{esc(t("route_detour_note", lang, factor=DETOUR_FACTOR))}</p>')
        headers = [t("route_col_order", lang), t("route_col_arrival", lang), t("col_name", lang),
                   t("col_kind", lang), t("route_col_minutes", lang), t("route_col_done", lang)]
        parts.append("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr></thead><tbody>")
        parts.append(f"<tr><td></td><td>{_clock(request.start)}</td><td>{esc(t('route_start', lang))}</td>"
                     "<td></td><td></td><td></td></tr>")
        for i, s in enumerate(route.stops, start=1):
            parts.append(f'<tr><td class="num">{i}</td><td>{_clock(s.arrival)}</td><td>{esc(s.name)}</td>'
                         f'<td>{esc(kind_label(s.kind, lang))}</td><td class="num">{s.minutes}</td>'
                         '<td class="done">☐</td></tr>')
        parts.append(f"<tr><td></td><td>{_clock(route.back_at)}</td><td>{esc(t('route_end', lang))}</td>"
                     "<td></td><td></td><td></td></tr>")
        parts.append("</tbody></table></section>")
    parts.append("</body></html>")
    return "".join(parts)


def mode_note(mode: str, lang: str) -> str:
    """The assumptions behind a mode's travel times, for the page's caption."""
    m = MODES[mode]
    return t(f"route_mode_note_{mode}", lang, speed=f"{m.speed_kmh:g}", wait=f"{m.fixed_min:g}")
