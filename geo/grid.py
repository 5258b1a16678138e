"""The built-in area layer: an H3 hexagon grid over the service area (PRODUCT.md §3).

No data file is needed: the grid is computed from the buffered service area, keeping
every cell that touches it (H3's `overlap` containment), so cells on the edge of the city
centre are not lost. Cells are equal-sized, which makes "days since last visit" per cell
comparable across the city. The service area is a setting (geo.areas.effective_service_area),
so the grid is computed once per (resolution, service area) and cached; code with a cursor
asks `service_grid(cur, resolution)`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import duckdb
import geopandas as gpd
import h3
import numpy as np
import shapely

from shapely.geometry.base import BaseGeometry

from geo.areas import effective_service_area, service_area
from geo.coords import WGS84

GRID_LAYER = "h3"  # the layer name users give (--layer h3, or h3:7 / h3:9 for another resolution)
DEFAULT_RESOLUTION = 8  # about 0.74 km² a cell: a few blocks, a park
RESOLUTIONS: tuple[int, ...] = (7, 8, 9)


class GridError(ValueError):
    """An unknown grid resolution or layer name; the message is one sentence in both languages."""


def is_grid_layer(layer: str | None) -> bool:
    """True for the built-in grid's names: None, 'h3', 'h3:7', 'h3:8', 'h3:9'."""
    return layer is None or layer == GRID_LAYER or layer.startswith(GRID_LAYER + ":")


def grid_resolution(layer: str | None) -> int:
    """The resolution a grid layer name asks for (default 8)."""
    if layer is None or layer == GRID_LAYER:
        return DEFAULT_RESOLUTION
    text = layer.split(":", 1)[1]
    if not text.isdigit() or int(text) not in RESOLUTIONS:
        allowed = ", ".join(f"{GRID_LAYER}:{r}" for r in RESOLUTIONS)
        raise GridError(f"Okänd rutnätsupplösning i {layer!r}; välj {allowed}. / "
                        f"Unknown grid resolution in {layer!r}; choose {allowed}.")
    return int(text)


_GRID_CACHE_SIZE = 3 * len(RESOLUTIONS)  # the default area and a couple of layers, every resolution
_grids: OrderedDict[tuple[int, str], gpd.GeoDataFrame] = OrderedDict()
_grids_lock = threading.Lock()


def area_key(area: BaseGeometry) -> str:
    """The identity of a service area: 'default', else a digest of its geometry (a re-imported
    layer with other shapes gets other cells; the same shapes share them)."""
    if area is service_area():
        return "default"
    return hashlib.blake2b(shapely.to_wkb(area), digest_size=16).hexdigest()


def grid(resolution: int = DEFAULT_RESOLUTION, area: BaseGeometry | None = None) -> gpd.GeoDataFrame:
    """The grid cells touching `area` (default: the default service area): columns area_id,
    name (both the cell id), geometry (WGS84). Cached per (resolution, area)."""
    if resolution not in RESOLUTIONS:
        raise GridError(f"Upplösning {resolution} stöds inte. / Resolution {resolution} is not supported.")
    area = service_area() if area is None else area
    key = (resolution, area_key(area))
    with _grids_lock:
        hit = _grids.get(key)
        if hit is not None:
            _grids.move_to_end(key)
            return hit
    shape = h3.geo_to_h3shape(shapely.geometry.mapping(area))
    cells = sorted(h3.h3shape_to_cells_experimental(shape, resolution, contain="overlap"))
    # cells_to_geo gives GeoJSON (lon-first), so no coordinate order is handled here.
    geometries = [shapely.geometry.shape(h3.cells_to_geo([cell])) for cell in cells]
    frame = gpd.GeoDataFrame({"area_id": cells, "name": cells}, geometry=geometries, crs=WGS84)
    with _grids_lock:
        frame = _grids.setdefault(key, frame)  # a concurrent builder's copy wins: one object per key
        while len(_grids) > _GRID_CACHE_SIZE:
            _grids.popitem(last=False)
    return frame


def service_grid(cur: duckdb.DuckDBPyConnection, resolution: int = DEFAULT_RESOLUTION) -> gpd.GeoDataFrame:
    """The grid over the service area the settings choose (geo.areas.effective_service_area)."""
    return grid(resolution, effective_service_area(cur))


def cells_of(lat: np.ndarray, lon: np.ndarray, resolution: int = DEFAULT_RESOLUTION) -> list[str | None]:
    """The H3 cell of each WGS84 point (None where a coordinate is missing)."""
    out: list[str | None] = []
    for la, lo in zip(np.asarray(lat, dtype=float).tolist(), np.asarray(lon, dtype=float).tolist()):
        out.append(None if la != la or lo != lo else h3.latlng_to_cell(la, lo, resolution))
    return out
