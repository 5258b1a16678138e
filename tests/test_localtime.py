"""Stockholm time in SQL agrees with zoneinfo at every quarter hour of two years, DST included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from geo import localtime
from geo.config import STOCKHOLM


def test_sql_conversions_match_zoneinfo_every_quarter_hour():
    periods = localtime.summer_time_periods(2025, 2026)
    assert [(y, s.month, e.month) for y, s, e in periods] == [(2025, 3, 10), (2026, 3, 10)]
    start = datetime(2025, 1, 1)
    locals_ = [start + timedelta(minutes=15 * i) for i in range(2 * 365 * 96)]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (l TIMESTAMP)")
    con.execute("INSERT INTO t SELECT unnest(?::TIMESTAMP[])", [locals_])
    rows = con.execute(
        f"""SELECT l, u, {localtime.to_local_sql('u', periods)} AS back
            FROM (SELECT l, {localtime.to_utc_sql('l', periods)} AS u FROM t) ORDER BY l"""
    ).fetchall()
    for local, utc, back in rows:
        expected = local.replace(tzinfo=STOCKHOLM).astimezone(UTC).replace(tzinfo=None)
        assert utc == expected, local
        assert back == utc.replace(tzinfo=UTC).astimezone(STOCKHOLM).replace(tzinfo=None), local


def test_transition_hours_follow_zoneinfo_fold_zero():
    periods = localtime.summer_time_periods(2026, 2026)
    con = duckdb.connect()
    for local in (datetime(2026, 3, 29, 2, 30), datetime(2026, 10, 25, 2, 30), datetime(2026, 10, 25, 3, 0)):
        got = con.execute(f"SELECT {localtime.to_utc_sql('x', periods)} FROM (SELECT ?::TIMESTAMP AS x)", [local]).fetchone()[0]
        assert got == local.replace(tzinfo=STOCKHOLM).astimezone(UTC).replace(tzinfo=None), local


def test_years_outside_the_table_fall_back_to_icu():
    con = duckdb.connect()
    con.execute("LOAD icu; SET TimeZone = 'UTC'")
    periods = localtime.summer_time_periods(2026, 2026)
    got = con.execute(f"SELECT {localtime.to_utc_sql('x', periods)} FROM (SELECT ?::TIMESTAMP AS x)", [datetime(2019, 7, 1, 12)]).fetchone()[0]
    assert got == datetime(2019, 7, 1, 10)


def test_years_before_after_and_between_the_tables_years_follow_zoneinfo():
    con = duckdb.connect()
    con.execute("LOAD icu; SET TimeZone = 'UTC'")
    periods = localtime.summer_time_periods(2026, 2026) + localtime.summer_time_periods(2024, 2024)  # 2025 missing
    moments = [datetime(year, month, day, hour) for year in (2023, 2024, 2025, 2026, 2027)
               for month, day in ((1, 1), (3, 30), (7, 1), (10, 28), (12, 31)) for hour in (0, 12, 23)]
    for local in moments:
        utc = con.execute(f"SELECT {localtime.to_utc_sql('x', periods)} FROM (SELECT ?::TIMESTAMP AS x)", [local]).fetchone()[0]
        assert utc == local.replace(tzinfo=STOCKHOLM).astimezone(UTC).replace(tzinfo=None), local
        back = con.execute(f"SELECT {localtime.to_local_sql('x', periods)} FROM (SELECT ?::TIMESTAMP AS x)", [utc]).fetchone()[0]
        assert back == local, local
