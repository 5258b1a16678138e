"""Shared data for the route tests: real central-Stockholm places in a real DuckDB file."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from geo import store

EVIL = "=<img src=x onerror=alert(1)>"

# (place_id, name, kind, lat, lon, days since the last visit or None for never)
PLACES: list[tuple[str, str, str, float, float, int | None]] = [
    ("r1", "Hötorget", "encampment", 59.3355, 18.0632, 20),
    ("r2", "Kungsträdgården", "sleeping_place", 59.3313, 18.0716, 30),
    ("r3", "Medborgarplatsen", "sleeping_place", 59.3145, 18.0735, 40),
    ("r4", EVIL, "sleeping_place", 59.3195, 18.0719, None),
    ("r5", "Odenplan", "other", 59.3429, 18.0496, 25),
    ("r6", "Fridhemsplan", "sleeping_place", 59.3321, 18.0297, 18),
    ("r7", "Skanstull", "encampment", 59.3079, 18.0763, 12),
    ("r8", "Tantolunden", "sleeping_place", 59.3117, 18.0456, 60),
    ("r9", "Gamla stan", "sleeping_place", 59.3232, 18.0676, 2),  # visited lately: not overdue
]
T_CENTRALEN = (59.3309, 18.0593)


def make_route_db(path: Path, now: datetime | None = None, places=PLACES) -> Path:
    cur = store.cursor(path)
    now = now or store.utcnow()
    for i, (pid, name, kind, lat, lon, days) in enumerate(places):
        cur.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                    [pid, name, name.lower(), kind, lat, lon, now - timedelta(days=400)])
        if days is not None:
            cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift, people) VALUES (?, ?, ?, 'day', ?)",
                        [f"old-{pid}", pid, now - timedelta(days=days), i % 4])
    return path
