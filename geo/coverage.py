"""Coverage per area: when was each grid cell or district last checked, and by which shift.

Coverage is about areas as much as places: a sweep through a park that finds nobody still
counts as a visit there. A visit is placed where it was logged (its own coordinates) or,
without them, at its place. Areas never visited are kept apart from areas visited long ago
(`last_visit` is NULL and `never_visited` is true), because "nobody has ever looked here"
is a different planning question from "nobody has looked here for a year".

Set-based, because a national database has millions of visits:
1. one DuckDB scan of `visits` reduces them to (place, coordinates, shift) groups;
2. the distinct positions of those groups and of the places are given an area at once
   (H3 cell ids for the grid, a shapely STRtree for boundary polygons);
3. DuckDB aggregates the groups and places per area.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.config import TARGET_DAYS
from geo.grid import cells_of, grid, grid_resolution, is_grid_layer
from geo.shifts import SHIFTS
from geo.store import utcnow

ACUTE_WINDOW_DAYS = 90

COVERAGE_COLUMNS = [
    "area_id", "name", "last_visit", "days_since", "never_visited",
    "last_day", "last_evening", "last_weekend",
    "days_since_day", "days_since_evening", "days_since_weekend",
    "places", "overdue_places", "people_last_seen", "acute_90d",
]


def layer_areas(cur: duckdb.DuckDBPyConnection, layer: str | None = None) -> gpd.GeoDataFrame:
    """The areas of a layer (area_id, name, geometry; WGS84): the H3 grid by default."""
    if is_grid_layer(layer):
        return grid(grid_resolution(layer))
    from geo.boundaries import load_layer

    return load_layer(cur, layer)


def assign_areas(areas: gpd.GeoDataFrame, lat: np.ndarray, lon: np.ndarray, layer: str | None) -> np.ndarray:
    """The area_id each WGS84 point falls in (None outside every area), for many points at once."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    out = np.full(len(lat), None, dtype=object)
    if not len(lat):
        return out
    if is_grid_layer(layer):
        cells = np.array(cells_of(lat, lon, grid_resolution(layer)), dtype=object)
        inside = pd.Series(cells).isin(set(areas["area_id"])).to_numpy()
        out[inside] = cells[inside]
        return out
    tree = shapely.STRtree(areas.geometry.to_numpy())
    points = shapely.points(lon, lat)  # shapely is x=lon, y=lat
    point_idx, area_idx = tree.query(points, predicate="intersects")
    # a point on a shared border matches two areas: keep the first, so nothing counts twice
    order = np.lexsort((area_idx, point_idx))
    point_idx, area_idx = point_idx[order], area_idx[order]
    first = np.unique(point_idx, return_index=True)[1]
    out[point_idx[first]] = areas["area_id"].to_numpy()[area_idx[first]]
    return out


_GROUPS = """
SELECT place_id, lat, lon, shift,
       max(visited_at)                                        AS last_visit,
       max(visited_at) FILTER (WHERE people IS NOT NULL)      AS people_at,
       arg_max(people, visited_at)                            AS people_last,
       count(*) FILTER (WHERE acute AND visited_at >= $since) AS acute
FROM visits
GROUP BY ALL
"""

_PLACES = """
SELECT p.place_id, p.kind, p.lat, p.lon,
       max(g.last_visit)                     AS last_visit,
       arg_max(g.people_last, g.people_at)   AS people_last_seen
FROM places p LEFT JOIN cov_groups g USING (place_id)
WHERE p.cleared_at IS NULL
GROUP BY ALL
"""

