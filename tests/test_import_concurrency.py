"""Two imports of the same file at once end as one import and one of duplicates, never as
doubled visits: threads of one process (two dashboard sessions) and two processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo import ingest, store

ROOT = Path(__file__).resolve().parents[1]
ROWS = 200_000


def make_csv(path: Path, rows: int = ROWS, places: int = 2_000, seed: int = 7) -> Path:
    """A large export with the source's own visit ids: places with coordinates, two years of visits."""
    rng = np.random.default_rng(seed)
    plat, plon = rng.uniform(59.28, 59.36, places), rng.uniform(17.95, 18.12, places)
    which = rng.integers(0, places, rows)
    minutes = rng.integers(0, 2 * 365 * 24 * 60, rows).astype("timedelta64[m]")
    pd.DataFrame({
        "visit_id": np.char.add("c-", np.arange(rows).astype(str)),
        "visited_at": pd.Series(np.datetime64("2024-11-01T00:00") + minutes).dt.strftime("%Y-%m-%d %H:%M"),
        "lat": np.round(plat[which], 6),
        "lon": np.round(plon[which], 6),
        "place_id": np.char.add("cp-", which.astype(str)),
        "place_type": "sovplats",
        "people": rng.poisson(1.5, rows),
    }).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_csv(tmp_path_factory.mktemp("concurrency") / "visits.csv")


def _counts(cur) -> tuple[int, int, int]:
    return cur.execute("SELECT count(*), count(DISTINCT visit_id), (SELECT count(*) FROM places) FROM visits").fetchone()


def test_two_sessions_importing_the_same_file_at_once_store_every_visit_once(db_path: Path, big_csv: Path) -> None:
    store.cursor(db_path)  # the process's connection, as the dashboard has it
    start = threading.Barrier(2)
    results: list[ingest.ImportSummary] = []
    errors: list[BaseException] = []

    def session() -> None:
        cur = store.cursor(db_path)  # each Streamlit session has its own cursor
        start.wait()
        try:
            results.append(ingest.import_file(cur, big_csv, actor="local:admin"))
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=session) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    first, second = sorted(results, key=lambda s: -s.imported)
    assert first.rows == second.rows == ROWS
    assert first.imported > 0.99 * ROWS and first.imported + first.rejected == ROWS
    assert second.imported == 0 and second.duplicates == first.imported
    visits, distinct, places = _counts(store.cursor(db_path))
    assert visits == distinct == first.imported
    assert places == first.new_places > 1_900 and second.new_places == 0  # place resolution is serialised too
    assert store.cursor(db_path).execute("SELECT count(*) FROM imports").fetchone()[0] == 2


def test_a_second_import_says_it_waits_then_runs(db_path: Path, tmp_path: Path) -> None:
    small = make_csv(tmp_path / "small.csv", rows=50)
    cur = store.cursor(db_path)
    waited = threading.Event()
    done: list[ingest.ImportSummary] = []

    def session() -> None:
        other = store.cursor(db_path)
        with store.write_lock(other, on_wait=waited.set):
            done.append(ingest.import_file(other, small))

    with store.write_lock(cur):  # another import holds the database
        thread = threading.Thread(target=session)
        thread.start()
        assert waited.wait(timeout=30)
        assert not done  # it waits for the lock, it does not run alongside
    thread.join(timeout=60)
    assert done and done[0].imported == 50


def test_two_processes_importing_at_once_never_double_the_visits(tmp_path: Path, big_csv: Path) -> None:
    db = tmp_path / "two.duckdb"
    store.cursor(db)
    store.close(db)  # the file exists and is free
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "geo", "import", str(big_csv), "--db", str(db), "--json"]
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    imported = 0
    for code, (out, err) in zip(codes, outputs):
        assert "Traceback" not in err and "Exception" not in err, err
        if code == 0:
            imported += json.loads(out.strip().splitlines()[-1])["imported"]
        else:  # the other process held the file: one clear sentence, nothing stored
            assert code == 1 and "in use by another process" in err, (code, err)
    assert 0 in codes
    visits, distinct, _ = _counts(store.cursor(db))
    assert visits == distinct == imported > 0.99 * ROWS


def test_the_import_page_says_it_waits_for_another_import(monkeypatch, db_path: Path) -> None:
    """A second user clicking Importera while another import runs sees why it waits (sv),
    then the summary; the other import is held here by the test thread."""
    from test_page_import import CANONICAL, page, upload

    at = upload(page(monkeypatch, db_path), CANONICAL)
    holder = store.cursor(db_path)
    lock_held, release = threading.Event(), threading.Event()

    def other_import() -> None:
        with store.write_lock(holder):
            lock_held.set()
            release.wait(timeout=60)

    thread = threading.Thread(target=other_import)
    thread.start()
    assert lock_held.wait(timeout=10)
    threading.Timer(3.0, release.set).start()  # the other import ends while this one waits
    at.button(key="imp_go").click().run()
    thread.join(timeout=30)
    assert not at.exception
    assert any("En annan import till samma databas pågår" in i.value for i in at.info)
    assert at.success and "importerade" in at.success[0].value
    assert not at.error
