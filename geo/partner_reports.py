"""Partner reports (issue 7 item 3): an NGO partner, or staff taking a phone call, tells the
team about a sleeping place or an encampment, and about acute needs there.

Lifecycle. A report is stored with status `new`; staff set `seen`, `visited` or `closed`
(every change audited with before and after). A report also becomes *visited on its own*:
while its stored status is `new` or `seen`, a visit logged after `open_since` at a known
place within the matching radius (the `match_radius_m` setting) counts as the team having
been there. That is derived when reports are read (`effective status`), not written by the
import, so no import or visit form has to know about reports, and an undone import
un-visits the report again. `open_since` is the report time, and moves to "now" whenever
staff set the status back to `new` or `seen`, so only later visits count after a reopen.

Where the report shows:
- open reports (effective status new/seen, with a position) are a layer of their own on
  the team's map (geo.maps.reports_layer);
- in the urgency ranking (geo.urgency.ranked_places) an open report boosts the nearest
  active place within the radius, and an open report with no place nearby becomes a
  candidate of its own, so that the route planner can go there (`open_reports` gives both).

Privacy: free text (the description of where, the message) is scrubbed of identifiers
before storage; a partner sees only the reports with their own `reported_by`, and only
`PARTNER_COLUMNS` of them (no coordinates, no place of the team's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import shapely

from geo import store
from geo.areas import effective_service_area, in_service_area, km_outside_service_area
from geo.coords import CoordinateError, bbox_deg, parse_point, to_sweref, wgs84
from geo.privacy import scrub
from geo.texts import TextError

STATUSES: tuple[str, ...] = ("new", "seen", "visited", "closed")
OPEN_STATUSES: tuple[str, ...] = ("new", "seen")
REPORT_KINDS: tuple[str, ...] = ("sleeping_place", "encampment")
ACUTE_KINDS: tuple[str, ...] = ("child_at_risk", "pregnancy", "addiction_mental_illness", "elderly_disabled")
MAX_TEXT = 1000  # characters of description or message
MAX_PEOPLE = 500

# What a partner may see of their own reports: nothing about where, nothing of the team's.
PARTNER_COLUMNS: tuple[str, ...] = ("report_id", "reported_at", "kind", "people", "acute", "status")


class ReportError(TextError):
    """A report that cannot be stored as given; `message(lang)` says why in the user's language."""


@dataclass(frozen=True)
class ReportForm:
    """What the Rapportera form collects. Where: a picked point, typed coordinates, or words."""

    kind: str
    point: tuple[float, float] | None = None  # WGS84 (lat, lon), from ui.pick_point
    coordinates: str | None = None  # typed, e.g. "59.33, 18.06" (geo.coords.parse_point)
    description: str = ""  # where, in words ("under Skanstullsbron, norra sidan")
    people: int | None = None
    acute: bool = False
    acute_kinds: Sequence[str] = field(default_factory=tuple)
    message: str = ""


@dataclass(frozen=True)
class Created:
    report_id: int
    lat: float | None
    lon: float | None
    acute: bool
    removed_identifiers: int


def locate(cur: duckdb.DuckDBPyConnection, form: ReportForm) -> tuple[float, float] | None:
    """The report's WGS84 position (None when it is only described), or ReportError.

    A position outside the service area is refused with its distance, so the sender can
    see a slip of the finger (or swapped numbers that happen to land in Sweden).
    """
    if form.point is not None:
        try:
            point = wgs84(float(form.point[0]), float(form.point[1]))
        except (CoordinateError, TypeError, ValueError):
            raise ReportError("rep_err_coordinates", text=str(form.point)) from None
    elif form.coordinates and form.coordinates.strip():
        try:
            point = parse_point(form.coordinates)
        except CoordinateError:
            raise ReportError("rep_err_coordinates", text=form.coordinates.strip()[:40]) from None
    else:
        return None
    area = effective_service_area(cur)
    if not in_service_area(point.lat, point.lon, area):
        km = km_outside_service_area(point.lat, point.lon, area)
        raise ReportError("rep_err_outside", lat=point.lat, lon=point.lon, km=km)
    return point.lat, point.lon


