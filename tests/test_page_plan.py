"""The Planera page in AppTest on a real DuckDB file: ranking with reasons, filters, safe CSV."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo import boundaries, store
from test_page_map import EVIL_NAME, make_db

ROOT = Path(__file__).resolve().parents[1]


def plan_app(monkeypatch, path: Path) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/planera.py").run()
    return at


def test_plan_page_ranks_with_reasons_and_filters(monkeypatch, db_path, tmp_path):
    cur = store.cursor(make_db(db_path))
    # make_db places p1..p5 at 59.30 + 0.01 i, 18.00 + 0.015 i: split them into two districts
    layer = gpd.GeoDataFrame({"namn": ["=Väst", "Öst"]},
                             geometry=[box(17.9, 59.2, 18.02, 59.4), box(18.02, 59.2, 18.2, 59.4)], crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    boundaries.import_layer(cur, tmp_path / "d.geojson", "distrikt")
    at = plan_app(monkeypatch, db_path)
    assert not at.exception
    table = at.dataframe[0].value
    # never visited first, then by score: Kungsträdgården 100/14 capped 5; Hötorget 20/7 + 0.6 + 0.5
    assert list(table["Plats"]) == [EVIL_NAME, "Kungsträdgården", "Hötorget"]
    assert list(table["Varför"])[2] == "20 dagar sedan besök (mål 7) · 6 personer senast · boplats"
    assert list(table["Distrikt"]) == ["Öst", "Öst", "=Väst"]
    at.selectbox(key="plan_layer").set_value("distrikt").run()
    at.multiselect(key="plan_districts").set_value(["=Väst"]).run()
    assert list(at.dataframe[0].value["Plats"]) == ["Hötorget"]
    at.multiselect(key="plan_districts").set_value([]).run()
    at.multiselect(key="plan_kinds.sv").set_value(["other"]).run()
    assert list(at.dataframe[0].value["Plats"]) == ["Kungsträdgården"]
    at.multiselect(key="plan_kinds.sv").set_value(["sleeping_place", "encampment", "other"]).run()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Why"])[0] == "never visited"


def test_plan_csv_is_formula_safe(monkeypatch, db_path, tmp_path):
    from geo.cli import to_safe_csv
    from geo.urgency import plan_table, ranked_places, with_districts

    cur = store.cursor(make_db(db_path))
    layer = gpd.GeoDataFrame({"namn": ["=Väst"]}, geometry=[box(17.9, 59.2, 18.2, 59.4)], crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    boundaries.import_layer(cur, tmp_path / "d.geojson", "distrikt")
    areas = boundaries.load_layer(cur, "distrikt")
    csv_text = to_safe_csv(plan_table(with_districts(ranked_places(cur), areas, "distrikt"), "sv"))
    assert "'=Väst" in csv_text and ",=Väst" not in csv_text


def test_plan_page_without_layers_says_how_to_import(monkeypatch, db_path):
    at = plan_app(monkeypatch, make_db(db_path))
    assert not at.exception
    assert any("python -m geo areas import" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 3
