"""Settings (issue 4 item 6) on real DuckDB files: defaults, validation, audit, and their use by
staleness, urgency, coverage, the CLI, the import radius and the Inställningar page."""

from __future__ import annotations

import inspect
import json
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import config, ingest, settings, store
from geo.coverage import coverage
from geo.staleness import place_status
from geo.urgency import ranked_places

ROOT = Path(__file__).resolve().parents[1]
NOW = store.utcnow().replace(microsecond=0)


def _audit(cur, action: str) -> list[dict]:
    return [json.loads(d) for (d,) in cur.execute(
        "SELECT details FROM audit WHERE action = ? ORDER BY audit_id", [action]).fetchall()]


def test_defaults_come_from_config_on_an_empty_database(cur):
    assert settings.targets(cur) == config.TARGET_DAYS
    assert settings.area_overdue_days(cur) == config.AREA_OVERDUE_DAYS
    default_radius = inspect.signature(ingest.import_file).parameters["radius_m"].default
    assert default_radius is None  # the import reads the setting, whose default is the config
    assert settings.match_radius_m(cur) == config.MATCH_RADIUS_M


def test_save_validates_everything_first_and_audits_each_change(cur):
    changes = settings.save(cur, {"target_days.encampment": 5, "match_radius_m": "80",
                                  "target_days.other": 14}, actor="lead")
    assert [(c.key, c.before, c.after) for c in changes] == [("target_days.encampment", 7, 5),
                                                             ("match_radius_m", 50, 80)]
    assert settings.targets(cur)["encampment"] == 5 and settings.match_radius_m(cur) == 80.0
    assert _audit(cur, "setting_change") == [{"key": "target_days.encampment", "before": 7, "after": 5},
                                             {"key": "match_radius_m", "before": 50, "after": 80}]
    for bad in ({"target_days.other": 0}, {"target_days.other": 2.5}, {"match_radius_m": "femtio"},
                {"area_overdue_days": True}, {"nope": 3}):
        with pytest.raises(settings.SettingsError) as err:
            settings.save(cur, {"target_days.sleeping_place": 3, **bad}, actor="lead")
        assert " / " in str(err.value)  # Swedish / English
    assert settings.targets(cur)["sleeping_place"] == 14  # nothing stored when one value is bad
    assert settings.save(cur, {"target_days.encampment": 5}, actor="lead") == []  # unchanged: no audit row
    assert len(_audit(cur, "setting_change")) == 2


def test_reset_and_a_hand_edited_row_falls_back_to_the_default(cur):
    settings.save(cur, {"area_overdue_days": 30}, actor="lead")
    cur.execute("INSERT INTO settings VALUES ('target_days.other', '\"x\"', NULL, 'hand')")
    assert settings.targets(cur)["other"] == 14 and settings.area_overdue_days(cur) == 30
    changes = settings.reset(cur, actor="lead")
    assert [(c.key, c.before, c.after) for c in changes] == [("area_overdue_days", 30, 14)]
    assert settings.get_all(cur) == settings.defaults()
    assert cur.execute("SELECT count(*) FROM settings").fetchall() == [(0,)]
    assert _audit(cur, "setting_reset") == [{"key": "area_overdue_days", "before": 30, "after": 14}]


def _place_with_visit(cur, place_id: str, kind: str, days: float, at=(59.3309, 18.0593)) -> None:
    cur.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                [place_id, place_id, place_id, kind, at[0], at[1], NOW - timedelta(days=400)])
    cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift, people) VALUES (?, ?, ?, 'day', 1)",
                [f"v-{place_id}", place_id, NOW - timedelta(days=days)])


def test_targets_drive_staleness_urgency_and_coverage(cur):
    _place_with_visit(cur, "camp", "encampment", 5.5)
    assert not place_status(cur, now=NOW, targets=settings.targets(cur)).set_index("place_id").loc["camp", "overdue"]
    settings.save(cur, {"target_days.encampment": 3, "area_overdue_days": 4}, actor="lead")
    targets = settings.targets(cur)
    assert place_status(cur, now=NOW, targets=targets).set_index("place_id").loc["camp", "overdue"]
    ranked = ranked_places(cur, now=NOW, targets=targets)
    assert list(ranked["place_id"]) == ["camp"] and "(mål 3)" in ranked.loc[0, "reason_sv"]
    cov = coverage(cur, now=NOW, targets=targets, overdue_days=settings.area_overdue_days(cur))
    visited = cov[~cov["never_visited"]].iloc[0]
    assert visited["overdue_places"] == 1 and visited["overdue"]  # 5 days > 4
    assert not coverage(cur, now=NOW, overdue_days=5).query("not never_visited").iloc[0]["overdue"]


