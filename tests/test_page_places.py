"""Platser (issue 11): the list, a merge that moves visits and is undone exactly, rename,
clear and reopen, and who may open the page. AppTest and geo.places on real DuckDB files,
the places imported from real files at real Stockholm coordinates."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, SHARED_STOCKHOLM
from geo import access, boundaries, ingest, places, store
from geo.columns import name_key

NOW = datetime(2026, 11, 30, 12, 0)
ROWS = [  # visit id, when, lat, lon, name
    ("v-1", "2026-11-20 22:00", 59.312173, 18.046663, "Tantolunden"),
    ("v-2", "2026-11-21 22:00", 59.312173, 18.046663, "Tantolunden"),
    ("v-3", "2026-11-22 22:00", 59.310285, 18.04911, "Tanto strandbad"),  # ~240 m: a place of its own
    ("v-4", "2026-11-23 22:00", 59.310285, 18.04911, "Tanto strandbad"),
    ("v-5", "2026-11-24 22:00", 59.315837, 18.034021, "Hornstull T-bana"),
]


def make_places(db: Path, tmp_path: Path) -> dict[str, str]:
    """Import ROWS; returns name → place id."""
    lines = ["visit_id,visited_at,lat,lon,place_name,place_type,people"]
    lines += [f"{vid},{when},{lat},{lon},{name},sovplats,2" for vid, when, lat, lon, name in ROWS]
    path = tmp_path / "visits.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cur = store.cursor(db)
    ingest.import_file(cur, path, now=NOW)
    return dict(cur.execute("SELECT name, place_id FROM places").fetchall())


def visits_per_place(cur) -> dict[str, set[str]]:
    rows = cur.execute("SELECT place_id, list(visit_id) FROM visits GROUP BY place_id").fetchall()
    return {p: set(v) for p, v in rows}


def page(monkeypatch: pytest.MonkeyPatch, db: Path, role: str | None = None) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app_pages" / "platser.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    if role:
        at.session_state["local_role"] = role
    at.run()
    assert not at.exception
    return at


def table(at: AppTest):
    return next(df.value for df in at.dataframe if "Besök" in df.value.columns)


def test_the_list_shows_each_place_with_visits_and_status(monkeypatch, db_path, tmp_path):
    make_places(db_path, tmp_path)
    at = page(monkeypatch, db_path)
    shown = table(at).set_index("Plats")
    assert shown.loc["Tantolunden", "Besök"] == 2 and shown.loc["Hornstull T-bana", "Besök"] == 1
    assert shown.loc["Tantolunden", "Senaste besök"] == "2026-11-21 22:00"  # stored as UTC, shown in Stockholm
    assert set(shown["Status"]) == {"aktiv"} and set(shown["Typ"]) == {"sovplats"}
    at.text_input(key="plc_search").input("tanto").run()
    assert sorted(table(at)["Plats"]) == ["Tanto strandbad", "Tantolunden"]


def test_merge_moves_the_visits_and_undo_restores_exactly(monkeypatch, db_path, tmp_path):
    ids = make_places(db_path, tmp_path)
    cur = store.cursor(db_path)
    before = visits_per_place(cur)
    at = page(monkeypatch, db_path)
    assert at.selectbox(key="plc_keep.sv").value is None and at.selectbox(key="plc_merge.sv").value is None
    at.selectbox(key="plc_keep.sv").set_value(ids["Tantolunden"]).run()
    at.selectbox(key="plc_merge.sv").set_value(ids["Tanto strandbad"]).run()
    assert "2 besök flyttas från Tanto strandbad till Tantolunden" in at.warning[0].value
    at.button(key="plc_merge_go").click().run()
    assert not at.exception
    after = visits_per_place(cur)
    assert after[ids["Tantolunden"]] == {"v-1", "v-2", "v-3", "v-4"} and ids["Tanto strandbad"] not in after
    shown = table(at).set_index("Plats")
    assert shown.loc["Tanto strandbad", "Status"] == "sammanslagen"  # kept, marked, not deleted
    assert shown.loc["Tanto strandbad", "Sammanslagen med"] == "Tantolunden"
    assert shown.loc["Tantolunden", "Besök"] == 4
    assert cur.execute("SELECT count(*) FROM places").fetchone()[0] == 3

    merge_id = places.active_merges(cur)["merge_id"].iloc[0]
    at.selectbox(key="plc_undo.sv").set_value(merge_id).run()
    at.button(key="plc_undo_go").click().run()
    assert not at.exception
    assert visits_per_place(cur) == before
    assert cur.execute("SELECT cleared_at FROM places WHERE place_id = ?",
                       [ids["Tanto strandbad"]]).fetchone()[0] is None
    assert "2 besök flyttades tillbaka" in at.success[0].value
    actions = [(a, json.loads(d)) for a, d in cur.execute(
        "SELECT action, details FROM audit WHERE action LIKE 'place_merge%' ORDER BY audit_id").fetchall()]
    assert [a for a, _ in actions] == ["place_merge", "place_merge_undone"]
    assert actions[0][1]["visits_moved"] == 2 and actions[1][1]["visits_moved_back"] == 2


def test_undo_of_a_merge_moves_back_only_its_visits(db_path, tmp_path):
    """Visits logged at the kept place after the merge stay there; a chained merge must be undone first."""
    ids = make_places(db_path, tmp_path)
    cur = store.cursor(db_path)
    first = places.merge_places(cur, ids["Tantolunden"], ids["Tanto strandbad"], "t")
    assert set(first.visit_ids) == {"v-3", "v-4"}
    later = tmp_path / "later.csv"
    later.write_text("visit_id,visited_at,place_name,people\nv-6,2026-11-29 22:00,Tanto strandbad,1\n", encoding="utf-8")
    assert ingest.import_file(cur, later, now=NOW).imported == 1  # the merged name leads to the kept place
    second = places.merge_places(cur, ids["Hornstull T-bana"], ids["Tantolunden"], "t")
    with pytest.raises(places.PlaceError) as refused:
        places.undo_merge(cur, first.merge_id, "t")
    assert refused.value.key == "places_merge_later"
    places.undo_merge(cur, second.merge_id, "t")
    places.undo_merge(cur, first.merge_id, "t")
    assert visits_per_place(cur) == {ids["Tantolunden"]: {"v-1", "v-2", "v-6"},
                                     ids["Tanto strandbad"]: {"v-3", "v-4"}, ids["Hornstull T-bana"]: {"v-5"}}
    with pytest.raises(places.PlaceError):
        places.undo_merge(cur, first.merge_id, "t")  # already undone
    with pytest.raises(places.PlaceError):
        places.merge_places(cur, ids["Tantolunden"], ids["Tantolunden"], "t")


def test_rename_clear_and_reopen(monkeypatch, db_path, tmp_path):
    ids = make_places(db_path, tmp_path)
    cur = store.cursor(db_path)
    at = page(monkeypatch, db_path)
    at.selectbox(key="plc_edit.sv").set_value(ids["Hornstull T-bana"]).run()
    at.text_input(key="plc_new_name").input("Hornstull, uppgång Långholmsgatan 070-123 45 67").run()
    at.button(key="plc_rename_go").click().run()
    name, key = cur.execute("SELECT name, name_key FROM places WHERE place_id = ?",
                            [ids["Hornstull T-bana"]]).fetchone()
    assert name.startswith("Hornstull, uppgång Långholmsgatan") and "070" not in name  # identifiers removed
    assert key == name_key(name)  # the import finds it by its new name
    at.selectbox(key="plc_edit.sv").set_value(ids["Hornstull T-bana"]).run()
    assert at.button(key="plc_clear_go").label == "Markera röjd"
    at.button(key="plc_clear_go").click().run()
    assert cur.execute("SELECT cleared_at FROM places WHERE place_id = ?", [ids["Hornstull T-bana"]]).fetchone()[0]
    assert table(at).set_index("Plats").loc[name, "Status"] == "röjd"
    at.selectbox(key="plc_edit.sv").set_value(ids["Hornstull T-bana"]).run()
    assert at.button(key="plc_clear_go").label == "Öppna igen"
    at.button(key="plc_clear_go").click().run()
    assert cur.execute("SELECT cleared_at FROM places WHERE place_id = ?",
                       [ids["Hornstull T-bana"]]).fetchone()[0] is None
    actions = [a for (a,) in cur.execute(
        "SELECT action FROM audit WHERE action LIKE 'place_%' ORDER BY audit_id").fetchall()]
    assert actions == ["place_rename", "place_cleared", "place_reopened"]


@pytest.mark.skipif(not (SHARED_STOCKHOLM / "stadsdelsomraden_sdn2020_13.geojson").exists(),
                    reason=f"the shared Stockholm boundaries are absent ({SHARED_STOCKHOLM})")
def test_the_district_comes_from_the_first_boundary_layer(db_path, tmp_path):
    make_places(db_path, tmp_path)
    cur = store.cursor(db_path)
    assert places.list_places(cur)["district"].isna().all()
    boundaries.import_layer(cur, SHARED_STOCKHOLM / "stadsdelsomraden_sdn2020_13.geojson", "stadsdelsomraden")
    districts = set(places.list_places(cur)["district"])
    assert len(districts) == 1 and "Södermalm" in next(iter(districts))


@pytest.mark.parametrize("role", ["field_worker", "partner", "manager"])
def test_field_workers_partners_and_managers_cannot_open_places(monkeypatch, db_path, tmp_path, role):
    make_places(db_path, tmp_path)
    assert not access.may_open(role, "platser")
    at = page(monkeypatch, db_path, role=role)
    assert [e.value for e in at.error] == ["Din roll har inte tillgång till den här sidan."]
    assert not at.dataframe and not at.selectbox


@pytest.mark.parametrize("role", ["team_lead", "admin"])
def test_team_leads_and_admins_open_places(monkeypatch, db_path, tmp_path, role):
    make_places(db_path, tmp_path)
    assert "platser" in access.pages_for(role)
    at = page(monkeypatch, db_path, role=role)
    assert at.subheader[0].value == "Platser" and len(table(at)) == 3


def test_the_import_preview_names_a_variant_before_anything_is_stored(monkeypatch, db_path, tmp_path):
    make_places(db_path, tmp_path)
    cur = store.cursor(db_path)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    data = "visited_at,lat,lon,place_name,place_type,people\n2026-11-29 22:00,59.312281,18.046663,Tantolunden – slänten,sovplats,3\n"
    at.file_uploader[0].set_value(("variant.csv", data.encode("utf-8"), "text/csv")).run()
    assert not at.exception
    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert "Tantolunden – slänten → Tantolunden, 12 m" in info
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == len(ROWS)  # a dry run only
    at.button(key="imp_go").click().run()
    assert "Tantolunden – slänten → Tantolunden, 12 m" in " ".join(i.value for i in at.info).replace("\\", "")
    assert len(visits_per_place(cur)[dict(cur.execute("SELECT name, place_id FROM places").fetchall())["Tantolunden"]]) == 3


def test_undoing_an_import_keeps_places_a_merge_needs_and_names_the_merge(db_path, tmp_path):
    from geo import imports

    ids = make_places(db_path, tmp_path)
    cur = store.cursor(db_path)
    (import_id,) = [r[0] for r in cur.execute("SELECT import_id FROM imports").fetchall()]
    merge = places.merge_places(cur, ids["Tantolunden"], ids["Tanto strandbad"], "t")
    (dep,) = imports.dependents(cur, import_id)
    assert (dep.what, dep.ref, dep.name, dep.count) == ("merge", merge.merge_id, "Tantolunden ← Tanto strandbad", 2)
    result = imports.undo_import(cur, import_id, "t")
    assert result.visits_removed == 5 and result.places_kept == 2
    assert places.undo_merge(cur, merge.merge_id, "t").visits_moved_back == 0  # nothing left to move, still exact


def test_after_a_merge_the_browser_is_told_to_empty_the_choices(monkeypatch, db_path, tmp_path):
    """A popped widget state leaves the browser showing the merged place (with its old visit
    count) in both boxes; the page must send the emptied choice to the browser."""
    ids = make_places(db_path, tmp_path)
    at = page(monkeypatch, db_path)
    at.selectbox(key="plc_keep.sv").set_value(ids["Tantolunden"]).run()
    at.selectbox(key="plc_merge.sv").set_value(ids["Tanto strandbad"]).run()
    at.button(key="plc_merge_go").click().run()
    assert not at.exception
    for key in ("plc_keep.sv", "plc_merge.sv"):
        box = at.selectbox(key=key)
        assert box.value is None and box.proto.set_value, key
    merge_id = places.active_merges(store.cursor(db_path))["merge_id"].iloc[0]
    at.selectbox(key="plc_undo.sv").set_value(merge_id).run()
    at.button(key="plc_undo_go").click().run()
    assert not at.exception and not at.warning


def test_a_database_error_is_one_sentence_never_duckdbs_own_text(monkeypatch, db_path, tmp_path):
    """A write that DuckDB refuses (another session changed the row) is the page's own
    sentence in the UI language, as on Importera, not DuckDB's message."""
    import duckdb

    ids = make_places(db_path, tmp_path)

    def conflict(*_args, **_kwargs):
        raise duckdb.TransactionException("TransactionContext Error: Conflict on tuple deletion!")

    at = page(monkeypatch, db_path)
    monkeypatch.setattr(places, "rename_place", conflict)
    at.selectbox(key="plc_edit.sv").set_value(ids["Hornstull T-bana"]).run()
    at.text_input(key="plc_new_name").input("Hornstull").run()
    at.button(key="plc_rename_go").click().run()
    assert not at.exception
    (error,) = at.error
    assert "Conflict" not in error.value and "TransactionContext" not in error.value
    assert error.value.startswith("Ändringen kunde inte sparas")


