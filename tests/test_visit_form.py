"""The visit form on real DuckDB files: the same rules, reasons and dedupe as a file import."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from geo import ingest, store
from geo.privacy import REDACTED
from geo.visit_form import FORM_FILE_NAME, VisitForm, known_places, log_visit

TENSTA = (59.3943, 17.9011)  # a real place inside Stockholm
UPPSALA = (59.8586, 17.6389)  # in Sweden, outside the service area


def _add_place(cur, place_id: str = "p-hot", name: str = "Hötorget", kind: str = "encampment") -> None:
    cur.execute(
        "INSERT INTO places VALUES (?, ?, ?, ?, 59.3349, 18.0631, ?, NULL, NULL)",
        [place_id, name, name.lower(), kind, store.utcnow() - timedelta(days=30)],
    )


def _count(cur, table: str) -> int:
    return cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_valid_form_imports_one_visit_with_shift_and_utc_time(cur):
    _add_place(cur)
    form = VisitForm(visited_at=datetime(2025, 11, 4, 21, 30), place_id="p-hot", people=5, children=1,
                     acute=True, referred_to="socialjouren", team="EU2")
    result = log_visit(cur, form, actor="tester")
    assert result.outcome == "imported" and result.reason_code is None
    assert (result.place_id, result.place_name, result.new_place) == ("p-hot", "Hötorget", False)
    row = cur.execute(
        "SELECT place_id, visited_at, shift, people, children, acute, referred_to, team, import_id FROM visits"
    ).fetchall()
    # Tuesday 21:30 in Stockholm (CET, UTC+1) is 20:30 UTC, an evening shift
    assert row == [("p-hot", datetime(2025, 11, 4, 20, 30), "evening", 5, 1, True, "socialjouren", "EU2",
                    result.import_id)]
    assert (result.shift, result.visited_at_utc) == ("evening", datetime(2025, 11, 4, 20, 30))
    # recorded like any import: one imports row named "formulär", audited
    assert cur.execute("SELECT file_name, actor, rows, imported FROM imports").fetchall() == [
        (FORM_FILE_NAME, "tester", 1, 1)]
    assert cur.execute("SELECT actor FROM audit WHERE action = 'import'").fetchall() == [("tester",)]


def test_summer_time_and_a_day_shift(cur):
    # Tuesday 10:15 in summer (CEST, UTC+2)
    form = VisitForm(visited_at=datetime(2025, 6, 10, 10, 15), lat=TENSTA[0], lon=TENSTA[1], kind="sovplats")
    result = log_visit(cur, form, actor="tester")
    assert result.outcome == "imported"
    assert cur.execute("SELECT visited_at, shift FROM visits").fetchone() == (datetime(2025, 6, 10, 8, 15), "day")


def test_typed_coordinates_create_a_named_place_then_match_it(cur):
    first = VisitForm(visited_at=datetime(2025, 11, 4, 12, 0), place_name="Tensta bro",
                      lat="59,3943", lon="17,9011", kind="sovplats", people=2)  # decimal commas, as typed
    result = log_visit(cur, first, actor="tester")
    assert result.outcome == "imported" and result.new_place and result.place_name == "Tensta bro"
    assert cur.execute("SELECT name, kind, round(lat, 4), round(lon, 4) FROM places").fetchall() == [
        ("Tensta bro", "sleeping_place", 59.3943, 17.9011)]
    # 20 m away, no name: joins the place just made (nearest of its kind within 50 m)
    second = VisitForm(visited_at=datetime(2025, 11, 5, 12, 0), lat=59.39448, lon=17.9011, kind="sovplats")
    again = log_visit(cur, second, actor="tester")
    assert again.outcome == "imported" and not again.new_place and again.place_id == result.place_id
    assert _count(cur, "places") == 1 and _count(cur, "visits") == 2


def test_more_children_than_people_has_the_file_import_reason(cur, tmp_path: Path):
    form = VisitForm(visited_at=datetime(2025, 11, 4, 12, 0), lat=TENSTA[0], lon=TENSTA[1], people=1, children=3)
    result = log_visit(cur, form, actor="tester")
    assert result.outcome == "rejected" and result.reason_code == "children_exceed_people"
    assert result.column == "children"
    assert "fler barn (3) än personer" == result.reason("sv") == result.reason_sv
    assert "more children (3) than people" == result.reason("en")
    # the same row in a file is rejected with the same code
    path = tmp_path / "file.csv"
    path.write_text("visited_at,lat,lon,people,children\n2025-11-04 12:00,59.3943,17.9011,1,3\n", encoding="utf-8")
    ingest.import_file(cur, path, dry_run=True)
    assert ingest.row_outcomes(cur)["reason_code"].tolist() == ["children_exceed_people"]
    # a rejected form writes nothing: no visit, no import, no rejects row
    assert (_count(cur, "visits"), _count(cur, "imports"), _count(cur, "rejects")) == (0, 0, 0)


def test_a_date_in_the_future_is_rejected(cur):
    tomorrow = datetime.now() + timedelta(days=1)
    form = VisitForm(visited_at=tomorrow, lat=TENSTA[0], lon=TENSTA[1])
    result = log_visit(cur, form, actor="tester")
    assert result.outcome == "rejected" and result.reason_code == "future_date"
    assert "i framtiden" in result.reason_sv and "in the future" in result.reason_en
    assert _count(cur, "visits") == 0


def test_coordinates_outside_stockholm_are_rejected(cur):
    form = VisitForm(visited_at=datetime(2025, 11, 4, 12, 0), lat=UPPSALA[0], lon=UPPSALA[1])
    result = log_visit(cur, form, actor="tester")
    assert result.outcome == "rejected" and result.reason_code == "outside_area"
    assert "(59.85860, 17.63890)" in result.reason_en and "utanför" in result.reason_sv
    assert (_count(cur, "visits"), _count(cur, "places")) == (0, 0)


def test_no_location_and_unreadable_coordinates_are_rejected(cur):
    when = datetime(2025, 11, 4, 12, 0)
    assert log_visit(cur, VisitForm(visited_at=when), actor="t").reason_code == "no_location"
    assert log_visit(cur, VisitForm(visited_at=when, lat="abc", lon="18"), actor="t").reason_code == "bad_coordinates"


def test_identifiers_in_notes_are_scrubbed_and_counted(cur):
    form = VisitForm(visited_at=datetime(2025, 11, 4, 12, 0), lat=TENSTA[0], lon=TENSTA[1],
                     notes="Ring 070-123 45 67 eller anna@example.se, två tält", team="EU1")
    result = log_visit(cur, form, actor="tester")
    assert result.outcome == "imported" and result.removed_identifiers == 2
    (notes,) = cur.execute("SELECT notes FROM visits").fetchone()
    assert notes == f"Ring {REDACTED} eller {REDACTED}, två tält"
    dump = " ".join(str(r) for table in ("visits", "imports", "audit", "places")
                    for r in cur.execute(f"SELECT * FROM {table}").fetchall())
    assert "123 45 67" not in dump and "anna@" not in dump


def test_the_same_form_twice_is_a_duplicate(cur):
    _add_place(cur)
    form = VisitForm(visited_at=datetime(2025, 11, 4, 21, 30), place_id="p-hot", people=3, notes="lugnt")
    first = log_visit(cur, form, actor="tester")
    second = log_visit(cur, form, actor="tester")
    assert (first.outcome, second.outcome) == ("imported", "duplicate")
    assert second.place_name == "Hötorget" and second.import_id is None
    # the duplicate wrote nothing: one visit, one import
    assert (_count(cur, "visits"), _count(cur, "imports"), _count(cur, "rejects")) == (1, 1, 0)


def test_known_places_lists_active_places_by_name(cur):
    _add_place(cur, "p2", "Östermalm", "sleeping_place")
    _add_place(cur, "p1", "Akalla", "encampment")
    _add_place(cur, "p3", "Borta", "other")
    cur.execute("UPDATE places SET cleared_at = ? WHERE place_id = 'p3'", [store.utcnow()])
    assert known_places(cur)["place_id"].tolist() == ["p1", "p2"]
