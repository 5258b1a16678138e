"""Trends, estimate, retention, report: hand-built datasets whose answers are worked out here."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from geo import store
from geo.estimate import EstimateError, estimate, estimate_at, estimate_series, record_estimate, recorded_estimates
from geo.report import report_data
from geo.retention import apply_retention
from geo.suppress import suppress, suppress_frame
from geo.trend_charts import estimate_chart, trend_chart, vega_spec
from geo.trends import period_trends, trend_windows, week_label, with_year_earlier
from geo.weekly import grain_table, weekly_grain

# Real Stockholm positions; the names must never leave in a report.
PLACES = [
    # place_id, name, kind, lat, lon, created_at (UTC), cleared_at (UTC)
    ("A", "Kungsträdgården", "encampment", 59.331234, 18.071456, datetime(2025, 11, 1), None),
    ("B", "Hötorget", "sleeping_place", 59.335678, 18.063321, datetime(2025, 11, 1), None),
    ("C", "Tantolunden", "sleeping_place", 59.312345, 18.048765, datetime(2025, 11, 1), None),
    ("D", "Fatbursparken", "sleeping_place", 59.314321, 18.072222, datetime(2025, 11, 1), datetime(2026, 3, 5, 12)),
    ("E", "Vitabergsparken", "sleeping_place", 59.313579, 18.085246, datetime(2025, 11, 1), None),
    ("F", "Rålambshovsparken", "other", 59.328642, 18.020864, datetime(2025, 11, 1), None),
]
VISITS = [
    # visit_id, place_id, visited_at (UTC), shift, people, acute, referred_to
    ("v1", "A", datetime(2026, 3, 2, 10), "day", 5, False, None),
    ("v2", "A", datetime(2026, 3, 4, 18), "evening", 3, True, "socialjouren"),
    ("v3", "B", datetime(2026, 3, 3, 9), "day", 0, False, None),  # a sweep
    # Sunday 23:30 UTC = Monday 9 March 00:30 in Stockholm (CET): the new ISO week
    ("v4", "A", datetime(2026, 3, 8, 23, 30), "evening", 4, False, None),
    ("v5", "D", datetime(2026, 3, 1, 12), "weekend", 8, False, None),
    ("v6", "E", datetime(2026, 2, 10, 19), "evening", 10, False, None),
    ("v7", "F", datetime(2025, 12, 1, 19), "evening", 7, False, None),
]


def build(cur) -> None:
    for pid, name, kind, lat, lon, created, cleared in PLACES:
        cur.execute("INSERT INTO places VALUES (?, ?, lower(?), ?, ?, ?, ?, ?, NULL)",
                    [pid, name, name, kind, lat, lon, created, cleared])
    for vid, pid, at, shift, people, acute, ref in VISITS:
        cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift, people, acute, referred_to) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", [vid, pid, at, shift, people, acute, ref])


def test_week_label_is_iso():
    assert week_label(date(2026, 11, 16)) == "v. 47 2026"
    assert week_label(date(2027, 12, 27)) == "v. 52 2027"
    assert week_label(date(2026, 12, 28)) == "v. 53 2026"


def test_weekly_people_are_maxima_not_sums_and_weeks_are_local(cur):
    build(cur)
    frame = period_trends(cur, date(2026, 3, 2), date(2026, 3, 15)).set_index("label")
    week10, week11 = frame.loc["v. 10 2026"], frame.loc["v. 11 2026"]
    # week 10: A visited twice (5 and 3 people: max 5, never 8), B swept (0)
    assert (week10["visits"], week10["sweeps"], week10["places_visited"]) == (3, 1, 2)
    assert week10["people"] == 5
    assert (week10["acute"], week10["referred"]) == (1, 1)
    # the visit at Sunday 23:30 UTC is Monday 00:30 local: week 11
    assert (week11["visits"], week11["people"]) == (1, 4)
    by_shift = period_trends(cur, date(2026, 3, 2), date(2026, 3, 8), by="shift").set_index("group")
    assert by_shift.loc["day", "people"] == 5 and by_shift.loc["evening", "people"] == 3
    assert by_shift.loc["day", "sweeps"] == 1


def test_coverage_share_at_end_of_each_week(cur):
    build(cur)
    frame = period_trends(cur, date(2026, 3, 2), date(2026, 3, 16)).set_index("label")
    # active in week 10: A, B, C, E, F (D was cleared on 5 March, before the week ended)
    # covered: A (7 days = this week), B (14 days = this or last week) -> 2 of 5
    assert frame.loc["v. 10 2026", ["active_places", "covered_places"]].tolist() == [5, 2]
    # week 11: A visited again (Monday 00:30 local); B's week-10 visit still within 14 days -> 2 of 5
    assert frame.loc["v. 11 2026", "coverage"] == pytest.approx(2 / 5)
    # week 12: nobody visited; B's visit is now three weeks old -> 0 of 5
    assert frame.loc["v. 12 2026", "coverage"] == 0
    monthly = period_trends(cur, date(2026, 3, 2), date(2026, 3, 29), "month")
    assert monthly["label"].tolist() == ["mar 2026"]
    assert monthly["coverage"].iloc[0] == 0  # a month's coverage: the end of its last week
    # by shift, week 11: evening = A (its Monday-00:30 visit); day = B (week 10, 14-day target); weekend = nobody
    shift = period_trends(cur, date(2026, 3, 9), date(2026, 3, 9), by="shift").set_index("group")
    assert shift["covered_places"].to_dict() == {"day": 1, "evening": 1, "weekend": 0}
    assert shift["active_places"].to_dict() == {"day": 5, "evening": 5, "weekend": 5}


def test_year_earlier_lines_up_by_week_number(cur):
    build(cur)
    cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift, people) "
                "VALUES ('old', 'B', '2025-03-04 10:00', 'day', 6)")  # Tuesday of week 10, 2025
    frame = with_year_earlier(cur, date(2026, 3, 2), date(2026, 3, 8)).set_index("label")
    assert frame.loc["v. 10 2026", "prev_visits"] == 1
    assert frame.loc["v. 10 2026", "prev_people"] == 6


def test_shared_grain_gives_the_same_trends_and_report(cur):
    """The page reads the grain once (period + year earlier) and passes it on: same answers."""
    build(cur)
    start, end = date(2026, 3, 2), date(2026, 3, 15)
    grain = grain_table(cur, trend_windows(start, end, "week"))
    pd.testing.assert_frame_equal(with_year_earlier(cur, start, end, grain=grain), with_year_earlier(cur, start, end))
    pd.testing.assert_frame_equal(period_trends(cur, start, end, by="shift", grain=grain),
                                  period_trends(cur, start, end, by="shift"))
    shared, alone = report_data(cur, start, end, grain=grain), report_data(cur, start, end)
    assert (shared.totals, shared.coverage, shared.estimate) == (alone.totals, alone.coverage, alone.estimate)
    assert shared.totals["visits"] == 4 and shared.totals["places_visited"] == 2
    pd.testing.assert_frame_equal(shared.weekly, alone.weekly)


@pytest.mark.parametrize("by", [None, "shift"])
def test_page_charts_are_valid_vega_lite(cur, by):
    """The page draws vega_spec(...) without validating on every run; the specs are validated here."""
    build(cur)
    frame = (with_year_earlier(cur, date(2026, 3, 2), date(2026, 3, 15)) if by is None
             else period_trends(cur, date(2026, 3, 2), date(2026, 3, 15), by=by))
    charts = [trend_chart(frame, metric, "week", by, "sv") for metric in ("visits", "coverage", "people")]
    computed = estimate_series(cur, [date(2026, 3, 8), date(2026, 3, 15)])
    record_estimate(cur, date(2026, 3, 15), 9, 4, 14, None, "chef")
    charts.append(estimate_chart(computed, recorded_estimates(cur), "sv"))
    for chart in charts:
        checked = chart.to_dict()  # validates against the Vega-Lite schema (raises when invalid)
        checked.pop("config", None)
        assert vega_spec(chart) == checked


def test_estimate_low_high_point(cur):
    build(cur)
    est = estimate(cur, date(2026, 3, 20), window_days=14, max_age_days=60)
    # window = 7-20 March (local). Seen: A (latest count 4, Monday 9 March 00:30 local) -> low 4.
    # Not seen, carried: B (latest count 0, 3 March), E (10 people, 10 February: 38 days old).
    # Not carried: D (cleared 5 March), F (7 people on 1 December: more than 60 days old).
    assert (est.low, est.high) == (4, 14)
    assert est.point == 4 + 5  # low + half the carried-forward part
    assert (est.places_seen, est.places_carried) == (1, 2)
    # the page reads the same estimate off its weekly series (one query for every date)
    series = estimate_series(cur, [date(2026, 3, 6), date(2026, 3, 13), date(2026, 3, 20)], 14, 60)
    assert estimate_at(series, date(2026, 3, 20), 14, 60) == est
    assert estimate_at(series, date(2026, 3, 19), 14, 60) is None
    shorter = estimate(cur, date(2026, 3, 20), window_days=14, max_age_days=30)  # E's count now too old
    assert (shorter.low, shorter.point, shorter.high) == (4, 4, 4)


def test_recorded_estimates_are_checked_scrubbed_and_audited(cur):
    with pytest.raises(EstimateError):
        record_estimate(cur, date(2026, 3, 20), 50, 60, 70, None, "chef")
    record_estimate(cur, date(2026, 3, 20), 65, 60, 70, "till samverkansgruppen, ring 070-123 45 67", "chef")
    rows = recorded_estimates(cur)
    assert rows[["estimate", "low", "high"]].values.tolist() == [[65, 60, 70]]
    assert "070" not in rows["comment"].iloc[0]
    assert cur.execute("SELECT count(*) FROM audit WHERE action = 'record_estimate'").fetchone()[0] == 1


def test_suppress_rule():
    assert [suppress(v) for v in (0, 1, 4, 5, 12, None)] == ["0", "<5", "<5", "5", "12", "–"]
    out = suppress_frame(pd.DataFrame({"n": [3, 7]}), ["n"])
    assert out["n"].tolist() == ["<5", "7"]


def test_retention_keeps_weekly_aggregates_identical(db_path):
    from geo.demo import build_demo

    build_demo(db_path, today=date(2026, 11, 20))
    cur = store.cursor(db_path)
    before_grain = weekly_grain(cur)
    before = with_year_earlier(cur, date(2025, 6, 1), date(2026, 11, 20))
    before_months = period_trends(cur, date(2025, 1, 1), date(2026, 11, 20), "month", by="shift")
    now = datetime(2026, 11, 21)
    dry = apply_retention(cur, 300, "test", dry_run=True, now=now)
    assert dry.visits > 1000 and cur.execute("SELECT count(*) FROM visit_weeks_archive").fetchone()[0] == 0
    done = apply_retention(cur, 300, "test", now=now)
    assert done.visits == dry.visits
    assert cur.execute("SELECT count(*) FROM visits WHERE visited_at < ?", [done.cutoff]).fetchone()[0] == 0
    # the week holding the cutoff is now split between the archive and live visits
    pd.testing.assert_frame_equal(weekly_grain(cur), before_grain)
    pd.testing.assert_frame_equal(with_year_earlier(cur, date(2025, 6, 1), date(2026, 11, 20)), before)
    pd.testing.assert_frame_equal(period_trends(cur, date(2025, 1, 1), date(2026, 11, 20), "month", by="shift"),
                                  before_months)
    # a second run later archives more of the same week: still identical
    apply_retention(cur, 290, "test", now=now)
    pd.testing.assert_frame_equal(weekly_grain(cur), before_grain)
    audit = cur.execute("SELECT count(*) FROM audit WHERE action = 'retention'").fetchone()[0]
    assert audit == 2
