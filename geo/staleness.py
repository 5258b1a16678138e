"""Staleness per place: last visit, days since, people last seen, overdue against a target.

A place is overdue when more whole days than its target interval have passed since its
last visit (sweeps that found nobody count as visits); a place never visited is overdue
and ranks first. Cleared places are not expected to be visited and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import duckdb
import pandas as pd

from geo.config import TARGET_DAYS
from geo.store import utcnow

STATUS_COLUMNS = [
    "place_id", "name", "kind", "lat", "lon", "last_visit", "days_since",
    "people_last_seen", "target_days", "overdue", "urgency",
]

_QUERY = """
WITH last AS (
    SELECT place_id,
           max(visited_at)                AS last_visit,
           arg_max(people, visited_at)    AS people_last_seen{extra}
    FROM visits
    GROUP BY place_id
), status AS (
    SELECT p.place_id, p.name, p.kind, p.lat, p.lon, l.last_visit{extra_out},
           floor(epoch($now::TIMESTAMP - l.last_visit) / 86400)::INTEGER AS days_since,
           l.people_last_seen,
           coalesce($days, CASE p.kind WHEN 'encampment' THEN $t_enc
                                       WHEN 'sleeping_place' THEN $t_sleep
                                       ELSE $t_other END) AS target_days
    FROM places p LEFT JOIN last l USING (place_id)
    WHERE p.cleared_at IS NULL
)
SELECT *,
       last_visit IS NULL OR days_since > target_days AS overdue,
       CASE WHEN last_visit IS NULL THEN 'Infinity'::DOUBLE
            ELSE days_since::DOUBLE / target_days END AS urgency
FROM status
ORDER BY urgency DESC, people_last_seen DESC NULLS LAST, name
"""
# Acute cases since a time, counted in the same scan of visits (geo.urgency needs both).
_ACUTE = ",\n           count(*) FILTER (WHERE acute AND visited_at >= $acute_since)::INTEGER AS acute"
_PLAIN_QUERY = _QUERY.format(extra="", extra_out="")
_ACUTE_QUERY = _QUERY.format(extra=_ACUTE, extra_out=", coalesce(l.acute, 0)::INTEGER AS acute_since")


def place_status(
    cur: duckdb.DuckDBPyConnection,
    now: datetime | None = None,
    days: int | None = None,
    targets: Mapping[str, int] = TARGET_DAYS,
    acute_since: datetime | None = None,
) -> pd.DataFrame:
    """Every active place with its staleness, most urgent first.

    `now` is naive UTC (default: the current time); `days` replaces every kind's target.
    With `acute_since` (naive UTC) the frame also has `acute_since`: acute cases found
    there since then, counted in the same scan of the visits.
    """
    params = {
        "now": now or utcnow(),
        "days": days,
        "t_enc": targets["encampment"],
        "t_sleep": targets["sleeping_place"],
        "t_other": targets["other"],
    }
    if acute_since is None:
        return cur.execute(_PLAIN_QUERY, params).df()[STATUS_COLUMNS]
    frame = cur.execute(_ACUTE_QUERY, params | {"acute_since": acute_since}).df()
    return frame[[*STATUS_COLUMNS, "acute_since"]]


def overdue_places(
    cur: duckdb.DuckDBPyConnection,
    now: datetime | None = None,
    days: int | None = None,
    targets: Mapping[str, int] = TARGET_DAYS,
) -> pd.DataFrame:
    """Only the overdue places, most urgent first."""
    status = place_status(cur, now=now, days=days, targets=targets)
    return status[status["overdue"]].reset_index(drop=True)