def test_the_preview_says_a_variant_will_join_and_the_summary_that_it_joined(monkeypatch, db_path, tmp_path):
    """Before the import nothing has moved yet: the preview speaks of what will happen."""
    make_places(db_path, tmp_path)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "importera.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    data = "visited_at,lat,lon,place_name,place_type,people\n2026-11-29 22:00,59.312281,18.046663,Tantolunden – slänten,sovplats,3\n"
    at.file_uploader[0].set_value(("variant.csv", data.encode("utf-8"), "text/csv")).run()
    info = " ".join(i.value for i in at.info)
    assert "förs till en plats i närheten" in info and "fördes" not in info
    at.button(key="imp_go").click().run()
    assert "fördes till en plats i närheten" in " ".join(i.value for i in at.info)


def test_places_are_listed_in_swedish_order(db_path):
    """Å, Ä and Ö come after Z, as in a Swedish list (the match key folds them to a and o)."""
    cur = store.cursor(db_path)
    for i, name in enumerate(["Östermalm", "Akalla", "Åkeshov", "Zinkensdamm", "Älvsjö", "adolf"]):
        cur.execute("INSERT INTO places (place_id, name, name_key, kind, lat, lon, created_at) "
                    "VALUES (?, ?, ?, 'sleeping_place', 59.33, 18.06, ?)",
                    [f"p{i}", name, name_key(name), store.utcnow()])
    assert list(places.list_places(cur)["name"]) == ["adolf", "Akalla", "Zinkensdamm", "Åkeshov", "Älvsjö", "Östermalm"]
