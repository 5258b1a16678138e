"""Mapping profiles on the import page, and the uploads it keeps between preview and import.

A mapping corrected on the page (AppTest, real DuckDB file, real upload) and saved as a
named profile is then used by `python -m geo import FILE --profile NAME` in a subprocess on
another file with the same odd headers. Uploads never imported are swept after an hour,
and a session's previous upload goes when it chooses another file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import DATA, ROOT
from geo import imports, profiles, store

# An office's own headers: none is an alias except "Plats", which here is a free-text note
# (a wrong guess for the place name that the user unmaps).
PAGE_FILE = ("När;Nordlig;Östlig;Hur många;Plats\n"
             "2025-09-01 21:40;59,3309;18,0593;3;under bron\n"
             "2025-09-02 22:10;59,3232;18,0676;0;vid kajen\n")
# Another file from the same office, headers in other case: 5 rows, 3 imported, 2 rejected.
CLI_FILE = ("NÄR;nordlig;Östlig;HUR MÅNGA;Plats\n"
            "2025-10-01 21:40;59,3309;18,0593;3;under bron\n"
            "2025-10-02 22:10;59,3232;18,0676;0;vid kajen\n"
            "2099-01-01 10:00;59,3309;18,0593;1;framtiden\n"
            "2025-10-03 20:00;;;2;ingen plats\n"
            "2025-10-04 20:30;59,3150;18,0720;1;vid slussen\n")


def _cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geo", *args, "--db", str(db)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def page(monkeypatch: pytest.MonkeyPatch, db: Path, uploads: Path, lang: str = "sv") -> AppTest:
    store.cursor(db)
    monkeypatch.setenv("OUTREACH_DB", str(db))
    monkeypatch.setattr(tempfile, "tempdir", str(uploads))  # the page's uploads land here
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def box(at: AppTest, canon: str):
    suffix = f"_{canon}.{at.session_state['lang']}"  # the widget's key per language (ui.choice)
    return next(s for s in at.selectbox if s.key and s.key.startswith("imp_map_") and s.key.endswith(suffix))


def profile_box(at: AppTest):
    return next(s for s in at.selectbox if s.key and s.key.startswith("imp_profile_"))


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_mapping_saved_on_the_page_is_a_profile_for_the_cli(monkeypatch, db_path, tmp_path):
    at = upload(page(monkeypatch, db_path, tmp_path), "kontoret.csv", PAGE_FILE.encode("utf-8"))
    assert profile_box(at).value == imports.AUTOMATIC
    assert box(at, "place_name").value == "Plats"  # the aliases' guess
    assert any("ingen besöksfil" in e.value and "not a visits file" in e.value for e in at.error)
    for canon, header in [("visited_at", "När"), ("lat", "Nordlig"), ("lon", "Östlig"),
                          ("people", "Hur många"), ("place_name", "")]:
        box(at, canon).set_value(header).run()
        assert not at.exception, at.exception
    assert metrics(at) == {"Rader": "2", "Importeras": "2", "Uppdateras": "0", "Dubbletter": "0", "Avvisade": "0"}

    # refused names: none, and a built-in one (in any case); both languages, nothing stored
    for name, sv, en in [("  ", "Ge profilen ett namn", "Give the profile a name"),
                         ("ODK-Central", "är inbyggd", "is built in")]:
        at.text_input(key="imp_profile_name").input(name).run()
        at.button(key="imp_profile_go").click().run()
        assert not at.exception
        assert any(sv in e.value and en in e.value for e in at.error), [e.value for e in at.error]
    assert profiles.list_profiles(store.cursor(db_path)) == ["odk-central", "kobotoolbox"]

    at.text_input(key="imp_profile_name").input("Kontoret Söder").run()
    at.button(key="imp_profile_go").click().run()
    assert not at.exception
    assert any("Profilen Kontoret Söder är sparad" in s.value and "--profile 'Kontoret Söder'" in s.value
               for s in at.success)
    assert profile_box(at).value == "Kontoret Söder"  # selected, and the boxes keep the mapping
    assert [box(at, c).value for c in ("visited_at", "lat", "lon", "people", "place_name")] == \
        ["När", "Nordlig", "Östlig", "Hur många", ""]
    assert metrics(at)["Importeras"] == "2"
    cur = store.cursor(db_path)
    assert profiles.load_profile(cur, "Kontoret Söder") == {
        "visited_at": "När", "lat": "Nordlig", "lon": "Östlig", "people": "Hur många", "place_name": ""}
    assert cur.execute("SELECT actor FROM audit WHERE action = 'profile_save'").fetchall() == [("local:admin",)]
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 0  # saving a profile imports nothing
    store.close(db_path)

    # the CLI, in another process, on a file the page has never seen
    path = tmp_path / "oktober.csv"
    path.write_text(CLI_FILE, encoding="utf-8")
    plain = _cli("import", str(path), "--json", db=db_path)
    assert plain.returncode == 2 and "not a visits file" in plain.stderr  # no profile: not readable
    done = _cli("import", str(path), "--profile", "Kontoret Söder", "--json", db=db_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert (result["rows"], result["imported"], result["duplicates"], result["rejected"]) == (5, 3, 0, 2)
    assert result["reject_reasons"] == {"future_date": 1, "no_location": 1}
    assert result["profile"] == "Kontoret Söder"
    assert result["column_mapping"] == {"visited_at": "NÄR", "lat": "nordlig", "lon": "Östlig", "people": "HUR MÅNGA"}
    assert result["unknown_columns"] == ["Plats"]  # unmapped on the page, so never a place name
    cur = store.cursor(db_path)
    assert sorted(r[0] for r in cur.execute("SELECT people FROM visits").fetchall()) == [0, 1, 3]
    assert cur.execute("SELECT count(*) FROM places WHERE name ILIKE '%bron%'").fetchone()[0] == 0
    store.close(db_path)
    again = _cli("import", str(path), "--profile", "Kontoret Söder", "--json", db=db_path)
    assert json.loads(again.stdout.strip().splitlines()[-1])["imported"] == 0


def test_choosing_a_profile_presets_the_mapping(monkeypatch, db_path, tmp_path):
    profiles.save_profile(store.cursor(db_path), "kobo-egen", {"visit_id": "_id", "people": ""}, actor="test")
    at = upload(page(monkeypatch, db_path, tmp_path, lang="en"), "kobo_export.csv",
                (DATA / "kobo_export.csv").read_bytes())
    chooser = profile_box(at)
    assert chooser.label == "Column profile" and chooser.value == "kobotoolbox"  # detected from the headers
    assert chooser.options == ["Automatic (from the headers)", "odk-central (built in)",
                               "kobotoolbox (built in)", "kobo-egen"]
    assert box(at, "visit_id").value == "_id" and box(at, "version_id").value == "_uuid"  # stable across edits
    assert metrics(at) == {"Rows": "5", "To import": "4", "To update": "0", "Duplicates": "0", "Rejected": "1"}

    chooser.set_value("kobo-egen").run()
    assert not at.exception
    assert box(at, "visit_id").value == "_id" and box(at, "people").value == ""

    profile_box(at).set_value(imports.AUTOMATIC).run()
    assert not at.exception
    # aliases alone read Kobo's `_id` as the visit id too, but no version id
    assert box(at, "visit_id").value == "_id" and box(at, "people").value != ""


def test_a_header_holding_an_identifier_is_never_stored_in_a_profile(cur):
    profiles.save_profile(cur, "kontoret", {"notes": "ring 070-123 45 67", "people": "antal"}, actor="test")
    assert profiles.load_profile(cur, "kontoret") == {"people": "antal"}
    assert "070" not in json.dumps(cur.execute("SELECT * FROM audit").fetchall(), default=str)
    with pytest.raises(ValueError, match="must not hold"):
        profiles.save_profile(cur, "Anna 070-123 45 67", {"people": "antal"}, actor="test")


# ------------------------------------------------------------------ uploads are swept

def _age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    for item in [*folder.iterdir(), folder]:
        os.utime(item, (then, then))


def test_save_upload_sweeps_uploads_older_than_an_hour(tmp_path):
    old, _ = imports.save_upload(b"datum;antal\n2025-01-01;1\n", "gammal.csv", tmp_path, session="a")
    recent, _ = imports.save_upload(b"datum;antal\n2025-01-02;1\n", "ny.csv", tmp_path, session="b")
    _age(old.parent, 3601)
    _age(recent.parent, 3500)
    new, _ = imports.save_upload(b"datum;antal\n2025-01-03;1\n", "nyast.csv", tmp_path, session="c")
    assert not old.parent.exists()
    assert recent.exists() and new.exists()
    assert sorted(p.name for p in imports.upload_root(tmp_path).iterdir()) == sorted(
        [recent.parent.name, new.parent.name])
    # the file in use is touched on every save, so an open preview is never swept
    _age(new.parent, 4000)
    again, _ = imports.save_upload(b"datum;antal\n2025-01-03;1\n", "nyast.csv", tmp_path, session="c")
    assert again == new and again.exists()
    assert imports.sweep_uploads(imports.upload_root(tmp_path), keep=None) == 0


def test_a_new_file_removes_the_sessions_previous_upload(tmp_path):
    first, _ = imports.save_upload(b"a;b\n1;2\n", "forsta.csv", tmp_path, session="s1")
    other, _ = imports.save_upload(b"a;b\n1;2\n", "forsta.csv", tmp_path, session="s2")  # another session
    second, _ = imports.save_upload(b"a;b\n3;4\n", "andra.csv", tmp_path, session="s1", previous=first)
    assert not first.exists() and not first.parent.exists()
    assert second.exists() and other.exists()  # the same bytes in another session stay
    imports.remove_upload(tmp_path / "elsewhere.csv")  # only ever files save_upload wrote
    outside = tmp_path / "keep" / "x.csv"
    outside.parent.mkdir()
    outside.write_text("x")
    imports.remove_upload(outside)
    assert outside.exists()


def test_the_page_keeps_only_the_current_upload(monkeypatch, db_path, tmp_path):
    at = upload(page(monkeypatch, db_path, tmp_path), "forsta.csv", (DATA / "visits_canonical.csv").read_bytes())
    root = imports.upload_root(tmp_path)
    (first,) = [f for d in root.iterdir() for f in d.iterdir()]
    assert first.name == "upload.csv"  # the user's file name never reaches the disk
    upload(at, "kobo_export.csv", (DATA / "kobo_export.csv").read_bytes())
    (second,) = [f for d in root.iterdir() for f in d.iterdir()]
    assert not first.exists() and second.read_bytes() == (DATA / "kobo_export.csv").read_bytes()
    at.file_uploader[0].set_value(None).run()  # the user removes the file without importing
    assert not at.exception
    assert list(root.iterdir()) == []
    upload(at, "forsta.csv", (DATA / "visits_canonical.csv").read_bytes())
    at.button(key="imp_go").click().run()  # an import removes its upload too
    assert not at.exception and list(root.iterdir()) == []


def test_an_upload_swept_before_the_import_is_a_clear_error(monkeypatch, db_path, tmp_path):
    at = upload(page(monkeypatch, db_path, tmp_path), "forsta.csv", (DATA / "visits_canonical.csv").read_bytes())
    for folder in imports.upload_root(tmp_path).iterdir():  # what another session's sweep does
        for file in folder.iterdir():
            file.unlink()
    at.button(key="imp_go").click().run()
    assert not at.exception
    assert any("finns inte längre" in e.value for e in at.error)
    assert store.cursor(db_path).execute("SELECT count(*) FROM imports").fetchone()[0] == 0
