"""Benchmark: the patrol planner (geo.routes) on 200 candidate places in Stockholm, 2 pairs, 4 hours.

    .venv/bin/python scripts/bench_routes.py [--mode walk|transit|car] [--runs N]

The places are the demo database's (real Stockholm locations, built with a fixed seed), the
200 most urgent ones; the pairs start and end at T-Centralen at 18:00. In the same run:

- planning time: the planner as the page and the CLI call it (matrix, model, search), median
  of --runs runs; bar: at most 2 s. The runs must also give the same plan (determinism);
- quality: urgency collected against OR-Tools on the same model searching for 30 s (a time
  limit instead of the planner's solution limit); bar: at least 95 %;
- the naive plan (each pair in turn visits the places in urgency order, nearest first on ties,
  taking every one that still fits): how much more urgency per shift the planner collects.

Exits 1 when a bar is not met.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import routes, store  # noqa: E402
from geo.config import ROUTE_BASE, STOCKHOLM  # noqa: E402
from geo.demo import build_demo  # noqa: E402
from geo.urgency import ranked_places  # noqa: E402

PLACES = 200
TIME_BAR_S = 2.0
QUALITY_BAR = 0.95
LONG_SEARCH_S = 30.0
DEMO_TODAY = date(2025, 3, 1)


def candidates(workdir: Path):
    path = workdir / "bench_routes.duckdb"
    build_demo(path, seed=42, today=DEMO_TODAY)
    cur = store.cursor(path)
    now = datetime(2025, 3, 1, 17, 0)  # naive UTC: 18:00 in Stockholm
    ranked = ranked_places(cur, now=now, only_overdue=False)
    return ranked.head(PLACES)[routes.CANDIDATE_COLUMNS].reset_index(drop=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=list(routes.MODES), default="walk")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pool = candidates(Path(tmp))
        store.close()
    request = routes.PlanRequest(start=datetime(2025, 3, 1, 18, 0, tzinfo=STOCKHOLM), start_point=ROUTE_BASE,
                                 pairs=2, hours=4.0, mode=args.mode)
    print(f"{len(pool)} candidate places, {request.pairs} pairs, {request.hours:g} h, {args.mode}, "
          f"start/end T-Centralen; search: {routes.DEFAULT_SEARCH}")
    routes.plan_routes(pool.head(5), dataclasses.replace(request, pairs=1))  # import OR-Tools outside the timing

    timings, plans = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        plans.append(routes.plan_routes(pool, request))
        timings.append(time.perf_counter() - started)
    plan = plans[0]
    same = all([[s.place_id for s in r.stops] for r in p.routes] == [[s.place_id for s in r.stops] for r in plan.routes]
               for p in plans)
    seconds = statistics.median(timings)

    long_request = dataclasses.replace(request, search=dataclasses.replace(
        routes.DEFAULT_SEARCH, solution_limit=2**31 - 1, time_limit_s=LONG_SEARCH_S))
    started = time.perf_counter()
    best = routes.plan_routes(pool, long_request)
    long_seconds = time.perf_counter() - started

    naive = routes.naive_routes(pool, request)
    naive_urgency = routes.urgency_of(pool, [p for r in naive for p in r])
    ratio = plan.urgency / best.urgency if best.urgency else 1.0

    def describe(p: routes.Plan) -> str:
        return ", ".join(f"pair {r.pair}: {len(r.stops)} stops {r.minutes} min {r.km} km" for r in p.routes)

    print(f"planner:        urgency {plan.urgency:7.2f} in {seconds:.2f} s (median of {args.runs}: "
          f"{', '.join(f'{t:.2f}' for t in timings)}); {describe(plan)}")
    print(f"OR-Tools {LONG_SEARCH_S:.0f} s:  urgency {best.urgency:7.2f} in {long_seconds:.1f} s; {describe(best)}")
    print(f"naive plan:     urgency {naive_urgency:7.2f}; stops per pair {[len(r) for r in naive]}")
    print(f"time      {seconds:.2f} s  (bar <= {TIME_BAR_S:.0f} s)  {'ok' if seconds <= TIME_BAR_S else 'OVER'}")
    print(f"quality   {ratio:.1%} of the 30 s search  (bar >= {QUALITY_BAR:.0%})  "
          f"{'ok' if ratio >= QUALITY_BAR else 'UNDER'}")
    gain = plan.urgency / naive_urgency - 1 if naive_urgency else float("inf")
    print(f"vs naive  +{plan.urgency - naive_urgency:.2f} urgency per shift ({gain:+.0%}), "
          f"{sum(len(r.stops) for r in plan.routes)} stops against {sum(len(r) for r in naive)}")
    print(f"determinism  {'same plan in every run' if same else 'PLANS DIFFER'}")
    return 0 if seconds <= TIME_BAR_S and ratio >= QUALITY_BAR and same else 1


if __name__ == "__main__":
    raise SystemExit(main())
