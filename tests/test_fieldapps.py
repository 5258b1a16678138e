"""Every export shape ODK Central and KoboToolbox write of our own form imports with no
mapping and the right values on every row; another team's form with a `deviceid` field
and a repeat group imports from Central's `.csv.zip` (issue 11). Fixtures: tests/fixtures_fieldapps.py."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from python_calamine import CalamineWorkbook

from geo import forms, ingest, profiles, store
from geo.columns import normalise_header
from geo.visit_form import to_local

import fixtures_fieldapps as fx
from conftest import ROOT

DATA = ROOT / "tests" / "data" / "fieldapps"
NOW = datetime(2026, 11, 25, 12, 0)

OWN_SHAPES = [
    ("odk_central.csv", "odk-central"),
    ("odk_central.csv.zip", "odk-central"),
    ("kobo_xml.csv", "kobotoolbox"),
    ("kobo_labels_sv.csv", "kobotoolbox"),
    ("kobo_labels_en_comma.csv", "kobotoolbox"),
    ("kobo_labels_sv.xlsx", "kobotoolbox"),
    ("kobo_xml.xlsx", "kobotoolbox"),
]


def _import(cur, path: Path) -> tuple[profiles.ImportPlan, ingest.ImportSummary]:
    plan = profiles.plan_for_file(cur, path)
    summary = ingest.import_file(cur, path, columns=plan.columns, values=plan.values,
                                 metadata=plan.metadata, now=NOW)
    return plan, summary


def _all_text(cur) -> str:
    """Every text cell of every table in the database, for the no-staff-name check."""
    chunks = []
    for (table,) in cur.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall():
        chunks.append(json.dumps(cur.execute(f'SELECT * FROM "{table}"').fetchall(), default=str, ensure_ascii=False))
    return "\n".join(chunks)


def test_committed_fixtures_are_what_the_generator_builds(tmp_path: Path):
    built = fx.build(tmp_path)
    assert {p.name for p in built} <= {p.name for p in DATA.iterdir()}
    for path in built:
        committed = DATA / path.name
        if path.suffix == ".xlsx":  # the workbook's own timestamps differ; the cells must not
            rows = lambda p: CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python()  # noqa: E731
            assert rows(path) == rows(committed), path.name
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as a, zipfile.ZipFile(committed) as b:
                assert a.namelist() == b.namelist()
                assert all(a.read(n) == b.read(n) for n in a.namelist()), path.name
        else:
            assert path.read_bytes() == committed.read_bytes(), path.name


def test_kobo_csv_is_semicolon_quoted_crlf_and_has_no_geolocation_column():
    raw = (DATA / "kobo_labels_sv.csv").read_bytes()
    header = raw.split(b"\r\n", 1)[0].decode()
    assert header.startswith('"start";"end";"Tidpunkt för besöket";"Plats (GPS)";"_Plats (GPS)_latitude"')
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert "_geolocation" not in header


@pytest.mark.parametrize("fixture,profile", OWN_SHAPES)
def test_every_shape_of_our_form_imports_exactly(cur, fixture: str, profile: str):
    plan, summary = _import(cur, DATA / fixture)
    assert (plan.profile, plan.form) == (profile, "uppsok_besok (2026112401)")
    assert (summary.rows, summary.imported, summary.duplicates, summary.rejected) == (5, 5, 0, 0)
    stored = cur.execute(
        """SELECT p.name, v.visited_at, p.kind, v.people, v.children, v.acute, v.referred_to
           FROM visits v JOIN places p USING (place_id) ORDER BY v.visited_at"""
    ).fetchall()
    got = [(name, to_local(at).strftime("%Y-%m-%d %H:%M"), kind, people, children, acute, ref)
           for name, at, kind, people, children, acute, ref in stored]
    assert got == fx.EXPECTED
    # the row without GPS joined the place of the first row, by its name
    assert cur.execute("SELECT count(*) FROM places").fetchone()[0] == 4
    text = _all_text(cur)
    assert not any(name in text for name in fx.STAFF_NAMES)


@pytest.mark.parametrize("fixture", [f for f, _ in OWN_SHAPES])
def test_the_geopoint_read_from_its_split_columns_is_not_called_unknown(cur, fixture: str):
    """Kobo writes the geopoint as one column beside its `_NAME_latitude`/`_longitude` split;
    the split is read, so the summary must not list the point among columns 'not stored'."""
    plan, summary = _import(cur, DATA / fixture)
    point = {normalise_header(h) for h in ("location", "Plats (GPS)", "Location (GPS)")}
    assert not point & {normalise_header(h) for h in summary.unknown_columns}, summary.unknown_columns
    assert cur.execute("SELECT count(*) FROM visits WHERE lat IS NOT NULL").fetchone()[0] == 4


def test_the_visit_time_is_the_visits_own_not_start(cur):
    _import(cur, DATA / "kobo_labels_sv.csv")
    first = cur.execute("SELECT min(visited_at) FROM visits").fetchone()[0]
    assert to_local(first) == datetime(2026, 11, 20, 21, 40)  # start was 08:50 the next morning


def test_other_teams_form_with_deviceid_and_a_repeat_imports_from_the_zip(cur):
    plan, summary = _import(cur, DATA / "annat_lag.csv.zip")
    assert plan.profile == "odk-central" and "DeviceID" in plan.metadata and "SubmitterName" in plan.metadata
    assert (summary.rows, summary.imported, summary.rejected) == (2, 2, 0)
    assert summary.skipped_tables == {"annat_lag-personer.csv": 3}
    assert "deviceid" in summary.unknown_columns  # the form's own field: reported, not stored
    rows = cur.execute("SELECT p.name, p.kind, v.people, v.children FROM visits v JOIN places p USING (place_id) "
                       "ORDER BY v.visited_at").fetchall()
    assert rows == [("Slussen under bron", "sleeping_place", 2, 1), ("Kungsträdgården", "other", 1, 0)]
    assert not any(name in _all_text(cur) for name in fx.STAFF_NAMES)


def test_deviceid_form_as_plain_csv_is_not_refused(cur, tmp_path: Path):
    path = tmp_path / "annat_lag.csv"
    with zipfile.ZipFile(DATA / "annat_lag.csv.zip") as z:
        path.write_bytes(z.read("annat_lag.csv"))
    _, summary = _import(cur, path)
    assert (summary.rows, summary.imported) == (2, 2)


def test_kobo_group_prefixes_are_matched(cur):
    plan, summary = _import(cur, DATA / "annat_lag_kobo_groups.csv")
    assert plan.columns["place_name"] == "besok/plats" and plan.columns["lat"] == "besok/_gps_latitude"
    assert (summary.rows, summary.imported) == (2, 2)


def test_xform_as_the_servers_serve_it_reads_like_the_xlsform():
    from pyxform.xls2xform import convert  # what ODK Central and KoboToolbox run on upload

    xlsform = forms.builtin_form()
    xform = forms.read_xform(convert(xlsform=str(forms.BUILTIN_FORM_PATH)).xform)
    assert (xform.form_id, xform.version) == (xlsform.form_id, xlsform.version)
    assert [(f.name, f.groups, f.labels) for f in xform.fields] == [(f.name, f.groups, f.labels) for f in xlsform.fields]
    for f in xlsform.fields:
        assert xform.choice_values(f.name) == xlsform.choice_values(f.name)
    assert xlsform.choice_values("referred_to")["ingen hänvisning"] == "none"


def test_a_label_export_of_another_form_imports_once_its_form_is_saved(cur, db_path: Path):
    path = DATA / "annat_lag_kobo_labels.csv"
    unknown = profiles.plan_for_file(cur, path)  # "När besöket gjordes" is no alias of anything
    assert unknown.form is None and unknown.columns["visited_at"] == "start" and "place_type" not in unknown.columns
    assert profiles.save_form(cur, "annat lag", forms.read_form(DATA / "annat_lag.xlsx"), "teamlead") == "annat lag"
    plan, summary = _import(cur, path)
    assert (plan.profile, plan.form) == ("annat lag", "annat_lag (3)")
    assert plan.columns["visited_at"] == "När besöket gjordes" and plan.columns["lat"] == "_Position_latitude"
    assert "_submitted_by" in plan.metadata
    assert (summary.rows, summary.imported, summary.rejected) == (2, 2, 0)
    rows = cur.execute("SELECT p.name, p.kind, v.people, v.children FROM visits v JOIN places p USING (place_id) "
                       "ORDER BY v.visited_at").fetchall()
    assert rows == [("Slussen under bron", "sleeping_place", 2, 1), ("Kungsträdgården", "other", 1, 0)]
    assert not any(name in _all_text(cur) for name in fx.STAFF_NAMES)
    audit = cur.execute("SELECT action, details FROM audit WHERE action = 'profile_form_save'").fetchall()
    assert len(audit) == 1 and "annat_lag (3)" in audit[0][1]


def test_a_saved_xform_reads_like_the_xlsform(cur, tmp_path: Path):
    from pyxform.xls2xform import convert

    path = tmp_path / "form.xml"
    path.write_text(convert(xlsform=str(DATA / "annat_lag.xlsx")).xform, encoding="utf-8")
    profiles.save_form(cur, "annat lag", forms.read_form(path), "teamlead")
    plan, summary = _import(cur, DATA / "annat_lag_kobo_labels.csv")
    assert plan.profile == "annat lag" and summary.imported == 2
    assert plan.values["place_type"]["sover ute"] == "sovplats"


def test_a_broken_form_file_is_one_sentence(tmp_path: Path):
    path = tmp_path / "form.xml"
    path.write_text("<not a form", encoding="utf-8")
    with pytest.raises(forms.UnreadableFormError, match=r"^form\.xml är ingen formulärdefinition.*/ form\.xml is not"):
        forms.read_form(path)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(list(forms.builtin_form().fields)), st.sampled_from(["", "grupp/", "grupp-"]),
       st.sampled_from(["", "Svenska (sv)", "English (en)"]), st.booleans())
def test_any_spelling_of_a_field_finds_it(field: forms.FormField, prefix: str, lang: str, upper: bool):
    """Name or label in either language, any case, with or without a group prefix."""
    grouped = forms.FormDef("f", "", "", tuple(forms.FormField(f.name, f.type, ("grupp",), f.labels, f.list_name)
                                               for f in forms.builtin_form().fields))
    text = dict(field.labels).get(lang, field.name) if lang else field.name
    header = prefix + (text.upper() if upper else text)
    assert grouped.header_names()[normalise_header(header)] == field.name


def test_cli_names_profile_form_and_skipped_tables(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    done = subprocess.run([sys.executable, "-m", "geo", "import", str(DATA / "annat_lag.csv.zip"),
                           "--json", "--db", str(db)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "annat_lag-personer.csv (3 rader/rows)" in done.stdout
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["profile"], result["form"], result["imported"]) == ("odk-central", None, 2)
    done = subprocess.run([sys.executable, "-m", "geo", "import", str(DATA / "kobo_labels_sv.csv"),
                           "--json", "--db", str(db)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["profile"], result["form"], result["imported"]) == ("kobotoolbox", "uppsok_besok (2026112401)", 5)
    assert "Formulär / form: uppsok_besok (2026112401)." in done.stdout
    # a form given with a saved profile is saved with it: the next import needs no flags
    labels = str(DATA / "annat_lag_kobo_labels.csv")
    done = subprocess.run([sys.executable, "-m", "geo", "import", labels, "--profile", "annat-lag", "--form",
                           str(DATA / "annat_lag.xlsx"), "--json", "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["profile"], result["form"], result["imported"]) == ("annat-lag", "annat_lag (3)", 2)
    done = subprocess.run([sys.executable, "-m", "geo", "import", labels, "--json", "--db", str(db)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["profile"], result["form"], result["duplicates"]) == ("annat-lag", "annat_lag (3)", 2)


# ------------------------------------------------------------------ the Importera page

def _page(monkeypatch: pytest.MonkeyPatch, db: Path, uploads: Path):
    import tempfile

    from streamlit.testing.v1 import AppTest

    store.cursor(db)
    monkeypatch.setenv("OUTREACH_DB", str(db))
    monkeypatch.setattr(tempfile, "tempdir", str(uploads))  # the page's uploads land here
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    return at


def test_page_imports_a_swedish_label_export_with_no_mapping(monkeypatch, db_path: Path, tmp_path: Path):
    at = _page(monkeypatch, db_path, tmp_path)
    at.file_uploader[0].set_value(("kobo_labels_sv.csv", (DATA / "kobo_labels_sv.csv").read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    assert any("uppsok_besok (2026112401)" in c.value for c in at.caption)
    assert [m.value for m in at.metric][:4] == ["5", "5", "0", "0"]
    next(b for b in at.button if b.key == "imp_go").click().run()
    assert not at.exception, at.exception
    cur = store.cursor(db_path)
    kinds = [k for (k,) in cur.execute("SELECT p.kind FROM visits v JOIN places p USING (place_id) ORDER BY v.visited_at").fetchall()]
    assert kinds == [row[2] for row in fx.EXPECTED]
    assert cur.execute("SELECT count(*) FROM visits WHERE referred_to = 'vården'").fetchone()[0] == 1


def test_page_summary_names_the_profile_and_the_form(monkeypatch, db_path: Path, tmp_path: Path):
    """After the import the summary says which profile read the file and which form wrote it."""
    at = _page(monkeypatch, db_path, tmp_path)
    at.file_uploader[0].set_value(("kobo_labels_sv.xlsx", (DATA / "kobo_labels_sv.xlsx").read_bytes(),
                                   "application/octet-stream")).run()
    next(b for b in at.button if b.key == "imp_go").click().run()
    assert not at.exception, at.exception
    assert at.success and "5 imported" in at.success[0].value
    shown = " ".join(i.value.replace("\\", "") for i in at.info)
    assert "Profile: kobotoolbox" in shown and "form: uppsok_besok (2026112401)" in shown


def test_page_warns_when_the_visit_time_falls_back_to_the_forms_start(monkeypatch, db_path: Path, tmp_path: Path):
    """Another team's label export without its form: the time comes from `start` (when the
    form was opened, hours off); the preview says so and points to the form definition."""
    at = _page(monkeypatch, db_path, tmp_path)
    at.file_uploader[0].set_value(("annat_lag_kobo_labels.csv", (DATA / "annat_lag_kobo_labels.csv").read_bytes(),
                                   "text/csv")).run()
    assert not at.exception, at.exception
    assert any("'start'" in w.value and "form definition" in w.value for w in at.warning)
    at.file_uploader[0].set_value(("kobo_labels_sv.csv", (DATA / "kobo_labels_sv.csv").read_bytes(), "text/csv")).run()
    assert not any("'start'" in w.value for w in at.warning)


def test_page_says_a_form_definition_uploaded_as_the_visits_file_is_a_form(monkeypatch, db_path: Path, tmp_path: Path):
    """The XLSForm dropped in the visits file box (an easy slip): the page says where it goes."""
    at = _page(monkeypatch, db_path, tmp_path)
    at.file_uploader[0].set_value(("annat_lag.xlsx", (DATA / "annat_lag.xlsx").read_bytes(),
                                   "application/octet-stream")).run()
    assert not at.exception, at.exception
    (error,) = at.error
    assert "is a form definition" in error.value and "Form definition (XLSForm .xlsx or XForm .xml)" in error.value
    assert not any(b.key == "imp_go" for b in at.button)


def test_page_reads_the_zip_and_reports_the_repeat_table(monkeypatch, db_path: Path, tmp_path: Path):
    at = _page(monkeypatch, db_path, tmp_path)
    at.file_uploader[0].set_value(("annat_lag.csv.zip", (DATA / "annat_lag.csv.zip").read_bytes(),
                                   "application/zip")).run()
    assert not at.exception, at.exception
    assert any("annat_lag-personer.csv (3)" in i.value.replace("\\", "") for i in at.info)
    assert [m.value for m in at.metric][:2] == ["2", "2"]


def test_page_saves_an_uploaded_form_with_a_profile(monkeypatch, db_path: Path, tmp_path: Path):
    at = _page(monkeypatch, db_path, tmp_path)
    at.file_uploader[0].set_value(("annat_lag_kobo_labels.csv", (DATA / "annat_lag_kobo_labels.csv").read_bytes(),
                                   "text/csv")).run()
    assert not at.exception, at.exception
    at.text_input(key="imp_profile_name").set_value("annat lag")
    form = next(u for u in at.file_uploader if u.key == "imp_form_file")
    form.set_value(("annat_lag.xlsx", (DATA / "annat_lag.xlsx").read_bytes(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    next(b for b in at.button if b.key == "imp_form_go").click().run()
    assert not at.exception, at.exception
    assert any("annat lag" in s.value for s in at.success)
    assert any("annat_lag (3)" in c.value for c in at.caption)
    assert list(profiles.saved_forms(store.cursor(db_path))) == ["annat lag"]
    # the next session that uploads a file of that form gets the profile preselected
    again = _page(monkeypatch, db_path, tmp_path)
    again.file_uploader[0].set_value(("annat_lag_kobo_labels.csv", (DATA / "annat_lag_kobo_labels.csv").read_bytes(),
                                      "text/csv")).run()
    assert not again.exception, again.exception
    assert any("annat_lag (3)" in c.value for c in again.caption)
    assert [m.value for m in again.metric][:2] == ["2", "2"]


@settings(max_examples=30, deadline=None)
@given(st.one_of(st.binary(max_size=400),
                 st.text(max_size=200).map(lambda t: f"<h:html xmlns:h='x'><model>{t}</model></h:html>".encode()),
                 st.text(max_size=200).map(lambda t: f"<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e '{t}'>]><a>&e;</a>".encode())),
       st.sampled_from([".xml", ".xlsx"]))
def test_any_uploaded_form_file_is_read_or_refused_in_one_sentence(data: bytes, suffix: str):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"form{suffix}"
        path.write_bytes(data)
        try:
            form = forms.read_form(path)
        except forms.UnreadableFormError as exc:
            assert "\n" not in str(exc) and " / " in str(exc)
        else:
            assert isinstance(form.header_names(), dict)


@pytest.mark.parametrize("fixture", ["odk_central.csv", "odk_central.csv.zip", "kobo_xml.csv", "kobo_labels_sv.csv"])
@pytest.mark.parametrize("damage", ["open_quote", "extra_field", "missing_field"])
def test_a_row_no_reader_can_split_keeps_no_staff_name(cur, tmp_path: Path, fixture: str, damage: str):
    """A rejected row's raw line is stored for fixing; the app's metadata cells in it
    (SubmitterName, _submitted_by, DeviceID) must be emptied like the columns they are."""
    source = DATA / fixture
    if fixture.endswith(".zip"):
        with zipfile.ZipFile(source) as book:
            name = book.namelist()[0]  # the main table only
            members = {n: book.read(n) for n in book.namelist()}
        text = members[name].decode("utf-8")
    else:
        text = source.read_text(encoding="utf-8")
    eol = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(eol)
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    row = lines[1]
    assert '"Två sov vid uppgången, lugnt"' in row
    if damage == "open_quote":
        row = row.replace('"Två sov vid uppgången, lugnt"', '"Två sov vid uppgången, lugnt')
    elif damage == "extra_field":
        row = row + delimiter + "x"
    else:
        row = row.rsplit(delimiter, 1)[0]
    lines[1] = row
    out = tmp_path / source.name
    if fixture.endswith(".zip"):
        members[name] = eol.join(lines).encode("utf-8")
        with zipfile.ZipFile(out, "w") as book:
            for n, data in members.items():
                book.writestr(n, data)
    else:
        out.write_text(eol.join(lines), encoding="utf-8", newline="")
    _plan, summary = _import(cur, out)
    assert summary.rows == 5 and summary.rejected >= 1  # (the row without GPS may lose its place too)
    stored = cur.execute("SELECT raw FROM rejects WHERE import_id = ? AND row_number = 1",
                         [summary.import_id]).fetchone()[0]
    assert stored and "uppgången" in stored  # the line is kept for fixing
    text = _all_text(cur)
    assert not any(name in text for name in fx.STAFF_NAMES)
    assert "collect:" not in text  # DeviceID, metadata too