def _clean(text: str | None) -> tuple[str | None, int]:
    """Stripped, length-capped and scrubbed text (None when empty) and identifiers removed."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        return None, 0
    clean, counts = scrub(text)
    return clean, counts.total()


def create_report(cur: duckdb.DuckDBPyConnection, form: ReportForm, actor: str,
                  now: datetime | None = None) -> Created:
    """Validate, scrub and store one report with status `new`; audited as `report_create`."""
    if form.kind not in REPORT_KINDS:
        raise ReportError("rep_err_kind")
    if form.people is not None and not 0 <= int(form.people) <= MAX_PEOPLE:
        raise ReportError("rep_err_people", high=MAX_PEOPLE)
    unknown = [k for k in form.acute_kinds if k not in ACUTE_KINDS]
    if unknown:
        raise ReportError("rep_err_acute_kind", kind=unknown[0])
    acute_kinds = [k for k in ACUTE_KINDS if k in form.acute_kinds] if form.acute else []
    position = locate(cur, form)
    description, removed_d = _clean(form.description)
    message, removed_m = _clean(form.message)
    if position is None and description is None:
        raise ReportError("rep_err_where")
    now = now or store.utcnow()
    lat, lon = position if position is not None else (None, None)
    with store.transaction(cur):
        (report_id,) = cur.execute(
            """INSERT INTO partner_reports (reported_at, reported_by, lat, lon, description, kind, people, acute,
                   acute_kinds, message, status, status_at, status_by, open_since)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?) RETURNING report_id""",
            [now, actor, lat, lon, description, form.kind, None if form.people is None else int(form.people),
             bool(form.acute), acute_kinds, message, now, actor, now],
        ).fetchone()
        store.audit(cur, actor, "report_create", {
            "report_id": report_id, "kind": form.kind, "acute": bool(form.acute), "acute_kinds": acute_kinds,
            "has_position": position is not None, "removed_identifiers": removed_d + removed_m})
    return Created(int(report_id), lat, lon, bool(form.acute), removed_d + removed_m)


@dataclass(frozen=True)
class StatusChange:
    report_id: int
    before: str
    after: str


def set_status(cur: duckdb.DuckDBPyConnection, report_id: int, status: str, actor: str,
               now: datetime | None = None, radius_m: float | None = None) -> StatusChange | None:
    """Staff set a report's status; audited as `report_status` with before and after.

    `before` is the status staff saw (the effective one, so "visited" when a visit made it
    so); None when nothing changes. Setting `new` or `seen` reopens: only visits after now
    will mark it visited again.
    """
    if status not in STATUSES:
        raise ReportError("rep_err_status", status=status)
    now = now or store.utcnow()
    current = list_reports(cur, report_ids=[int(report_id)], radius_m=radius_m)
    if current.empty:
        raise ReportError("rep_err_unknown", report_id=report_id)
    before = str(current["status"].iloc[0])
    if before == status:
        return None
    reopen = status in OPEN_STATUSES
    with store.transaction(cur):
        cur.execute(
            f"""UPDATE partner_reports SET status = ?, status_at = ?, status_by = ?
                {", open_since = ?" if reopen else ""} WHERE report_id = ?""",
            [status, now, actor, *([now] if reopen else []), int(report_id)],
        ).fetchall()
        store.audit(cur, actor, "report_status", {"report_id": int(report_id), "before": before, "after": status})
    return StatusChange(int(report_id), before, status)


# Places near any report (a box around each, from geo.coords) with their latest visit:
# the visits are joined to those few places only, not grouped over the whole table.
_PLACES = """
WITH boxes AS (SELECT unnest($lat0) AS lat0, unnest($lat1) AS lat1, unnest($lon0) AS lon0, unnest($lon1) AS lon1),
near AS (
    SELECT DISTINCT p.place_id, p.lat, p.lon, p.cleared_at IS NULL AS active
    FROM places p JOIN boxes b ON p.lat BETWEEN b.lat0 AND b.lat1 AND p.lon BETWEEN b.lon0 AND b.lon1
)
SELECT n.place_id, n.lat, n.lon, n.active, max(v.visited_at) AS last_visit
FROM near n LEFT JOIN visits v USING (place_id)
GROUP BY ALL
"""


def _radius(cur: duckdb.DuckDBPyConnection, radius_m: float | None) -> float:
    if radius_m is not None:
        return float(radius_m)
    from geo.settings import match_radius_m  # settings read the same table; imported late on purpose

    return match_radius_m(cur)


def _nearby(reports: pd.DataFrame, places: pd.DataFrame, radius_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(report row, place row, metres) for every report-place pair within `radius_m`."""
    if reports.empty or places.empty:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
    rn, re_ = to_sweref(reports["lat"].to_numpy(float), reports["lon"].to_numpy(float))
    pn, pe = to_sweref(places["lat"].to_numpy(float), places["lon"].to_numpy(float))
    tree = shapely.STRtree(shapely.points(pe, pn))
    r_idx, p_idx = tree.query(shapely.points(re_, rn), predicate="dwithin", distance=radius_m)
    return r_idx, p_idx, np.hypot(re_[r_idx] - pe[p_idx], rn[r_idx] - pn[p_idx])


