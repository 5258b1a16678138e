"""Coverage per area: when was each grid cell or district last checked, and by which shift.

Coverage is about areas as much as places: a sweep through a park that finds nobody still
counts as a visit there. In this data model a sweep is a visit at a place (every visit has
a `place_id`), so **a visit counts in the area of its place**. The simplification is small
and deliberate: ingest joins a visit to a known place only within the matching radius
(settings, default 50 m), otherwise it makes a new place where the visit was, so a visit's
own GPS point differs from its place's by at most that radius. Near an area's border such
a visit may count in the neighbouring area; nothing is counted twice. Areas never visited
are kept apart from areas visited long ago (`last_visit` is NULL and `never_visited` is
true), because "nobody has ever looked here" is a different planning question from
"nobody has looked here for a year".

Set-based, because a national database has millions of visits:
1. places (thousands, not millions) are given an area at once (H3 cell ids for the grid,
   a shapely STRtree for boundary polygons); that place → area table is cached per
   (database, layer and its import, places' ids and positions), so a repeated query
   costs only a fingerprint of the places table;
2. one DuckDB GROUP BY over `visits` per place (per-shift last visits as conditional
   aggregates) is joined to that small table and rolled up per area.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geo.config import ACUTE_WINDOW_DAYS, AREA_OVERDUE_DAYS, TARGET_DAYS
from geo.grid import area_key, cells_of, grid, grid_resolution, is_grid_layer, service_grid
from geo.shifts import SHIFTS
from geo.store import utcnow

RECENT_VISITS = 10  # area details: the last visits shown

COVERAGE_COLUMNS = [
    "area_id", "name", "last_visit", "days_since", "never_visited",
    "last_day", "last_evening", "last_weekend",
    "days_since_day", "days_since_evening", "days_since_weekend",
    "places", "overdue_places", "people_last_seen", "acute_90d", "overdue",
]


def layer_areas(cur: duckdb.DuckDBPyConnection, layer: str | None = None) -> gpd.GeoDataFrame:
    """The areas of a layer (area_id, name, geometry; WGS84): the H3 grid by default."""
    if is_grid_layer(layer):
        return service_grid(cur, grid_resolution(layer))
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


# --- place → area, cached -------------------------------------------------------------

_CACHE_SIZE = 32
_cache: OrderedDict[tuple[Any, ...], pd.DataFrame] = OrderedDict()
_arrow: dict[int, pa.Table] = {}  # id of a cached mapping → the same rows as Arrow (DuckDB scans it in place)
_indexes: OrderedDict[tuple[Any, ...], pa.Table] = OrderedDict()  # a grid's area_id and name, as Arrow
_cache_lock = threading.Lock()


def _resolve(cur: duckdb.DuckDBPyConnection, layer: str | None) -> tuple[Any, gpd.GeoDataFrame | None]:
    """The layer's version (what changes its geometry: the grid's resolution and service area, an imported layer's import time) and, for the grid, its cells (cached, so free).

    One call per query: the grid's service area is a setting, read once here.
    """
    if is_grid_layer(layer):
        from geo.areas import effective_service_area

        area = effective_service_area(cur)
        resolution = grid_resolution(layer)
        return ("grid", resolution, area_key(area)), grid(resolution, area)
    rows = cur.execute("SELECT imported_at FROM area_layers WHERE layer = ?", [layer]).fetchall()
    if not rows:
        layer_areas(cur, layer)  # raises BoundaryError with the known layers
    return ("layer", rows[0][0]), None


def _places_fingerprint(cur: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The database file and its places' ids and positions, in one cheap scan of `places`."""
    path, count, digest = cur.execute(
        """SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()),
                  count(*), bit_xor(hash(place_id, lat, lon)) FROM places"""
    ).fetchall()[0]  # fetchall: DuckDB 2 wants every result consumed
    return (path, count, digest)


