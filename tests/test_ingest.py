"""Import of the canonical visits CSV: accounting, reasons, dedupe, privacy, transactions."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from geo import ingest, store
from geo.ingest import NotAVisitsFileError
from geo.privacy import contains_identifier
from geo.readers import UnreadableFileError

from conftest import DATA

CANONICAL = DATA / "visits_canonical.csv"
NOW = datetime(2026, 11, 24, 12, 0)  # naive UTC


def _rejects(cur, import_id: str) -> dict[int, str]:
    rows = cur.execute("SELECT row_number, reason_code FROM rejects WHERE import_id = ?", [import_id]).fetchall()
    return dict(rows)


def test_every_row_ends_in_exactly_one_outcome(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    assert (summary.rows, summary.imported, summary.duplicates, summary.rejected) == (19, 7, 1, 11)
    assert summary.rows == summary.imported + summary.duplicates + summary.rejected
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 7


def test_each_rejected_row_has_its_row_number_and_reason(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    assert _rejects(cur, summary.import_id) == {
        7: "outside_area", 8: "future_date", 9: "bad_date", 10: "bad_people",
        11: "children_exceed_people", 12: "bad_people", 13: "bad_kind", 14: "bad_acute",
        15: "no_location", 16: "unknown_place", 17: "bad_referral",
    }
    sv, en, column = cur.execute(
        "SELECT reason_sv, reason_en, column_name FROM rejects WHERE row_number = 9"
    ).fetchone()
    assert "igår" in sv and "igår" in en and column == "visited_at"
    outside_sv, outside_en = cur.execute(
        "SELECT reason_sv, reason_en FROM rejects WHERE reason_code = 'outside_area'").fetchone()
    # Uppsala: where it landed, and how far outside (about 48 km)
    assert "(59.86000, 17.64000)" in outside_en and " km outside" in outside_en
    assert 45 < float(outside_en.split(" lies ")[1].split(" km")[0]) < 52 and "km utanför" in outside_sv


def test_reimport_adds_nothing(cur):
    ingest.import_file(cur, CANONICAL, now=NOW)
    again = ingest.import_file(cur, CANONICAL, now=NOW)
    assert again.imported == 0 and again.duplicates == 8 and again.rejected == 11
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 7
    assert cur.execute("SELECT count(*) FROM imports").fetchone()[0] == 2


def test_rows_without_visit_id_are_deduplicated_by_content(cur, tmp_path: Path):
    path = tmp_path / "noid.csv"
    path.write_text(
        "visited_at,lat,lon,people\n2026-11-01 22:00,59.3309,18.0593,2\n2026-11-01 22:00,59.3309,18.0593,3\n",
        encoding="utf-8",
    )
    first = ingest.import_file(cur, path, now=NOW)
    second = ingest.import_file(cur, path, now=NOW)
    assert (first.imported, first.duplicates) == (2, 0)
    assert (second.imported, second.duplicates) == (0, 2)


def test_places_are_created_matched_by_name_and_by_distance(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    assert summary.new_places == 4
    per_place = dict(cur.execute(
        "SELECT p.name, count(*) FROM visits v JOIN places p USING (place_id) GROUP BY p.name"
    ).fetchall())
    assert per_place["T-Centralen uppgång Vasagatan"] == 2          # v-001 and the swapped v-018
    assert per_place["Tantolunden norra slänten"] == 2
    assert sum(per_place.values()) == 7
    kinds = dict(cur.execute("SELECT name, kind FROM places").fetchall())
    assert kinds["Tantolunden norra slänten"] == "encampment"


def test_swapped_coordinates_are_corrected_and_counted(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    assert summary.swapped_coordinates == 1
    lat, lon = cur.execute("SELECT lat, lon FROM visits WHERE visit_id = 'v-018'").fetchone()
    assert (lat, lon) == (59.3309, 18.0593)


def test_times_are_stored_in_utc_and_shifts_derived_in_stockholm_time(cur):
    ingest.import_file(cur, CANONICAL, now=NOW)
    at, shift = cur.execute("SELECT visited_at, shift FROM visits WHERE visit_id = 'v-001'").fetchone()
    assert at == datetime(2026, 11, 2, 21, 15) and shift == "evening"      # Monday 22:15 CET
    assert cur.execute("SELECT shift FROM visits WHERE visit_id = 'v-002'").fetchone()[0] == "day"
    assert cur.execute("SELECT shift FROM visits WHERE visit_id = 'v-018'").fetchone()[0] == "weekend"  # Saturday


def test_identifiers_never_reach_the_database(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    assert summary.removed_identifiers == {"personal_ids": 0, "phones": 1, "emails": 1}
    note = cur.execute("SELECT notes FROM visits WHERE visit_id = 'v-003'").fetchone()[0]
    assert "070" not in note and "@" not in note and "tältet" in note
    for table in ("visits", "rejects", "places", "imports", "audit"):
        for row in cur.execute(f"SELECT * FROM {table}").fetchall():
            assert not any(isinstance(v, str) and contains_identifier(v) for v in row), (table, row)


def test_identifiers_are_scrubbed_from_rejected_rows_too(cur, tmp_path: Path):
    path = tmp_path / "rej.csv"
    path.write_text(
        "visited_at,lat,lon,people,notes\nigår,59.33,18.06,1,pnr 19850709-9805 tel 08-123 456 78\n",
        encoding="utf-8",
    )
    summary = ingest.import_file(cur, path, now=NOW)
    assert summary.rejected == 1 and summary.removed_identifiers["phones"] == 1
    raw = cur.execute("SELECT raw FROM rejects").fetchone()[0]
    assert "9805" not in raw and "456 78" not in raw


def test_file_that_is_not_a_visits_file_changes_nothing(cur, tmp_path: Path):
    path = tmp_path / "other.csv"
    path.write_text("name,amount\nx,1\n", encoding="utf-8")
    with pytest.raises(NotAVisitsFileError):
        ingest.import_file(cur, path, now=NOW)
    assert cur.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_empty_and_missing_files_are_unreadable(cur, tmp_path: Path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(UnreadableFileError):
        ingest.import_file(cur, empty, now=NOW)
    with pytest.raises(UnreadableFileError):
        ingest.import_file(cur, tmp_path / "missing.csv", now=NOW)


def test_rows_the_reader_cannot_split_are_rejected_not_lost(cur, tmp_path: Path):
    path = tmp_path / "ragged.csv"
    path.write_text(
        "visited_at,lat,lon,people\n"
        "2026-11-01 22:00,59.3309,18.0593,2\n"
        "2026-11-01 22:05,59.3309,18.0593,2,extra\n"
        "2026-11-01 22:10,59.3309\n"
        "2026-11-01 22:15,59.3232,18.0676,1\n",
        encoding="utf-8",
    )
    summary = ingest.import_file(cur, path, now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (4, 2, 2)
    assert _rejects(cur, summary.import_id) == {2: "too_many_fields", 3: "too_few_fields"}


def test_import_is_all_or_nothing(cur, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "audit", boom)  # fails after visits were inserted
    with pytest.raises(RuntimeError):
        ingest.import_file(cur, CANONICAL, now=NOW)
    for table in ("visits", "places", "imports", "rejects"):
        assert cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_summary_is_recorded_with_the_import(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    stored = json.loads(cur.execute("SELECT summary FROM imports").fetchone()[0])
    assert stored["imported"] == summary.imported and stored["reject_reasons"]["bad_people"] == 2
    action = cur.execute("SELECT action FROM audit").fetchone()[0]
    assert action == "import"


def test_dry_run_counts_everything_and_stores_nothing(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW, dry_run=True)
    assert (summary.rows, summary.imported, summary.duplicates, summary.rejected) == (19, 7, 1, 11)
    for table in ("visits", "places", "imports", "rejects", "audit"):
        assert cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    outcomes = ingest.row_outcomes(cur)
    assert list(outcomes["row_number"]) == list(range(1, 20))
    assert outcomes.set_index("row_number").loc[9, "reason_en"].startswith("the date 'igår'")
    assert (outcomes["outcome"] == "imported").sum() == 7


def test_a_corrected_mapping_is_used(cur, tmp_path: Path):
    path = tmp_path / "odd.csv"
    path.write_text("when,y,x,how_many\n2026-11-01 22:00,59.3309,18.0593,2\n", encoding="utf-8")
    with pytest.raises(NotAVisitsFileError):
        ingest.import_file(cur, path, now=NOW)
    summary = ingest.import_file(cur, path, now=NOW,
                                 columns={"visited_at": "when", "lat": "y", "lon": "x", "people": "how_many"})
    assert summary.imported == 1
    assert cur.execute("SELECT people FROM visits").fetchone()[0] == 2
    with pytest.raises(NotAVisitsFileError, match="how_much"):
        ingest.import_file(cur, path, now=NOW, columns={"people": "how_much"})


def test_row_numbers_hold_across_a_large_file(cur, tmp_path: Path):
    """A file of several CSV buffers (numbered by the parsed table's order, which a parallel
    read keeps too): every row keeps its own file row number, around rows the reader rejects
    and rows the checks reject."""
    rows, reader_bad, date_bad = 200_000, {3, 99_999, 150_001}, set(range(7, 200_000, 9_973))
    lines = ["visit_id,visited_at,lat,lon,people,notes"]
    for n in range(1, rows + 1):
        when = f"fel{n}" if n in date_bad else "2026-11-01 22:00"
        extra = ",extra" if n in reader_bad else ""
        lines.append(f"v{n},{when},59.3309,18.0593,{n % 10_000},anteckning om besöket nummer {n}{extra}")
    path = tmp_path / "large.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > 16_000_000

    summary = ingest.import_file(cur, path, now=NOW, dry_run=True)
    assert (summary.rows, summary.imported, summary.rejected) == (rows, rows - 3 - len(date_bad), 3 + len(date_bad))
    outcomes = ingest.row_outcomes(cur)
    assert list(outcomes["row_number"]) == list(range(1, rows + 1))
    rejected = outcomes[outcomes["outcome"] == "rejected"].set_index("row_number")
    assert set(rejected.index) == reader_bad | date_bad
    assert all(rejected.loc[n, "reason_en"].startswith(f"the date 'fel{n}'") for n in date_bad)
    imported = outcomes[outcomes["outcome"] == "imported"]
    assert (imported["people"] == imported["row_number"] % 10_000).all()
