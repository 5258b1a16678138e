"""Imported boundary layers (districts, neighbourhoods, statistical areas) in any CRS.

Boundary files come from GIS departments in SWEREF 99 TM, the old Stockholm RT90 variant
(EPSG:3011) or WGS84, as GeoJSON, GeoPackage, Shapefile (zipped or with its siblings) or
GeoParquet. Whatever arrives is reprojected to WGS84 with geopandas/pyproj, geometries are
repaired (make_valid) or rejected with a reason, and a display copy is simplified in
metres (SWEREF 99 TM) so the map stays small. Real files come in three generations of
district names, so nothing here assumes one: the name field is chosen or detected.
Re-importing a layer replaces it, in one transaction, with an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from geo import store
from geo.coords import SWEREF99TM, WGS84
from geo.grid import is_grid_layer
from geo.privacy import scrub
from geo.localtime import utc_series_to_local

SUFFIXES: tuple[str, ...] = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".parquet", ".geoparquet")
# Name columns seen in Swedish and international boundary files, most specific first.
PREFERRED_NAME_FIELDS: tuple[str, ...] = (
    "namn", "name", "stadsdelsomrade", "stadsdelsområde", "stadsdel", "sdo_namn", "omrade", "område",
    "basomrade", "basområde", "kommun", "label",
)
SIMPLIFY_TOLERANCE_M = 15.0  # display copy: invisible at city zoom, a fraction of the size
MAX_LAYER_NAME = 64


class BoundaryError(ValueError):
    """A boundary file or layer that cannot be imported; one sentence in Swedish and English."""


@dataclass(frozen=True)
class RejectedArea:
    row: int  # 1 = the first feature of the file
    name: str | None
    reason_sv: str
    reason_en: str


@dataclass
class AreaImportSummary:
    layer: str
    source_file: str
    source_crs: str
    name_field: str
    areas: int
    repaired: int
    rejected: list[RejectedArea] = field(default_factory=list)
    replaced: int = 0  # areas the layer held before this import

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer, "source_file": self.source_file, "source_crs": self.source_crs,
            "name_field": self.name_field, "areas": self.areas, "repaired": self.repaired,
            "rejected": [r.__dict__ for r in self.rejected], "replaced": self.replaced,
        }


def read_boundary_file(path: Path) -> gpd.GeoDataFrame:
    """Any supported boundary file as a GeoDataFrame in its own CRS."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise BoundaryError(f"Filen {path} finns inte. / The file {path} does not exist.")
    if suffix not in SUFFIXES:
        raise BoundaryError(
            f"{path.name}: okänt format; använd GeoJSON, GeoPackage, Shapefile eller GeoParquet. / "
            f"{path.name}: unknown format; use GeoJSON, GeoPackage, Shapefile or GeoParquet.")
    try:
        if suffix in (".parquet", ".geoparquet"):
            return gpd.read_parquet(path)
        if suffix == ".shp":
            missing = [s for s in (".shx", ".dbf") if not _sibling(path, s)]
            if missing:
                raise BoundaryError(
                    f"{path.name}: filerna {', '.join(missing)} saknas bredvid .shp-filen; zippa alla delar. / "
                    f"{path.name}: the {', '.join(missing)} files are missing beside the .shp; zip all parts.")
        return gpd.read_file(path)
    except BoundaryError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL/pyarrow raise many types; the user needs one sentence
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BoundaryError(f"{path.name} kunde inte läsas som gränsfil ({first}). / "
                            f"{path.name} could not be read as a boundary file ({first}).") from None


def _sibling(path: Path, suffix: str) -> bool:
    return path.with_suffix(suffix).exists() or path.with_suffix(suffix.upper()).exists()


def to_wgs84(frame: gpd.GeoDataFrame, file_name: str) -> tuple[gpd.GeoDataFrame, str]:
    """The frame reprojected to WGS84, and the source CRS as text (e.g. 'EPSG:3006')."""
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            return frame.set_crs(WGS84), "EPSG:4326 (antaget / assumed)"
        raise BoundaryError(
            f"{file_name} anger inget koordinatsystem (saknas .prj?); exportera med CRS. / "
            f"{file_name} has no coordinate reference system (missing .prj?); export it with a CRS.")
    epsg = frame.crs.to_epsg()
    source = f"EPSG:{epsg}" if epsg else frame.crs.to_string()
    return frame.to_crs(WGS84), source


def detect_name_field(frame: pd.DataFrame) -> str | None:
    """The name column: a preferred name with unique values, else the first unique text column."""
    text_columns = [c for c in frame.columns if c != frame.geometry.name and _is_text(frame[c])]
    unique = [c for c in text_columns if frame[c].notna().all() and frame[c].astype(str).str.strip().is_unique]
    by_lower = {str(c).lower(): c for c in unique}
    for preferred in PREFERRED_NAME_FIELDS:
        if preferred in by_lower:
            return by_lower[preferred]
    if unique:
        return unique[0]
    return text_columns[0] if text_columns else None


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series)


