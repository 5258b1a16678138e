"""PRODUCT.md §7: pages respond in a real browser without errors with 8 sessions open at once.

    .venv/bin/python scripts/bench_sessions.py [--sessions 8] [--seed 42]

Starts the dashboard on a fresh demo database (in a temporary directory) and opens every
page of the navigation in Chromium, offline: first one session alone (the baseline), then
N sessions at once. Reports per page the median seconds from the click to the page having
finished running, and the ratio of N sessions to one, plus every error seen.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_app import CHROMIUM, PageLoad, load_pages_in_sessions, streamlit_server  # noqa: E402
from geo import store  # noqa: E402
from geo.demo import build_demo  # noqa: E402


def _medians(loads: list[PageLoad]) -> dict[str, float]:
    paths = dict.fromkeys(load.path for load in loads)
    return {path: statistics.median(load.seconds for load in loads if load.path == path) for path in paths}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: cannot run the browser benchmark", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        build_demo(db, seed=args.seed)
        store.close(db)
        with streamlit_server(db, Path(tmp) / "streamlit.log") as url:
            load_pages_in_sessions(url, sessions=1)  # warm up: caches, imports
            alone = load_pages_in_sessions(url, sessions=1)
            crowd = load_pages_in_sessions(url, sessions=args.sessions)
    one, many = _medians(alone), _medians(crowd)
    print(f"{'page':<16}{'1 session s':>12}{f'{args.sessions} sessions s':>16}{'ratio':>8}")
    for path, seconds in one.items():
        print(f"{path or '(karta)':<16}{seconds:>12.2f}{many[path]:>16.2f}{many[path] / seconds:>8.1f}")
    errors = [(load.session, load.path, load.errors) for load in alone + crowd if load.errors]
    worst = max(load.seconds for load in crowd)
    print(f"slowest page with {args.sessions} sessions: {worst:.2f} s; errors: {len(errors)}")
    for error in errors:
        print("  ", error)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
