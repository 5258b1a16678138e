"""geo.imports on real DuckDB files and real visits files: history, undo, rejects, preview."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from conftest import DATA
from geo import imports, ingest
from geo.columns import map_headers
from geo.exports import to_safe_csv

CANONICAL = DATA / "visits_canonical.csv"  # 19 rows: 7 imported, 1 duplicate, 11 rejected, 4 new places
NOW = datetime(2026, 12, 1, 10, 0)  # naive UTC; 11:00 in Stockholm (CET)


def _count(cur, sql: str, params: list | None = None) -> int:
    return int(cur.execute(sql, params or []).fetchone()[0])


def _state(cur) -> tuple[int, ...]:
    return tuple(_count(cur, f"SELECT count(*) FROM {table}")
                 for table in ("visits", "places", "imports", "rejects", "audit"))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_history_lists_imports_newest_first_in_stockholm_time(cur, tmp_path):
    first = ingest.import_file(cur, CANONICAL, actor="lag-a", now=NOW)
    other = _write(tmp_path / "more.csv", "visit_id,visited_at,lat,lon,place_type\nx-1,2026-11-20 10:00,59.3150,18.0700,sovplats\n")
    second = ingest.import_file(cur, other, actor="cli", now=datetime(2026, 12, 2, 8, 30))
    history = imports.import_history(cur)
    assert list(history.columns) == ["import_id", "file", "when", "actor", "rows", "imported", "updated",
                                     "duplicates", "rejected", "undone", "undone_by"]
    assert list(history["import_id"]) == [second.import_id, first.import_id]
    row = history.iloc[1]
    assert (row["file"], row["when"], row["actor"]) == ("visits_canonical.csv", "2026-12-01 11:00", "lag-a")
    assert (row["rows"], row["imported"], row["duplicates"], row["rejected"]) == (19, 7, 1, 11)
    assert row["undone"] is None and history.iloc[0]["when"] == "2026-12-02 09:30"
    assert imports.undoable_imports(cur) == [second.import_id, first.import_id]


def test_undo_removes_the_visits_and_created_places_and_is_audited(cur):
    summary = ingest.import_file(cur, CANONICAL, actor="lag-a", now=NOW)
    assert _count(cur, "SELECT count(*) FROM visits") == 7
    assert _count(cur, "SELECT count(*) FROM places") == summary.new_places == 4
    rejects_before = _count(cur, "SELECT count(*) FROM rejects")

    result = imports.undo_import(cur, summary.import_id, actor="teamledare")
    assert (result.visits_removed, result.places_removed, result.places_kept) == (7, 4, 0)
    assert _count(cur, "SELECT count(*) FROM visits") == 0
    assert _count(cur, "SELECT count(*) FROM places") == 0
    # the import row and its rejects stay, so the history still says what happened
    assert _count(cur, "SELECT count(*) FROM rejects") == rejects_before == 11
    undone_at, undone_by = cur.execute(
        "SELECT undone_at, undone_by FROM imports WHERE import_id = ?", [summary.import_id]).fetchone()
    assert undone_at is not None and undone_by == "teamledare"
    actor, details = cur.execute(
        "SELECT actor, details FROM audit WHERE action = 'import_undone'").fetchone()
    assert actor == "teamledare"
    assert json.loads(details) == {"import_id": summary.import_id, "file": "visits_canonical.csv",
                                   "visits_removed": 7, "visits_restored": 0, "places_removed": 4,
                                   "places_kept": 0}
    history = imports.import_history(cur)
    assert history.iloc[0]["undone"] is not None and history.iloc[0]["undone_by"] == "teamledare"
    assert imports.undoable_imports(cur) == []


def test_undo_keeps_places_that_other_imports_use(cur, tmp_path):
    first = ingest.import_file(cur, CANONICAL, now=NOW)
    # a later file visits two of the places the first one created, by name
    later = _write(tmp_path / "later.csv",
                   "visit_id,visited_at,place_name,place_type,people\n"
                   "w-1,2026-11-20 21:00,Tantolunden norra slänten,boplats,4\n"
                   "w-2,2026-11-21 21:00,T-Centralen uppgång Vasagatan,sovplats,1\n")
    second = ingest.import_file(cur, later, now=NOW)
    assert (second.imported, second.new_places) == (2, 0)
    shared = {r[0] for r in cur.execute("SELECT DISTINCT place_id FROM visits WHERE import_id = ?",
                                        [second.import_id]).fetchall()}

    result = imports.undo_import(cur, first.import_id, actor="cli")
    assert (result.visits_removed, result.places_removed, result.places_kept) == (7, 2, 2)
    assert {r[0] for r in cur.execute("SELECT place_id FROM places").fetchall()} == shared
    assert _count(cur, "SELECT count(*) FROM visits") == 2  # the later import's visits are untouched
    assert _count(cur, "SELECT count(*) FROM visits v ANTI JOIN places p USING (place_id)") == 0


def test_reimport_after_undo_imports_the_rows_again(cur):
    first = ingest.import_file(cur, CANONICAL, now=NOW)
    again = ingest.import_file(cur, CANONICAL, now=NOW)
    assert (again.imported, again.duplicates) == (0, 8)  # idempotent while the first import stands
    imports.undo_import(cur, first.import_id, actor="cli")
    third = ingest.import_file(cur, CANONICAL, now=NOW)
    assert (third.rows, third.imported, third.duplicates, third.rejected) == (19, 7, 1, 11)
    assert third.new_places == 4
    assert _count(cur, "SELECT count(*) FROM visits") == 7
    assert _count(cur, "SELECT count(DISTINCT visit_id) FROM visits") == 7
    assert len({first.import_id, again.import_id, third.import_id}) == 3


@pytest.mark.parametrize("case", ["unknown", "already_undone", "demo"])
def test_undo_refusals_change_nothing(cur, case):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    # the demo's import row, as geo.demo writes it, with one visit
    cur.execute("INSERT INTO imports (import_id, file_name, started_at, actor, rows, imported, duplicates, rejected) "
                "VALUES ('demo', 'demo', ?, 'demo', 1, 1, 0, 0)", [NOW])
    cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift, import_id) "
                "SELECT 'd-1', place_id, ?, 'day', 'demo' FROM places LIMIT 1", [NOW])
    target = {"unknown": "imp-nope", "already_undone": summary.import_id, "demo": "demo"}[case]
    if case == "already_undone":
        imports.undo_import(cur, summary.import_id, actor="cli")
    before = _state(cur)
    with pytest.raises(imports.UndoRefusedError) as refused:
        imports.undo_import(cur, target, actor="cli")
    message = str(refused.value)
    expected = {"unknown": ("finns inte", "does not exist"), "already_undone": ("redan ångrad", "already undone"),
                "demo": ("Demodata", "demo data")}[case]
    assert expected[0] in message and expected[1] in message and " / " in message
    assert _state(cur) == before


def test_rejects_frame_gives_the_rejected_rows_with_reasons(cur):
    summary = ingest.import_file(cur, CANONICAL, now=NOW)
    assert imports.latest_import_id(cur) == summary.import_id
    frame = imports.rejects_frame(cur, summary.import_id)
    assert len(frame) == 11 and list(frame["row_number"]) == list(range(7, 18))
    assert list(frame.columns[:5]) == ["row_number", "column_name", "reason_code", "reason_sv", "reason_en"]
    assert "notes" in frame.columns and "visited_at" in frame.columns
    assert "'-1" in to_safe_csv(frame)  # people = -1 cannot run as a formula
    table = imports.rejects_table(frame, "en")
    assert list(table.columns[:3]) == ["Row", "Column", "Reason"]
    assert table["Reason"].iloc[1] == "the date '2099-01-01 10:00' is in the future"
    with pytest.raises(imports.UnknownImportError):
        imports.rejects_frame(cur, "imp-nope")


def test_rejects_table_of_an_import_without_rejects(cur, tmp_path):
    clean = _write(tmp_path / "ok.csv", "visited_at,lat,lon\n2026-11-20 10:00,59.3150,18.0700\n")
    summary = ingest.import_file(cur, clean, now=NOW)
    frame = imports.rejects_frame(cur, summary.import_id)
    assert frame.empty
    assert list(imports.rejects_table(frame, "sv").columns) == ["Rad", "Kolumn", "Skäl"]


def test_preview_stores_nothing_and_follows_the_mapping(cur, db_path):
    before = _state(cur)
    found = imports.detect_mapping(cur, imports.file_headers(CANONICAL))
    assert found.profile is None
    detected = found.mapping.columns
    shown = imports.preview(cur, CANONICAL, "besök.csv", imports.full_mapping(detected))
    s = shown.summary
    assert (s.rows, s.imported, s.duplicates, s.rejected, s.file_name) == (19, 7, 1, 11, "besök.csv")
    assert _state(cur) == before
    assert list(shown.outcomes["outcome"].value_counts().sort_index().items()) == [
        ("duplicate", 1), ("imported", 7), ("rejected", 11)]
    table = imports.preview_table(shown.outcomes, "sv", limit=5)
    assert len(table) == 5 and list(table["Blir"]) == ["importeras"] * 5
    assert list(imports.preview_table(shown.outcomes, "en")["Becomes"].unique()) == [
        "imported", "rejected", "duplicate"]

    # the user says the file has no notes column: it is reported, not stored
    unmapped = imports.preview(cur, CANONICAL, "besök.csv", imports.full_mapping({**detected, "notes": None}))
    assert "notes" in unmapped.summary.unknown_columns and "notes" not in unmapped.summary.column_mapping
    # without a date column it is not a visits file, and says so in both languages
    with pytest.raises(ingest.NotAVisitsFileError, match="visited_at"):
        imports.preview(cur, CANONICAL, "x.csv", imports.full_mapping({**detected, "visited_at": ""}))
    assert _state(cur) == before


@pytest.mark.parametrize(("fixture", "profile", "counts"), [
    ("odk_central_export.csv", "odk-central", (6, 6, 0, 0)),
    ("kobo_export.csv", "kobotoolbox", (5, 4, 0, 1)),
])
def test_field_app_exports_are_preset_from_their_builtin_profile(cur, fixture, profile, counts):
    found = imports.detect_mapping(cur, imports.file_headers(DATA / fixture))
    assert found.profile == profile
    shown = imports.preview(cur, DATA / fixture, fixture, imports.full_mapping(found.mapping.columns))
    s = shown.summary
    assert (s.rows, s.imported, s.duplicates, s.rejected) == counts


def test_an_empty_override_blocks_detection():
    headers = ["id", "datum", "lat", "lon"]
    assert map_headers(headers).columns["visit_id"] == "id"
    mapping = map_headers(headers, overrides={"visit_id": ""})
    assert "visit_id" not in mapping.columns and mapping.unknown == ["id"]
    assert mapping.columns["date"] == "datum"


def test_save_upload_keeps_the_suffix_only_and_remove_upload_deletes_it(tmp_path):
    path, digest = imports.save_upload(b"a,b\n1,2\n", "../../etc/besök 850709-9805.CSV", directory=tmp_path)
    assert path.name == "upload.csv" and path.read_bytes() == b"a,b\n1,2\n"  # no name from the user on disk
    assert tmp_path in path.parents and len(digest) == 64
    assert imports.save_upload(b"a,b\n1,2\n", "besök 1.csv", directory=tmp_path) == (path, digest)
    imports.remove_upload(path)
    assert not path.exists() and not path.parent.exists()


def test_to_safe_csv_neutralises_formula_cells():
    import pandas as pd

    text = to_safe_csv(pd.DataFrame({"a": ["=SUM(A1)", "+1", "@x", "ok", None], "n": [1, 2, 3, 4, 5]}))
    assert text.splitlines() == ["a,n", "'=SUM(A1),1", "'+1,2", "'@x,3", "ok,4", ",5"]


def test_the_preview_table_shows_a_missing_head_count_as_empty_not_none(cur, tmp_path):
    """A row without a head count shows an empty cell; Streamlit draws a missing number as 'None'."""
    path = tmp_path / "utan_antal.csv"
    path.write_text("visited_at,lat,lon,place_name,people\n2026-11-20 22:00,59.3121,18.0466,Tantolunden,\n"
                    "2026-11-20 22:10,59.3158,18.0340,Hornstull,3\n", encoding="utf-8")
    shown = imports.preview(cur, path, path.name, imports.full_mapping(
        imports.detect_mapping(cur, imports.file_headers(path)).mapping.columns))
    people = imports.preview_table(shown.outcomes, "sv")["Personer"]
    assert not people.isna().any()
    assert list(people.astype(str)) == ["", "3"]
