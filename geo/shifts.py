"""Shift of a visit, derived from its local Stockholm time (PRODUCT.md §2).

weekend = Saturday, Sunday or a Swedish public holiday (incl. midsummer, Christmas and
New Year's Eve, which the team staffs as holidays); otherwise day = 07:00–16:59 and
evening = 17:00–06:59 (the evening shift runs into the night, when people are at their
sleeping places).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

import holidays

from geo.config import STOCKHOLM

SHIFTS: tuple[str, ...] = ("day", "evening", "weekend")
DAY_START_HOUR = 7
EVENING_START_HOUR = 17


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Sweden(years=year, include_sundays=False)


def is_holiday(day: date) -> bool:
    """True on Swedish public holidays and the eves the team treats as holidays."""
    if day in _swedish_holidays(day.year):
        return True
    return (day.month, day.day) in {(12, 24), (12, 31)} or (
        day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4  # midsommarafton
    )


def shift_of(local: datetime) -> str:
    """The shift of a visit at `local` (naive = Stockholm time, aware = converted)."""
    if local.tzinfo is not None:
        local = local.astimezone(STOCKHOLM)
    if local.weekday() >= 5 or is_holiday(local.date()):
        return "weekend"
    if DAY_START_HOUR <= local.hour < EVENING_START_HOUR:
        return "day"
    return "evening"


def holiday_dates(first_year: int, last_year: int) -> list[date]:
    """Every weekday that counts as a holiday in the years given, for SQL joins."""
    days: set[date] = set()
    for year in range(first_year, last_year + 1):
        days.update(_swedish_holidays(year).keys())
        days.update({date(year, 12, 24), date(year, 12, 31)})
        days.update(date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4)
    return sorted(d for d in days if d.weekday() < 5)


def shift_sql(local_column: str) -> str:
    """SQL expression deriving the shift from a naive Stockholm-time column, as `shift_of` does.

    Needs a temp table `holidays(day DATE)` filled from `holiday_dates`.
    """
    return (
        f"CASE WHEN isodow({local_column}) >= 6 OR CAST({local_column} AS DATE) IN (SELECT day FROM holidays) "
        f"THEN 'weekend' WHEN hour({local_column}) >= {DAY_START_HOUR} AND hour({local_column}) < {EVENING_START_HOUR} "
        "THEN 'day' ELSE 'evening' END"
    )
