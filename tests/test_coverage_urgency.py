"""Coverage per area and the urgency ranking, on real DuckDB files with known visits.

Positions are real Stockholm places; the H3 cells and districts they fall in are computed
by the code under test's own inputs (h3, the real district file) and checked for sense.
"""

from __future__ import annotations

import json
from datetime import timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from conftest import SHARED_STOCKHOLM
from geo import boundaries, coverage, grid, store, urgency
from geo.coords import WGS84

T_CENTRALEN = (59.3309, 18.0593)
GAMLA_STAN = (59.3232, 18.0676)
KUNGSTRADGARDEN = (59.3307, 18.0718)
FARSTA = (59.2436, 18.0929)
NOW = store.utcnow().replace(microsecond=0)


def _place(cur, place_id: str, kind: str, at: tuple[float, float], name: str | None = None) -> None:
    cur.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                [place_id, name or place_id, place_id, kind, at[0], at[1], NOW - timedelta(days=400)])


def _visit(cur, visit_id: str, place_id: str, days: float, shift: str, people: int | None = None,
           acute: bool = False, at: tuple[float, float] | None = None) -> None:
    lat, lon = at if at else (None, None)
    cur.execute(
        "INSERT INTO visits (visit_id, place_id, visited_at, shift, lat, lon, people, acute) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [visit_id, place_id, NOW - timedelta(days=days), shift, lat, lon, people, acute])


@pytest.fixture
def known(cur):
    """P1 sleeping place at T-Centralen, P2 encampment in Gamla stan, P3 never visited in Farsta;
    P6 the park Kungsträdgården, swept a day ago (nobody found). Sweeps are visits at places
    in this data model: the sweep is a visit at P6, logged with its own GPS point."""
    _place(cur, "p1", "sleeping_place", T_CENTRALEN, "Centralen")
    _place(cur, "p2", "encampment", GAMLA_STAN, "Gamla stan")
    _place(cur, "p3", "sleeping_place", FARSTA, "Farsta")
    _place(cur, "p6", "other", KUNGSTRADGARDEN, "Kungsträdgården")
    _visit(cur, "v1", "p1", 20.2, "day", people=3)
    _visit(cur, "v2", "p1", 16.2, "evening", people=2)
    _visit(cur, "v3", "p6", 1.2, "weekend", people=0, at=KUNGSTRADGARDEN)  # a sweep: nobody found
    _visit(cur, "v4", "p2", 30.2, "weekend", people=6, acute=True)
    _visit(cur, "v5", "p2", 100.2, "evening", people=9, acute=True)  # acute, but outside 90 days
    return cur


def _cell(at: tuple[float, float]) -> str:
    return grid.cells_of(np.array([at[0]]), np.array([at[1]]))[0]


def test_grid_coverage_counts_visits_in_their_places_areas(known):
    cov = coverage.coverage(known, now=NOW).set_index("area_id")
    assert len(cov) == len(grid.grid(8))
    tc, gs, kt, fa = (cov.loc[_cell(p)] for p in (T_CENTRALEN, GAMLA_STAN, KUNGSTRADGARDEN, FARSTA))
    # T-Centralen: its own visits (20 and 16 days ago); the sweep was in another cell
    assert (tc["days_since"], tc["days_since_day"], tc["days_since_evening"]) == (16, 20, 16)
    assert pd.isna(tc["days_since_weekend"]) and tc["places"] == 1
    assert tc["overdue_places"] == 1  # p1: 16 days since a visit, target 14
    # Kungsträdgården: a sweep with nobody found still counts as coverage
    assert (kt["days_since"], kt["days_since_weekend"], kt["never_visited"]) == (1, 1, False)
    assert (kt["places"], kt["overdue_places"], kt["people_last_seen"]) == (1, 0, 0)
    # Gamla stan: one acute case in the last 90 days (the other is older), encampment overdue (7 days)
    assert (gs["days_since"], gs["acute_90d"], gs["overdue_places"], gs["people_last_seen"]) == (30, 1, 1, 6)
    # Farsta: a known place never visited: never visited, distinct from long ago
    assert fa["never_visited"] and pd.isna(fa["last_visit"]) and (fa["places"], fa["overdue_places"]) == (1, 1)
    # never visited areas first, then the longest since a visit
    ordered = coverage.coverage(known, now=NOW)
    first_visited = ordered["never_visited"].idxmin()
    assert ordered["never_visited"][:first_visited].all() and not ordered["never_visited"][first_visited:].any()
    visited_days = ordered["days_since"][first_visited:].astype(int).tolist()
    assert visited_days == sorted(visited_days, reverse=True)


def test_shift_aware_staleness_filter(known):
    cov = coverage.coverage(known, now=NOW)
    visited = cov[~cov["never_visited"]].set_index("area_id")
    evening_stale = set(coverage.stale_areas(cov, 14, "evening")["area_id"])
    # T-Centralen's last evening visit was 16 days ago; Gamla stan's 100; Kungsträdgården never on an evening
    assert {_cell(T_CENTRALEN), _cell(GAMLA_STAN), _cell(KUNGSTRADGARDEN)} <= evening_stale
    assert set(coverage.stale_areas(cov, 17, "evening")["area_id"]) >= {_cell(GAMLA_STAN)}
    assert _cell(T_CENTRALEN) not in set(coverage.stale_areas(cov, 17, "evening")["area_id"])
    any_shift = set(coverage.stale_areas(cov, 14)["area_id"])
    assert _cell(KUNGSTRADGARDEN) not in any_shift and _cell(T_CENTRALEN) in any_shift
    assert len(visited) == 3


def test_imported_layer_coverage_and_border_points_count_once(known, tmp_path):
    # two made-up districts sharing a border; a third far away with nothing in it
    layer = gpd.GeoDataFrame(
        {"namn": ["Innerstan", "Söder om", "Ute"]},
        geometry=[box(18.00, 59.327, 18.10, 59.36), box(18.00, 59.30, 18.10, 59.327), box(17.0, 59.0, 17.1, 59.1)],
        crs=WGS84).to_crs(epsg=3006)
    path = tmp_path / "omraden.gpkg"
    layer.to_file(path, driver="GPKG")
    boundaries.import_layer(known, path, "omraden")
    _place(known, "p9", "other", (59.327, 18.05))  # exactly on the shared border
    cov = coverage.coverage(known, layer="omraden", now=NOW).set_index("name")
    assert cov.loc["Innerstan", "days_since"] == 1  # T-Centralen + the Kungsträdgården sweep
    assert cov.loc["Söder om", "days_since"] == 30 and cov.loc["Söder om", "acute_90d"] == 1
    assert cov.loc["Ute", "never_visited"] and cov.loc["Ute", "places"] == 0
    assert cov["places"].sum() == 4  # p1, p2, p6, p9 (once); p3 in Farsta is in no area
    assert list(cov.index[:1]) == ["Ute"]


@pytest.mark.skipif(not SHARED_STOCKHOLM.is_dir(), reason=f"real Stockholm boundaries not found at {SHARED_STOCKHOLM}")
def test_real_stockholm_districts_coverage(known):
    boundaries.import_layer(known, SHARED_STOCKHOLM / "stadsdelsomraden_sdn2020_13.geojson", "sdo")
    cov = coverage.coverage(known, layer="sdo", now=NOW).set_index("name")
    assert len(cov) == 13
    assert cov.loc["Norrmalm", "days_since"] == 1 and cov.loc["Norrmalm", "places"] == 2
    assert cov.loc["Södermalm", "days_since"] == 30  # Gamla stan belongs to Södermalm
    assert cov.loc["Farsta", "never_visited"] and cov.loc["Farsta", "overdue_places"] == 1
    assert cov["never_visited"].sum() == 11


def test_urgency_ranks_and_explains(known):
    _place(known, "p4", "sleeping_place", T_CENTRALEN, "Lika sovplats")
    _place(known, "p5", "encampment", T_CENTRALEN, "Lika boplats")
    _visit(known, "v6", "p4", 28.2, "day", people=2)  # 28/14 = 2.0
    _visit(known, "v7", "p5", 14.2, "day", people=2)  # 14/7 = 2.0, + encampment
    ranked = urgency.ranked_places(known, now=NOW)
    names = list(ranked["name"])
    assert names[0] == "Farsta"  # never visited first
    assert ranked.loc[0, "urgency"] is None and ranked.loc[0, "reason_en"] == "never visited"
    assert names.index("Lika boplats") < names.index("Lika sovplats")
    gs = ranked.set_index("name").loc["Gamla stan"]
    # 30/7 = 4.29 + 6 people * 0.1 + encampment 0.5 + acute 1.0
    assert gs["urgency_score"] == pytest.approx(4.29 + 0.6 + 0.5 + 1.0, abs=0.01)
    assert gs["reason_sv"] == "30 dagar sedan besök (mål 7) · 6 personer senast · boplats · 1 akuta fall senaste 90 dagarna"
    assert gs["reason_en"] == "30 days since a visit (target 7) · 6 people last seen · encampment · 1 acute cases in the last 90 days"
    visited = ranked[ranked["last_visit"].notna()]["urgency_score"].tolist()
    assert visited == sorted(visited, reverse=True)
    assert "Kungsträdgården" not in names  # swept a day ago: not overdue
    assert "Centralen" in names  # 16 days at a 14-day target


def test_overdue_ratio_is_capped_so_people_and_acute_still_count(cur):
    _place(cur, "old", "sleeping_place", T_CENTRALEN)
    _place(cur, "acute", "sleeping_place", GAMLA_STAN)
    _visit(cur, "a", "old", 5000, "day", people=0)
    _visit(cur, "b", "acute", 60, "day", people=10, acute=True)  # 60/14 = 4.29 + 1 + 1
    ranked = urgency.ranked_places(cur, now=NOW)
    assert list(ranked["place_id"]) == ["acute", "old"]
    assert ranked.set_index("place_id").loc["old", "urgency_score"] == urgency.OVERDUE_CAP


def test_cli_coverage_and_overdue(known, db_path):
    from test_cli import run

    store.close(db_path)  # release the lock for the subprocess
    out = run("coverage", "--db", str(db_path), "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == len(grid.grid(8)) and rows[0]["never_visited"] is True
    by_id = {r["area_id"]: r for r in rows}
    assert by_id[_cell(GAMLA_STAN)]["days_since"] == 30 and by_id[_cell(GAMLA_STAN)]["acute_90d"] == 1
    evening = json.loads(run("coverage", "--db", str(db_path), "--format", "json", "--shift", "evening",
                             "--days", "17").stdout)
    assert _cell(GAMLA_STAN) in {r["area_id"] for r in evening} and _cell(T_CENTRALEN) not in {
        r["area_id"] for r in evening}
    table = run("coverage", "--db", str(db_path), "--days", "20")
    assert table.returncode == 0 and "acute_90d" in table.stdout
    assert run("coverage", "--db", str(db_path), "--layer", "nope").returncode == 2
    assert run("coverage", "--db", str(db_path), "--layer", "h3:4").returncode == 2
    assert run("coverage", "--help").returncode == 0
    over = json.loads(run("overdue", "--db", str(db_path), "--format", "json").stdout)
    assert [r["name"] for r in over][:1] == ["Farsta"]
    assert {"urgency_score", "reason", "reason_en", "name", "kind", "days_since"} <= set(over[0])
    csv_out = run("overdue", "--db", str(db_path), "--format", "csv").stdout
    assert "urgency_score" in csv_out.splitlines()[0] and "aldrig besökt" in csv_out


def test_empty_database_coverage(cur):
    cov = coverage.coverage(cur, now=NOW)
    assert len(cov) == len(grid.grid(8)) and cov["never_visited"].all() and cov["places"].sum() == 0
    assert urgency.ranked_places(cur, now=NOW).empty


def test_area_details_lists_places_and_latest_visits(known):
    _visit(known, "v8", "p1", 0.5, "evening", people=4)
    known.execute("UPDATE visits SET notes = 'hemlig anteckning' WHERE visit_id = 'v8'")
    for i in range(12):  # more visits than the list shows
        _visit(known, f"old{i}", "p1", 200 + i, "day", people=1)
    details = coverage.area_details(known, None, _cell(T_CENTRALEN), now=NOW)
    assert list(details.places["name"]) == ["Centralen"]
    assert (details.places.loc[0, "days_since"], details.places.loc[0, "people_last_seen"]) == (0, 4)
    assert len(details.visits) == coverage.RECENT_VISITS
    assert list(details.visits.columns) == ["visited_at", "shift", "place", "people"]  # never notes
    assert list(details.visits["people"][:3]) == [4, 2, 3] and details.visits["visited_at"].is_monotonic_decreasing
    empty = coverage.area_details(known, None, _cell(FARSTA), now=NOW)
    assert list(empty.places["name"]) == ["Farsta"] and empty.places.loc[0, "overdue"] and empty.visits.empty


def test_place_areas_cache_follows_the_places_and_the_layer(known, tmp_path):
    first = coverage.place_areas(known)
    assert coverage.place_areas(known) is first  # cached
    _place(known, "p7", "sleeping_place", (59.3420, 18.0490), "Vasaparken")
    assert "p7" in set(coverage.place_areas(known)["place_id"])  # a new place: assigned again
    known.execute("UPDATE places SET lat = ?, lon = ? WHERE place_id = 'p7'", list(FARSTA))
    moved = coverage.place_areas(known).set_index("place_id")
    assert moved.loc["p7", "area_id"] == _cell(FARSTA)
    for name in ("Norr", "Söder"):  # the same layer name re-imported with other areas
        layer = gpd.GeoDataFrame({"namn": [name]}, geometry=[box(18.0, 59.3, 18.1, 59.4) if name == "Norr"
                                                              else box(18.0, 59.2, 18.15, 59.3)], crs=WGS84)
        layer.to_file(tmp_path / f"{name}.geojson", driver="GeoJSON")
        boundaries.import_layer(known, tmp_path / f"{name}.geojson", "omr")
        cov = coverage.coverage(known, layer="omr", now=NOW).set_index("name")
        assert list(cov.index) == [name]
    assert cov.loc["Söder", "places"] == 2  # Farsta and the moved p7
