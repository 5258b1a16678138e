"""Saved patrol plans (issue 5 item 3), and afterwards: how much of a plan was done.

A plan is saved with its shift window (start and start + shift length, UTC) and its stops.
The comparison reads the visits logged in that window, widened by COMPARE_SLACK on both sides
(a pair that sets out a little early or comes back late still did the plan): a planned stop
is *visited* when its place has a visit in the window, *missed* when not, and a visit in the
window to a place on no pair's list is *off-plan*.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd

from geo import store
from geo.config import STOCKHOLM
from geo.routes import Plan

COMPARE_SLACK = timedelta(minutes=60)


def _utc(local: datetime) -> datetime:
    """An aware (or naive Stockholm) time as naive UTC, the form stored timestamps have."""
    aware = local if local.tzinfo is not None else local.replace(tzinfo=STOCKHOLM)
    return aware.astimezone(UTC).replace(tzinfo=None)


def save_plan(cur: duckdb.DuckDBPyConnection, plan: Plan, shift: str, actor: str) -> str:
    """Store a plan and its stops in one transaction, audited; returns the new plan id."""
    request = plan.request
    plan_id = "plan-" + uuid.uuid4().hex[:12]
    starts = _utc(request.start)
    ends = starts + timedelta(hours=request.hours)
    params = {
        "hours": request.hours, "stop_minutes": dict(request.stop_minutes),
        "must_visit": sorted(request.must_visit), "skip": sorted(request.skip),
        "left_out": [{"place_id": item.place_id, "reason": item.reason, "must": item.must} for item in plan.left_out],
    }
    with store.transaction(cur):
        cur.execute(
            "INSERT INTO route_plans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [plan_id, store.utcnow(), actor, shift, starts, ends, request.pairs, request.mode,
             request.start_point[0], request.start_point[1], request.end[0], request.end[1], plan.urgency,
             json.dumps(params, ensure_ascii=False)])
        rows = [[plan_id, route.pair, seq, s.place_id, s.name, s.kind, s.lat, s.lon, _utc(s.arrival), s.minutes,
                 s.urgency] for route in plan.routes for seq, s in enumerate(route.stops, start=1)]
        if rows:
            cur.executemany("INSERT INTO route_plan_stops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        store.audit(cur, actor, "route_plan_save",
                    {"plan_id": plan_id, "shift": shift, "starts_at": starts.isoformat(), "pairs": request.pairs,
                     "stops": len(rows)})
    return plan_id


def list_plans(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Saved plans, newest shift first, with their number of stops."""
    return cur.execute(
        """SELECT p.plan_id, p.shift, p.starts_at, p.ends_at, p.pairs, p.mode, p.urgency, p.created_at, p.actor,
                  (SELECT count(*) FROM route_plan_stops s WHERE s.plan_id = p.plan_id)::INTEGER AS stops
           FROM route_plans p ORDER BY p.starts_at DESC, p.created_at DESC""").df()


def plan_stops(cur: duckdb.DuckDBPyConnection, plan_id: str) -> pd.DataFrame:
    return cur.execute("SELECT * FROM route_plan_stops WHERE plan_id = ? ORDER BY pair, seq", [plan_id]).df()


@dataclass(frozen=True)
class Comparison:
    plan_id: str
    window: tuple[datetime, datetime]  # naive UTC, slack included
    visited: pd.DataFrame  # planned stops with a visit: pair, seq, place_id, name, kind, visited_at (first)
    missed: pd.DataFrame  # planned stops without one: pair, seq, place_id, name, kind
    off_plan: pd.DataFrame  # visits in the window to places on no list: place_id, name, kind, visited_at

    @property
    def planned(self) -> int:
        return len(self.visited) + len(self.missed)

    @property
    def share_done(self) -> float:
        return len(self.visited) / self.planned if self.planned else 0.0


class UnknownPlanError(LookupError):
    pass


def compare(cur: duckdb.DuckDBPyConnection, plan_id: str, slack: timedelta = COMPARE_SLACK) -> Comparison:
    """The plan against the visits logged in its shift window (see the module docstring)."""
    rows = cur.execute("SELECT starts_at, ends_at FROM route_plans WHERE plan_id = ?", [plan_id]).fetchall()
    if not rows:
        raise UnknownPlanError(f"Planen {plan_id} finns inte. / The plan {plan_id} does not exist.")
    low, high = rows[0][0] - slack, rows[0][1] + slack
    stops = cur.execute(
        """SELECT s.pair, s.seq, s.place_id, s.name, s.kind,
                  (SELECT min(v.visited_at) FROM visits v
                   WHERE v.place_id = s.place_id AND v.visited_at BETWEEN ? AND ?) AS visited_at
           FROM route_plan_stops s WHERE s.plan_id = ? ORDER BY s.pair, s.seq""", [low, high, plan_id]).df()
    off_plan = cur.execute(
        """SELECT v.place_id, p.name, p.kind, min(v.visited_at) AS visited_at, count(*)::INTEGER AS visits
           FROM visits v JOIN places p USING (place_id)
           WHERE v.visited_at BETWEEN ? AND ?
             AND v.place_id NOT IN (SELECT place_id FROM route_plan_stops WHERE plan_id = ?)
           GROUP BY v.place_id, p.name, p.kind ORDER BY visited_at, p.name""", [low, high, plan_id]).df()
    done = stops["visited_at"].notna()
    return Comparison(plan_id, (low, high), stops[done].reset_index(drop=True),
                      stops[~done].drop(columns="visited_at").reset_index(drop=True), off_plan)
