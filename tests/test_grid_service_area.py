"""The H3 grid follows the service-area setting (issue 4 items 1 and 6), on a real DuckDB file:
with a small imported layer as the service area, coverage, the map's area layer and the CLI
all use a grid of far fewer cells that still covers the layer."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import h3
import shapely
from shapely.geometry import box

from geo import area_maps, boundaries, coverage, grid, settings, store
from geo.cli import main as cli_main

SMALL = box(18.03, 59.31, 18.05, 59.32)  # lon/lat: Tantolunden and around, ~1.1 × 1.1 km


def test_grid_follows_the_service_area_setting(db_path: Path, tmp_path: Path, capsys) -> None:
    cur = store.cursor(db_path)
    cur.execute("INSERT INTO places VALUES ('p1', 'Tanto', 'tanto', 'sleeping_place', 59.315, 18.04, ?, NULL, NULL)",
                [store.utcnow()])
    path = tmp_path / "small.geojson"
    gpd.GeoDataFrame({"namn": ["Tanto"]}, geometry=[SMALL], crs="EPSG:4326").to_file(path, driver="GeoJSON")
    boundaries.import_layer(cur, path, "small")
    default = coverage.coverage(cur, "h3")
    assert len(default) == len(grid.grid(8))

    settings.save_service_area_layer(cur, "small", actor="lead")
    cells = coverage.layer_areas(cur, "h3")
    assert 0 < len(cells) < len(grid.grid(8)) / 20
    assert shapely.union_all(cells.geometry.to_numpy()).covers(SMALL)  # every cell touching the layer
    assert coverage.layer_areas(cur, "h3") is cells  # cached per (resolution, area)
    assert len(coverage.layer_areas(cur, "h3:9")) > len(cells)
    cov = coverage.coverage(cur, "h3")
    assert sorted(cov["area_id"]) == sorted(cells["area_id"])
    assert cov.loc[cov["area_id"] == h3.latlng_to_cell(59.315, 18.04, 8), "places"].item() == 1
    assert len(area_maps.display_areas(cur, "h3")) == len(cells)
    capsys.readouterr()
    assert cli_main(["coverage", "--db", str(db_path), "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(cells)

    cur = store.cursor(db_path)  # the CLI closed the shared connection when it finished
    settings.save_service_area_layer(cur, "", actor="lead")  # back to Stockholm: the full grid again
    assert len(coverage.coverage(cur, "h3")) == len(grid.grid(8))
