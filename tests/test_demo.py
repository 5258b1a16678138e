"""The demo database: deterministic, believable, and never a threat to real data."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from geo import store
from geo.areas import in_service_area
from geo.config import STOCKHOLM, TARGET_DAYS
from geo.demo import DemoRefusedError, DemoSummary, build_demo
from geo.shifts import shift_of
from geo.staleness import overdue_places, place_status

TODAY = date(2025, 11, 20)


def _end_of(day: date) -> datetime:
    """23:59:59 Stockholm time on `day`, as the stored naive UTC."""
    local = datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=STOCKHOLM)
    return local.astimezone(UTC).replace(tzinfo=None)


def _tables(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    cur = store.cursor(path)
    places = cur.execute("SELECT * FROM places ORDER BY place_id").df()
    visits = cur.execute("SELECT * FROM visits ORDER BY visit_id").df()
    return places, visits


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoSummary, duckdb.DuckDBPyConnection]:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    summary = build_demo(path, seed=42, today=TODAY)
    yield summary, store.cursor(path)
    store.close(path)


def test_same_seed_and_day_give_identical_tables(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.duckdb", tmp_path / "b.duckdb", tmp_path / "c.duckdb"
    build_demo(a, seed=7, today=TODAY)
    build_demo(b, seed=7, today=TODAY)
    build_demo(c, seed=8, today=TODAY)
    places_a, visits_a = _tables(a)
    places_b, visits_b = _tables(b)
    places_c, visits_c = _tables(c)
    pd.testing.assert_frame_equal(places_a, places_b)
    pd.testing.assert_frame_equal(visits_a, visits_b)
    assert not places_a[["lat", "lon"]].equals(places_c[["lat", "lon"]])
    assert len(visits_a) != len(visits_c) or not visits_a.equals(visits_c)
    for p in (a, b, c):
        store.close(p)


def test_counts_and_kinds_are_in_range(demo) -> None:
    summary, cur = demo
    assert 250 <= summary.places <= 350
    assert 20_000 <= summary.visits <= 70_000
    assert cur.execute("SELECT count(*) FROM places").fetchone()[0] == summary.places
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == summary.visits
    kinds = dict(cur.execute("SELECT kind, count(*) FROM places GROUP BY kind").fetchall())
    assert 0.6 <= kinds["sleeping_place"] / summary.places <= 0.85
    assert 0.12 <= kinds["encampment"] / summary.places <= 0.28
    assert 0 < kinds.get("other", 0) / summary.places <= 0.08
    cleared = cur.execute("SELECT avg((cleared_at IS NOT NULL)::INT) FROM places").fetchone()[0]
    assert 0.08 <= cleared <= 0.25
    ids = [r[0] for r in cur.execute("SELECT place_id FROM places ORDER BY place_id").fetchall()]
    assert ids[0] == "demo-p0001" and all(re.fullmatch(r"demo-p\d{4}", i) for i in ids)
    first = cur.execute("SELECT min(visit_id) FROM visits").fetchone()[0]
    assert first == "demo-v000001"


def test_places_are_inside_the_service_area_with_unique_names(demo) -> None:
    _, cur = demo
    rows = cur.execute("SELECT name, lat, lon FROM places").fetchall()
    assert all(in_service_area(lat, lon) for _, lat, lon in rows)
    names = [name for name, _, _ in rows]
    assert len(set(names)) == len(names)


def test_no_visit_after_the_demo_day(demo) -> None:
    _, cur = demo
    latest, earliest = cur.execute("SELECT max(visited_at), min(visited_at) FROM visits").fetchone()
    assert latest <= _end_of(TODAY)
    assert latest >= _end_of(TODAY) - timedelta(days=2)  # the history runs up to today
    assert earliest >= _end_of(TODAY) - timedelta(days=731)


def test_no_visit_in_the_future_when_today_is_real(tmp_path: Path) -> None:
    path = tmp_path / "now.duckdb"
    summary = build_demo(path)
    cur = store.cursor(path)
    assert cur.execute("SELECT max(visited_at) FROM visits").fetchone()[0] <= store.utcnow()
    assert store.get_meta(cur, "demo_today") == datetime.now(STOCKHOLM).date().isoformat()
    assert summary.visits > 0
    store.close(path)


def test_visits_fall_within_each_places_life_span(demo) -> None:
    _, cur = demo
    bad = cur.execute("""
        SELECT count(*) FROM visits v JOIN places p USING (place_id)
        WHERE v.visited_at < p.created_at OR (p.cleared_at IS NOT NULL AND v.visited_at > p.cleared_at)
    """).fetchone()[0]
    orphans = cur.execute(
        "SELECT count(*) FROM visits WHERE place_id NOT IN (SELECT place_id FROM places)"
    ).fetchone()[0]
    assert bad == 0 and orphans == 0


def test_visit_values_are_plausible(demo) -> None:
    _, cur = demo
    v = cur.execute("SELECT v.*, p.kind FROM visits v JOIN places p USING (place_id)").df()
    assert (v["children"] <= v["people"]).all()
    assert 0.15 <= (v["people"] == 0).mean() <= 0.35
    assert 0.005 <= v["acute"].mean() <= 0.04
    assert (v.loc[v["kind"] == "sleeping_place", "people"] <= 3).all()
    camp = v.loc[(v["kind"] == "encampment") & (v["people"] > 0), "people"]
    assert camp.between(3, 12).all()
    assert set(v["team"]) == {"A", "B"}
    assert set(v["referred_to"].dropna()) <= {"socialjouren", "polis", "vården", "annan"}
    assert v.loc[v["acute"], "referred_to"].notna().mean() > 0.6
    notes = v["notes"].dropna()
    assert 0 < v["notes"].isna().mean() < 0.4
    assert not notes.str.contains(r"\d").any()  # no numbers, hence no identifiers
    summer = v[v["visited_at"].dt.month.isin([6, 7, 8])]["people"].mean()
    winter = v[v["visited_at"].dt.month.isin([12, 1, 2])]["people"].mean()
    assert summer > 1.3 * winter
    per_place = v.groupby(["place_id", "kind"]).size().groupby("kind").median()
    assert per_place["encampment"] > per_place["sleeping_place"]


def test_shift_matches_local_time(demo) -> None:
    _, cur = demo
    v = cur.execute("SELECT visited_at, shift FROM visits").df()
    local = v["visited_at"].dt.tz_localize("UTC").dt.tz_convert(STOCKHOLM)
    derived = [shift_of(t.to_pydatetime()) for t in local]
    assert derived == v["shift"].tolist()
    hours = local.dt.hour
    assert hours.between(9, 23).all()
    assert set(v["shift"]) == {"day", "evening", "weekend"}


def test_some_places_are_overdue_and_some_never_visited(demo) -> None:
    summary, cur = demo
    now = _end_of(TODAY)
    status = place_status(cur, now=now)
    overdue = overdue_places(cur, now=now)
    assert summary.overdue == len(overdue)
    assert 0.12 <= len(overdue) / len(status) <= 0.28
    never = overdue["last_visit"].isna().sum()
    assert 3 <= never <= 10
    recent = status["days_since"] <= status["kind"].map(TARGET_DAYS)
    assert recent.mean() > 0.7


def test_meta_imports_and_audit_are_written(demo) -> None:
    summary, cur = demo
    assert store.is_demo(cur)
    assert store.get_meta(cur, "demo_seed") == "42"
    assert store.get_meta(cur, "demo_today") == TODAY.isoformat()
    row = cur.execute("SELECT file_name, actor, rows, imported FROM imports WHERE import_id = 'demo'").fetchone()
    assert row == ("demo", "demo", summary.visits, summary.visits)
    assert cur.execute("SELECT count(*) FROM visits WHERE import_id <> 'demo'").fetchone()[0] == 0
    assert cur.execute("SELECT count(*) FROM audit WHERE action = 'demo_built'").fetchone()[0] == 1


def test_refuses_real_data_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "real.duckdb"
    cur = store.cursor(path)
    cur.execute(
        "INSERT INTO places VALUES ('p1', 'Tantolunden', 'tantolunden', 'sleeping_place', "
        "59.3125, 18.044, TIMESTAMP '2025-01-01 10:00', NULL, 'x')"
    )
    store.audit(cur, "tester", "import", {"rows": 1})
    with pytest.raises(DemoRefusedError) as info:
        build_demo(path, today=TODAY)
    assert " / " in str(info.value)
    assert cur.execute("SELECT place_id FROM places").fetchall() == [("p1",)]
    assert not store.is_demo(cur)

    summary = build_demo(path, today=TODAY, force=True)
    assert summary.places > 0
    assert cur.execute("SELECT count(*) FROM places WHERE place_id = 'p1'").fetchone()[0] == 0
    actions = [r[0] for r in cur.execute("SELECT action FROM audit ORDER BY audit_id").fetchall()]
    assert actions == ["import", "demo_built"]
    assert store.is_demo(cur)
    store.close(path)


def test_a_demo_database_is_rebuilt_without_force(tmp_path: Path) -> None:
    path = tmp_path / "again.duckdb"
    build_demo(path, seed=1, today=TODAY)
    second = build_demo(path, seed=2, today=TODAY)
    cur = store.cursor(path)
    assert store.get_meta(cur, "demo_seed") == "2"
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == second.visits
    assert cur.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    assert cur.execute("SELECT count(*) FROM audit WHERE action = 'demo_built'").fetchone()[0] == 2
    store.close(path)
