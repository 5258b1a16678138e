"""Field-app exports import with no hand mapping: built-in ODK Central and KoboToolbox
profiles, saved profiles, `--profile` on the CLI, and the shipped XLSForm."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from geo import ingest, profiles, readers, store

from conftest import DATA, ROOT

NOW = datetime(2026, 11, 24, 12, 0)
FORM = ROOT / "forms" / "uppsok_besok.xlsx"
SV, EN = "Svenska (sv)", "English (en)"


def _cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args, "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


# ------------------------------------------------------------------ detection and mapping

def test_detects_each_app_from_its_headers():
    assert profiles.detect_profile(readers.peek_headers(DATA / "odk_central_export.csv")) == "odk-central"
    assert profiles.detect_profile(readers.peek_headers(DATA / "kobo_export.csv")) == "kobotoolbox"
    assert profiles.detect_profile(readers.peek_headers(DATA / "visits_canonical.csv")) is None


def test_group_prefixes_are_stripped_and_app_metadata_never_matches_an_alias():
    odk = ["SubmissionDate", "visit-visited_at", "visit-gps-Latitude", "visit-gps-Longitude", "visit-gps-Altitude",
           "visit-gps-Accuracy", "visit-people", "visit-antal_barn", "meta-instanceID", "KEY", "SubmitterName"]
    assert profiles.resolve_builtin("odk-central", odk) == {
        "visited_at": "visit-visited_at", "people": "visit-people", "children": "visit-antal_barn",
        "lat": "visit-gps-Latitude", "lon": "visit-gps-Longitude", "visit_id": "KEY",
        "version_id": "meta-instanceID"}
    kobo = ["start", "end", "besok/plats", "besok/_plats_latitude", "besok/_plats_longitude", "besok/notes",
            "_id", "_uuid", "_notes", "_submission_time", "_submitted_by"]
    # `_id` would be `id` and `_notes` would be `notes` by alias: app metadata is kept out.
    assert profiles.resolve_builtin("kobotoolbox", kobo) == {
        "place_name": "besok/plats", "notes": "besok/notes", "lat": "besok/_plats_latitude",
        "lon": "besok/_plats_longitude", "visit_id": "_id", "version_id": "_uuid", "visited_at": "start"}


def test_kobo_geolocation_in_one_column_is_split_latitude_first(cur, tmp_path: Path):
    path = tmp_path / "kobo_geolocation.csv"
    path.write_text(
        '"today";"antal";"_geolocation";"_id";"_uuid";"_submission_time"\n'
        '"2026-11-03T21:40:00+01:00";"2";"[59.3309, 18.0593]";"1";"u-1";"2026-11-03T20:50:00"\n'
        '"2026-11-03T22:10:00+01:00";"0";"59.3232 18.0676 12 5";"2";"u-2";"2026-11-03T21:20:00"\n'
        '"2026-11-03T22:30:00+01:00";"1";"";"3";"u-3";"2026-11-03T21:40:00"\n', encoding="utf-8")
    headers = readers.peek_headers(path)
    assert headers[-2:] == ["_geolocation-Latitude", "_geolocation-Longitude"]
    name, columns = profiles.columns_for_file(cur, path)
    assert name == "kobotoolbox" and columns["lat"] == "_geolocation-Latitude"
    columns["visited_at"] = "today"
    summary = ingest.import_file(cur, path, columns=columns, now=NOW)
    assert (summary.rows, summary.imported, summary.rejected) == (3, 2, 1)
    assert summary.reject_reasons == {"no_location": 1}
    assert sorted(cur.execute("SELECT lat, lon FROM visits").fetchall()) == [(59.3232, 18.0676), (59.3309, 18.0593)]


# ------------------------------------------------------------------ the export fixtures

@pytest.mark.parametrize("fixture, profile, counts, ids", [
    ("odk_central_export.csv", "odk-central", (6, 6, 0, 0), "uuid:"),
    ("kobo_export.csv", "kobotoolbox", (5, 4, 0, 1), ""),
])
def test_app_exports_import_with_exact_counts_and_no_mapping(cur, fixture, profile, counts, ids):
    name, columns = profiles.columns_for_file(cur, DATA / fixture)
    assert name == profile
    summary = ingest.import_file(cur, DATA / fixture, columns=columns, now=NOW)
    assert (summary.rows, summary.imported, summary.duplicates, summary.rejected) == counts
    assert summary.removed_identifiers["phones"] == 1
    stored = cur.execute("SELECT visit_id, version_id FROM visits").fetchall()
    assert all(vid.startswith(ids) and len(version) >= 36 for vid, version in stored)
    text = json.dumps(cur.execute("SELECT * FROM visits").fetchall(), default=str)
    assert "070-123" not in text and "08-123" not in text and "EU-team telefon" not in text
    assert "eu_team_stockholm" not in text
    again = ingest.import_file(cur, DATA / fixture, columns=columns, now=NOW)
    assert again.imported == 0 and again.duplicates == counts[1]


def test_odk_times_with_offsets_become_utc_and_codes_are_read(cur):
    _, columns = profiles.columns_for_file(cur, DATA / "odk_central_export.csv")
    ingest.import_file(cur, DATA / "odk_central_export.csv", columns=columns, now=NOW)
    row = cur.execute("""SELECT visited_at, people, children, acute, referred_to, shift FROM visits
                         WHERE visit_id = 'uuid:9a4e2d10-6c3b-47f8-b5d1-8c0a3e6f2b03'""").fetchone()
    assert row == (datetime(2026, 11, 4, 19, 40), 6, 1, True, "socialjouren", "evening")
    summer = cur.execute("SELECT visited_at FROM visits WHERE visit_id LIKE 'uuid:c2d9%'").fetchone()[0]
    assert summer == datetime(2026, 7, 14, 19, 22, 5, 312000)  # +02:00 in July
    kinds = dict(cur.execute("SELECT name, kind FROM places").fetchall())
    assert kinds["Tantolunden norra slänten"] == "encampment"


def test_cli_uses_the_detected_profile_and_says_so(tmp_path: Path):
    db = tmp_path / "cli.duckdb"
    done = _cli("import", str(DATA / "odk_central_export.csv"), "--json", db=db)
    assert done.returncode == 0, done.stderr
    assert "odk-central" in done.stdout.splitlines()[0]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["rows"], result["imported"], result["profile"]) == (6, 6, "odk-central")


def test_cli_unknown_profile_is_one_sentence_and_exit_2(tmp_path: Path):
    done = _cli("import", str(DATA / "kobo_export.csv"), "--profile", "no-such", db=tmp_path / "x.duckdb")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no-such" in done.stderr and "Traceback" not in done.stderr


# ------------------------------------------------------------------ saved profiles

def test_saved_profile_is_audited_listed_and_used_by_the_cli(db_path: Path, tmp_path: Path):
    cur = store.cursor(db_path)
    path = tmp_path / "office.csv"
    path.write_text("Ställe;När;Hur många;Kod\nTantolunden;2026-11-03 21:40;3;B\n", encoding="utf-8")
    with pytest.raises(ingest.NotAVisitsFileError):
        ingest.import_file(cur, path, now=NOW)
    profiles.save_profile(cur, "kontoret", {"place_name": "Ställe", "visited_at": "när", "people": "Hur många",
                                            "team": "Kod"}, actor="teamledare")
    assert profiles.list_profiles(cur) == ["odk-central", "kobotoolbox", "kontoret"]
    assert profiles.load_profile(cur, "kontoret")["visited_at"] == "när"
    audit = cur.execute("SELECT actor, action, details FROM audit WHERE action = 'profile_save'").fetchone()
    assert audit[:2] == ("teamledare", "profile_save") and "kontoret" in audit[2]
    # "när" matches the file's "När": case and accents are forgiven.
    assert profiles.columns_for(cur, "kontoret", readers.peek_headers(path))["visited_at"] == "När"
    with pytest.raises(ValueError):
        profiles.save_profile(cur, "odk-central", {"people": "x"}, actor="a")
    with pytest.raises(ValueError):
        profiles.save_profile(cur, "fel", {"shoe_size": "x"}, actor="a")
    store.close(db_path)
    # Known place needed: the row has a name and no coordinates, so it is rejected as unknown,
    # which still proves the mapping was used (without it the file is not a visits file).
    done = _cli("import", str(path), "--profile", "kontoret", "--json", db=db_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["profile"] == "kontoret" and result["rows"] == 1
    assert result["column_mapping"]["place_name"] == "Ställe"


# ------------------------------------------------------------------ the XLSForm

def _sheet(book, name: str) -> list[dict[str, object]]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def test_xlsform_is_committed_and_matches_its_generator(tmp_path: Path):
    from scripts.make_xlsform import main  # noqa: PLC0415

    assert FORM.exists()
    out = tmp_path / "form.xlsx"
    main(out)
    for name in ("survey", "choices", "settings"):
        fresh = list(load_workbook(out)[name].iter_rows(values_only=True))
        committed = list(load_workbook(FORM)[name].iter_rows(values_only=True))
        assert fresh == committed, f"forms/uppsok_besok.xlsx is stale: run scripts/make_xlsform.py ({name})"


def test_xlsform_structure_languages_and_field_names():
    book = load_workbook(FORM)
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    survey, choices = _sheet(book, "survey"), _sheet(book, "choices")
    for column in ("type", "name", f"label::{SV}", f"label::{EN}", "required", "relevant", "constraint"):
        assert column in survey[0], column
    names = {row["name"]: row for row in survey}
    assert {"visited_at", "location", "place_name", "place_type", "people", "children", "acute",
            "referred_to", "team", "notes"} <= names.keys()
    assert names["location"]["type"] == "geopoint" and names["visited_at"]["type"] == "dateTime"
    assert names["visited_at"]["default"] == "now()"
    assert "${people}" in names["children"]["constraint"]
    assert names["referred_to"]["relevant"] == "${acute} = 'yes'"
    for field in ("team", "notes"):
        assert "namn" in names[field][f"hint::{SV}"] and "name" in names[field][f"hint::{EN}"]
    lists = {row["list_name"] for row in choices}
    for row in survey:
        if str(row["type"]).startswith("select_one"):
            assert row["type"].split()[1] in lists
        if row["type"] not in ("start", "end"):
            assert row[f"label::{SV}"] and row[f"label::{EN}"], row["name"]
    assert all(c[f"label::{SV}"] and c[f"label::{EN}"] for c in choices)
    assert {c["name"] for c in choices if c["list_name"] == "place_type"} == {"sovplats", "boplats", "annan"}
    assert _sheet(book, "settings")[0]["default_language"] == SV


def test_xlsform_converts_to_an_xform_with_pyxform():
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    xform = convert(str(FORM), warnings=warnings).xform
    assert warnings == []
    for node in ("<visited_at/>", "<location/>", "<people/>", "<instanceID/>"):
        assert node in xform
    assert 'lang="Svenska (sv)"' in xform and 'lang="English (en)"' in xform
    assert 'type="geopoint"' in xform and 'event="odk-instance-first-load" value="now()"' in xform


def test_fixture_headers_are_what_the_apps_export_for_this_form():
    """Every form field appears in both exports under the app's own naming."""
    book = load_workbook(FORM)
    fields = [r["name"] for r in _sheet(book, "survey")]
    odk = readers.peek_headers(DATA / "odk_central_export.csv")
    kobo = readers.peek_headers(DATA / "kobo_export.csv")
    expected_odk = ["SubmissionDate"]
    expected_kobo: list[str] = []
    for f in fields:
        if f == "location":
            expected_odk += [f"location-{p}" for p in ("Latitude", "Longitude", "Altitude", "Accuracy")]
            expected_kobo += ["location"] + [f"_location_{p}" for p in ("latitude", "longitude", "altitude",
                                                                          "precision")]
        else:
            expected_odk.append(f)
            expected_kobo.append(f)
    expected_odk += ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                     "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
    expected_kobo += ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                      "_submitted_by", "__version__", "_tags", "_index"]
    assert odk == expected_odk
    assert kobo == expected_kobo
