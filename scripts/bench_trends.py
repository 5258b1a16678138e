"""Benchmark: the Trender page's queries at the city profile, against a bare DuckDB GROUP BY.

    .venv/bin/python scripts/bench_trends.py [--profile city|nation] [--dir DIR]

Builds the profile as scripts/bench_coverage.py does (city = 2,000 places, 500,000 visits over
two years), then times, best of 5 alternating with the baseline `SELECT place_id,
date_trunc('week', visited_at), count(*), max(people) FROM visits GROUP BY ALL` on the same
file in the same run: weekly trends of 12 weeks with the year earlier (what the page shows
first), a year per month split by shift, the estimate series, the report's data, and the
whole Trender page script in AppTest (first run, cached rerun, a new period, per month; each
against the baseline timed just before it). Then it archives the visits older than a year
(retention) and times the weekly trends again (live + archive).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_coverage import PROFILES, against_baseline, best_of, generate  # noqa: E402

from geo import store  # noqa: E402
from geo.estimate import estimate_series  # noqa: E402
from geo.localtime import utc_to_local  # noqa: E402
from geo.report import report_data  # noqa: E402
from geo.retention import apply_retention  # noqa: E402
from geo.trends import monday, period_trends, with_year_earlier  # noqa: E402


def bench(name: str, places: int, visits: int, folder: Path) -> None:
    path = folder / f"bench_trends_{name}.duckdb"
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    generate(path, places, visits)
    print(f"\n== {name}: {places:,} places, {visits:,} visits (generated in {time.perf_counter() - start:.1f} s)")
    cur = store.cursor(path)
    today = utc_to_local(store.utcnow()).date()
    first = monday(today) - timedelta(weeks=12)
    bare = lambda: cur.execute(  # noqa: E731
        "SELECT place_id, date_trunc('week', visited_at), count(*), max(people) FROM visits GROUP BY ALL").df()
    dates = [today - timedelta(weeks=i) for i in range(13)]
    cases = (
        ("weekly trends + year earlier", lambda: with_year_earlier(cur, first, today)),
        ("months of a year, by shift", lambda: period_trends(cur, today - timedelta(days=365), today, "month", by="shift")),
        ("estimate, 13 dates", lambda: estimate_series(cur, dates)),
        ("report data (no layer)", lambda: report_data(cur, first, today)),
    )
    for label, fn in cases:
        seconds, baseline = against_baseline(fn, bare)
        print(f"{label:<32}{seconds * 1000:8.0f} ms  {seconds / baseline:5.1f}x  (baseline {baseline * 1000:.0f} ms)")
    page_runs(path, bare)
    result = apply_retention(cur, 365, "bench")
    seconds, baseline = against_baseline(lambda: with_year_earlier(cur, first, today), bare)
    print(f"after retention ({result.visits:,} visits archived as {result.grain_rows:,} rows):")
    print(f"{'weekly trends + year earlier':<32}{seconds * 1000:8.0f} ms  {seconds / baseline:5.1f}x  "
          f"(baseline {baseline * 1000:.0f} ms)")
    store.close(path)
    path.unlink(missing_ok=True)


def page_runs(path: Path, bare) -> None:  # noqa: ANN001
    """Script run time of the Trender page (AppTest) on this database, each step against the bare
    GROUP BY timed just before it (the machine's load hits both alike).

    first run: a new session in this process (Streamlit's first-run work included, caches cold);
    cached rerun: any widget that does not change the figures (best of 3); new period: another
    period chosen, every figure recomputed (best of 3 periods) - what a user waits for most
    often; per month: the same period by month. Wall time and the process's CPU time (DuckDB's
    threads included), which a loaded machine disturbs less.
    """
    from streamlit.testing.v1 import AppTest

    previous = os.environ.get("OUTREACH_DB")
    os.environ["OUTREACH_DB"] = str(path)
    try:
        at = AppTest.from_file(str(ROOT / "app_pages" / "trender.py"), default_timeout=600)
        at.session_state["lang"] = "sv"
        today = utc_to_local(store.utcnow()).date()

        def new_period(weeks: int):  # noqa: ANN202
            def step() -> None:
                at.date_input(key="trends_from").set_value(monday(today) - timedelta(weeks=weeks))
                at.date_input(key="trends_to").set_value(today - timedelta(days=weeks))
                at.run()
            return step

        steps = (("first run", [at.run]), ("cached rerun", [at.run] * 3),
                 ("new period", [new_period(weeks) for weeks in (20, 30, 40)]),
                 ("per month", [lambda: at.radio(key="trends_freq").set_value("month").run()]))
        for label, runs in steps:
            best = (float("inf"), 0.0, 1.0)
            for step in runs:  # best of the runs, each against a baseline timed just before it
                baseline = best_of(bare, 1)
                cpu, start = time.process_time(), time.perf_counter()
                step()
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                if at.exception:
                    print(f"Trender page, {label}: EXCEPTION {at.exception[0].message}")
                best = min(best, (seconds, cpu, baseline))
            seconds, cpu, baseline = best
            print(f"Trender page, {label:<18}{seconds * 1000:8.0f} ms  {seconds / baseline:5.1f}x  "
                  f"(baseline {baseline * 1000:.0f} ms; CPU {cpu * 1000:.0f} ms, all threads)")
    finally:
        if previous is None:
            os.environ.pop("OUTREACH_DB", None)
        else:
            os.environ["OUTREACH_DB"] = previous


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=("city", "nation"), default="city")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the DuckDB file (default: a temp dir)")
    args = parser.parse_args()
    bench(args.profile, *PROFILES[args.profile], args.dir or Path(tempfile.mkdtemp()))


if __name__ == "__main__":
    main()
