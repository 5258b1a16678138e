"""Coordinate order and CRS: the one module that knows which number is latitude.

Every other module hands raw numbers here and gets WGS84 `(lat, lon)` back. Swedish GIS
exports give SWEREF 99 TM (EPSG:3006) as northing/easting; field apps give WGS84, and now
and then with latitude and longitude swapped. Both are detected by value range, since at
Stockholm's latitude the ranges do not overlap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import Transformer

WGS84 = "EPSG:4326"
SWEREF99TM = "EPSG:3006"

# Sweden's extent, generously: lat 55–69.5, lon 10.5–24.5.
_LAT_RANGE = (55.0, 69.5)
_LON_RANGE = (10.5, 24.5)
# SWEREF 99 TM over Sweden: northing 6.1–7.7 million m, easting 0.2–0.95 million m.
_NORTHING_RANGE = (6_100_000.0, 7_700_000.0)
_EASTING_RANGE = (200_000.0, 950_000.0)

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class Point:
    """A WGS84 position, and whether the input had to be swapped to get it."""

    lat: float
    lon: float
    swapped: bool = False


class CoordinateError(ValueError):
    """The numbers are not a position in Sweden in any order or CRS we know."""


@lru_cache(maxsize=None)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def wgs84(lat: float, lon: float) -> Point:
    """Validate a WGS84 pair; swap it (and say so) when it was given lon-first."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise CoordinateError("coordinates are not numbers")
    if _within(lat, _LAT_RANGE) and _within(lon, _LON_RANGE):
        return Point(lat, lon)
    if _within(lon, _LAT_RANGE) and _within(lat, _LON_RANGE):
        return Point(lon, lat, swapped=True)
    raise CoordinateError(f"({lat}, {lon}) is not a WGS84 position in Sweden")


def is_sweref(northing: float, easting: float) -> bool:
    """True when the pair lies in SWEREF 99 TM's range over Sweden (either order)."""
    return (_within(northing, _NORTHING_RANGE) and _within(easting, _EASTING_RANGE)) or (
        _within(easting, _NORTHING_RANGE) and _within(northing, _EASTING_RANGE)
    )


def sweref_to_wgs84(northing: float, easting: float) -> Point:
    """SWEREF 99 TM northing/easting to WGS84; swapped columns are detected and corrected."""
    swapped = False
    if not (_within(northing, _NORTHING_RANGE) and _within(easting, _EASTING_RANGE)):
        if _within(easting, _NORTHING_RANGE) and _within(northing, _EASTING_RANGE):
            northing, easting, swapped = easting, northing, True
        else:
            raise CoordinateError(f"({northing}, {easting}) is not a SWEREF 99 TM position in Sweden")
    lon, lat = _transformer(SWEREF99TM, WGS84).transform(easting, northing)
    return Point(float(lat), float(lon), swapped)


