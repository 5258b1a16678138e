"""The map page in Streamlit's AppTest, on real DuckDB files, with `ui.show_map` patched.

AppTest cannot look inside the st_folium component, so the page's one map wrapper is
replaced by a recorder: the tests check what the page hands to the map (a constant base
map, the places layer with the right number of places, no values read back) and what it
shows around it (metrics, legend, table, banners). The drawn map is tested in Chromium.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import ui
from geo import maps, store

ROOT = Path(__file__).resolve().parents[1]
EVIL_NAME = "<img src=x onerror=alert(1)>"

# (place_id, name, kind, days since the last visit or None, people at it)
PLACES: list[tuple[str, str, str, int | None, int | None]] = [
    ("p1", "Tantolunden", "sleeping_place", 3, 2),
    ("p2", "Hötorget", "encampment", 20, 6),
    ("p3", EVIL_NAME, "sleeping_place", None, None),
    ("p4", "Kungsträdgården", "other", 100, 0),
    ("p5", "Skanstull", "sleeping_place", 10, None),
]
EXPECTED = {"places": 5, "overdue": 3, "people": 8}  # p2 (>7), p3 (never), p4 (>14); 2+6+0


def make_db(path: Path, places=PLACES, demo: bool = False) -> Path:
    """A real database file with known places and visits, written through SQL."""
    cur = store.cursor(path)
    now = store.utcnow()
    for i, (place_id, name, kind, days, people) in enumerate(places):
        lat, lon = 59.30 + 0.01 * i, 18.00 + 0.015 * i
        cur.execute(
            "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
            [place_id, name, name.lower(), kind, lat, lon, now - timedelta(days=400)],
        )
        if days is not None:
            cur.execute(
                "INSERT INTO visits (visit_id, place_id, visited_at, shift, people) VALUES (?, ?, ?, 'day', ?)",
                [f"v{i}", place_id, now - timedelta(days=days, hours=1), people],
            )
    if demo:
        store.set_meta(cur, "is_demo", "true")
    return path


class MapRecorder:
    """Stands in for ui.show_map and keeps what every call was given."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, m, feature_groups, key, **kwargs) -> None:
        self.calls.append({"map": m, "groups": feature_groups, "key": key, **kwargs})

    @property
    def last_layer(self) -> maps.PlacesLayer:
        (group,) = self.calls[-1]["groups"]
        return self.last_layer_of(group)

    @staticmethod
    def last_layer_of(group) -> maps.PlacesLayer:
        (layer,) = [c for c in group._children.values() if isinstance(c, maps.PlacesLayer)]
        return layer


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> MapRecorder:
    rec = MapRecorder()
    monkeypatch.setattr(ui, "show_map", rec)
    return rec


def app(monkeypatch: pytest.MonkeyPatch, path: Path) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_map_page_shows_headline_figures_and_the_places(monkeypatch, db_path, recorder):
    at = app(monkeypatch, make_db(db_path))
    assert not at.exception
    assert metric(at, "Platser") == str(EXPECTED["places"])
    assert metric(at, "Försenade platser") == str(EXPECTED["overdue"])
    assert metric(at, "Personer vid senaste besök") == str(EXPECTED["people"])
    assert len(recorder.calls) == 1
    assert len(recorder.last_layer) == EXPECTED["places"]
    assert recorder.calls[0]["key"] == "karta_map"
    # the legend is beside the map, in the page's language
    legend = "".join(md.value for md in at.markdown)
    assert "Dagar sedan senaste besök" in legend and "aldrig besökt" in legend
    # the most overdue table: the never-visited place first, its name as text
    table = at.dataframe[0].value
    assert list(table["Plats"]) == [EVIL_NAME, "Kungsträdgården", "Hötorget"]
    assert not at.info  # not a demo database: no banner


def test_filters_change_what_the_map_gets_but_not_the_base_map(monkeypatch, db_path, recorder):
    at = app(monkeypatch, make_db(db_path))
    base_script = recorder.calls[0]["map"].get_root().render()
    at.slider(key="karta_min_days").set_value(15).run()
    assert not at.exception
    assert len(recorder.last_layer) == 3  # p2 (20 days), p3 (never), p4 (100 days)
    at.multiselect(key="karta_kinds.sv").set_value(["encampment"]).run()
    assert len(recorder.last_layer) == 1
    at.slider(key="karta_min_days").set_value(0).run()
    at.multiselect(key="karta_kinds.sv").set_value(["sleeping_place"]).run()
    assert len(recorder.last_layer) == 3
    # headline figures describe the whole city, whatever the filters
    assert metric(at, "Platser") == "5"
    assert all(call["key"] == "karta_map" for call in recorder.calls)
    # the base map is rebuilt each run but identical, so st_folium does not remount it
    assert recorder.calls[-1]["map"].get_root().render().count("L.map(") == base_script.count("L.map(") == 1


