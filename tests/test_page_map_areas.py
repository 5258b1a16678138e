"""Area details under the map (issue 4 item 4), in AppTest on a real DuckDB file."""

from __future__ import annotations

from datetime import timedelta

import geopandas as gpd
from shapely.geometry import box

import ui
from geo import boundaries, store
from test_page_map import EVIL_NAME, app, make_db, recorder  # noqa: F401 - recorder is a fixture


def test_area_picker_lists_places_and_visits_stalest_area_first(monkeypatch, db_path, recorder, tmp_path):  # noqa: F811
    cur = store.cursor(make_db(db_path))
    # make_db's places lie at 59.30 + 0.01 i, 18.00 + 0.015 i: Väst holds p1, p2; Öst p3, p4, p5; Ute nothing
    layer = gpd.GeoDataFrame({"namn": ["Väst", "Öst", "Ute"]},
                             geometry=[box(17.9, 59.2, 18.02, 59.4), box(18.02, 59.2, 18.2, 59.4),
                                       box(17.0, 59.0, 17.1, 59.1)], crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    boundaries.import_layer(cur, tmp_path / "d.geojson", "distrikt")
    cur.execute("UPDATE visits SET notes = 'hemligt' WHERE place_id = 'p1'")
    cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift, people) VALUES ('late', 'p2', ?, 'evening', 0)",
                [store.utcnow().replace(hour=21, minute=30) - timedelta(days=40)])
    at = app(monkeypatch, db_path)
    assert not at.exception
    at.selectbox(key="karta_areas.sv").set_value("distrikt").run()
    assert not at.exception
    pick = at.selectbox(key="karta_area_pick_distrikt.sv")
    # never visited first, then the longest since a visit: Öst's last visit is 10 days ago, Väst's 3
    assert pick.options == ["Ute · aldrig besökt", "Öst · 10 dagar sedan besök", "Väst · 3 dagar sedan besök"]
    assert any("1 av 3 områden är försenade" in c.value for c in at.caption)
    assert any("Inga kända platser" in c.value for c in at.caption)  # Ute: nothing there
    pick.set_value("2").run()  # Öst (area_id = the feature's position in the file)
    places, visits = at.dataframe[0].value, at.dataframe[1].value
    assert list(places["Plats"]) == [EVIL_NAME, "Kungsträdgården", "Skanstull"]
    assert list(places["Dagar sedan"]) == ["aldrig", "100", "10"]
    assert list(visits["Plats"]) == ["Skanstull", "Kungsträdgården"]
    at.selectbox(key="karta_area_pick_distrikt.sv").set_value("1").run()  # Väst
    visits = at.dataframe[1].value
    assert list(visits.columns) == ["Datum", "Pass", "Plats", "Personer"]  # no notes
    assert list(visits["Plats"]) == ["Tantolunden", "Hötorget", "Hötorget"] and "kväll" in list(visits["Pass"])
    assert not any("hemligt" in str(v) for v in visits.to_numpy().ravel())
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    picked = at.selectbox(key="karta_area_pick_distrikt.en")
    assert picked.options[0] == "Ute · never visited"
    assert picked.value == "1"  # Väst stays picked across the language switch
    assert list(at.dataframe[1].value.columns) == ["Date", "Shift", "Place", "People"]


def test_a_click_on_an_area_selects_it_once(monkeypatch, db_path, recorder, tmp_path):  # noqa: F811
    """A click read back from the map picks the area under it; the same click on later runs
    (streamlit-folium keeps returning it) does not override a choice made in the picker."""
    cur = store.cursor(make_db(db_path))
    layer = gpd.GeoDataFrame({"namn": ["Väst", "Öst"]},
                             geometry=[box(17.9, 59.2, 18.02, 59.4), box(18.02, 59.2, 18.2, 59.4)], crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    boundaries.import_layer(cur, tmp_path / "d.geojson", "distrikt")
    at = app(monkeypatch, db_path)
    assert recorder.calls[-1]["key"] == "karta_map" and not recorder.calls[-1].get("returned_objects")
    at.selectbox(key="karta_areas.sv").set_value("distrikt").run()
    assert recorder.calls[-1]["returned_objects"] == ["last_object_clicked"]
    assert at.selectbox(key="karta_area_pick_distrikt.sv").value == "2"  # Öst: the stalest, listed first

    def clicking(m, feature_groups, key, **kwargs):  # the map after a click at 59.31 N, 17.95 E (Väst)
        recorder(m, feature_groups, key, **kwargs)
        return {"last_object_clicked": {"lat": 59.31, "lng": 17.95}}

    monkeypatch.setattr(ui, "show_map", clicking)
    at.run()
    assert not at.exception
    assert at.selectbox(key="karta_area_pick_distrikt.sv").value == "1"  # the click in Väst picked it
    assert list(at.dataframe[0].value["Plats"]) == ["Hötorget", "Tantolunden"]
    at.selectbox(key="karta_area_pick_distrikt.sv").set_value("2").run()  # the same click again: no override
    assert at.selectbox(key="karta_area_pick_distrikt.sv").value == "2"