def place_areas(
    cur: duckdb.DuckDBPyConnection, layer: str | None = None, areas: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Every place (cleared ones too: their visits still cover the area) that lies in an area of
    `layer`: columns place_id, area_id. Cached unless `areas` is given explicitly."""
    return _place_areas(cur, layer, areas, None)


def _place_areas(
    cur: duckdb.DuckDBPyConnection, layer: str | None, areas: gpd.GeoDataFrame | None,
    resolved: tuple[Any, gpd.GeoDataFrame | None] | None,
) -> pd.DataFrame:
    key = None
    if areas is None:
        version, areas = resolved or _resolve(cur, layer)
        key = (layer or "h3", version, *_places_fingerprint(cur))
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
                return hit
        if areas is None:
            areas = layer_areas(cur, layer)
    places = cur.execute("SELECT place_id, lat, lon FROM places").df()
    ids = assign_areas(areas, places["lat"].to_numpy(), places["lon"].to_numpy(), layer)
    inside = pd.notna(ids)
    result = pd.DataFrame({"place_id": places["place_id"].to_numpy()[inside],
                           "area_id": ids[inside].astype(str)})
    if key is not None:
        with _cache_lock:
            _cache[key] = result
            _arrow[id(result)] = pa.Table.from_pandas(result, preserve_index=False)
            while len(_cache) > _CACHE_SIZE:
                _arrow.pop(id(_cache.popitem(last=False)[1]), None)
    return result


def _as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The Arrow copy of a cached mapping (no conversion per query), else the frame itself."""
    with _cache_lock:
        return _arrow.get(id(frame), frame)


def _layer_index(cur: duckdb.DuckDBPyConnection, layer: str | None, areas: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """area_id and name of every area of the layer, without loading geometry when not needed."""
    if areas is None:
        if is_grid_layer(layer):
            areas = service_grid(cur, grid_resolution(layer))
        else:
            return cur.execute("SELECT area_id, name FROM areas WHERE layer = ?", [layer]).df()
    return pd.DataFrame({"area_id": areas["area_id"].astype(str), "name": areas["name"].astype(str)})


def _grid_index(version: Any, cells: gpd.GeoDataFrame) -> pa.Table:
    """A grid's area_id and name as Arrow, cached per grid version (the cells are cached too)."""
    with _cache_lock:
        hit = _indexes.get(version)
        if hit is not None:
            return hit
    ids = pa.array(cells["area_id"].astype(str).tolist(), type=pa.string())
    table = pa.table({"area_id": ids, "name": ids})  # a cell's name is its id
    with _cache_lock:
        _indexes[version] = table
        while len(_indexes) > _CACHE_SIZE:
            _indexes.popitem(last=False)
    return table


# --- coverage per area ----------------------------------------------------------------

_DAYS = "floor(epoch($now::TIMESTAMP - {col}) / 86400)::INTEGER"

_PER_PLACE = """
per_place AS (
    SELECT place_id,
           max(visited_at)                                        AS last_visit,
           max(visited_at) FILTER (WHERE shift = 'day')           AS last_day,
           max(visited_at) FILTER (WHERE shift = 'evening')       AS last_evening,
           max(visited_at) FILTER (WHERE shift = 'weekend')       AS last_weekend,
           arg_max(people, visited_at)                            AS people_last,
           count(*) FILTER (WHERE acute AND visited_at >= $since) AS acute
    FROM visits
    GROUP BY place_id
), placed AS (
    SELECT pa.area_id, p.place_id, p.name, p.kind, p.cleared_at IS NULL AS active,
           CASE p.kind WHEN 'encampment' THEN $t_enc WHEN 'sleeping_place' THEN $t_sleep
                       ELSE $t_other END AS target_days,
           v.last_visit, v.last_day, v.last_evening, v.last_weekend, v.people_last, v.acute
    FROM cov_place_areas pa
    JOIN places p USING (place_id)
    LEFT JOIN per_place v USING (place_id)
)"""

_AREAS = f"""
WITH {_PER_PLACE}, by_area AS (
    SELECT area_id,
           max(last_visit) AS last_visit, max(last_day) AS last_day,
           max(last_evening) AS last_evening, max(last_weekend) AS last_weekend,
           sum(acute) AS acute_90d,
           count(*) FILTER (WHERE active) AS places,
           count(*) FILTER (WHERE active AND (last_visit IS NULL OR
                                              {_DAYS.format(col="last_visit")} > target_days)) AS overdue_places,
           sum(people_last) FILTER (WHERE active) AS people_last_seen
    FROM placed GROUP BY area_id
)
SELECT l.area_id, l.name, b.last_visit,
       {_DAYS.format(col="b.last_visit")} AS days_since,
       b.last_visit IS NULL AS never_visited,
       b.last_day, b.last_evening, b.last_weekend,
       {_DAYS.format(col="b.last_day")}     AS days_since_day,
       {_DAYS.format(col="b.last_evening")} AS days_since_evening,
       {_DAYS.format(col="b.last_weekend")} AS days_since_weekend,
       coalesce(b.places, 0)::INTEGER           AS places,
       coalesce(b.overdue_places, 0)::INTEGER   AS overdue_places,
       coalesce(b.people_last_seen, 0)::INTEGER AS people_last_seen,
       coalesce(b.acute_90d, 0)::INTEGER        AS acute_90d,
       b.last_visit IS NULL OR coalesce({_DAYS.format(col="b.last_visit")} > $overdue_days, false) AS overdue
FROM {{layer}} l
LEFT JOIN by_area b USING (area_id)
ORDER BY never_visited DESC, days_since DESC NULLS FIRST, l.name
"""
_AREAS_REGISTERED = _AREAS.format(layer="cov_layer")
# an imported layer's index straight from its table: nothing to convert or register
_AREAS_STORED = _AREAS.format(layer="(SELECT area_id, name FROM areas WHERE layer = $layer)")


def _params(now: datetime, targets: Mapping[str, int]) -> dict[str, Any]:
    return {"now": now, "since": now - timedelta(days=ACUTE_WINDOW_DAYS),
            "t_enc": int(targets["encampment"]), "t_sleep": int(targets["sleeping_place"]),
            "t_other": int(targets["other"])}


def _run(cur: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], **frames: pd.DataFrame | pa.Table) -> pd.DataFrame:
    """Run `sql` with small frames (pandas or Arrow) registered under their names for the query's length."""
    for name, frame in frames.items():
        cur.register(name, frame)
    try:
        return cur.execute(sql, params).df()
    finally:
        for name in frames:
            try:
                cur.unregister(name)
            except duckdb.Error:
                pass


def coverage(
    cur: duckdb.DuckDBPyConnection,
    layer: str | None = None,
    now: datetime | None = None,
    targets: Mapping[str, int] = TARGET_DAYS,
    areas: gpd.GeoDataFrame | None = None,
    overdue_days: int = AREA_OVERDUE_DAYS,
) -> pd.DataFrame:
    """Every area of `layer` with its coverage figures (COVERAGE_COLUMNS), stalest first.

    `now` is naive UTC. Never-visited areas come first, then the longest since a visit.
    `targets` decide which places are overdue; `overdue_days` which areas are (`overdue`:
    never visited, or not for more than that many days).
    """
    now = now or utcnow()
    params = _params(now, targets) | {"overdue_days": int(overdue_days)}
    if areas is not None:  # explicit areas: nothing cached
        mapping = _place_areas(cur, layer, areas, None)
        return _run(cur, _AREAS_REGISTERED, params, cov_place_areas=mapping, cov_layer=_layer_index(cur, layer, areas))
    resolved = _resolve(cur, layer)
    mapping = _as_arrow(_place_areas(cur, layer, None, resolved))
    version, cells = resolved
    if cells is not None:
        return _run(cur, _AREAS_REGISTERED, params, cov_place_areas=mapping, cov_layer=_grid_index(version, cells))
    return _run(cur, _AREAS_STORED, params | {"layer": layer}, cov_place_areas=mapping)


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


# --- one area in detail ---------------------------------------------------------------

@dataclass(frozen=True)
class AreaDetails:
    """One area's places (stalest first) and its most recent visits (newest first)."""

    places: pd.DataFrame  # place_id, name, kind, last_visit, days_since, people_last_seen, target_days, overdue
    visits: pd.DataFrame  # visited_at (naive UTC), shift, place, people


_AREA_PLACES = f"""
WITH {_PER_PLACE}
SELECT place_id, name, kind, last_visit, {_DAYS.format(col="last_visit")} AS days_since,
       people_last AS people_last_seen, target_days,
       last_visit IS NULL OR {_DAYS.format(col="last_visit")} > target_days AS overdue
FROM placed
WHERE area_id = $area AND active
ORDER BY last_visit IS NULL DESC, days_since DESC, name
"""

_AREA_VISITS = """
SELECT v.visited_at, v.shift, p.name AS place, v.people
FROM visits v
JOIN cov_place_areas pa USING (place_id)
JOIN places p USING (place_id)
WHERE pa.area_id = $area
ORDER BY v.visited_at DESC, p.name
LIMIT $limit
"""


def area_details(
    cur: duckdb.DuckDBPyConnection,
    layer: str | None,
    area_id: str,
    now: datetime | None = None,
    targets: Mapping[str, int] = TARGET_DAYS,
    limit: int = RECENT_VISITS,
) -> AreaDetails:
    """The active places of one area and its last `limit` visits (any place, cleared ones too)."""
    now = now or utcnow()
    mapping = place_areas(cur, layer)
    mapping = mapping[mapping["area_id"] == str(area_id)]
    places = _run(cur, _AREA_PLACES, _params(now, targets) | {"area": str(area_id)}, cov_place_areas=mapping)
    visits = _run(cur, _AREA_VISITS, {"area": str(area_id), "limit": int(limit)}, cov_place_areas=mapping)
    return AreaDetails(places, visits)
