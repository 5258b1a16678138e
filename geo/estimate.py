"""How many people are there? A point estimate with an honest low–high range (issue 6).

From place-level counts only (the team counts people at places; it never registers persons):

* **low**: at every place seen within the window (the last `window_days` days up to and
  including the date), its latest count. These people were seen recently.
* **high**: low plus the latest count of every place *not* seen in the window whose latest
  count is at most `max_age_days` old (settings, default 60), except places known to be
  cleared by the date. These people were there, and may still be.
* **point**: low + half the carried-forward part (rounded up). Nobody knows whether a place
  unseen for weeks is still occupied; half is the honest middle between "all left" (low)
  and "all stayed" (high), and the range says how uncertain that is. Visiting more places
  narrows the range.

Dates are Stockholm local dates. Counts are whole people, never summed over repeated visits
to a place (only the latest count of a place is used).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from geo import store
from geo.config import ESTIMATE_MAX_AGE_DAYS, ESTIMATE_WINDOW_DAYS
from geo.privacy import scrub
from geo.weekly import local_sql


class EstimateError(ValueError):
    """A recorded estimate that cannot be stored; one sentence in Swedish and English."""


@dataclass(frozen=True)
class Estimate:
    as_of: date
    window_days: int
    max_age_days: int
    low: int
    point: int
    high: int
    places_seen: int  # places whose count is in `low`
    places_carried: int  # places whose count is carried into `high`


ESTIMATE_COLUMNS = ["as_of", "low", "point", "high", "places_seen", "places_carried"]

_SERIES = f"""
WITH d AS (SELECT unnest($dates::DATE[]) AS as_of),
v AS (
    SELECT place_id, visited_at, people, CAST({local_sql('visited_at')} AS DATE) AS day
    FROM visits
    WHERE people IS NOT NULL AND visited_at >= $from_utc AND visited_at < $to_utc
), latest AS (  -- per date and place: the latest count no older than the horizon
    SELECT d.as_of, v.place_id, arg_max(v.people, v.visited_at) AS people, max(v.day) AS day
    FROM d JOIN v ON v.day <= d.as_of AND v.day > d.as_of - $horizon
    GROUP BY ALL
), judged AS (
    SELECT l.*, l.day > l.as_of - $window AS seen,
           p.cleared_at IS NOT NULL AND CAST({local_sql('p.cleared_at')} AS DATE) <= l.as_of AS cleared
    FROM latest l JOIN places p USING (place_id)
)
SELECT d.as_of,
       coalesce(sum(people) FILTER (WHERE seen), 0)::INTEGER                    AS low,
       coalesce(sum(people) FILTER (WHERE NOT seen AND NOT cleared), 0)::INTEGER AS carried,
       count(*) FILTER (WHERE seen)::INTEGER                                    AS places_seen,
       count(*) FILTER (WHERE NOT seen AND NOT cleared)::INTEGER                AS places_carried
FROM d LEFT JOIN judged j USING (as_of)
GROUP BY d.as_of ORDER BY d.as_of
"""


def estimate_series(
    cur: duckdb.DuckDBPyConnection,
    dates: Sequence[date],
    window_days: int = ESTIMATE_WINDOW_DAYS,
    max_age_days: int = ESTIMATE_MAX_AGE_DAYS,
) -> pd.DataFrame:
    """The estimate for each date (ESTIMATE_COLUMNS), in one query."""
    if window_days < 1 or max_age_days < 1:
        raise ValueError("window_days and max_age_days must be at least 1")
    dates = sorted(set(dates))
    if not dates:
        return pd.DataFrame(columns=ESTIMATE_COLUMNS)
    horizon = max(window_days, max_age_days + 1)
    from_utc = pd.Timestamp(dates[0]) - pd.Timedelta(days=horizon + 1)
    to_utc = pd.Timestamp(dates[-1]) + pd.Timedelta(days=2)
    frame = cur.execute(_SERIES, {"dates": list(dates), "window": window_days, "horizon": horizon,
                                  "from_utc": from_utc.to_pydatetime(), "to_utc": to_utc.to_pydatetime()}).df()
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    frame["point"] = frame["low"] + (frame["carried"] + 1) // 2
    frame["high"] = frame["low"] + frame["carried"]
    return frame[ESTIMATE_COLUMNS]


def estimate_at(series: pd.DataFrame, as_of: date, window_days: int, max_age_days: int) -> Estimate | None:
    """The estimate for `as_of` read off an `estimate_series` result made with the same window and
    maximum age (a page that charts the series needs no query of its own); None if not in it."""
    rows = series[series["as_of"] == as_of]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return Estimate(as_of, window_days, max_age_days, int(row["low"]), int(row["point"]), int(row["high"]),
                    int(row["places_seen"]), int(row["places_carried"]))


def estimate(
    cur: duckdb.DuckDBPyConnection,
    as_of: date,
    window_days: int = ESTIMATE_WINDOW_DAYS,
    max_age_days: int = ESTIMATE_MAX_AGE_DAYS,
) -> Estimate:
    """The estimate for one date (see the module docstring for the method)."""
    found = estimate_at(estimate_series(cur, [as_of], window_days, max_age_days), as_of, window_days, max_age_days)
    assert found is not None  # the series holds every date asked for
    return found


# --- estimates managers communicate ---------------------------------------------------

def record_estimate(
    cur: duckdb.DuckDBPyConnection, as_of: date, number: int, low: int, high: int, comment: str | None, actor: str,
) -> int:
    """Store the figure a manager communicated (audited); returns its id.

    Identifiers (phone numbers, e-mail, personal identity numbers) are removed from the comment.
    """
    number, low, high = int(number), int(low), int(high)
    if low < 0 or not low <= number <= high:
        raise EstimateError("Skattningen måste ligga inom intervallet (lägst ≤ skattning ≤ högst), och lägst får inte "
                            "vara negativ. / The estimate must lie within its range (low ≤ estimate ≤ high), and low "
                            "cannot be negative.")
    text = scrub((comment or "").strip())[0] or None
    with store.transaction(cur):
        estimate_id = cur.execute(
            """INSERT INTO recorded_estimates (as_of, estimate, low, high, comment, recorded_at, actor)
               VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING estimate_id""",
            [as_of, number, low, high, text, store.utcnow(), actor]).fetchone()[0]
        store.audit(cur, actor, "record_estimate", {"estimate_id": estimate_id, "as_of": as_of, "estimate": number,
                                                    "low": low, "high": high})
    return int(estimate_id)


def recorded_estimates(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every recorded estimate, oldest date first (as_of, estimate, low, high, comment, recorded_at, actor)."""
    frame = cur.execute(
        "SELECT as_of, estimate, low, high, comment, recorded_at, actor FROM recorded_estimates "
        "ORDER BY as_of, recorded_at").df()
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    return frame
