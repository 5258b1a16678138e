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
    days: list[date] = []
    for year in range(first_year, last_year + 1):
        day = date(year, 1, 1)
        while day.year == year:
            if day.weekday() < 5 and is_holiday(day):
                days.append(day)
            day = date.fromordinal(day.toordinal() + 1)
    return days


def shift_sql(utc_column: str) -> str:
    """SQL expression deriving the shift from a naive-UTC column, same rules as `shift_of`.

    Needs a temp table `holidays(day DATE)` filled from `holiday_dates`.
    """
    local = f"timezone('Europe/Stockholm', timezone('UTC', {utc_column}))"
    return (
        f"CASE WHEN isodow({local}) >= 6 OR CAST({local} AS DATE) IN (SELECT day FROM holidays) "
        f"THEN 'weekend' WHEN hour({local}) >= {DAY_START_HOUR} AND hour({local}) < {EVENING_START_HOUR} "
        "THEN 'day' ELSE 'evening' END"
    )