def _check_layer_name(layer: str) -> str:
    layer = (layer or "").strip()
    if not layer or len(layer) > MAX_LAYER_NAME:
        raise BoundaryError(f"Lagrets namn måste vara 1–{MAX_LAYER_NAME} tecken. / "
                            f"The layer name must be 1–{MAX_LAYER_NAME} characters.")
    if is_grid_layer(layer):
        raise BoundaryError(f"Namnet {layer!r} är reserverat för det inbyggda H3-rutnätet. / "
                            f"The name {layer!r} is reserved for the built-in H3 grid.")
    return layer


def _polygonal(geom: Any) -> Any:
    """The polygonal part of a (repaired) geometry, or None."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
        return shapely.union_all(parts) if parts else None
    return None


def prepare_areas(
    frame: gpd.GeoDataFrame, name_field: str | None, file_name: str
) -> tuple[gpd.GeoDataFrame, str, int, list[RejectedArea]]:
    """Validated WGS84 areas (area_id, name, geometry, simplified), the name field, repairs and rejects."""
    if name_field is not None and name_field not in frame.columns:
        columns = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name)
        raise BoundaryError(f"Fältet {name_field!r} finns inte i {file_name}; fält: {columns}. / "
                            f"The field {name_field!r} is not in {file_name}; fields: {columns}.")
    chosen = name_field or detect_name_field(frame)
    names = (frame[chosen].astype("string").str.strip() if chosen else
             pd.Series([None] * len(frame), index=frame.index, dtype="string"))
    rows: list[dict[str, Any]] = []
    rejected: list[RejectedArea] = []
    repaired = 0
    seen: dict[str, int] = {}
    for position, (geom, raw_name) in enumerate(zip(frame.geometry, names), start=1):
        name = None if raw_name is None or pd.isna(raw_name) or not str(raw_name) else scrub(str(raw_name))[0]
        if geom is None or geom.is_empty:
            rejected.append(RejectedArea(position, name, "geometri saknas eller är tom", "the geometry is missing or empty"))
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            rejected.append(RejectedArea(position, name, f"inte en yta ({geom.geom_type})",
                                         f"not an area ({geom.geom_type})"))
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
            repaired += 1
        geom = _polygonal(geom)
        if geom is None or geom.area == 0:
            rejected.append(RejectedArea(position, name, "ogiltig yta som inte gick att reparera",
                                         "an invalid area that could not be repaired"))
            continue
        label = name or f"{position}"
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:  # two features with one name: keep both, told apart
            label = f"{label} ({seen[label]})"
        rows.append({"area_id": str(position), "name": label, "geometry": geom})
    areas = gpd.GeoDataFrame(rows, columns=["area_id", "name", "geometry"], geometry="geometry", crs=WGS84)
    if len(areas):
        metric = areas.geometry.to_crs(SWEREF99TM).simplify(SIMPLIFY_TOLERANCE_M, preserve_topology=True)
        simplified = metric.to_crs(WGS84)
        areas["simplified"] = [shapely.set_precision(g, 1e-6) for g in simplified]
    else:
        areas["simplified"] = []
    return areas, chosen or "", repaired, rejected


def import_layer(
    cur: duckdb.DuckDBPyConnection,
    path: Path,
    layer: str,
    name_field: str | None = None,
    actor: str = "cli",
    file_name: str | None = None,
) -> AreaImportSummary:
    """Import (or replace) the boundary layer `layer` from `path`; all or nothing.

    `file_name` is the name the user knows the file by (an upload is saved under a
    neutral one); it is stored and shown scrubbed of identifiers, like any file text."""
    layer = _check_layer_name(layer)
    path = Path(path)
    shown = scrub(file_name or path.name)[0]
    frame = read_boundary_file(path)
    if frame.empty:
        raise BoundaryError(f"{shown} innehåller inga områden. / {shown} holds no areas.")
    frame, source_crs = to_wgs84(frame, shown)
    areas, chosen, repaired, rejected = prepare_areas(frame, name_field, shown)
    if areas.empty:
        reason = rejected[0].reason_en if rejected else "no areas"
        raise BoundaryError(f"{shown}: inget område kunde importeras ({rejected[0].reason_sv if rejected else 'inga'}). / "
                            f"{shown}: no area could be imported ({reason}).")
    now = store.utcnow()
    records = [
        (layer, row.area_id, row.name, shapely.to_geojson(row.geometry), shapely.to_geojson(row.simplified))
        for row in areas.itertuples(index=False)
    ]
    with store.transaction(cur):
        replaced = cur.execute("SELECT count(*) FROM areas WHERE layer = ?", [layer]).fetchone()[0]
        cur.execute("DELETE FROM areas WHERE layer = ?", [layer])
        cur.execute("DELETE FROM area_layers WHERE layer = ?", [layer])
        cur.execute("INSERT INTO area_layers VALUES (?, ?, ?, ?, ?, ?)",
                    [layer, chosen or None, shown, source_crs, now, actor])
        cur.executemany("INSERT INTO areas (layer, area_id, name, geometry, simplified) VALUES (?, ?, ?, ?, ?)",
                        records)
        summary = AreaImportSummary(layer, shown, source_crs, chosen, len(records), repaired, rejected, replaced)
        store.audit(cur, actor, "areas_import", {k: v for k, v in summary.to_json().items() if k != "rejected"}
                    | {"rejected": len(rejected)})
    return summary


def list_layers(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Imported layers with their area counts, newest first."""
    return cur.execute(
        """SELECT l.layer, count(a.area_id) AS areas, l.name_field, l.source_file, l.source_crs,
                  l.imported_at, l.actor
           FROM area_layers l LEFT JOIN areas a USING (layer)
           GROUP BY ALL ORDER BY l.imported_at DESC, l.layer"""
    ).df()