def test_english_switch_changes_the_labels(monkeypatch, db_path, recorder):
    at = app(monkeypatch, make_db(db_path))
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert metric(at, "Places") == "5"
    assert metric(at, "Overdue places") == "3"
    kinds = at.multiselect(key="karta_kinds.en")
    assert kinds.label == "Kind of place"
    # The choice carries over the switch (Streamlit keeps a select's value as its labels).
    assert kinds.value == ["sleeping_place", "encampment", "other"]
    legend = "".join(md.value for md in at.markdown)
    assert "Days since last visit" in legend and "never visited" in legend
    assert "Last visit" in recorder.last_layer.config["labels"]["last"]


def test_demo_banner_for_a_demo_database(monkeypatch, db_path, recorder):
    at = app(monkeypatch, make_db(db_path, demo=True))
    assert not at.exception
    assert any("Demodata" in info.value for info in at.info)


def test_built_demo_database_gets_the_banner(monkeypatch, tmp_path, recorder):
    demo = pytest.importorskip("geo.demo")
    path = tmp_path / "demo.duckdb"
    demo.build_demo(path, seed=1)
    try:
        at = app(monkeypatch, path)
        assert not at.exception
        assert any("Demodata" in info.value for info in at.info)
        assert len(recorder.last_layer) == metric_int(at, "Platser") > 100
    finally:
        store.close(path)


def metric_int(at: AppTest, label: str) -> int:
    return int(metric(at, label).replace(",", "").replace("\u00a0", ""))


def test_missing_outreach_db_makes_nothing(monkeypatch, tmp_path, recorder):
    path = tmp_path / "nowhere.duckdb"
    at = app(monkeypatch, path)
    assert not at.exception
    assert not path.exists()
    assert any("OUTREACH_DB" in w.value for w in at.warning)
    assert not recorder.calls


def test_first_run_without_outreach_db_builds_the_demo(monkeypatch, tmp_path, recorder):
    pytest.importorskip("geo.demo")
    monkeypatch.delenv("OUTREACH_DB", raising=False)
    monkeypatch.chdir(tmp_path)  # the default path data/outreach.duckdb, relative to here
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    try:
        assert not at.exception
        assert (tmp_path / "data" / "outreach.duckdb").exists()
        banner = " ".join(info.value for info in at.info)
        assert "Demodata" in banner and "demodatabas skapades" in banner
        assert len(recorder.last_layer) > 100
    finally:
        store.close(tmp_path / "data" / "outreach.duckdb")


def test_database_in_use_is_a_clear_error(monkeypatch, db_path, recorder):
    make_db(db_path)

    def locked(path):
        raise store.DatabaseInUseError("Databasen används av en annan process. / The database is in use.")

    monkeypatch.setattr(store, "cursor", locked)
    at = app(monkeypatch, db_path)
    assert not at.exception
    assert any("används av en annan process" in e.value and "in use" in e.value for e in at.error)
    assert not recorder.calls


def test_area_layer_is_an_extra_feature_group_and_the_base_map_stays(monkeypatch, db_path, recorder, tmp_path):
    """Issue 4: none / H3 grid / imported layers; areas under the places, coloured by days since a visit."""
    import geopandas as gpd
    from shapely.geometry import box

    from geo import area_maps, boundaries

    make_db(db_path)
    layer = gpd.GeoDataFrame({"namn": [EVIL_NAME, "Söder"]},
                             geometry=[box(17.99, 59.295, 18.05, 59.325), box(18.05, 59.295, 18.2, 59.4)],
                             crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    boundaries.import_layer(store.cursor(db_path), tmp_path / "d.geojson", "distrikt")
    at = app(monkeypatch, db_path)
    base_script = recorder.calls[0]["map"].get_root().render()
    assert at.selectbox(key="karta_areas.sv").options == ["inga", "H3-rutnät", "distrikt"]
    assert len(recorder.calls[-1]["groups"]) == 1  # no areas by default
    at.selectbox(key="karta_areas.sv").set_value("h3").run()
    assert not at.exception
    areas_group, places_group = recorder.calls[-1]["groups"]
    (geojson,) = [c for c in areas_group._children.values() if c.__class__.__name__ == "GeoJson"]
    assert len(geojson.data["features"]) > 400
    assert len(recorder.last_layer_of(places_group)) == EXPECTED["places"]
    at.selectbox(key="karta_areas.sv").set_value("distrikt").run()
    areas_group, _ = recorder.calls[-1]["groups"]
    (geojson,) = [c for c in areas_group._children.values() if c.__class__.__name__ == "GeoJson"]
    tips = [f["properties"]["tip"] for f in geojson.data["features"]]
    assert all(EVIL_NAME not in tip for tip in tips) and any("&lt;img" in tip for tip in tips)
    bins = {f["properties"]["b"] for f in geojson.data["features"]}
    assert bins <= set(range(len(maps.DAY_BINS) + 1)) and len(bins) == 2
    legend = "".join(md.value for md in at.markdown)
    assert "Områden: dagar sedan besök" in legend
    # the base map is identical whatever the area layer: st_folium does not remount it
    import re

    def same(html: str) -> str:  # element ids are random per build; streamlit-folium ignores them too
        return re.sub(r"_[0-9a-f]{32}", "_ID", html)

    assert same(recorder.calls[-1]["map"].get_root().render()) == same(base_script)
    assert area_maps.layer_options(["x"]) == ["", "h3", "x"]