def to_sweref(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 arrays to SWEREF 99 TM (northing, easting) arrays, for metric distances."""
    easting, northing = _transformer(WGS84, SWEREF99TM).transform(np.asarray(lon), np.asarray(lat))
    return np.asarray(northing), np.asarray(easting)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def haversine_matrix_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres between every two of the points (an n x n matrix).

    The same formula as `haversine_m`, broadcast with numpy: 200 points take about a millisecond.
    """
    p = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    dp = p[:, None] - p[None, :]
    dl = lam[:, None] - lam[None, :]
    a = np.sin(dp / 2) ** 2 + np.cos(p)[:, None] * np.cos(p)[None, :] * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _ordered(
    first: np.ndarray, second: np.ndarray, first_range: tuple[float, float], second_range: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs in range as given, or swapped when only the swapped order is: (a, b, swapped, valid)."""
    first = np.asarray(first, dtype=float)
    second = np.asarray(second, dtype=float)
    with np.errstate(invalid="ignore"):
        straight = _in(first, first_range) & _in(second, second_range)
        swapped = ~straight & _in(second, first_range) & _in(first, second_range)
    return np.where(swapped, second, first), np.where(swapped, first, second), swapped, straight | swapped


def wgs84_arrays(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised `wgs84`: (lat, lon, swapped, valid); invalid entries come back as NaN."""
    out_lat, out_lon, swapped, valid = _ordered(lat, lon, _LAT_RANGE, _LON_RANGE)
    return np.where(valid, out_lat, np.nan), np.where(valid, out_lon, np.nan), swapped, valid


def sweref_arrays_to_wgs84(
    northing: np.ndarray, easting: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised `sweref_to_wgs84`: (lat, lon, swapped, valid)."""
    n, e, swapped, valid = _ordered(northing, easting, _NORTHING_RANGE, _EASTING_RANGE)
    lon, lat = _transformer(SWEREF99TM, WGS84).transform(e, n)
    return np.where(valid, lat, np.nan), np.where(valid, lon, np.nan), swapped, valid


def _in(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])


def from_leaflet(latlng: object) -> tuple[float, float] | None:
    """Leaflet's `{"lat": .., "lng": ..}` (st_folium's last_clicked) as WGS84 (lat, lon), or None."""
    if not isinstance(latlng, dict):
        return None
    try:
        lat, lon = float(latlng["lat"]), float(latlng["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


# A geopoint in one text field, as field apps write it: "lat lon [alt [acc]]" (ODK and
# XForms, KoboToolbox's own geopoint column) or "[lat, lon]" (KoboToolbox's `_geolocation`).
# Latitude comes first in both; the readers split such a column with `geopoint_sql`.
_NUM = r"([-+]?[0-9]+(?:[.][0-9]+)?)"
GEOPOINT_PATTERN = rf"^\s*\[?\s*{_NUM}\s*(?:,\s*|\s+){_NUM}(?:\s+[-+]?[0-9.]+){{0,2}}\s*\]?\s*$"


def geopoint_sql(expr: str) -> tuple[str, str]:
    """DuckDB SQL for the (latitude, longitude) text of a geopoint column; NULL when it is not one."""
    pattern = GEOPOINT_PATTERN.replace("'", "''")
    return (
        f"nullif(regexp_extract({expr}, '{pattern}', 1), '')",
        f"nullif(regexp_extract({expr}, '{pattern}', 2), '')",
    )


_DECIMAL_COMMA_PAIR = re.compile(r"^\s*([-+]?[0-9]+(?:,[0-9]+)?)\s*(?:;\s*|\s+)([-+]?[0-9]+(?:,[0-9]+)?)\s*$")


def parse_point(text: str) -> Point:
    """A position typed as one text: "59.33, 18.06", "59.33 18.06", "[59.33, 18.06]",
    "59,33; 18,06" or "59,33 18,06" (decimal commas), or SWEREF 99 TM "6580822, 674032".

    Either order is accepted (detected by value range, as everywhere else); CoordinateError
    when the text is not two numbers or they are not a position in Sweden.
    """
    match = re.match(GEOPOINT_PATTERN, text or "")
    if match:
        first, second = float(match.group(1)), float(match.group(2))
    else:
        match = _DECIMAL_COMMA_PAIR.match(text or "")
        if not match:
            raise CoordinateError(f"{text!r} is not two numbers")
        first, second = (float(g.replace(",", ".")) for g in match.groups())
    if is_sweref(first, second):
        return sweref_to_wgs84(first, second)
    return wgs84(first, second)


def bbox_deg(lat: np.ndarray, lon: np.ndarray, radius_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lat_min, lat_max, lon_min, lon_max) of a box around each WGS84 point that holds every
    point within `radius_m` (a little more): a cheap pre-filter before exact metric distances."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    margin = 1.1 * radius_m  # slack for the spherical approximation
    dlat = np.degrees(margin / EARTH_RADIUS_M)
    dlon = np.degrees(margin / (EARTH_RADIUS_M * np.cos(np.radians(np.minimum(np.abs(lat) + dlat, 89.0)))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