def _with_matches(cur: duckdb.DuckDBPyConnection, reports: pd.DataFrame, radius_m: float) -> pd.DataFrame:
    """Adds `place_id` (the nearest active place within the radius, else None), `visited_at`
    (the latest visit within the radius when it came after open_since) and the effective `status`."""
    n = len(reports)
    place_id = np.full(n, None, dtype=object)
    latest = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    rows = np.flatnonzero(reports["lat"].notna().to_numpy())
    if len(rows):
        lat, lon = reports["lat"].to_numpy(float)[rows], reports["lon"].to_numpy(float)[rows]
        lat0, lat1, lon0, lon1 = bbox_deg(lat, lon, radius_m)
        places = cur.execute(_PLACES, {"lat0": list(lat0), "lat1": list(lat1),
                                       "lon0": list(lon0), "lon1": list(lon1)}).df()
        r_idx, p_idx, dist = _nearby(reports.iloc[rows], places, radius_m)
        r_rows = rows[r_idx]
        active = places["active"].to_numpy(bool)[p_idx]
        # the nearest active place per report: sort by (report, distance), keep each report's first
        a_rows, a_places, a_dist = r_rows[active], p_idx[active], dist[active]
        order = np.lexsort((a_dist, a_rows))
        first = np.unique(a_rows[order], return_index=True)[1]
        place_id[a_rows[order][first]] = places["place_id"].to_numpy(object)[a_places[order][first]]
        # the latest visit at any place within the radius (NaT sorts below every time)
        last = places["last_visit"].to_numpy("datetime64[us]")[p_idx].astype("int64")
        best = np.full(n, np.iinfo("int64").min, dtype="int64")
        np.maximum.at(best, r_rows, np.where(np.isnat(places["last_visit"].to_numpy("datetime64[us]")[p_idx]),
                                             np.iinfo("int64").min, last))
        latest = np.where(best == np.iinfo("int64").min, np.datetime64("NaT"), best.astype("datetime64[us]"))
    since = reports["open_since"].to_numpy("datetime64[us]")
    visited_at = np.where(~np.isnat(latest) & (latest >= since), latest, np.datetime64("NaT"))
    out = reports.assign(place_id=pd.Series(place_id, index=reports.index, dtype=object),
                         visited_at=pd.to_datetime(visited_at))
    auto = out["status"].isin(OPEN_STATUSES) & out["visited_at"].notna()
    return out.assign(stored_status=out["status"], status=out["status"].where(~auto, "visited"))


def list_reports(cur: duckdb.DuckDBPyConnection, reported_by: str | None = None,
                 statuses: Sequence[str] | None = None, report_ids: Sequence[int] | None = None,
                 radius_m: float | None = None) -> pd.DataFrame:
    """Reports, newest first, with their effective `status` (see the module docstring).

    Filters: `reported_by` (a partner's own), effective `statuses`, `report_ids`.
    """
    where, params = [], []
    if reported_by is not None:
        where.append("reported_by = ?")
        params.append(reported_by)
    if report_ids is not None:
        where.append("list_contains(?::BIGINT[], report_id)" if len(report_ids) else "FALSE")
        params.extend([[int(i) for i in report_ids]] if len(report_ids) else [])
    frame = cur.execute(
        f"""SELECT report_id, reported_at, reported_by, lat, lon, description, kind, people, acute, acute_kinds,
                   message, status, status_at, status_by, open_since
            FROM partner_reports {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY reported_at DESC, report_id DESC""", params).df()
    frame = _with_matches(cur, frame, _radius(cur, radius_m))
    if statuses is not None:
        frame = frame[frame["status"].isin(list(statuses))]
    return frame.reset_index(drop=True)


def partner_view(cur: duckdb.DuckDBPyConnection, actor: str) -> pd.DataFrame:
    """A partner's own reports and their statuses: `PARTNER_COLUMNS` only, never where."""
    return list_reports(cur, reported_by=actor)[list(PARTNER_COLUMNS)]


def open_reports(cur: duckdb.DuckDBPyConnection, radius_m: float | None = None) -> pd.DataFrame:
    """Reports still waiting for the team (effective status new/seen) that have a position,
    with `place_id` = the nearest active place within the radius (None: no known place there).

    Cheap when there are none: the places are read only when an open report exists.
    """
    (count,) = cur.execute(
        "SELECT count(*) FROM partner_reports WHERE status IN ('new', 'seen') AND lat IS NOT NULL").fetchone()
    if not count:
        return list_reports(cur, report_ids=[], radius_m=radius_m)
    frame = list_reports(cur, statuses=OPEN_STATUSES, radius_m=radius_m)
    return frame[frame["lat"].notna()].reset_index(drop=True)
