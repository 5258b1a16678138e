"""Trends per ISO week or month for managers: activity, coverage, people, acute cases, referrals.

Everything is computed from the place-week grain (geo/weekly.py), so that retention of old
visits never changes a trend. Definitions (also shown on the page):

* visits, sweeps (visits with people = 0), acute cases, referrals: counts in the period;
* places visited: places with at least one visit in the period;
* people seen: per place the *maximum* count in the period, summed over places. Repeated
  visits to the same place in a week never add up (the same people are met again);
* coverage at the end of a week: the share of active places (existing by then, not cleared)
  visited within their kind's target interval. At week grain "within the target" means in
  that week or the ceil(target / 7) - 1 weeks before it (7 days: the week itself; 14 days:
  the week and the one before). A month's coverage is the coverage at the end of its last
  week;
* a month holds the ISO weeks whose Thursday falls in it (the ISO rule), so weeks are never
  split;
* split by shift: every figure counts only that shift's visits (coverage: visited on that
  shift within the target); split by district: places are put in the district their
  position falls in (any imported boundary layer).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import duckdb
import pandas as pd
import pyarrow as pa

from geo.config import TARGET_DAYS
from geo.weekly import disjoint_windows, grain_table

METRICS: tuple[str, ...] = ("visits", "sweeps", "places_visited", "coverage", "people", "acute", "referred")
COUNT_METRICS: tuple[str, ...] = ("visits", "sweeps", "places_visited", "people", "acute", "referred")
FREQS: tuple[str, ...] = ("week", "month")
SPLITS: tuple[str | None, ...] = (None, "shift", "district")
YEAR_WEEKS = timedelta(days=364)  # 52 weeks: Monday stays Monday, the ISO week number (nearly always) the same


def monday(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_label(week_start: date) -> str:
    """"v. 47 2026": how Swedes name a week (ISO week number and ISO year)."""
    iso = week_start.isocalendar()
    return f"v. {iso.week} {iso.year}"


_MONTHS = {
    "sv": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def period_label(period: date, freq: str, lang: str = "sv") -> str:
    if freq == "week":
        return week_label(period)
    return f"{_MONTHS.get(lang, _MONTHS['sv'])[period.month - 1]} {period.year}"


def _district_map(cur: duckdb.DuckDBPyConnection, layer: str, outside: str) -> pd.DataFrame:
    """place_id → district name for every place (`outside` for places in no district)."""
    from geo.coverage import place_areas

    mapping = place_areas(cur, layer)
    names = cur.execute("SELECT area_id, name FROM areas WHERE layer = ?", [layer]).df()
    places = cur.execute("SELECT place_id FROM places").df()
    out = places.merge(mapping, on="place_id", how="left").merge(names, on="area_id", how="left")
    return pd.DataFrame({"place_id": out["place_id"], "grp": out["name"].fillna(outside).astype(str)})


def _ks(targets: Mapping[str, int]) -> dict[str, int]:
    """Per kind: how many weeks (this one and those before) count as "within the target"."""
    return {kind: max(1, -(-int(days) // 7)) for kind, days in targets.items()}


def grain_window(start: date, end: date, targets: Mapping[str, int] = TARGET_DAYS) -> tuple[date, date]:
    """(first, last) Monday of the grain weeks that trends from `start` to `end` read: the
    coverage of the first week looks back up to the longest target."""
    back = monday(start) - timedelta(days=7 * (max(_ks(targets).values()) - 1))
    return back, monday(end)


def trend_windows(start: date, end: date, freq: str = "week", targets: Mapping[str, int] = TARGET_DAYS,
                  year_earlier: bool = True) -> list[tuple[date, date]]:
    """The grain windows (see `grain_window`) for the period and, optionally, a year earlier."""
    windows = [grain_window(start, end, targets)]
    if year_earlier:
        windows.append(grain_window(year_earlier_start(start, freq), year_earlier_start(end, freq), targets))
    return windows


def view_windows(start: date, end: date, targets: Mapping[str, int] = TARGET_DAYS) -> list[tuple[date, date]]:
    """The grain windows every view of the period reads (weeks or months, split or with the year
    earlier), merged: one read of the grain serves a page however the user looks at the period."""
    return disjoint_windows(trend_windows(start, end, "week", targets) + trend_windows(start, end, "month", targets))


def period_trends(
    cur: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    freq: str = "week",
    by: str | None = None,
    layer: str | None = None,
    targets: Mapping[str, int] = TARGET_DAYS,
    outside: str = "–",
    lang: str = "sv",
    grain: pa.Table | None = None,
) -> pd.DataFrame:
    """One row per period (and group) for the weeks from `start`'s to `end`'s (local dates).

    Columns: period (DATE, first day), label, group, METRICS, active_places, covered_places.
    Periods without any visit still get a row (zeros), so charts show gaps as zero.
    `grain` (from `geo.weekly.grain_table`) must hold at least the weeks of `grain_window`;
    without it the grain is read here.
    """
    return _series_trends(cur, [(start, end)], freq, by, layer, targets, outside, lang, grain)[0]


def _series_trends(
    cur: duckdb.DuckDBPyConnection,
    periods: list[tuple[date, date]],
    freq: str,
    by: str | None,
    layer: str | None,
    targets: Mapping[str, int],
    outside: str,
    lang: str,
    grain: pa.Table | None,
) -> list[pd.DataFrame]:
    """`period_trends` for several periods (the period and the year earlier) in one query."""
    if freq not in FREQS:
        raise ValueError(f"unknown freq {freq!r}")
    if by not in SPLITS:
        raise ValueError(f"unknown split {by!r}")
    if by == "district" and not layer:
        raise ValueError("a district split needs a layer")
    if grain is None:
        grain = grain_table(cur, [grain_window(s, e, targets) for s, e in periods])
    ks = _ks(targets)
    period = "week_start" if freq == "week" else "CAST(date_trunc('month', week_start + 3) AS DATE)"
    group = {None: "''", "shift": "g.shift", "district": "m.grp"}[by]
    join = "LEFT JOIN tr_map m USING (place_id)" if by == "district" else ""
    pjoin = "LEFT JOIN tr_map m USING (place_id)" if by == "district" else ""
    shifts = "CROSS JOIN (SELECT unnest(['day', 'evening', 'weekend']) AS shift) s" if by == "shift" else ""
    pgroup = {None: "''", "shift": "s.shift", "district": "m.grp"}[by]
    seen_group = {None: "''", "shift": "shift", "district": "''"}[by]
    params: dict[str, object] = {"k_enc": ks["encampment"], "k_sleep": ks["sleeping_place"], "k_other": ks["other"]}
    weeks, needed = [], []
    for i, (start, end) in enumerate(periods):
        back, w1 = grain_window(start, end, targets)
        params.update({f"w0_{i}": monday(start), f"w1_{i}": w1, f"back{i}": back})
        weeks.append(f"""SELECT {i} AS series, CAST(range AS DATE) AS week_start
            FROM range(CAST($w0_{i} AS TIMESTAMP), CAST($w1_{i} AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 7 DAY)""")
        needed.append(f"week_start BETWEEN $back{i} AND $w1_{i}")
    # series: 0 = the period, 1 = a year earlier; a grain week may belong to both when they overlap
    sql = f"""
    WITH grain AS (SELECT * FROM tr_grain WHERE {" OR ".join(needed)}),
    weeks AS ({" UNION ALL ".join(weeks)}),
    g AS (
        SELECT w.series, {period.replace('week_start', 'w.week_start')} AS period, {group} AS grp, g.*
        FROM grain g JOIN weeks w USING (week_start) {join}
    ), pp AS (
        SELECT series, period, grp, place_id, sum(visits) AS visits, sum(sweeps) AS sweeps,
               max(people_max) AS people, sum(acute) AS acute, sum(referred) AS referred
        FROM g GROUP BY ALL
    ), activity AS (
        SELECT series, period, grp, sum(visits)::INTEGER AS visits, sum(sweeps)::INTEGER AS sweeps,
               count(*)::INTEGER AS places_visited, coalesce(sum(people), 0)::INTEGER AS people,
               sum(acute)::INTEGER AS acute, sum(referred)::INTEGER AS referred
        FROM pp GROUP BY ALL
    ), tgt AS (
        SELECT p.place_id, {pgroup} AS grp,
               CASE p.kind WHEN 'encampment' THEN $k_enc WHEN 'sleeping_place' THEN $k_sleep ELSE $k_other END AS k,
               CAST(p.created_at AS DATE) AS created, CAST(p.cleared_at AS DATE) AS cleared
        FROM places p {pjoin} {shifts}
    ), active AS (
        SELECT w.series, w.week_start, t.place_id, t.grp
        FROM weeks w JOIN tgt t ON t.created < w.week_start + 7 AND (t.cleared IS NULL OR t.cleared >= w.week_start + 7)
    ), seen AS (
        SELECT DISTINCT place_id, {seen_group} AS sgrp, week_start FROM grain
    ), covered AS (
        SELECT DISTINCT place_id, sgrp, CAST(week_start + CAST(7 * unnest(range(k)) AS INTEGER) AS DATE) AS week_start
        FROM seen JOIN (SELECT DISTINCT place_id, k FROM tgt) USING (place_id)
    ), cov_week AS (
        SELECT a.series, a.week_start, {period.replace('week_start', 'a.week_start')} AS period, a.grp,
               count(*)::INTEGER AS active_places, count(c.place_id)::INTEGER AS covered_places
        FROM active a LEFT JOIN covered c
          ON c.place_id = a.place_id AND c.week_start = a.week_start
             AND c.sgrp = {'a.grp' if by == 'shift' else "''"}
        GROUP BY ALL
    ), cov AS (  -- a period's coverage: at the end of its last week
        SELECT series, period, grp, arg_max(active_places, week_start) AS active_places,
               arg_max(covered_places, week_start) AS covered_places
        FROM cov_week GROUP BY ALL
    ), periods AS (
        SELECT DISTINCT w.series, {period.replace('week_start', 'w.week_start')} AS period, gs.grp
        FROM weeks w JOIN (SELECT DISTINCT series, grp FROM activity
                           UNION SELECT DISTINCT series, grp FROM cov) gs USING (series)
    )
    SELECT p.series, p.period, p.grp AS "group",
           coalesce(a.visits, 0) AS visits, coalesce(a.sweeps, 0) AS sweeps,
           coalesce(a.places_visited, 0) AS places_visited, coalesce(a.people, 0) AS people,
           coalesce(a.acute, 0) AS acute, coalesce(a.referred, 0) AS referred,
           coalesce(c.active_places, 0) AS active_places, coalesce(c.covered_places, 0) AS covered_places
    FROM periods p
    LEFT JOIN activity a USING (series, period, grp)
    LEFT JOIN cov c USING (series, period, grp)
    ORDER BY p.series, p.period, p.grp
    """
    if by == "district":
        cur.register("tr_map", _district_map(cur, layer, outside))  # type: ignore[arg-type]
    cur.register("tr_grain", grain)
    try:
        frame = cur.execute(sql, params).df()
    finally:
        cur.unregister("tr_grain")
        if by == "district":
            cur.unregister("tr_map")
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    frame["coverage"] = (frame["covered_places"] / frame["active_places"].where(frame["active_places"] > 0)).astype(float)
    out = []
    for i in range(len(periods)):
        part = frame[frame["series"] == i].reset_index(drop=True)
        part.insert(1, "label", [period_label(p, freq, lang) for p in part["period"]])
        out.append(part[["period", "label", "group", *METRICS, "active_places", "covered_places"]])
    return out


def data_version(cur: duckdb.DuckDBPyConnection) -> tuple:
    """A cheap fingerprint of everything trends read (visits, archive, places, settings), so a
    page can cache results and recompute only when the data changed."""
    return tuple(cur.execute(
        """SELECT (SELECT (count(*), bit_xor(hash(visit_id, visited_at, people, shift, acute, referred_to)))
                   FROM visits),
                  (SELECT (count(*), bit_xor(hash(week_start, place_id, shift, visits))) FROM visit_weeks_archive),
                  (SELECT (count(*), bit_xor(hash(place_id, kind, lat, lon, created_at, cleared_at))) FROM places),
                  (SELECT bit_xor(hash(key, value)) FROM settings),
                  (SELECT max(imported_at) FROM area_layers)""").fetchone())


def year_earlier_start(day: date, freq: str) -> date:
    """The same point a year earlier: 52 weeks back for weeks, the same month for months."""
    if freq == "week":
        return day - YEAR_WEEKS
    return day.replace(year=day.year - 1, day=min(day.day, 28))


def with_year_earlier(
    cur: duckdb.DuckDBPyConnection, start: date, end: date, freq: str = "week", by: str | None = None,
    layer: str | None = None, targets: Mapping[str, int] = TARGET_DAYS, outside: str = "–", lang: str = "sv",
    grain: pa.Table | None = None,
) -> pd.DataFrame:
    """`period_trends` with prev_<metric> columns: the same week (52 weeks back) or month a year
    earlier. Both periods come from one query (and one read of the grain, see `trend_windows`)."""
    earlier = (year_earlier_start(start, freq), year_earlier_start(end, freq))
    now, before = _series_trends(cur, [(start, end), earlier], freq, by, layer, targets, outside, lang, grain)
    if freq == "week":
        before["period"] = [p + YEAR_WEEKS for p in before["period"]]
    else:
        before["period"] = [p.replace(year=p.year + 1) for p in before["period"]]
    before = before[["period", "group", *METRICS]].rename(columns={m: f"prev_{m}" for m in METRICS})
    return now.merge(before, on=["period", "group"], how="left")
