"""Careless commands (issue 17): a demo that got real data is no longer a demo, and the
commands that delete data say what they would delete and need --yes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import cli, imports, ingest, store
from geo.demo import build_demo

DATA = Path(__file__).parent / "data"
TODAY = date(2025, 11, 20)


@pytest.fixture
def demo_db(db_path: Path) -> Path:
    build_demo(db_path, seed=3, today=TODAY)
    return db_path


def _visits(db: Path) -> int:
    return int(store.cursor(db).execute("SELECT count(*) FROM visits").fetchone()[0])


def _dashboard(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    assert not at.exception
    return at


def test_a_demo_stops_being_a_demo_at_its_first_real_import(demo_db: Path, capsys, monkeypatch) -> None:
    cur = store.cursor(demo_db)
    assert [i for i in _dashboard(monkeypatch, demo_db).info if "Demodata" in i.value]  # the banner, while a demo
    imports.preview(cur, DATA / "visits_canonical.csv", "visits_canonical.csv")  # a dry run stores nothing
    assert store.is_demo(cur)
    real = ingest.import_file(cur, DATA / "visits_canonical.csv")
    assert real.imported > 0
    assert not store.is_demo(cur)
    assert not [i for i in _dashboard(monkeypatch, demo_db).info if "Demodata" in i.value]  # no banner over real data
    before = _visits(demo_db)
    store.close(demo_db)

    assert cli.main(["demo", "--db", str(demo_db), "--today", TODAY.isoformat()]) == 2
    assert "--force" in capsys.readouterr().err
    assert cli.main(["demo", "--db", str(demo_db), "--today", TODAY.isoformat(), "--force"]) == 2
    err = capsys.readouterr().err
    assert f"would delete {before:,} real visits" in err and "--yes" in err
    assert _visits(demo_db) == before  # nothing deleted without --yes
    cur = store.cursor(demo_db)
    assert cur.execute("SELECT count(*) FROM imports WHERE import_id = ?", [real.import_id]).fetchone()[0] == 1
    store.close(demo_db)

    assert cli.main(["demo", "--db", str(demo_db), "--today", TODAY.isoformat(), "--force", "--yes"]) == 0
    cur = store.cursor(demo_db)
    details = cur.execute("SELECT details FROM audit WHERE action = 'demo_built' ORDER BY audit_id DESC").fetchone()[0]
    assert json.loads(details)["replaced_real_data"] is True
    assert store.is_demo(cur)


def test_rebuilding_an_untouched_demo_needs_no_confirmation(demo_db: Path) -> None:
    store.close(demo_db)
    assert cli.main(["demo", "--db", str(demo_db), "--today", TODAY.isoformat(), "--seed", "4"]) == 0
    details = store.cursor(demo_db).execute(
        "SELECT details FROM audit WHERE action = 'demo_built' ORDER BY audit_id DESC").fetchone()[0]
    assert json.loads(details)["replaced_real_data"] is False


def test_retention_refuses_a_window_shorter_than_the_estimate_needs(demo_db: Path, capsys) -> None:
    before = _visits(demo_db)
    store.close(demo_db)
    assert cli.main(["retention", "--older-than-days", "0", "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert "74 days" in err and "--force" in err  # 14-day window + 60-day carry-forward age
    assert cli.main(["retention", "--older-than-days", "0", "--force", "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert f"would delete {before:,} visits" in err and "--yes" in err
    assert _visits(demo_db) == before
    store.close(demo_db)
    assert cli.main(["retention", "--older-than-days", "0", "--force", "--yes", "--db", str(demo_db)]) == 0
    assert _visits(demo_db) == 0


def test_retention_needs_yes_even_within_the_window(demo_db: Path, capsys) -> None:
    cur = store.cursor(demo_db)
    old = int(cur.execute("SELECT count(*) FROM visits WHERE visited_at < now()::TIMESTAMP - INTERVAL 400 DAY"
                          ).fetchone()[0])
    before = _visits(demo_db)
    store.close(demo_db)
    assert cli.main(["retention", "--older-than-days", "400", "--db", str(demo_db)]) == 2
    assert f"would delete {old:,} visits" in capsys.readouterr().err
    assert cli.main(["retention", "--older-than-days", "400", "--dry-run", "--db", str(demo_db)]) == 0
    assert _visits(demo_db) == before
    store.close(demo_db)
    assert cli.main(["retention", "--older-than-days", "400", "--yes", "--db", str(demo_db)]) == 0
    assert _visits(demo_db) == before - old