def test_cli_reads_targets_threshold_and_radius_from_the_database(db_path, tmp_path):
    from test_cli import run

    cur = store.cursor(db_path)
    _place_with_visit(cur, "camp", "encampment", 5.5)
    settings.save(cur, {"target_days.encampment": 3, "area_overdue_days": 4}, actor="lead")
    store.close(db_path)
    over = json.loads(run("overdue", "--db", str(db_path), "--format", "json").stdout)
    assert [r["name"] for r in over] == ["camp"] and over[0]["target_days"] == 3
    assert json.loads(run("overdue", "--db", str(db_path), "--days", "6", "--format", "json").stdout) == []
    cov = json.loads(run("coverage", "--db", str(db_path), "--format", "json").stdout)
    (visited,) = [r for r in cov if not r["never_visited"]]
    assert visited["overdue"] is True and visited["overdue_places"] == 1
    cov = json.loads(run("coverage", "--db", str(db_path), "--days", "6", "--format", "json").stdout)
    assert all(r["never_visited"] for r in cov)  # visited 5 days ago: not stale at 6

    # the import's matching radius: two sleeping places 80 m apart, no names
    visits = tmp_path / "v.csv"
    visits.write_text("visited_at,lat,lon,place_type,people\n"
                      "2026-11-02 22:15,59.33090,18.0593,sovplats,1\n"
                      "2026-11-03 22:15,59.33162,18.0593,sovplats,2\n", encoding="utf-8")
    counts = {}
    for radius in (50, 100):
        path = tmp_path / f"r{radius}.duckdb"
        settings.save(store.cursor(path), {"match_radius_m": radius}, actor="lead")
        store.close(path)
        out = run("import", str(visits), "--db", str(path), "--json")
        assert out.returncode == 0, out.stderr
        counts[radius] = store.cursor(path).execute("SELECT count(*) FROM places").fetchall()[0][0]
        store.close(path)
    assert counts == {50: 2, 100: 1}


def settings_app(monkeypatch, path: Path) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/installningar.py").run()
    return at


def test_settings_page_saves_resets_and_speaks_english(monkeypatch, db_path):
    store.cursor(db_path)
    at = settings_app(monkeypatch, db_path)
    assert not at.exception
    assert at.number_input(key="set_target_days.encampment").value == 7
    assert at.number_input(key="set_match_radius_m").value == 50
    at.number_input(key="set_target_days.encampment").set_value(4)
    at.number_input(key="set_match_radius_m").set_value(120)
    at.button(key="FormSubmitter:settings_form-Spara").click().run()
    assert not at.exception
    assert any("2 ändrade värden" in s.value for s in at.success)
    cur = store.cursor(db_path)
    assert settings.targets(cur)["encampment"] == 4 and settings.match_radius_m(cur) == 120.0
    assert [d["key"] for d in _audit(cur, "setting_change")] == ["target_days.encampment", "match_radius_m"]
    at.button(key="set_reset").click().run()
    assert not at.exception
    assert any("återställda (2" in s.value for s in at.success)
    assert settings.get_all(cur) == settings.defaults()
    assert at.number_input(key="set_target_days.encampment").value == 7  # the inputs show the defaults again
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.number_input(key="set_match_radius_m").label == "Matching radius at import (metres)"


def test_map_page_uses_the_stored_targets(monkeypatch, db_path):
    import ui
    from test_page_map import make_db, metric

    monkeypatch.setattr(ui, "show_map", lambda *a, **k: None)
    cur = store.cursor(make_db(db_path))
    settings.save(cur, {"target_days.sleeping_place": 5}, actor="lead")  # Skanstull (10 days) becomes overdue
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert metric(at, "Försenade platser") == "4"
    assert "5 dagar" in next(m for m in at.metric if m.label == "Försenade platser").help
