"""The store: schema version, forward migrations, one writer at a time with a clear message."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from geo import store

from conftest import ROOT


def test_new_database_gets_the_latest_schema(cur):
    assert store.schema_version(cur) == store.LATEST_VERSION
    tables = {r[0] for r in cur.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"places", "visits", "imports", "rejects", "audit", "meta"} <= tables


def test_migrations_run_forward_and_keep_data(db_path: Path, monkeypatch):
    cur = store.cursor(db_path)
    cur.execute("INSERT INTO places VALUES ('p1', 'Tantolunden', 'tantolunden', 'encampment', 59.31, 18.03, now()::TIMESTAMP, NULL, NULL)")
    store.close(db_path)
    step = (store.LATEST_VERSION + 1, ["ALTER TABLE places ADD COLUMN note VARCHAR"])
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, step])
    monkeypatch.setattr(store, "LATEST_VERSION", step[0])
    cur = store.cursor(db_path)
    assert store.schema_version(cur) == step[0]
    assert cur.execute("SELECT name, note FROM places").fetchall() == [("Tantolunden", None)]


def test_a_newer_database_is_refused(db_path: Path, monkeypatch):
    cur = store.cursor(db_path)
    store.set_meta(cur, store.SCHEMA_VERSION_KEY, str(store.LATEST_VERSION + 5))
    store.close(db_path)
    with pytest.raises(store.StoreError, match="newer"):
        store.cursor(db_path)


def test_cursors_share_one_connection_per_process(db_path: Path):
    a, b = store.cursor(db_path), store.cursor(db_path)
    a.execute("INSERT INTO meta VALUES ('k', 'v')")
    assert store.get_meta(b, "k") == "v"
    assert store.connect(db_path) is store.connect(db_path)


def test_transaction_rolls_back_on_error(cur):
    with pytest.raises(ZeroDivisionError):
        with store.transaction(cur):
            cur.execute("INSERT INTO meta VALUES ('x', '1')")
            1 / 0
    assert store.get_meta(cur, "x") is None


def test_database_held_by_another_process_gives_a_clear_error(tmp_path: Path):
    path = tmp_path / "busy.duckdb"
    duckdb.connect(str(path)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print('ready', flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(store.DatabaseInUseError, match="in use"):
            store.connect(path)
        result = subprocess.run(
            [sys.executable, "-m", "geo", "overdue", "--db", str(path)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
        assert result.returncode == 1
        assert "in use" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()
