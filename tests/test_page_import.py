"""The import page in Streamlit's AppTest, on a real DuckDB file, with real files uploaded.

AppTest (streamlit 1.67) fills `st.file_uploader` with `set_value((name, bytes, mime))`, so
the upload itself needs no stand-in: the page saves the bytes, dry-runs the import, and
the tests check the preview, that nothing is stored before the button, the import, the
rejected rows and their download, the history and undo.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import DATA, ROOT
from geo import imports, store

CANONICAL = DATA / "visits_canonical.csv"  # 19 rows: 7 imported, 1 duplicate, 11 rejected


def _count(path: Path, table: str) -> int:
    return int(store.cursor(path).execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def page(monkeypatch: pytest.MonkeyPatch, path: Path, lang: str = "sv") -> AppTest:
    """The import page on the database at `path` (created empty), in `lang`.

    AppTest's switch_page runs only the page file, not dashboard.py around it (the sidebar
    language switch is not there), so the page runs alone with the "lang" state the switch
    sets; test_the_dashboard_registers_the_page checks the navigation.
    """
    store.cursor(path)
    monkeypatch.setenv("OUTREACH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def switch_language(at: AppTest, lang: str) -> AppTest:
    """What the sidebar switch does: set the session's language, then rerun."""
    at.session_state["lang"] = lang
    return at.run()


def upload(at: AppTest, file: Path, name: str | None = None, data: bytes | None = None) -> AppTest:
    content = file.read_bytes() if data is None else data
    at.file_uploader[0].set_value((name or file.name, content, "text/csv")).run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# Each table by a column only it has (AppTest gives a read-only st.dataframe no key).
_SIGNATURE = {"imp_preview": {"Blir", "Becomes"}, "imp_history": {"Import-id", "Import id"},
              "imp_rejects": {"Kolumn", "Column"}}


def frame(at: AppTest, which: str):
    return next(df.value for df in at.dataframe if _SIGNATURE[which] & set(df.value.columns))


def test_preview_then_import_then_rejected_rows(monkeypatch, db_path):
    at = upload(page(monkeypatch, db_path), CANONICAL)
    assert metrics(at) == {"Rader": "19", "Importeras": "7", "Uppdateras": "0", "Dubbletter": "1", "Avvisade": "11"}
    preview = frame(at, "imp_preview")
    assert len(preview) == 19
    assert list(preview["Blir"].value_counts().sort_index().items()) == [
        ("avvisas", 11), ("dubblett", 1), ("importeras", 7)]
    assert preview["Skäl"].iloc[7] == "datumet '2099-01-01 10:00' ligger i framtiden"
    # the detected mapping, one selectbox per canonical column
    assert len([s for s in at.selectbox if s.key and s.key.startswith("imp_map_")]) == len(imports.CANONICAL_COLUMNS)
    assert next(s for s in at.selectbox if s.key and s.key.endswith("_place_name.sv")).value == "place_name"
    # nothing is stored before the button
    assert [_count(db_path, t) for t in ("visits", "places", "imports", "rejects")] == [0, 0, 0, 0]

    at.button(key="imp_go").click().run()
    assert not at.exception
    assert _count(db_path, "visits") == 7 and _count(db_path, "imports") == 1
    done = " ".join(s.value for s in at.success)
    assert "19 rader = 7 importerade + 0 uppdaterade + 1 dubbletter + 11 avvisade" in done
    notes = " ".join(i.value for i in at.info)
    assert "Nya platser: 4" in notes and "Borttagna identifierare: 2" in notes
    assert any("omkastade på 1 rader" in w.value for w in at.warning)
    rejected = frame(at, "imp_rejects")
    assert len(rejected) == 11 and list(rejected["Rad"]) == list(range(7, 18))
    # the uploader is empty again: a rerun does not import twice
    assert at.file_uploader[0].value is None
    at.run()
    assert _count(db_path, "visits") == 7 and _count(db_path, "imports") == 1
    history = frame(at, "imp_history")
    assert list(history["Fil"]) == ["visits_canonical.csv"] and list(history["Importerade"]) == [7]
    assert list(history["Av"]) == ["local:admin"]


def test_downloading_the_rejected_rows_is_audited(monkeypatch, db_path):
    """The download holds to_safe_csv(rejects_frame(...)), the CSV tested in test_imports;
    AppTest cannot read a download's bytes, so this checks the button and its audit line."""
    at = upload(page(monkeypatch, db_path), CANONICAL)
    at.button(key="imp_go").click().run()
    button = at.get("download_button")[0]
    assert button.proto.label == "Ladda ner avvisade rader (CSV)"
    assert button.proto.url.endswith(".csv")
    button.click().run()
    assert not at.exception
    import_id = imports.latest_import_id(store.cursor(db_path))
    (details,) = store.cursor(db_path).execute("SELECT details FROM audit WHERE action = 'export'").fetchone()
    assert json.loads(details) == {"what": "rejects", "import_id": import_id, "rows": 11}


def test_the_dry_run_is_cached_and_follows_the_mapping(monkeypatch, db_path):
    calls: list[dict] = []
    real = imports.preview

    def counting(cur, path, file_name, columns=None, plan=None):
        calls.append(columns)
        return real(cur, path, file_name, columns, plan)

    monkeypatch.setattr(imports, "preview", counting)
    at = upload(page(monkeypatch, db_path), CANONICAL)
    assert len(calls) == 1
    at.run()
    switch_language(at, "en")
    assert len(calls) == 1  # reruns and a language switch reuse the dry run
    notes = [s for s in at.selectbox if s.key and s.key.endswith("_notes.en")][0]
    notes.set_value("").run()
    assert not at.exception and len(calls) == 2 and calls[-1]["notes"] == ""
    assert any("notes" in i.value.replace("\\", "") and "not stored" in i.value for i in at.info)
    date = [s for s in at.selectbox if s.key and s.key.endswith("_visited_at.en")][0]
    date.set_value("").run()
    assert not at.exception
    assert any("not a visits file" in e.value and "ingen besöksfil" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "imp_go"]  # nothing to import from a broken mapping
    date = [s for s in at.selectbox if s.key and s.key.endswith("_visited_at.en")][0]
    date.set_value("visited_at").run()
    assert not at.exception, at.exception
    assert metrics(at)["To import"] == "7" and len(calls) == 3  # call 2's mapping again: no new dry run
    assert _count(db_path, "visits") == 0


