"""Undo on Importera names what it undoes and removes exactly the import the user chose, even
when other imports arrive between opening the page and clicking (issue 11). AppTest on a real
DuckDB file; the imports are real files through geo.ingest."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from geo import imports, ingest, profiles, store

SELECT = "imp_undo_id.sv"


def visits_file(path: Path, rows: list[tuple[str, str, float, float, str]]) -> Path:
    lines = ["visit_id,visited_at,lat,lon,place_name,place_type,people"]
    lines += [f"{vid},{when},{lat},{lon},{name},sovplats,2" for vid, when, lat, lon, name in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def land(cur, tmp_path: Path, name: str, actor: str, now: datetime, rows) -> ingest.ImportSummary:
    return ingest.import_file(cur, visits_file(tmp_path / name, rows), actor=actor, now=now)


def page(monkeypatch: pytest.MonkeyPatch, path: Path) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    assert not at.exception
    return at


def visit_ids(cur) -> set[str]:
    return {r[0] for r in cur.execute("SELECT visit_id FROM visits").fetchall()}


@pytest.fixture
def two_imports(cur, tmp_path):
    first = land(cur, tmp_path, "vecka47.csv", "anna@stad.se", datetime(2026, 11, 23, 8, 0), [
        ("a-1", "2026-11-20 22:00", 59.312173, 18.046663, "Tantolunden"),
        ("a-2", "2026-11-21 22:00", 59.315837, 18.034021, "Hornstull T-bana"),
    ])
    second = land(cur, tmp_path, "vecka48.csv", "bo@stad.se", datetime(2026, 11, 30, 8, 0), [
        ("b-1", "2026-11-27 22:00", 59.33014, 18.058155, "Centralstationen"),
    ])
    return first, second


def test_undo_names_each_import_and_preselects_nothing(monkeypatch, db_path, two_imports):
    first, second = two_imports
    at = page(monkeypatch, db_path)
    box = at.selectbox(key=SELECT)
    assert box.value is None and box.placeholder == "Välj en import …"
    assert box.options == [
        f"vecka48.csv · 2026-11-30 09:00 · bo@stad.se · 1 besök av 1 rader · {second.import_id}",
        f"vecka47.csv · 2026-11-23 09:00 · anna@stad.se · 2 besök av 2 rader · {first.import_id}",
    ]  # newest first, Stockholm time
    assert not [b for b in at.button if b.key == "imp_undo_go"]
    box.set_value(first.import_id).run()
    warning = " ".join(w.value for w in at.warning).replace("\\", "")  # markdown escapes
    assert "2 besök från filen vecka47.csv, importerad 2026-11-23 09:00 av anna@stad.se" in warning
    assert first.import_id in warning


def test_undo_removes_the_chosen_import_after_two_more_landed(monkeypatch, db_path, cur, tmp_path, two_imports):
    first, second = two_imports
    at = page(monkeypatch, db_path)
    at.selectbox(key=SELECT).set_value(first.import_id).run()
    at.checkbox(key=f"imp_undo_ok_{first.import_id}").check().run()
    # a colleague imports twice (one of them logs at a place the first import created)
    third = land(cur, tmp_path, "logg.csv", "cecilia@stad.se", datetime(2026, 12, 1, 8, 0), [
        ("c-1", "2026-11-30 21:00", 59.312173, 18.046663, "Tantolunden")])
    fourth = land(cur, tmp_path, "vecka49.csv", "bo@stad.se", datetime(2026, 12, 1, 8, 5), [
        ("d-1", "2026-11-30 22:00", 59.3232, 18.0676, "Gamla stan")])
    at.button(key="imp_undo_go").click().run()
    assert not at.exception
    assert visit_ids(cur) == {"b-1", "c-1", "d-1"}
    undone = {r[0] for r in cur.execute("SELECT import_id FROM imports WHERE undone_at IS NOT NULL").fetchall()}
    assert undone == {first.import_id}
    assert any(f"Import {first.import_id} är ångrad: 2 besök" in s.value for s in at.success)
    assert at.selectbox(key=SELECT).value is None  # the next undo starts from nothing again
    assert set(at.selectbox(key=SELECT).options) == {
        imports.undo_label(c, "sv") for c in imports.undo_choices(cur).values()}
    assert {second.import_id, third.import_id, fourth.import_id} == set(imports.undo_choices(cur))


def test_a_later_import_at_its_places_is_named_before_undo(monkeypatch, db_path, cur, tmp_path, two_imports):
    first, _ = two_imports
    third = land(cur, tmp_path, "logg.csv", "cecilia@stad.se", datetime(2026, 12, 1, 8, 0), [
        ("c-1", "2026-11-30 21:00", 59.312173, 18.046663, "Tantolunden")])
    (dep,) = imports.dependents(cur, first.import_id)
    assert (dep.what, dep.ref, dep.name, dep.count) == ("visits_at_places", third.import_id, "logg.csv", 1)
    assert imports.dependents(cur, third.import_id) == []
    at = page(monkeypatch, db_path)
    at.selectbox(key=SELECT).set_value(first.import_id).run()
    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert f"import {third.import_id} (logg.csv) har 1 besök vid platser som den här importen skapade" in info


def test_an_import_whose_visits_a_later_import_updated_says_so_and_cannot_be_clicked(monkeypatch, db_path, cur, tmp_path):
    """The week-1 export of ODK Central, then week 2 with two edited submissions: undoing week 1
    would roll the edits back, so the page names week 2 and offers no undo until it is undone."""
    edits = ROOT / "tests" / "data" / "edits"
    def export(name: str, actor: str, now: datetime) -> ingest.ImportSummary:
        _, columns = profiles.columns_for_file(cur, edits / name)  # as the page and the CLI pick it
        return ingest.import_file(cur, edits / name, actor=actor, columns=columns, now=now)

    first = export("odk_central_week1.csv", "anna@stad.se", datetime(2026, 12, 1, 11, 0))
    second = export("odk_central_week2.csv", "bo@stad.se", datetime(2026, 12, 1, 12, 0))
    assert second.updated == 2
    (dep,) = [d for d in imports.dependents(cur, first.import_id) if d.what == "updated"]
    assert (dep.ref, dep.count, dep.blocks_undo) == (second.import_id, 2, True)
    at = page(monkeypatch, db_path)
    at.selectbox(key=SELECT).set_value(first.import_id).run()
    error = " ".join(e.value for e in at.error).replace("\\", "")
    assert f"import {second.import_id} (odk_central_week2.csv) uppdaterade sedan 2 av dess besök" in error
    assert at.checkbox(key=f"imp_undo_ok_{first.import_id}").disabled
    assert at.button(key="imp_undo_go").disabled
    at.selectbox(key=SELECT).set_value(second.import_id).run()  # the later one can be undone
    assert not at.error and not at.checkbox(key=f"imp_undo_ok_{second.import_id}").disabled


def test_the_confirmation_of_an_import_that_updated_visits_says_which_are_restored(monkeypatch, db_path, cur):
    """Week 2 imported two new visits and updated two: its undo removes two and gives the other
    two their week-1 version back, and the confirmation says so rather than 'removed: 4'."""
    edits = ROOT / "tests" / "data" / "edits"
    for name, hour in (("odk_central_week1.csv", 11), ("odk_central_week2.csv", 12)):
        _, columns = profiles.columns_for_file(cur, edits / name)
        last = ingest.import_file(cur, edits / name, actor="bo@stad.se", columns=columns,
                                  now=datetime(2026, 12, 1, hour, 0))
    assert (last.imported, last.updated) == (2, 2)
    at = page(monkeypatch, db_path)
    at.selectbox(key=SELECT).set_value(last.import_id).run()
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Tas bort: 2 besök från filen odk_central_week2.csv" in warning
    assert "2 uppdaterade besök får tillbaka sin tidigare version" in warning
    at.checkbox(key=f"imp_undo_ok_{last.import_id}").check().run()
    at.button(key="imp_undo_go").click().run()
    assert "2 besök och 2 platser togs bort" in at.success[0].value


def test_after_an_undo_the_browser_is_told_to_empty_the_choice(monkeypatch, db_path, two_imports):
    """The undone import must not stay shown in the choice: a popped widget state leaves the
    browser showing it, so the page sends the emptied choice to the browser."""
    first, _ = two_imports
    at = page(monkeypatch, db_path)
    at.selectbox(key=SELECT).set_value(first.import_id).run()
    at.checkbox(key=f"imp_undo_ok_{first.import_id}").check().run()
    at.button(key="imp_undo_go").click().run()
    assert not at.exception
    box = at.selectbox(key=SELECT)
    assert box.value is None and box.proto.set_value


def test_the_removed_count_of_an_import_whose_updates_were_updated_again_is_not_negative(cur):
    """Kobo: the first export stores five submissions, week 1 updates them (and adds one), week
    2 updates two of those again: week 1 still owns 4 visits, 3 of them its own updates."""
    for path in (ROOT / "tests" / "data" / "fieldapps" / "kobo_xml.csv",
                 ROOT / "tests" / "data" / "edits" / "kobo_week1.csv",
                 ROOT / "tests" / "data" / "edits" / "kobo_week2.csv"):
        plan = profiles.plan_for_file(cur, path)
        last = ingest.import_file(cur, path, columns=plan.columns, values=plan.values, metadata=plan.metadata)
        if path.name == "kobo_week1.csv":
            week1 = last
    assert (week1.imported, week1.updated) == (1, 5)
    choice = imports.undo_choices(cur)[week1.import_id]
    owned = cur.execute("SELECT count(*) FROM visits WHERE import_id = ?", [week1.import_id]).fetchone()[0]
    restorable = cur.execute(
        """SELECT count(*) FROM visit_versions h JOIN visits v ON v.visit_id = h.visit_id
           WHERE h.replaced_by = ? AND v.import_id = h.replaced_by""", [week1.import_id]).fetchone()[0]
    assert (choice.visits, choice.restored, choice.removed) == (owned, restorable, owned - restorable)
    assert choice.removed >= 0