_AREAS = """
WITH visit_areas AS (
    SELECT a.area_id, g.shift, max(g.last_visit) AS last_visit, sum(g.acute) AS acute
    FROM cov_groups g
    LEFT JOIN places p USING (place_id)
    JOIN cov_positions a ON a.lat = coalesce(g.lat, p.lat) AND a.lon = coalesce(g.lon, p.lon)
    GROUP BY ALL
), by_area AS (
    SELECT area_id,
           max(last_visit) AS last_visit,
           max(last_visit) FILTER (WHERE shift = 'day')     AS last_day,
           max(last_visit) FILTER (WHERE shift = 'evening') AS last_evening,
           max(last_visit) FILTER (WHERE shift = 'weekend') AS last_weekend,
           sum(acute)::INTEGER AS acute_90d
    FROM visit_areas GROUP BY area_id
), place_areas AS (
    SELECT a.area_id, count(*) AS places,
           count(*) FILTER (WHERE s.last_visit IS NULL OR
                            floor(epoch($now::TIMESTAMP - s.last_visit) / 86400) > s.target_days) AS overdue_places,
           sum(s.people_last_seen) AS people_last_seen
    FROM cov_places s JOIN cov_positions a ON a.lat = s.lat AND a.lon = s.lon
    GROUP BY a.area_id
)
SELECT l.area_id, l.name, b.last_visit,
       floor(epoch($now::TIMESTAMP - b.last_visit) / 86400)::INTEGER AS days_since,
       b.last_visit IS NULL AS never_visited,
       b.last_day, b.last_evening, b.last_weekend,
       floor(epoch($now::TIMESTAMP - b.last_day) / 86400)::INTEGER     AS days_since_day,
       floor(epoch($now::TIMESTAMP - b.last_evening) / 86400)::INTEGER AS days_since_evening,
       floor(epoch($now::TIMESTAMP - b.last_weekend) / 86400)::INTEGER AS days_since_weekend,
       coalesce(pa.places, 0)::INTEGER           AS places,
       coalesce(pa.overdue_places, 0)::INTEGER   AS overdue_places,
       coalesce(pa.people_last_seen, 0)::INTEGER AS people_last_seen,
       coalesce(b.acute_90d, 0)::INTEGER         AS acute_90d
FROM cov_layer l
LEFT JOIN by_area b USING (area_id)
LEFT JOIN place_areas pa USING (area_id)
"""


def coverage(
    cur: duckdb.DuckDBPyConnection,
    layer: str | None = None,
    now: datetime | None = None,
    targets: Mapping[str, int] = TARGET_DAYS,
    areas: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Every area of `layer` with its coverage figures (COVERAGE_COLUMNS), stalest first.

    `now` is naive UTC. Never-visited areas come first, then the longest since a visit.
    """
    now = now or utcnow()
    areas = layer_areas(cur, layer) if areas is None else areas
    groups = cur.execute(_GROUPS, {"since": now - timedelta(days=ACUTE_WINDOW_DAYS)}).df()
    cur.register("cov_groups", groups)
    try:
        places = cur.execute(_PLACES).df()
        places["target_days"] = places["kind"].map(lambda k: targets.get(k, targets["other"]))
        positions = cur.execute(
            """SELECT DISTINCT coalesce(g.lat, p.lat) AS lat, coalesce(g.lon, p.lon) AS lon
               FROM cov_groups g LEFT JOIN places p USING (place_id)
               UNION SELECT lat, lon FROM places"""
        ).df().dropna()
        positions["area_id"] = assign_areas(areas, positions["lat"].to_numpy(), positions["lon"].to_numpy(), layer)
        positions = positions[positions["area_id"].notna()]
        cur.register("cov_places", places)
        cur.register("cov_positions", positions)
        cur.register("cov_layer", pd.DataFrame({"area_id": areas["area_id"], "name": areas["name"]}))
        frame = cur.execute(_AREAS, {"now": now}).df()
    finally:
        for name in ("cov_groups", "cov_places", "cov_positions", "cov_layer"):
            try:
                cur.unregister(name)
            except duckdb.Error:
                pass
    frame = frame.sort_values(["never_visited", "days_since", "name"], ascending=[False, False, True],
                              na_position="first", kind="stable").reset_index(drop=True)
    return frame[COVERAGE_COLUMNS]


def stale_areas(frame: pd.DataFrame, days: int, shift: str | None = None) -> pd.DataFrame:
    """Areas not visited (on `shift`, if given) for more than `days` days, or never.

    E.g. `stale_areas(cov, 14, "evening")`: not visited on an evening shift for 14 days,
    the question a team lead asks when people are at their sleeping places at night.
    """
    if shift is not None and shift not in SHIFTS:
        raise ValueError(f"unknown shift {shift!r}")
    column = "days_since" if shift is None else f"days_since_{shift}"
    since = frame[column]
    stale = since.isna() | (since > days)
    out = frame[stale]
    if shift is not None:  # the stalest on that shift first
        out = out.sort_values(column, ascending=False, na_position="first", kind="stable")
    return out.reset_index(drop=True)
