"""Edited submissions update their visit, never double it (issue 11, PRODUCT.md §3).

The exports are written as ODK Central and KoboToolbox write them (tests/edit_exports.py,
which cites the exporters' source); the fixtures in tests/data/edits/ are its output.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import imports, ingest, privacy, profiles, store

sys.path.insert(0, str(Path(__file__).parent))
import edit_exports as ex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDITS = Path(__file__).parent / "data" / "edits"
NOW = datetime(2026, 12, 1, 12, 0)
SHAPES = [("odk", "odk_central", "odk-central"), ("kobo", "kobo", "kobotoolbox")]


def _import(cur, path: Path, actor: str = "lag-a", now: datetime = NOW) -> ingest.ImportSummary:
    name, columns = profiles.columns_for_file(cur, path)
    assert name is not None
    summary = ingest.import_file(cur, path, actor=actor, columns=columns, now=now)
    assert summary.rows == summary.imported + summary.updated + summary.duplicates + summary.rejected
    return summary


def _counts(summary: ingest.ImportSummary) -> tuple[int, int, int, int, int]:
    return summary.rows, summary.imported, summary.updated, summary.duplicates, summary.rejected


def _stable_id(shape: str, sub: ex.Submission) -> str:
    return sub.root_uuid if shape == "odk" else str(sub.kobo_id)


def _as_stored(cur: duckdb.DuckDBPyConnection, source_id: str) -> str:
    """A source id as the database keeps it: a keyed hash when it looks like an identifier
    (a random uuid can hold a digit run shaped like a phone number; geo.ingest hashes it)."""
    if not privacy.contains_identifier(source_id):
        return source_id
    return "x:" + hmac.new(ingest._id_secret(cur), source_id.encode(), hashlib.sha256).hexdigest()[:24]


def _stored(cur) -> dict[str, dict[str, object]]:
    rows = cur.execute(
        """SELECT v.visit_id, v.visited_at, v.lat, v.lon, p.name, v.people, v.children, v.acute,
                  v.referred_to, v.team, v.notes, v.version_id
           FROM visits v JOIN places p USING (place_id)"""
    ).fetchall()
    keys = ("visited_at", "lat", "lon", "place_name", "people", "children", "acute", "referred_to", "team",
            "notes", "version_id")
    return {r[0]: dict(zip(keys, r[1:])) for r in rows}


def _expected(shape: str, sub: ex.Submission, cur: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """What a stored visit holds for this version (as ingest reads the export)."""
    return {
        "visited_at": sub.visited_at.astimezone(timezone.utc).replace(tzinfo=None),
        "lat": round(sub.lat, 7), "lon": round(sub.lon, 7), "place_name": sub.place_name,
        "people": sub.people, "children": sub.children, "acute": sub.acute == "yes",
        "referred_to": sub.referred_to or None, "team": sub.team, "notes": privacy.scrub(sub.notes.strip())[0] or None,
        "version_id": _as_stored(cur, sub.instance_id if shape == "odk" else sub.instance_id.removeprefix("uuid:")),
    }


def test_the_fixtures_are_the_generator_output():
    """tests/data/edits/ is exactly what tests/edit_exports.py writes (regenerate, never hand-edit)."""
    week1, week2 = ex.weeks()
    assert (EDITS / "odk_central_week1.csv").read_text(encoding="utf-8") == ex.odk_central_csv(week1)
    assert (EDITS / "odk_central_week2.csv").read_text(encoding="utf-8") == ex.odk_central_csv(week2)
    assert (EDITS / "kobo_week1.csv").read_bytes() == ex.kobo_csv(week1).encode("utf-8")
    assert (EDITS / "kobo_week2.csv").read_bytes() == ex.kobo_csv(week2).encode("utf-8")


@pytest.mark.parametrize("shape, stem, profile", SHAPES)
def test_week_two_updates_the_two_edited_submissions(cur, shape, stem, profile):
    week1, week2 = ex.weeks()
    first = _import(cur, EDITS / f"{stem}_week1.csv")
    assert _counts(first) == (6, 6, 0, 0, 0)
    second = _import(cur, EDITS / f"{stem}_week2.csv", actor="lag-b")
    assert _counts(second) == (8, 2, 2, 4, 0)
    stored = _stored(cur)
    assert len(stored) == 8 and cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 8
    for sub in week2:  # one visit per submission, holding its latest values
        assert stored[_stable_id(shape, sub)] == _expected(shape, sub, cur)
    edited = stored[_stable_id(shape, week2[2])]
    assert edited["notes"] == "Hänvisad, ring [borttaget]" and edited["acute"] is True
    assert cur.execute("SELECT count(*) FROM visits WHERE import_id = ?", [second.import_id]).fetchone()[0] == 4

    # the history and the --json summary carry the fourth outcome
    history = imports.import_history(cur)
    assert list(history[["rows", "imported", "updated", "duplicates", "rejected"]].iloc[0]) == [8, 2, 2, 4, 0]
    assert json.loads(cur.execute("SELECT summary FROM imports WHERE import_id = ?",
                                  [second.import_id]).fetchone()[0])["updated"] == 2

    # the audit keeps what was replaced, before and after, with no identifier or staff name
    details = json.loads(cur.execute("SELECT details FROM audit WHERE action = 'visits_updated'").fetchone()[0])
    assert details["import_id"] == second.import_id and details["visits"] == 2
    changes = {c["visit_id"]: c["changed"] for c in details["changes"]}
    assert changes[_stable_id(shape, week2[1])] == {"people": ["2", "3"]}
    assert changes[_stable_id(shape, week2[2])] == {
        "acute": ["false", "true"], "referred_to": [None, "socialjouren"],
        "notes": ["Sov vid uppgången", "Hänvisad, ring [borttaget]"]}
    everything = json.dumps([cur.execute(f"SELECT * FROM {t}").fetchall()
                             for t in ("visits", "visit_versions", "audit", "imports", "places")], default=str)
    for secret in ("070-123", "070", "EU-team telefon", "eu_team_stockholm"):
        assert secret not in everything

    # the same export again: all duplicates; the older week-1 export never rolls a visit back
    assert _counts(_import(cur, EDITS / f"{stem}_week2.csv")) == (8, 0, 0, 8, 0)
    assert _counts(_import(cur, EDITS / f"{stem}_week1.csv")) == (6, 0, 0, 6, 0)
    assert _stored(cur) == stored


@pytest.mark.parametrize("shape, stem, profile", SHAPES)
def test_undo_after_an_update_restores_the_previous_versions(cur, shape, stem, profile):
    week1, week2 = ex.weeks()
    first = _import(cur, EDITS / f"{stem}_week1.csv")
    second = _import(cur, EDITS / f"{stem}_week2.csv")
    with pytest.raises(imports.UndoRefusedError, match=f"import {second.import_id} .* later updated 2 of its visits"):
        imports.undo_import(cur, first.import_id, actor="teamledare")
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 8  # the refusal changed nothing

    result = imports.undo_import(cur, second.import_id, actor="teamledare")
    assert (result.visits_removed, result.visits_restored, result.places_removed) == (2, 2, 2)
    stored = _stored(cur)
    assert len(stored) == 6
    for sub in week1:  # the week-1 versions are back, none missing, none doubled
        assert stored[_stable_id(shape, sub)] == _expected(shape, sub, cur)
    assert cur.execute("SELECT count(*) FROM visit_versions").fetchone()[0] == 0
    assert {r[0] for r in cur.execute("SELECT DISTINCT import_id FROM visits").fetchall()} == {first.import_id}
    audit = json.loads(cur.execute("SELECT details FROM audit WHERE action = 'import_undone'").fetchone()[0])
    assert audit["visits_restored"] == 2

    # week 2 again updates again; undoing both, newest first, leaves nothing behind
    again = _import(cur, EDITS / f"{stem}_week2.csv")
    assert _counts(again) == (8, 2, 2, 4, 0)
    imports.undo_import(cur, again.import_id, actor="teamledare")
    imports.undo_import(cur, first.import_id, actor="teamledare")
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    assert cur.execute("SELECT count(*) FROM places").fetchone()[0] == 0


def test_a_stable_id_twice_in_one_file_keeps_the_later_version(cur, tmp_path):
    """Two exports joined in time order: the later row of a submission wins, the earlier is a duplicate."""
    week1, week2 = ex.weeks()
    joined = tmp_path / "joined.csv"
    joined.write_text(ex.odk_central_csv(week1 + week2), encoding="utf-8")
    assert _counts(_import(cur, joined)) == (14, 8, 0, 6, 0)
    stored = _stored(cur)
    for sub in week2:
        assert stored[sub.root_uuid] == _expected("odk", sub, cur)
    # week 1's versions of the two edited submissions were never stored: an earlier row of a
    # submission whose latest version is stored must still not win and roll it back
    assert _counts(_import(cur, joined)) == (14, 0, 0, 14, 0)
    assert _stored(cur) == stored


def test_without_a_version_id_the_old_rule_stays(cur, tmp_path):
    """A file with a visit id but no version id: a stored id is a duplicate, as before."""
    path = tmp_path / "plain.csv"
    path.write_text("visit_id,visited_at,lat,lon,people\nv-1,2026-11-20 21:00,59.3309,18.0593,2\n", encoding="utf-8")
    ingest.import_file(cur, path, now=NOW)
    path.write_text("visit_id,visited_at,lat,lon,people\nv-1,2026-11-20 21:00,59.3309,18.0593,5\n", encoding="utf-8")
    summary = ingest.import_file(cur, path, now=NOW)
    assert _counts(summary) == (1, 0, 0, 1, 0)
    assert cur.execute("SELECT people, version_id FROM visits").fetchall() == [(2, None)]


def test_a_visit_stored_before_versions_is_updated_only_when_a_value_differs(cur, tmp_path):
    """Visits imported before the profiles named a version id have none: an unchanged
    re-export is a duplicate, an edited one an update."""
    week1, week2 = ex.weeks()
    plain = tmp_path / "plain.csv"  # the week-1 export as the old ODK profile stored it: KEY, no version
    name, columns = profiles.columns_for_file(cur, EDITS / "odk_central_week1.csv")
    ingest.import_file(cur, EDITS / "odk_central_week1.csv", columns={**columns, "version_id": ""}, now=NOW)
    assert cur.execute("SELECT count(*) FROM visits WHERE version_id IS NULL").fetchone()[0] == 6
    plain.write_text(ex.odk_central_csv(week2), encoding="utf-8")
    assert _counts(_import(cur, plain)) == (8, 2, 2, 4, 0)


def test_the_cli_json_line_has_updated(db_path):
    def run(path: Path) -> dict[str, object]:
        done = subprocess.run([sys.executable, "-m", "geo", "import", str(path), "--json", "--db", str(db_path)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "uppdaterade/updated" in done.stdout
        return json.loads(done.stdout.strip().splitlines()[-1])

    run(EDITS / "kobo_week1.csv")
    line = run(EDITS / "kobo_week2.csv")
    assert (line["rows"], line["imported"], line["updated"], line["duplicates"], line["rejected"]) == (8, 2, 2, 4, 0)
    assert line["rows"] == line["imported"] + line["updated"] + line["duplicates"] + line["rejected"]


def test_the_import_page_shows_updated_in_the_preview_the_summary_and_the_history(monkeypatch, db_path):
    from streamlit.testing.v1 import AppTest

    _import(store.cursor(db_path), EDITS / "odk_central_week1.csv", now=store.utcnow())  # the page imports now
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    week2 = EDITS / "odk_central_week2.csv"
    at.file_uploader[0].set_value((week2.name, week2.read_bytes(), "text/csv")).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Rows": "8", "To import": "2", "To update": "2", "Duplicates": "4", "Rejected": "0"}
    assert store.cursor(db_path).execute("SELECT count(*) FROM visit_versions").fetchone()[0] == 0  # a dry run
    at.button(key="imp_go").click().run()
    assert not at.exception
    assert any("8 rows = 2 imported + 2 updated + 4 duplicates + 0 rejected" in s.value for s in at.success)
    history = next(d.value for d in at.dataframe if "Updated" in d.value.columns)
    assert list(history["Updated"]) == [2, 0]
    at.session_state["lang"] = "sv"
    at.run()
    history = next(d.value for d in at.dataframe if "Uppdaterade" in d.value.columns)
    assert list(history["Uppdaterade"]) == [2, 0]


def test_retention_removes_the_replaced_versions_with_the_visits(cur):
    from geo import retention

    _import(cur, EDITS / "kobo_week1.csv")
    _import(cur, EDITS / "kobo_week2.csv")
    assert cur.execute("SELECT count(*) FROM visit_versions").fetchone()[0] == 2
    retention.apply_retention(cur, 0, actor="admin", now=NOW)
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    assert cur.execute("SELECT count(*) FROM visit_versions").fetchone()[0] == 0


# ------------------------------------------------------------------------- property

_NOTES = st.text(alphabet="abc åäö,;\"'", max_size=12)
_EDIT = st.fixed_dictionaries({}, optional={
    "people": st.integers(0, 9),
    "notes": _NOTES,
    "place": st.integers(0, len(ex._PLACES) - 1),
    "minutes": st.integers(-90, 90),
    "acute": st.sampled_from(["yes", "no"]),
})
_STEP = st.tuples(
    st.lists(st.booleans(), min_size=5, max_size=5),                           # which submissions the export holds
    st.lists(st.tuples(st.integers(0, 4), _EDIT), max_size=3),                # edits made before it
    st.booleans(),                                                             # joined with the previous export
)


def _apply(sub: ex.Submission, change: dict[str, object], rng) -> ex.Submission:
    fields: dict[str, object] = {}
    if "people" in change:
        fields["people"] = change["people"]
        fields["children"] = min(sub.children, int(change["people"]))
    if "notes" in change:
        fields["notes"] = change["notes"]
    if "place" in change:
        name, kind, lat, lon = ex._PLACES[int(change["place"])]
        fields.update(place_name=name, place_type=kind, lat=lat, lon=lon)
    if "minutes" in change:
        fields["visited_at"] = sub.visited_at + timedelta(minutes=int(change["minutes"]))
    if "acute" in change:
        fields["acute"] = change["acute"]
    return ex.edited(sub, rng, **fields)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=st.sampled_from(["odk", "kobo"]), steps=st.lists(_STEP, min_size=1, max_size=3))
def test_any_sequence_of_exports_ends_with_one_visit_per_submission_holding_its_latest_values(shape, steps):
    import random

    rng = random.Random(len(steps))
    current = list(ex.weeks()[0][:5])
    exported: dict[str, ex.Submission] = {}  # stable id → the latest version any export carried
    previous: list[ex.Submission] = []
    folder = Path(tempfile.mkdtemp(prefix="uppsok-edits-"))
    db = folder / "outreach.duckdb"
    try:
        cur = store.cursor(db)
        for n, (holds, edits, joined) in enumerate(steps):
            for index, change in edits:
                current[index] = _apply(current[index], change, rng)
            subs = [s for s, keep in zip(current, holds) if keep]
            rows = (previous + subs) if joined else subs
            path = ex.write(folder / f"export-{n}.csv", shape, rows)
            summary = _import(cur, path)  # asserts rows = imported + updated + duplicates + rejected
            assert summary.rows == len(rows) and summary.rejected == 0
            for sub in rows:
                exported[_stable_id(shape, sub)] = sub  # later rows are newer: joined exports keep time order
            previous = subs
        stored = _stored(cur)
        assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == len(stored) == len(exported)
        for stable_id, sub in exported.items():
            assert stored[_as_stored(cur, stable_id)] == _expected(shape, sub, cur)
    finally:
        store.close(db)
        shutil.rmtree(folder, ignore_errors=True)


def test_an_older_odk_export_imported_after_a_newer_one_does_not_roll_edits_back(cur) -> None:
    """Week 2 first, then week 1 (a colleague's older download): ODK Central's `KEY` is the
    submission's first instanceID, so a row whose `meta-instanceID` equals its `KEY` is the
    unedited original and never replaces a stored edit."""
    _import(cur, EDITS / "odk_central_week2.csv")
    newest = _stored(cur)
    older = _import(cur, EDITS / "odk_central_week1.csv")
    assert _counts(older) == (6, 0, 0, 6, 0)
    assert _stored(cur) == newest
