"""Area layers: the built-in H3 grid and imported boundary files in several formats and CRSs.

Real Stockholm boundaries come from ../shared/data/stockholm/ (tests named *_real_stockholm_*
skip when that folder is absent); small made-up polygons cover the edge cases.
"""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from conftest import SHARED_STOCKHOLM
from geo import boundaries, grid, store
from geo.coords import WGS84

DISTRICTS = SHARED_STOCKHOLM / "stadsdelsomraden_sdn2020_13.geojson"
NEIGHBOURHOODS = SHARED_STOCKHOLM / "stadsdelar_117.geojson"
BASOMRADEN = SHARED_STOCKHOLM / "basomraden_419.geojson"
needs_real = pytest.mark.skipif(not SHARED_STOCKHOLM.is_dir(),
                                reason=f"real Stockholm boundaries not found at {SHARED_STOCKHOLM}")

T_CENTRALEN = (59.3309, 18.0593)
GAMLA_STAN = (59.3232, 18.0676)
FARSTA = (59.2436, 18.0929)  # Farsta centrum, in the Farsta district


def test_grid_covers_the_service_area_and_central_stockholm():
    cells = grid.grid(8)
    assert 400 < len(cells) < 800 and cells.crs.to_epsg() == 4326
    assert cells["area_id"].is_unique
    for lat, lon in (T_CENTRALEN, GAMLA_STAN):
        (cell,) = grid.cells_of(np.array([lat]), np.array([lon]))
        assert cell in set(cells["area_id"])
        # the cell polygon really contains the point (lon-first geometry)
        assert cells.set_index("area_id").geometry[cell].contains(shapely.Point(lon, lat))
    assert len(grid.grid(7)) < len(cells) < len(grid.grid(9))
    assert grid.grid(8) is cells  # cached


def test_grid_layer_names():
    assert grid.is_grid_layer(None) and grid.is_grid_layer("h3") and grid.is_grid_layer("h3:9")
    assert not grid.is_grid_layer("stadsdelar")
    assert grid.grid_resolution("h3") == 8 and grid.grid_resolution("h3:7") == 7
    with pytest.raises(grid.GridError, match="h3:7"):
        grid.grid_resolution("h3:12")


@needs_real
def test_real_stockholm_layers_import_with_detected_name_fields(cur):
    expected = {DISTRICTS: ("stadsdelsomrade", 13), NEIGHBOURHOODS: ("stadsdel", 117), BASOMRADEN: ("namn", 419)}
    for path, (field, count) in expected.items():
        summary = boundaries.import_layer(cur, path, path.stem)
        assert (summary.name_field, summary.areas, summary.rejected) == (field, count, [])
    layers = boundaries.list_layers(cur).set_index("layer")
    assert layers.loc[DISTRICTS.stem, "areas"] == 13
    districts = boundaries.load_layer(cur, DISTRICTS.stem)
    assert "Farsta" in set(districts["name"])
    farsta = districts.set_index("name").geometry["Farsta"]
    assert farsta.contains(shapely.Point(FARSTA[1], FARSTA[0]))
    # the display copy is smaller but still in the same place
    full, simple = cur.execute(
        "SELECT sum(length(geometry)), sum(length(simplified)) FROM areas WHERE layer = ?", [BASOMRADEN.stem]
    ).fetchone()
    assert simple < 0.8 * full
    audit = cur.execute("SELECT count(*) FROM audit WHERE action = 'areas_import'").fetchone()[0]
    assert audit == 3


@needs_real
@pytest.mark.parametrize(("epsg", "driver", "suffix"), [(3006, "GPKG", ".gpkg"), (3011, "ESRI Shapefile", ".shp")])
def test_real_stockholm_districts_in_sweref_crs_come_back_in_wgs84(cur, tmp_path, epsg, driver, suffix):
    source = gpd.read_file(DISTRICTS).to_crs(epsg=epsg)
    assert source.total_bounds[1] > 6_000_000  # really metric northings, not degrees
    path = tmp_path / f"districts_{epsg}{suffix}"
    source.to_file(path, driver=driver)
    summary = boundaries.import_layer(cur, path, "districts")
    assert summary.source_crs == f"EPSG:{epsg}" and summary.areas == 13
    areas = boundaries.load_layer(cur, "districts")
    assert areas.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = areas.total_bounds
    assert 17.7 < minx < maxx < 18.3 and 59.2 < miny < maxy < 59.5
    farsta = areas.set_index("name").geometry["Farsta"]
    assert farsta.contains(shapely.Point(FARSTA[1], FARSTA[0]))
    original = gpd.read_file(DISTRICTS).set_index("stadsdelsomrade").geometry["Farsta"]
    assert abs(farsta.area - original.area) / original.area < 1e-4


