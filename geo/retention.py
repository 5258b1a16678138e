"""Retention: visits older than N days are kept only as weekly aggregates, then deleted.

Old visit rows (times, notes, team codes) are more than the team needs to keep; the trends
need only the place-week grain (geo/weekly.py). So retention, in one transaction:
1. sums the visits older than the cutoff into `visit_weeks_archive` at that grain;
2. deletes those visits;
3. writes an audit row with the cutoff and the counts.
Readers re-aggregate live and archived rows (`weekly.grain_sql`), so a week split by the
cutoff (part archived, part live) still adds up to the same figures as before. The
population estimate reads recent visits (window plus carry-forward age), so retention
should keep more days than that (the CLI's --older-than-days, e.g. 365).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from geo import settings, store
from geo.config import ESTIMATE_WINDOW_DAYS
from geo.weekly import live_grain_sql


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime  # naive UTC: visits before it are archived
    visits: int  # visits archived and deleted (or that would be, in a dry run)
    grain_rows: int  # place-week-shift rows written to the archive
    weeks: int  # distinct weeks touched
    dry_run: bool


def minimum_days(cur: duckdb.DuckDBPyConnection) -> int:
    """The shortest retention that leaves the population estimate its input: the estimate's
    window plus its carry-forward age (a setting). The CLI refuses less unless forced."""
    return ESTIMATE_WINDOW_DAYS + settings.estimate_max_age_days(cur)


def apply_retention(
    cur: duckdb.DuckDBPyConnection, older_than_days: int, actor: str, dry_run: bool = False,
    now: datetime | None = None,
) -> RetentionResult:
    """Archive and delete visits older than `older_than_days` days (nothing changes in a dry run)."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be 0 or more")
    cutoff = (now or store.utcnow()) - timedelta(days=older_than_days)
    where = "visited_at < $cutoff"
    visits, rows, weeks = cur.execute(
        f"SELECT coalesce(sum(visits), 0), count(*), count(DISTINCT week_start) FROM ({live_grain_sql(where)})",
        {"cutoff": cutoff}).fetchone()
    result = RetentionResult(cutoff, int(visits), int(rows), int(weeks), dry_run)
    if dry_run or not visits:
        return result
    with store.transaction(cur):
        cur.execute(f"""INSERT INTO visit_weeks_archive
                        SELECT week_start, place_id, shift, visits, sweeps, people_max, children_max, acute, referred
                        FROM ({live_grain_sql(where)})""", {"cutoff": cutoff}).fetchall()
        cur.execute(f"DELETE FROM visits WHERE {where}", {"cutoff": cutoff}).fetchall()
        # replaced versions of edited visits (kept for undo) age out with the visits
        cur.execute(f"DELETE FROM visit_versions WHERE {where} OR visit_id NOT IN (SELECT visit_id FROM visits)",
                    {"cutoff": cutoff}).fetchall()
        store.audit(cur, actor, "retention", {"cutoff": cutoff, "older_than_days": older_than_days,
                                              "visits_deleted": result.visits, "archived_rows": result.grain_rows,
                                              "weeks": result.weeks})
    return result
