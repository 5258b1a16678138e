"""Stockholm local time ↔ UTC inside SQL, fast.

DuckDB's ICU `timezone()` costs about 0.3 s per million values per conversion, which was a
third of a large import. Stockholm has two offsets (+1 CET, +2 CEST); the moments it
switches are taken from the tz database (zoneinfo), per year, and the SQL only compares
against them. Years outside the table fall back to ICU, so no value is ever wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
    cases = " ".join(
        f"WHEN {year} THEN {local} >= TIMESTAMP '{start + 2 * _HOUR}' AND {local} < TIMESTAMP '{end + 2 * _HOUR}'"
        for year, start, end in periods
    )
    fallback = f"timezone('UTC', timezone('Europe/Stockholm', {local}))"
    if not cases:
        return fallback
    return (f"CASE (CASE year({local}) {cases} END) WHEN TRUE THEN {local} - INTERVAL 2 HOUR "
            f"WHEN FALSE THEN {local} - INTERVAL 1 HOUR ELSE {fallback} END")


def to_local_sql(utc: str, periods: list[tuple[int, datetime, datetime]]) -> str:
    """SQL: naive UTC `utc` → naive Stockholm time."""
    cases = " ".join(
        f"WHEN {year} THEN {utc} >= TIMESTAMP '{start}' AND {utc} < TIMESTAMP '{end}'"
        for year, start, end in periods
    )
    fallback = f"timezone('Europe/Stockholm', timezone('UTC', {utc}))"
    if not cases:
        return fallback
    return (f"CASE (CASE year({utc}) {cases} END) WHEN TRUE THEN {utc} + INTERVAL 2 HOUR "
            f"WHEN FALSE THEN {utc} + INTERVAL 1 HOUR ELSE {fallback} END")