def load_layer(cur: duckdb.DuckDBPyConnection, layer: str, simplified: bool = False) -> gpd.GeoDataFrame:
    """An imported layer's areas (area_id, name, geometry) in WGS84; BoundaryError if unknown."""
    column = "simplified" if simplified else "geometry"
    frame = cur.execute(
        f"SELECT area_id, name, {column} AS gj FROM areas WHERE layer = ? ORDER BY name, area_id", [layer]
    ).df()
    if frame.empty:
        known = ", ".join(list_layers(cur)["layer"]) or "–"
        raise BoundaryError(f"Lagret {layer!r} finns inte (importerade: {known}). / "
                            f"The layer {layer!r} does not exist (imported: {known}).")
    geometries = shapely.from_geojson(frame["gj"].to_numpy())
    return gpd.GeoDataFrame(frame[["area_id", "name"]], geometry=geometries, crs=WGS84)


def name_field_options(path: Path) -> tuple[list[str], str | None]:
    """The file's text columns (candidates for the name field) and the one that would be detected.

    Read before the import so that a page can offer the choice with the detected field preselected.
    """
    frame = read_boundary_file(Path(path))
    columns = [str(c) for c in frame.columns if c != frame.geometry.name and _is_text(frame[c])]
    detected = detect_name_field(frame) if len(frame) else None
    return columns, (str(detected) if detected is not None else None)


def delete_layer(cur: duckdb.DuckDBPyConnection, layer: str, actor: str) -> int:
    """Remove an imported layer and its areas in one transaction with an audit row; the area count.

    A layer chosen as the service area (geo.settings `service_area_layer`) falls back to the
    default service area, since the setting then names nothing.
    """
    with store.transaction(cur):
        known = cur.execute("SELECT count(*) FROM area_layers WHERE layer = ?", [layer]).fetchone()[0]
        if not known:
            raise BoundaryError(f"Lagret {layer!r} finns inte. / The layer {layer!r} does not exist.")
        count = cur.execute("SELECT count(*) FROM areas WHERE layer = ?", [layer]).fetchone()[0]
        cur.execute("DELETE FROM areas WHERE layer = ?", [layer])
        cur.execute("DELETE FROM area_layers WHERE layer = ?", [layer])
        store.audit(cur, actor, "areas_delete", {"layer": layer, "areas": int(count)})
    return int(count)


def rejected_frame(summary: AreaImportSummary, lang: str) -> pd.DataFrame:
    """The rejected features as a table in the UI language (feature number, name, reason)."""
    from geo.texts import t

    return pd.DataFrame({
        t("areas_col_feature", lang): [r.row for r in summary.rejected],
        t("areas_col_name", lang): [r.name or "–" for r in summary.rejected],
        t("areas_col_reason", lang): [r.reason_en if lang == "en" else r.reason_sv for r in summary.rejected],
    })


def layers_table(cur: duckdb.DuckDBPyConnection, lang: str) -> pd.DataFrame:
    """The imported layers for a page: name, area count, name field, source file and CRS, when."""
    from geo.texts import t

    frame = list_layers(cur)
    imported = utc_series_to_local(frame["imported_at"])
    return pd.DataFrame({
        t("areas_col_layer", lang): frame["layer"],
        t("areas_col_areas", lang): frame["areas"].astype(int),
        t("areas_col_name_field", lang): frame["name_field"].fillna("–"),
        t("areas_col_file", lang): frame["source_file"],
        t("areas_col_crs", lang): frame["source_crs"],
        t("areas_col_imported", lang): imported.dt.strftime("%Y-%m-%d %H:%M"),
    })
