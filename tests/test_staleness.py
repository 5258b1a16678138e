"""Staleness per place on a hand-built database whose answers are worked out here."""

from __future__ import annotations

from datetime import datetime, timedelta

from geo.staleness import overdue_places, place_status

NOW = datetime(2026, 11, 24, 12, 0)


def _place(cur, pid: str, kind: str, cleared: bool = False) -> None:
    cur.execute(
        "INSERT INTO places VALUES (?, ?, ?, ?, 59.33, 18.06, ?, ?, NULL)",
        [pid, pid, pid.lower(), kind, NOW - timedelta(days=400), NOW - timedelta(days=1) if cleared else None],
    )


def _visit(cur, vid: str, pid: str, days_ago: float, people: int | None) -> None:
    cur.execute(
        "INSERT INTO visits (visit_id, place_id, visited_at, shift, lat, lon, people, children, acute, referred_to, "
        "team, notes, import_id) VALUES (?, ?, ?, 'day', NULL, NULL, ?, NULL, FALSE, NULL, 'A', NULL, NULL)",
        [vid, pid, NOW - timedelta(days=days_ago), people],
    )


def _build(cur) -> None:
    _place(cur, "Camp8", "encampment")        # 8 days: overdue (target 7)
    _visit(cur, "v1", "Camp8", 20, 9)
    _visit(cur, "v2", "Camp8", 8, 4)
    _place(cur, "Camp7", "encampment")        # exactly 7 days: due, not overdue
    _visit(cur, "v3", "Camp7", 7, 3)
    _place(cur, "Sleep15", "sleeping_place")  # 15 days, sweep with nobody: overdue (target 14)
    _visit(cur, "v4", "Sleep15", 15, 0)
    _place(cur, "Sleep2", "sleeping_place")
    _visit(cur, "v5", "Sleep2", 2, 1)
    _place(cur, "Never", "sleeping_place")    # never visited: overdue, first
    _place(cur, "Cleared", "encampment", cleared=True)
    _visit(cur, "v6", "Cleared", 100, 5)


def test_status_per_place(cur):
    _build(cur)
    status = place_status(cur, now=NOW).set_index("place_id")
    assert "Cleared" not in status.index
    assert status.loc["Camp8", "days_since"] == 8 and status.loc["Camp8", "people_last_seen"] == 4
    assert bool(status.loc["Camp8", "overdue"]) and not bool(status.loc["Camp7", "overdue"])
    assert status.loc["Sleep15", "people_last_seen"] == 0 and bool(status.loc["Sleep15", "overdue"])
    assert bool(status.loc["Never", "overdue"]) and status["days_since"].isna()["Never"]


def test_overdue_most_urgent_first(cur):
    _build(cur)
    assert list(overdue_places(cur, now=NOW)["place_id"]) == ["Never", "Camp8", "Sleep15"]


def test_days_overrides_every_target(cur):
    _build(cur)
    assert set(overdue_places(cur, now=NOW, days=1)["place_id"]) == {"Never", "Camp8", "Camp7", "Sleep15", "Sleep2"}
    assert list(overdue_places(cur, now=NOW, days=30)["place_id"]) == ["Never"]
