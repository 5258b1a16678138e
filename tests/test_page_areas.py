"""The Områden page in AppTest on real DuckDB files and real boundary files: upload, choose the
layer name and name field, import through geo.boundaries, see rejects, list and delete layers."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from geo import boundaries, store

ROOT = Path(__file__).resolve().parents[1]
SHARED_DISTRICTS = ROOT.parent / "shared" / "data" / "stockholm" / "stadsdelsomraden_sdn2020_13.geojson"

# A small square around Tantolunden, a LineString (not an area) and a bow tie (repaired).
HAND_MADE = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"kod": "A1", "namn": "Tanto"},
         "geometry": {"type": "Polygon", "coordinates": [[[18.03, 59.31], [18.05, 59.31], [18.05, 59.32],
                                                          [18.03, 59.32], [18.03, 59.31]]]}},
        {"type": "Feature", "properties": {"kod": "B2", "namn": "Linje"},
         "geometry": {"type": "LineString", "coordinates": [[18.0, 59.3], [18.1, 59.35]]}},
        {"type": "Feature", "properties": {"kod": "C3", "namn": "Fluga"},
         "geometry": {"type": "Polygon", "coordinates": [[[18.06, 59.33], [18.08, 59.34], [18.08, 59.33],
                                                          [18.06, 59.34], [18.06, 59.33]]]}},
    ],
}


def areas_app(monkeypatch, db_path: Path) -> AppTest:
    store.cursor(db_path)  # an empty, real database
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/omraden.py").run()
    assert not at.exception
    return at


def _plain(markdown: str) -> str:
    """A message without the Markdown escapes ui.plain adds to file and layer names."""
    return markdown.replace("\\", "")


def _audit(cur, action: str) -> list[dict]:
    return [json.loads(d) for (d,) in cur.execute(
        "SELECT details FROM audit WHERE action = ? ORDER BY audit_id", [action]).fetchall()]


def test_hand_made_geojson_imports_with_rejects_then_the_layer_is_listed_and_deleted(monkeypatch, db_path):
    at = areas_app(monkeypatch, db_path)
    assert "Inga importerade lager" in "".join(c.value for c in at.caption)
    at.file_uploader[0].set_value(("tanto.geojson", json.dumps(HAND_MADE).encode(), "application/geo+json")).run()
    assert not at.exception
    assert at.text_input[0].value == "tanto"
    field = at.selectbox[0]
    assert field.options == ["kod", "namn", "(inget – numrera områdena)"] and field.value == "namn"
    at.text_input[0].set_value("parker").run()
    at.button(key="areas_import").click().run()
    assert not at.exception
    assert _plain(at.success[0].value).startswith("Lagret parker: 2 områden importerade från tanto.geojson (EPSG:4326")
    assert "1 reparerade, 1 avvisade" in at.success[0].value
    rejected = at.dataframe[0].value
    assert list(rejected["Objekt"]) == [2] and list(rejected["Namn"]) == ["Linje"]
    assert list(rejected["Orsak"]) == ["inte en yta (LineString)"]
    layers = at.dataframe[1].value
    assert list(layers["Lager"]) == ["parker"] and list(layers["Områden"]) == [2]
    assert at.file_uploader[0].value is None  # a fresh uploader after the import
    cur = store.cursor(db_path)
    assert sorted(boundaries.load_layer(cur, "parker")["name"]) == ["Fluga", "Tanto"]
    assert _audit(cur, "areas_import")[0]["layer"] == "parker"

    # English labels, then delete the layer (with an audit row)
    at.session_state["lang"] = "en"
    at.run()
    assert list(at.dataframe[0].value["Reason"]) == ["not an area (LineString)"]
    assert list(at.dataframe[1].value["Layer"]) == ["parker"]
    at.selectbox(key="areas_delete_pick").set_value("parker")
    at.button(key="areas_delete").click().run()
    assert not at.exception
    assert [_plain(s.value) for s in at.success] == ["The layer parker (2 areas) is deleted."]
    assert boundaries.list_layers(cur).empty
    assert _audit(cur, "areas_delete") == [{"layer": "parker", "areas": 2}]
    assert "No imported layers" in "".join(c.value for c in at.caption)


def test_an_unreadable_upload_says_so_in_both_languages(monkeypatch, db_path):
    at = areas_app(monkeypatch, db_path)
    at.file_uploader[0].set_value(("trasig.geojson", b"{not json", "application/geo+json")).run()
    assert not at.exception
    assert "kunde inte läsas" in at.error[0].value and "could not be read" in at.error[0].value
    assert not at.button  # nothing to import


@pytest.mark.skipif(not SHARED_DISTRICTS.is_file(),
                    reason=f"the shared Stockholm boundary data is absent ({SHARED_DISTRICTS})")
def test_shared_data_district_as_geopackage_in_sweref99tm_imports_on_the_page(monkeypatch, db_path, tmp_path):
    districts = gpd.read_file(SHARED_DISTRICTS)
    one = districts[districts["stadsdelsomrade"] == "Östermalm"].to_crs("EPSG:3006")
    gpkg = tmp_path / "ostermalm.gpkg"
    one.to_file(gpkg, driver="GPKG")
    at = areas_app(monkeypatch, db_path)
    at.file_uploader[0].set_value((gpkg.name, gpkg.read_bytes(), "application/geopackage+sqlite3")).run()
    assert not at.exception
    assert at.selectbox[0].value == "stadsdelsomrade"  # detected among the text columns
    at.text_input[0].set_value("sdo").run()
    at.button(key="areas_import").click().run()
    assert not at.exception
    assert _plain(at.success[0].value).startswith("Lagret sdo: 1 områden importerade från ostermalm.gpkg (EPSG:3006)")
    cur = store.cursor(db_path)
    layer = boundaries.load_layer(cur, "sdo")
    assert list(layer["name"]) == ["Östermalm"]
    # reprojected to WGS84: the area lies where Östermalm is
    centre = layer.geometry.iloc[0].centroid
    assert 59.33 < centre.y < 59.37 and 18.06 < centre.x < 18.12
