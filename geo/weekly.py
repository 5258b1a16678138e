"""The place-week grain: the one aggregate that trends, reports and retention share.

One row per (week_start, place_id, shift) where week_start is the Monday of the ISO week in
Stockholm local time (a visit at 00:30 Monday local time is in the new week even though it
is Sunday in UTC). Columns:

    week_start DATE, place_id, shift, visits, sweeps (visits with people = 0),
    people_max, children_max, acute (count), referred (count)

Retention (geo/retention.py) moves old visits into `visit_weeks_archive` at this grain and
then deletes them. Every reader goes through `grain_sql()`, which UNIONs the live visits
aggregated to the grain with the archive and aggregates again (sum the counts, max the
maxima), so a week that is partly archived and partly live still counts once and right.
Everything that trends show is derivable from this grain; nothing reads raw visits for
weekly figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache

import duckdb
import pandas as pd
import pyarrow as pa

from geo import localtime
from geo.store import utcnow

GRAIN_COLUMNS: tuple[str, ...] = (
    "week_start", "place_id", "shift", "visits", "sweeps", "people_max", "children_max", "acute", "referred",
)


@lru_cache(maxsize=4)
def _periods(first_year: int, last_year: int) -> list[tuple[int, datetime, datetime]]:
    return localtime.summer_time_periods(first_year, last_year)


def _summer_periods() -> list[tuple[int, datetime, datetime]]:
    """Stockholm's summer-time windows for the years trends plausibly cover (others: ICU)."""
    year = utcnow().year
    return _periods(year - 12, year + 1)


def local_sql(column: str = "visited_at") -> str:
    """SQL: the stored UTC `column` as naive Stockholm local time."""
    return localtime.to_local_sql(column, _summer_periods())


def live_grain_sql(where: str = "TRUE") -> str:
    """SQL: live visits (those matching `where`, a condition on `visits`) at the place-week grain."""
    week = f"CAST(date_trunc('week', {local_sql('visited_at')}) AS DATE)"
    return f"""
        SELECT {week} AS week_start, place_id, shift,
               count(*)::INTEGER                                 AS visits,
               count(*) FILTER (WHERE people = 0)::INTEGER       AS sweeps,
               max(people)::INTEGER                              AS people_max,
               max(children)::INTEGER                            AS children_max,
               count(*) FILTER (WHERE acute)::INTEGER            AS acute,
               count(*) FILTER (WHERE referred_to IS NOT NULL)::INTEGER AS referred
        FROM visits WHERE {where}
        GROUP BY ALL"""


def grain_sql(where: str = "TRUE", live_where: str = "TRUE") -> str:
    """SQL: the whole grain, live and archived, re-aggregated so that split weeks combine.

    `where` filters the combined rows (columns of the grain, e.g. `week_start >= $from`);
    `live_where` may narrow the live visits first (a condition on `visited_at`, see
    `between_weeks`), so that a query for a few weeks does not aggregate every visit.
    """
    return f"""
        SELECT week_start, place_id, shift,
               sum(visits)::INTEGER AS visits, sum(sweeps)::INTEGER AS sweeps,
               max(people_max)::INTEGER AS people_max, max(children_max)::INTEGER AS children_max,
               sum(acute)::INTEGER AS acute, sum(referred)::INTEGER AS referred
        FROM ({live_grain_sql(live_where)}
              UNION ALL
              SELECT week_start, place_id, shift, visits, sweeps, people_max, children_max, acute, referred
              FROM visit_weeks_archive) g
        WHERE {where}
        GROUP BY week_start, place_id, shift"""


def between_weeks(first: str, last: str) -> str:
    """SQL condition on `visits.visited_at` holding every visit of the local weeks from the
    Monday `first` to the Monday `last` (date parameters), with a day's margin for the time zone."""
    return (f"visited_at >= CAST({first} AS TIMESTAMP) - INTERVAL 1 DAY "
            f"AND visited_at < CAST({last} AS TIMESTAMP) + INTERVAL 8 DAY")


def weekly_grain(cur: duckdb.DuckDBPyConnection, where: str = "TRUE", params: dict | None = None) -> pd.DataFrame:
    """The grain as a DataFrame, sorted, for tests and the retention check."""
    return cur.execute(
        f"SELECT * FROM ({grain_sql(where)}) ORDER BY week_start, place_id, shift", params or {}
    ).df()


def disjoint_windows(windows: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """The windows sorted, overlapping or adjacent ones merged, so that every week is in one."""
    merged: list[tuple[date, date]] = []
    for first, last in sorted(windows):
        if merged and (first - merged[-1][1]).days <= 7:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def grain_table(cur: duckdb.DuckDBPyConnection, windows: Sequence[tuple[date, date]]) -> pa.Table:
    """The grain of the weeks from each window's first Monday to its last, in ONE query, as Arrow.

    Trends, the year earlier and the report's figures for a page run all read this one table
    (DuckDB scans it in place) instead of each aggregating the visits again. Each window's live
    visits are aggregated on their own (a range filter DuckDB applies in the scan; an OR of ranges
    it would evaluate row by row); the archive is combined only when it holds one of the weeks.
    """
    windows = disjoint_windows(windows)
    if not windows:
        windows = [(date(1, 1, 1), date(1, 1, 1))]  # no weeks: an empty grain with the right columns
    params: dict[str, date] = {}
    live, weeks = [], []
    for i, (first, last) in enumerate(windows):
        params[f"first{i}"], params[f"last{i}"] = first, last
        weeks.append(f"week_start BETWEEN $first{i} AND $last{i}")
        live.append(f"SELECT * FROM ({live_grain_sql(between_weeks(f'$first{i}', f'$last{i}'))}) "
                    f"WHERE {weeks[-1]}")
    in_weeks = " OR ".join(weeks)
    archived = cur.execute(f"SELECT count(*) FROM visit_weeks_archive WHERE {in_weeks}", params).fetchall()[0][0]
    query = " UNION ALL ".join(live)
    if archived:  # a week may be partly archived and partly live: sum the counts, max the maxima
        query = f"""
        SELECT week_start, place_id, shift,
               sum(visits)::INTEGER AS visits, sum(sweeps)::INTEGER AS sweeps,
               max(people_max)::INTEGER AS people_max, max(children_max)::INTEGER AS children_max,
               sum(acute)::INTEGER AS acute, sum(referred)::INTEGER AS referred
        FROM ({query}
              UNION ALL
              SELECT week_start, place_id, shift, visits, sweeps, people_max, children_max, acute, referred
              FROM visit_weeks_archive WHERE {in_weeks}) g
        GROUP BY week_start, place_id, shift"""
    return cur.sql(query, params=params).to_arrow_table()