@needs_real
def test_real_stockholm_zipped_shapefile_and_geoparquet(cur, tmp_path):
    source = gpd.read_file(NEIGHBOURHOODS).to_crs(epsg=3006)
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    source.to_file(shp_dir / "stadsdelar.shp")
    archive = tmp_path / "stadsdelar.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in shp_dir.iterdir():
            zf.write(part, part.name)
    assert boundaries.import_layer(cur, archive, "sd", name_field="stadsdel").areas == 117
    parquet = tmp_path / "stadsdelar.parquet"
    source.to_parquet(parquet)
    again = boundaries.import_layer(cur, parquet, "sd")
    assert again.replaced == 117 and again.areas == 117
    assert cur.execute("SELECT count(*) FROM areas WHERE layer = 'sd'").fetchone()[0] == 117


def _square(x: float, y: float, size: float = 0.01) -> Polygon:
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


def test_invalid_geometries_are_repaired_or_rejected_with_a_reason(cur, tmp_path):
    bowtie = Polygon([(18.0, 59.3), (18.02, 59.32), (18.02, 59.3), (18.0, 59.32)])  # self-intersecting
    frame = gpd.GeoDataFrame(
        {"kod": [1, 2, 3, 4], "namn": ["Fin", "Fluga", "Linje", "Tom"]},
        geometry=[_square(18.05, 59.3), bowtie, shapely.LineString([(18, 59.3), (18.1, 59.35)]), Polygon()],
        crs=WGS84,
    )
    path = tmp_path / "mixed.geojson"
    frame.to_file(path, driver="GeoJSON")
    summary = boundaries.import_layer(cur, path, "mixed")
    assert summary.areas == 2 and summary.repaired == 1 and summary.name_field == "namn"
    reasons = {r.name: r.reason_en for r in summary.rejected}
    assert set(reasons) == {"Linje", "Tom"}
    assert "not an area" in reasons["Linje"]
    fluga = boundaries.load_layer(cur, "mixed").set_index("name").geometry["Fluga"]
    assert fluga.is_valid and fluga.area > 0


def test_name_field_detection_prefers_known_names_and_unique_values():
    frame = gpd.GeoDataFrame(
        {"typ": ["a", "a"], "kod": ["K1", "K2"], "Namn": ["Norr", "Söder"]},
        geometry=[_square(18.0, 59.3), _square(18.1, 59.3)], crs=WGS84,
    )
    assert boundaries.detect_name_field(frame) == "Namn"
    assert boundaries.detect_name_field(frame.drop(columns="Namn")) == "kod"


def test_bad_inputs_are_one_clear_sentence(cur, tmp_path):
    with pytest.raises(boundaries.BoundaryError, match="does not exist"):
        boundaries.import_layer(cur, tmp_path / "nope.geojson", "x")
    text = tmp_path / "notes.txt"
    text.write_text("hej")
    with pytest.raises(boundaries.BoundaryError, match="unknown format"):
        boundaries.import_layer(cur, text, "x")
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    with pytest.raises(boundaries.BoundaryError, match="could not be read"):
        boundaries.import_layer(cur, broken, "x")
    good = tmp_path / "one.geojson"
    gpd.GeoDataFrame({"namn": ["A"]}, geometry=[_square(18.0, 59.3)], crs=WGS84).to_file(good, driver="GeoJSON")
    with pytest.raises(boundaries.BoundaryError, match="reserved"):
        boundaries.import_layer(cur, good, "h3")
    with pytest.raises(boundaries.BoundaryError, match="fields: namn"):
        boundaries.import_layer(cur, good, "x", name_field="nope")
    # a .shp without its siblings
    lone = tmp_path / "lone.shp"
    lone.write_bytes(b"\0" * 100)
    with pytest.raises(boundaries.BoundaryError, match="missing beside"):
        boundaries.import_layer(cur, lone, "x")
    assert cur.execute("SELECT count(*) FROM areas").fetchone()[0] == 0


def test_cli_areas_import_and_list(tmp_path):
    from test_cli import run

    path = tmp_path / "two.geojson"
    gpd.GeoDataFrame({"namn": ["Norr", "=Söder"]}, geometry=[_square(18.0, 59.3), _square(18.1, 59.3)],
                     crs=WGS84).to_crs(epsg=3006).to_file(path, driver="GeoJSON")
    db = str(tmp_path / "a.duckdb")
    result = run("areas", "import", str(path), "--layer", "test", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "2" in result.stdout and "EPSG:3006" in result.stdout
    listed = json.loads(run("areas", "list", "--db", db, "--format", "json").stdout)
    assert listed[0]["layer"] == "test" and listed[0]["areas"] == 2
    bad = run("areas", "import", str(path), "--layer", "test", "--db", db, "--name-field", "nope")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    assert run("areas", "import", "--help").returncode == 0
    store.close()
