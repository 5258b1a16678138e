"""One place per place: a name variant within the matching radius joins the known place of its
kind (issue 11), with real Stockholm coordinates from the shared candidate places."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, SHARED_STOCKHOLM
from geo import coords, imports, ingest, places, store

NOW = datetime(2026, 11, 24, 12, 0)  # naive UTC
HEADER = "visited_at,lat,lon,place_name,place_type,people\n"


if not (SHARED_STOCKHOLM / "outreach_candidate_places.csv").exists():
    pytest.skip(f"the shared Stockholm places are absent ({SHARED_STOCKHOLM})", allow_module_level=True)


def _candidates() -> dict[str, tuple[float, float]]:
    with open(SHARED_STOCKHOLM / "outreach_candidate_places.csv", encoding="utf-8") as fh:
        return {r["name"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


PLACES = _candidates()
TANTO = PLACES["Tantolunden"]      # 59.312173, 18.046663
TANTO_SOUTH = PLACES["Tanto"]      # another park label, about 240 m away
HORNSTULL = PLACES["Hornstull T-bana"]


def north_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    """A point `metres` due north (SWEREF 99 TM is metric), back in WGS84."""
    n, e = coords.to_sweref(np.array([point[0]]), np.array([point[1]]))
    moved = coords.sweref_to_wgs84(float(n[0]) + metres, float(e[0]))
    return moved.lat, moved.lon


def write(path: Path, rows: list[tuple[str, tuple[float, float] | None, str, str, int]]) -> Path:
    lines = [HEADER]
    for when, at, name, kind, people in rows:
        lat, lon = ("", "") if at is None else (f"{at[0]:.6f}", f"{at[1]:.6f}")
        lines.append(f"{when},{lat},{lon},{name},{kind},{people}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def per_place(cur) -> dict[str, int]:
    return dict(cur.execute(
        "SELECT p.name, count(*) FROM visits v JOIN places p USING (place_id) GROUP BY p.name").fetchall())


@pytest.fixture
def known(cur, tmp_path):
    """Tantolunden (a sleeping place) and Hornstull are known from a first import."""
    first = write(tmp_path / "first.csv", [
        ("2026-11-02 22:00", TANTO, "Tantolunden", "sovplats", 2),
        ("2026-11-02 22:30", HORNSTULL, "Hornstull T-bana", "sovplats", 1),
    ])
    ingest.import_file(cur, first, now=NOW)
    return cur


def test_a_name_variant_at_the_same_place_joins_it_and_is_listed(known, tmp_path):
    near = north_of(TANTO, 12)
    summary = ingest.import_file(known, write(tmp_path / "second.csv", [
        ("2026-11-03 22:00", near, "Tantolunden – slänten", "sovplats", 3),
        ("2026-11-04 22:00", near, "Tantolunden – slänten", "sovplats", 1),
    ]), now=NOW)
    assert summary.new_places == 0 and summary.imported == 2
    assert per_place(known) == {"Tantolunden": 3, "Hornstull T-bana": 1}
    (match,) = summary.place_matches
    assert match["name"] == "Tantolunden – slänten" and match["place"] == "Tantolunden"
    assert 11 <= match["distance_m"] <= 13
    stored = json.loads(known.execute("SELECT summary FROM imports WHERE import_id = ?",
                                      [summary.import_id]).fetchone()[0])
    assert stored["place_matches"] == [match]


def test_a_different_place_beyond_the_radius_is_new(known, tmp_path):
    summary = ingest.import_file(known, write(tmp_path / "second.csv", [
        ("2026-11-03 22:00", TANTO_SOUTH, "Tanto strandbad", "sovplats", 2),
    ]), now=NOW)
    assert summary.new_places == 1 and summary.place_matches == []
    assert per_place(known)["Tanto strandbad"] == 1


def test_a_variant_of_another_kind_does_not_join(known, tmp_path):
    summary = ingest.import_file(known, write(tmp_path / "second.csv", [
        ("2026-11-03 22:00", north_of(TANTO, 5), "Tantolunden tältläger", "boplats", 6),
    ]), now=NOW)
    assert summary.new_places == 1 and summary.place_matches == []


def test_the_same_name_matches_without_coordinates_and_far_away(known, tmp_path):
    summary = ingest.import_file(known, write(tmp_path / "second.csv", [
        ("2026-11-03 22:00", None, "TANTOLUNDEN", "sovplats", 1),          # name only, folded
        ("2026-11-04 22:00", north_of(TANTO, 150), "Tantolunden", "sovplats", 1),  # a big park: the name wins
    ]), now=NOW)
    assert summary.imported == 2 and summary.new_places == 0 and summary.place_matches == []
    assert per_place(known)["Tantolunden"] == 3


def test_variants_within_one_new_file_become_one_place(cur, tmp_path):
    summary = ingest.import_file(cur, write(tmp_path / "new.csv", [
        ("2026-11-03 22:00", TANTO, "Tantolunden", "sovplats", 2),
        ("2026-11-03 22:10", north_of(TANTO, 20), "Tantolunden norra", "sovplats", 1),
    ]), now=NOW)
    assert summary.new_places == 1
    assert [(m["name"], m["place"]) for m in summary.place_matches] == [("Tantolunden norra", "Tantolunden")]


def test_the_preview_shows_the_matches_and_stores_nothing(known, tmp_path):
    path = write(tmp_path / "second.csv", [("2026-11-03 22:00", north_of(TANTO, 12), "Tantolunden – slänten",
                                             "sovplats", 3)])
    preview = imports.preview(known, path, "second.csv")
    assert [m["place"] for m in preview.summary.place_matches] == ["Tantolunden"]
    assert known.execute("SELECT count(*) FROM visits").fetchone()[0] == 2


def test_a_merged_place_name_leads_to_the_kept_place(known, tmp_path):
    ids = dict(known.execute("SELECT name, place_id FROM places").fetchall())
    ingest.import_file(known, write(tmp_path / "b.csv", [
        ("2026-11-03 22:00", TANTO_SOUTH, "Tanto strandbad", "sovplats", 2)]), now=NOW)
    ids = dict(known.execute("SELECT name, place_id FROM places").fetchall())
    places.merge_places(known, ids["Tantolunden"], ids["Tanto strandbad"], actor="teamledare")
    summary = ingest.import_file(known, write(tmp_path / "c.csv", [
        ("2026-11-05 22:00", None, "Tanto strandbad", "sovplats", 1)]), now=NOW)
    assert summary.imported == 1 and summary.new_places == 0
    assert per_place(known)["Tantolunden"] == 3


def test_cli_prints_the_matches_and_json_lists_them(known, tmp_path, db_path):
    path = write(tmp_path / "second.csv", [("2026-11-03 22:00", north_of(TANTO, 12), "Tantolunden – slänten",
                                             "sovplats", 3)])
    store.close(db_path)
    out = subprocess.run([sys.executable, "-m", "geo", "import", str(path), "--db", str(db_path), "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "Tantolunden – slänten → Tantolunden, 12 m" in out
    assert json.loads(out.strip().splitlines()[-1])["place_matches"][0]["place"] == "Tantolunden"


def test_one_new_name_written_two_ways_far_apart_stays_one_place(cur, tmp_path):
    """The same name (folded) is one place, as before, even beyond the radius: no match is listed."""
    summary = ingest.import_file(cur, write(tmp_path / "new.csv", [
        ("2026-11-03 22:00", TANTO, "Tantolunden", "sovplats", 2),
        ("2026-11-03 22:10", north_of(TANTO, 200), "TANTOLUNDEN", "sovplats", 1),
    ]), now=NOW)
    assert summary.new_places == 1 and summary.place_matches == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spots=st.lists(st.tuples(st.floats(0, 120), st.floats(0, 2 * np.pi)), min_size=1, max_size=6))
def test_within_the_radius_joins_beyond_it_does_not(tmp_path_factory, spots):
    """Variants at any distance and bearing from Tantolunden: within 50 m (less a metre for
    rounding) they join it with their distance listed; beyond 51 m they are never put on it."""
    db = tmp_path_factory.mktemp("m") / "m.duckdb"
    cur = store.cursor(db)
    try:
        ingest.import_file(cur, write(db.parent / "a.csv", [("2026-11-02 22:00", TANTO, "Tantolunden", "sovplats", 1)]),
                           now=NOW)
        n0, e0 = coords.to_sweref(np.array([TANTO[0]]), np.array([TANTO[1]]))
        rows = []
        for i, (d, angle) in enumerate(spots):
            at = coords.sweref_to_wgs84(float(n0[0]) + d * np.cos(angle), float(e0[0]) + d * np.sin(angle))
            rows.append(("2026-11-03 22:00", (at.lat, at.lon), f"Variant {i}", "sovplats", i))
        summary = ingest.import_file(cur, write(db.parent / "b.csv", rows), now=NOW)
        assert summary.imported == len(rows)
        on_tanto = dict(cur.execute(
            """SELECT v.people, p.name FROM visits v JOIN places p USING (place_id)
               WHERE v.import_id = ?""", [summary.import_id]).fetchall())
        matched = {m["name"]: m for m in summary.place_matches}
        for i, (d, _) in enumerate(spots):
            if d <= 49:
                assert on_tanto[i] == "Tantolunden" and abs(matched[f"Variant {i}"]["distance_m"] - d) <= 1
            elif d >= 51:
                assert on_tanto[i] != "Tantolunden"
    finally:
        store.close(db)


def test_a_visit_by_the_id_of_a_cleared_or_merged_place_imports(cur, tmp_path):
    """Clearing and merging are one click on Platser now: a later file that names such a place
    by id must not fail the whole import on a duplicate place id (it did for cleared places)."""
    def by_id(name: str, vid: str, pid: str) -> Path:
        path = tmp_path / name
        path.write_text("visit_id,visited_at,lat,lon,place_id,place_type,people\n"
                        f"{vid},2026-11-20 22:00,{TANTO[0]},{TANTO[1]},{pid},sovplats,2\n", encoding="utf-8")
        return path

    ingest.import_file(cur, by_id("a.csv", "a1", "bp-1"), now=NOW)
    ingest.import_file(cur, by_id("b.csv", "b1", "bp-2"), now=NOW)
    places.set_cleared(cur, "bp-1", True, "t")
    places.merge_places(cur, "bp-1", "bp-2", "t")
    for name, vid, pid in (("c.csv", "c1", "bp-1"), ("d.csv", "d1", "bp-2")):
        summary = ingest.import_file(cur, by_id(name, vid, pid), now=NOW)
        assert (summary.imported, summary.new_places) == (1, 0)
    assert dict(cur.execute("SELECT visit_id, place_id FROM visits").fetchall()) == {
        "a1": "bp-1", "b1": "bp-1", "c1": "bp-1", "d1": "bp-1"}