def test_english_switch_changes_the_labels(monkeypatch, db_path):
    at = page(monkeypatch, db_path)
    assert at.file_uploader[0].label == "Besöksfil"
    switch_language(at, "en")
    assert at.file_uploader[0].label == "Visits file"
    upload(at, CANONICAL)
    assert metrics(at) == {"Rows": "19", "To import": "7", "To update": "0", "Duplicates": "1", "Rejected": "11"}
    preview = frame(at, "imp_preview")
    assert preview["Reason"].iloc[7] == "the date '2099-01-01 10:00' is in the future"
    assert set(preview["Becomes"]) == {"imported", "duplicate", "rejected"}
    assert at.button(key="imp_go").label == "Import"
    assert any(s.label == "Place name" for s in at.selectbox)
    at.button(key="imp_go").click().run()
    assert "Import" in at.success[0].value and "7 imported" in at.success[0].value
    assert list(frame(at, "imp_rejects").columns[:3]) == ["Row", "Column", "Reason"]
    assert "Import history" in [h.value for h in at.subheader]


def test_history_lists_the_import_and_undo_removes_its_visits(monkeypatch, db_path):
    at = upload(page(monkeypatch, db_path), CANONICAL)
    at.button(key="imp_go").click().run()
    import_id = imports.latest_import_id(store.cursor(db_path))
    assert at.selectbox(key="imp_undo_id.sv").value is None  # nothing preselected
    assert not [b for b in at.button if b.key == "imp_undo_go"]
    at.selectbox(key="imp_undo_id.sv").set_value(import_id).run()
    assert at.button(key="imp_undo_go").disabled  # not before the confirmation
    at.checkbox(key=f"imp_undo_ok_{import_id}").check().run()
    at.button(key="imp_undo_go").click().run()
    assert not at.exception
    assert _count(db_path, "visits") == 0 and _count(db_path, "places") == 0
    assert any(f"Import {import_id} är ångrad: 7 besök och 4 platser togs bort" in s.value for s in at.success)
    history = frame(at, "imp_history")
    assert history["Ångrad av"].iloc[0] == "local:admin" and history["Ångrad"].iloc[0]
    assert not [s for s in at.selectbox if s.key == "imp_undo_id.sv"]  # nothing left to undo
    audit = store.cursor(db_path).execute("SELECT actor FROM audit WHERE action = 'import_undone'").fetchall()
    assert audit == [("local:admin",)]
    # the same file imports again after the undo
    upload(at, CANONICAL)
    assert metrics(at)["Importeras"] == "7"
    at.button(key="imp_go").click().run()
    assert _count(db_path, "visits") == 7


def test_a_field_app_export_is_preset_from_its_profile(monkeypatch, db_path):
    at = upload(page(monkeypatch, db_path), DATA / "odk_central_export.csv")
    assert any("odk-central" in c.value for c in at.caption)
    assert metrics(at) == {"Rader": "6", "Importeras": "6", "Uppdateras": "0", "Dubbletter": "0", "Avvisade": "0"}
    at.button(key="imp_go").click().run()
    assert _count(db_path, "visits") == 6


@pytest.mark.parametrize(
    ("name", "data", "sv", "en"),
    [
        ("budget.csv", b"konto,belopp\n1,2\n", "ingen besöksfil", "not a visits file"),
        ("tom.csv", b"", "tom", "empty"),
        ("dubbel.csv", b"datum,datum\n2026-11-02,2026-11-02\n", "upprepade", "repeated"),
    ],
)
def test_files_that_cannot_be_imported_are_clear_errors(monkeypatch, db_path, name, data, sv, en):
    at = upload(page(monkeypatch, db_path), CANONICAL, name=name, data=data)
    assert not at.exception
    assert any(sv in e.value and en in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "imp_go"]
    assert _count(db_path, "imports") == 0


def test_an_oversized_file_is_refused_with_a_message(monkeypatch, db_path):
    at = page(monkeypatch, db_path)
    big = b"visited_at,lat,lon\n" + b"2026-11-02 10:00,59.33,18.06\n" * (51 * 1024 * 1024 // 28)
    upload(at, CANONICAL, name="stor.csv", data=big)
    assert any("50 MB" in e.value for e in at.error)
    assert not at.metric and _count(db_path, "imports") == 0


def test_the_dashboard_registers_the_page(monkeypatch, db_path):
    store.cursor(db_path)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/importera.py").run()  # raises ValueError unless st.navigation has the page
    assert not at.exception
    assert at.subheader[0].value == "Importera besök från en fil"
    assert at.file_uploader[0].label == "Besöksfil"


def test_database_in_use_is_a_clear_error(monkeypatch, db_path):
    store.cursor(db_path)

    def locked(path):
        raise store.DatabaseInUseError("Databasen används av en annan process. / The database is in use.")

    monkeypatch.setattr(store, "cursor", locked)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60).run()
    assert not at.exception
    assert any("används av en annan process" in e.value and "in use" in e.value for e in at.error)
    assert not at.file_uploader
