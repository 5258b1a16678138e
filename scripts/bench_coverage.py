"""Benchmark: coverage and overdue queries against a bare DuckDB GROUP BY, and the map size.

    .venv/bin/python scripts/bench_coverage.py [--profile city|nation|both] [--dir DIR]

Profiles (PRODUCT.md §7): city = 2,000 places, 500,000 visits; nation = 50,000 places,
10,000,000 visits. Data is generated in DuckDB (places in and around Stockholm, visits over
two years, a fifth logged with their own GPS position a few tens of metres off, 2 % acute).
Each query is timed as the best of 5 runs, alternating with `SELECT place_id, max(visited_at) FROM
visits GROUP BY place_id` on the same file in the same run; bar: within 3x. The map page
(app_pages/karta.py) is then run in Streamlit's AppTest against the same file, `ui.show_map`
replaced by a no-op as in the page tests (the browser's drawing is not part of the script
run): first and second run, and a run with the H3 grid as the area layer.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import area_maps, maps, store  # noqa: E402
from geo.coverage import coverage  # noqa: E402
from geo.grid import grid  # noqa: E402
from geo.staleness import place_status  # noqa: E402
from geo.urgency import ranked_places  # noqa: E402

PROFILES = {"city": (2_000, 500_000), "nation": (50_000, 10_000_000)}
BAR = 3.0


def generate(path: Path, places: int, visits: int) -> None:
    cur = store.cursor(path)
    now = store.utcnow()
    cur.execute("""
        INSERT INTO places
        SELECT 'p' || i, 'plats ' || i, 'plats ' || i,
               CASE WHEN i % 5 = 0 THEN 'encampment' WHEN i % 7 = 0 THEN 'other' ELSE 'sleeping_place' END,
               59.24 + random() * 0.17, 17.86 + random() * 0.32, $now::TIMESTAMP - INTERVAL 800 DAY, NULL, NULL
        FROM range($n) t(i)""", {"n": places, "now": now})
    cur.execute("""
        INSERT INTO visits (visit_id, place_id, visited_at, shift, lat, lon, people, acute)
        SELECT 'v' || v.i, p.place_id, $now::TIMESTAMP - to_seconds((random() * 730 * 86400)::BIGINT),
               ['day', 'evening', 'weekend'][1 + (v.i % 3)],
               CASE WHEN v.i % 5 = 0 THEN round(p.lat + (random() - 0.5) * 0.0006, 5) END,
               CASE WHEN v.i % 5 = 0 THEN round(p.lon + (random() - 0.5) * 0.0012, 5) END,
               (random() * 8)::INTEGER, random() < 0.02
        FROM (SELECT i, (hash(i) % $np)::INTEGER AS k FROM range($nv) t(i)) v
        JOIN (SELECT place_id, lat, lon, row_number() OVER () - 1 AS k FROM places) p USING (k)""",
                {"np": places, "nv": visits, "now": now})
    cur.execute("CHECKPOINT")


def best_of(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def against_baseline(fn, baseline_fn, rounds: int = 5) -> tuple[float, float]:
    """Best times of `fn` and the baseline, run alternately so that load on a shared machine
    hits both alike."""
    best, base = float("inf"), float("inf")
    for _ in range(rounds):
        base = min(base, best_of(baseline_fn, 1))
        best = min(best, best_of(fn, 1))
    return best, base


def bench(name: str, places: int, visits: int, folder: Path) -> None:
    path = folder / f"bench_{name}.duckdb"
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    generate(path, places, visits)
    print(f"\n== {name}: {places:,} places, {visits:,} visits (generated in {time.perf_counter() - start:.1f} s)")
    cur = store.cursor(path)
    grid(8), grid(9)  # the grid is cached per process; build it outside the timings
    bare = lambda: cur.execute("SELECT place_id, max(visited_at) FROM visits GROUP BY place_id").df()  # noqa: E731
    start = time.perf_counter()
    coverage(cur)  # the first call assigns every place an area (then cached per places state)
    cold = time.perf_counter() - start
    print(f"bare GROUP BY place_id          {best_of(bare) * 1000:8.0f} ms")
    print(f"coverage, first call (cold)     {cold * 1000:8.0f} ms  (place -> area assignment included)")
    for label, fn in (
        ("coverage, H3 grid (res 8)", lambda: coverage(cur)),
        ("coverage, H3 grid (res 9)", lambda: coverage(cur, "h3:9")),
        ("place_status (staleness)", lambda: place_status(cur)),
        ("overdue ranked (urgency)", lambda: ranked_places(cur)),
    ):
        seconds, baseline = against_baseline(fn, bare)
        ratio = seconds / baseline
        print(f"{label:<32}{seconds * 1000:8.0f} ms  {ratio:5.1f}x  {'ok' if ratio <= BAR else 'OVER 3x'}"
              f"  (baseline {baseline * 1000:.0f} ms)")
    page_runs(path)
    store.close(path)
    path.unlink(missing_ok=True)


def page_runs(path: Path) -> None:
    """Script run time of the map page (AppTest, ui.show_map a no-op) on this database."""
    from streamlit.testing.v1 import AppTest

    import ui

    calls: list[int] = []
    original, previous_db = ui.show_map, os.environ.get("OUTREACH_DB")
    ui.show_map = lambda m, groups, key, **kw: calls.append(len(groups))  # drawing is the browser's work
    os.environ["OUTREACH_DB"] = str(path)
    try:
        at = AppTest.from_file(str(ROOT / "app_pages" / "karta.py"), default_timeout=600)
        for label, step in (("first run", lambda: at.run()), ("second run", lambda: at.run()),
                            ("area layer H3 grid", lambda: at.selectbox(key="karta_areas").set_value("h3").run()),
                            ("again, grid shown", lambda: at.run())):
            start = time.perf_counter()
            step()
            seconds = time.perf_counter() - start
            problem = f"  EXCEPTION {at.exception[0].message}" if at.exception else ""
            print(f"map page, {label:<22}{seconds * 1000:8.0f} ms{problem}")
    finally:
        ui.show_map = original
        if previous_db is None:
            os.environ.pop("OUTREACH_DB", None)
        else:
            os.environ["OUTREACH_DB"] = previous_db


def map_size() -> None:
    """Map HTML with the H3 grid coloured by coverage and 10,000 places."""
    folder = Path(tempfile.mkdtemp())
    path = folder / "map.duckdb"
    generate(path, 10_000, 200_000)
    cur = store.cursor(path)
    start = time.perf_counter()
    status = place_status(cur)
    cov = coverage(cur)
    m = maps.base_map()
    for group in (area_maps.areas_layer(cov, grid(8), "sv"), maps.places_layer(status, "sv")):
        group.add_to(m)
    html = m.get_root().render()
    print(f"\n== map: H3 grid ({len(grid(8))} cells) + {len(status):,} places: {len(html) / 1e6:.2f} MB HTML "
          f"(bar 1.5 MB), built in {time.perf_counter() - start:.2f} s")
    store.close(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=("city", "nation", "both"), default="city")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the DuckDB files (default: a temp dir)")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp())
    names = ["city", "nation"] if args.profile == "both" else [args.profile]
    for name in names:
        bench(name, *PROFILES[name], folder)
    map_size()


if __name__ == "__main__":
    main()
