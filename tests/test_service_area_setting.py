"""The service area as a setting (issue 4 item 6), on real DuckDB files and real files: an imported
layer chosen as the service area decides what an import rejects as outside_area; empty = the
default (Stockholm + 1 km). Checked through the CLI import, the import preview, the visit form
path (geo.areas context) and the Inställningar page."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo import areas, boundaries, imports, settings, store
from geo.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
INSIDE = (59.3150, 18.0400)  # Tantolunden, inside the small district
HOTORGET = (59.3350, 18.0630)  # in Stockholm, outside the small district
SMALL = box(18.03, 59.31, 18.05, 59.32)  # lon/lat


def _district_layer(cur, tmp_path: Path) -> None:
    path = tmp_path / "districts.geojson"
    gpd.GeoDataFrame({"namn": ["Tanto"]}, geometry=[SMALL], crs="EPSG:4326").to_file(path, driver="GeoJSON")
    boundaries.import_layer(cur, path, "districts")


def _visits(tmp_path: Path) -> Path:
    path = tmp_path / "visits.csv"
    path.write_text("visit_id,visited_at,lat,lon,place_name,people\n"
                    f"a,2026-11-01 22:00,{INSIDE[0]},{INSIDE[1]},Tantolunden,1\n"
                    f"b,2026-11-01 23:00,{HOTORGET[0]},{HOTORGET[1]},Hötorget,2\n", encoding="utf-8")
    return path


def test_default_setting_is_empty_and_areas_functions_keep_their_signatures(cur):
    assert settings.service_area_layer(cur) == ""
    assert areas.effective_service_area(cur) is areas.service_area()
    assert areas.in_service_area(*HOTORGET) and areas.in_service_area(*INSIDE)
    lat, lon = np.array([INSIDE[0], HOTORGET[0]]), np.array([INSIDE[1], HOTORGET[1]])
    assert list(areas.in_service_area_array(lat, lon)) == [True, True]
    assert not areas.in_service_area(*HOTORGET, area=SMALL) and areas.in_service_area(*INSIDE, area=SMALL)
    assert list(areas.in_service_area_array(lat, lon, SMALL)) == [True, False]
    assert areas.in_service_area(*HOTORGET)  # without an area: the default again


def test_a_layer_as_service_area_rejects_a_visit_outside_it_and_empty_imports_it(cur, db_path, tmp_path, capsys):
    _district_layer(cur, tmp_path)
    with pytest.raises(settings.SettingsError, match="does not exist"):
        settings.save_service_area_layer(cur, "nope", actor="lead")
    change = settings.save_service_area_layer(cur, "districts", actor="lead")
    assert (change.before, change.after) == ("", "districts")
    area = areas.effective_service_area(cur)
    assert area.contains(SMALL) and not areas.in_service_area(*HOTORGET, area=area)
    assert areas.km_outside_service_area(*HOTORGET, area=area) > 1.0

    # the dry-run preview (import page) and the CLI import follow the setting
    outcomes = imports.preview(cur, _visits(tmp_path), "visits.csv").outcomes
    assert sorted(outcomes["reason_code"].dropna()) == ["outside_area"]
    assert cli_main(["import", str(_visits(tmp_path)), "--db", str(db_path)]) == 0
    assert "1 avvisade/rejected" in capsys.readouterr().out
    cur = store.cursor(db_path)  # the CLI closed the shared connection
    assert cur.execute("SELECT visit_id FROM visits").fetchall() == [("a",)]
    (reject,) = cur.execute("SELECT reason_code FROM rejects").fetchall()
    assert reject[0] == "outside_area"

    # empty again: Hötorget is inside the default service area and imports
    settings.save_service_area_layer(cur, "", actor="lead")
    assert areas.effective_service_area(cur) is areas.service_area()
    assert cli_main(["import", str(_visits(tmp_path)), "--db", str(db_path)]) == 0
    cur = store.cursor(db_path)
    assert sorted(v for (v,) in cur.execute("SELECT visit_id FROM visits").fetchall()) == ["a", "b"]
    details = [json.loads(d) for (d,) in cur.execute(
        "SELECT details FROM audit WHERE action = 'setting_change' ORDER BY audit_id").fetchall()]
    assert details == [{"key": "service_area_layer", "before": "", "after": "districts"},
                       {"key": "service_area_layer", "before": "districts", "after": ""}]


def test_deleting_the_chosen_layer_falls_back_to_the_default(cur, tmp_path):
    _district_layer(cur, tmp_path)
    settings.save_service_area_layer(cur, "districts", actor="lead")
    boundaries.delete_layer(cur, "districts", actor="lead")
    assert settings.service_area_layer(cur) == ""
    assert areas.effective_service_area(cur) is areas.service_area()


def test_settings_page_selects_the_service_area_layer(monkeypatch, db_path, tmp_path):
    cur = store.cursor(db_path)
    _district_layer(cur, tmp_path)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/installningar.py").run()
    assert not at.exception
    box_ = at.selectbox(key="set_service_area_layer.sv")
    assert box_.options == ["Standard: Stockholms stad + 1 km", "districts"] and box_.value == ""
    box_.set_value("districts")
    at.button[0].click().run()  # the form's save button
    assert not at.exception
    assert settings.service_area_layer(cur) == "districts"
    assert "1 ändrade" in at.success[0].value
    at.button(key="set_reset").click().run()
    assert settings.service_area_layer(cur) == ""
    assert at.selectbox(key="set_service_area_layer.sv").value == ""
