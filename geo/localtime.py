"""Stockholm local time ↔ UTC inside SQL, fast.

DuckDB's ICU `timezone()` costs about 0.3 s per million values per conversion, which was a
third of a large import. Stockholm has two offsets (+1 CET, +2 CEST); the moments it
switches are taken from the tz database (zoneinfo), per year, and the SQL only compares
against them. Years outside the table fall back to ICU, so no value is ever wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from geo.config import STOCKHOLM

_HOUR = timedelta(hours=1)


def _offset(utc: datetime) -> timedelta:
    offset = utc.replace(tzinfo=UTC).astimezone(STOCKHOLM).utcoffset()
    assert offset is not None
    return offset


def _switch(start: datetime, end: datetime) -> datetime:
    """The first UTC hour in [start, end) whose offset differs from start's (hourly scan)."""
    base = _offset(start)
    moment = start
    while moment < end and _offset(moment) == base:
        moment += _HOUR
    return moment


def summer_time_periods(first_year: int, last_year: int) -> list[tuple[int, datetime, datetime]]:
    """(year, CEST start in UTC, CEST end in UTC) per year, read off the tz database."""
    periods = []
    for year in range(first_year, last_year + 1):
        # Scan day by day at noon to find the days of change, then hour by hour within them.
        day = datetime(year, 1, 1, 12)
        changes: list[datetime] = []
        while day.year == year and len(changes) < 2:
            nxt = day + timedelta(days=1)
            if _offset(nxt) != _offset(day):
                changes.append(_switch(day, nxt))
            day = nxt
        if len(changes) == 2:
            periods.append((year, changes[0], changes[1]))
    return periods


def to_utc_sql(local: str, periods: list[tuple[int, datetime, datetime]]) -> str:
    """SQL: naive Stockholm time `local` → naive UTC, read as Python's zoneinfo reads it (fold=0):
    the autumn hour that occurs twice as summer time, the spring hour that never occurs as winter time."""
    fallback = f"timezone('UTC', timezone('Europe/Stockholm', {local}))"
    return _shift_sql(local, [(y, s + 2 * _HOUR, e + 2 * _HOUR) for y, s, e in periods], "-", fallback)


def to_local_sql(utc: str, periods: list[tuple[int, datetime, datetime]]) -> str:
    """SQL: naive UTC `utc` → naive Stockholm time."""
    fallback = f"timezone('Europe/Stockholm', timezone('UTC', {utc}))"
    return _shift_sql(utc, periods, "+", fallback)


def _shift_sql(column: str, summer: list[tuple[int, datetime, datetime]], sign: str, fallback: str) -> str:
    """`column` moved by two hours inside a year's summer-time window, one hour outside it,
    and by ICU (`fallback`) in years the table does not cover.

    One comparison per step, newest moments first: the start of the year after, the end and
    the start of summer time, the start of the year (a year's windows lie inside it), so a
    recent value is placed after a few comparisons and `column` is never taken apart.
    """
    summer_sql, winter_sql = f"{column} {sign} INTERVAL 2 HOUR", f"{column} {sign} INTERVAL 1 HOUR"
    cases: list[str] = []
    covered_after: int | None = None   # the newest year already placed
    for year, start, end in sorted(summer, reverse=True):
        if covered_after != year + 1:  # the year after this one falls back to ICU
            cases.append(f"WHEN {column} >= TIMESTAMP '{year + 1}-01-01' THEN {fallback}")
        cases += [
            f"WHEN {column} >= TIMESTAMP '{end}' THEN {winter_sql}",
            f"WHEN {column} >= TIMESTAMP '{start}' THEN {summer_sql}",
            f"WHEN {column} >= TIMESTAMP '{year}-01-01' THEN {winter_sql}",
        ]
        covered_after = year
    if not cases:
        return fallback
    return f"CASE {' '.join(cases)} ELSE {fallback} END"


def utc_series_to_local(values: pd.Series) -> pd.Series:
    """Stored (naive UTC) timestamps as Stockholm time, for display; NaT stays NaT."""
    return pd.to_datetime(values).dt.tz_localize("UTC").dt.tz_convert(STOCKHOLM)


def utc_to_local(value: object) -> pd.Timestamp | None:
    """One stored (naive UTC) timestamp as Stockholm time; None when missing."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_localize("UTC").tz_convert(STOCKHOLM)
