"""Import benchmark (PRODUCT.md §7): a generated 1,000,000-row visits CSV through `import_file`,
against DuckDB's bare `read_csv` of the same file into a table, in the same run.

Bar: at most 3× the bare read (best run against best run). Each run of ours follows a bare
read, and the median of those paired ratios is printed too: on a shared machine other work
slows single runs, and a pair sees the same load. Usage:
python scripts/bench_import.py [--rows N] [--repeat R]. Exit code 1 when the bar is not met.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import ingest, store  # noqa: E402

BAR = 3.0
NOTES = np.array(["", "", "Ingen där", "Sov under bron", "3 personer, 1 tält", "Informerade om härbärget",
                  "Tält och madrasser", "Lämnade info om Socialjouren", "kl 22.30 två sovande", "Städat"])


def make_csv(path: Path, rows: int, places: int = 2_000, seed: int = 1) -> None:
    """A realistic export: known place ids with coordinates, two years of visits, some sweeps."""
    rng = np.random.default_rng(seed)
    plat = rng.uniform(59.28, 59.36, places)
    plon = rng.uniform(17.95, 18.12, places)
    pkind = rng.choice(["sovplats", "boplats"], places, p=[0.8, 0.2])
    which = rng.integers(0, places, rows)
    start = np.datetime64("2024-11-01T00:00")
    minutes = rng.integers(0, 2 * 365 * 24 * 60, rows).astype("timedelta64[m]")
    people = rng.poisson(1.5, rows)
    frame = pd.DataFrame({
        "visit_id": np.char.add("b-", np.arange(rows).astype(str)),
        "visited_at": pd.Series(start + minutes).dt.strftime("%Y-%m-%d %H:%M"),
        "lat": np.round(plat[which] + rng.normal(0, 0.00005, rows), 6),
        "lon": np.round(plon[which] + rng.normal(0, 0.00005, rows), 6),
        "place_id": np.char.add("bp-", which.astype(str)),
        "place_type": pkind[which],
        "people": people,
        "children": np.minimum(rng.binomial(1, 0.03, rows), people),
        "acute": np.where(rng.random(rows) < 0.02, "ja", "nej"),
        "referred_to": "",
        "team": rng.choice(["A", "B"], rows),
        "notes": rng.choice(NOTES, rows),
    })
    frame.to_csv(path, index=False)


def bare_read(path: Path, db: Path) -> float:
    con = duckdb.connect(str(db))
    t0 = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def ours(path: Path, db: Path) -> tuple[float, ingest.ImportSummary]:
    cur = store.cursor(db)
    t0 = time.perf_counter()
    summary = ingest.import_file(cur, path, actor="bench")
    elapsed = time.perf_counter() - t0
    store.close(db)
    return elapsed, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best is compared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "visits.csv"
        t0 = time.perf_counter()
        make_csv(csv_path, args.rows)
        print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        bare_times, our_times = [], []
        for i in range(args.repeat):
            bare_times.append(bare_read(csv_path, Path(tmp) / f"bare{i}.duckdb"))
            elapsed, summary = ours(csv_path, Path(tmp) / f"ours{i}.duckdb")
            our_times.append(elapsed)
            assert summary.rows == args.rows == summary.imported + summary.duplicates + summary.rejected
        bare, best = min(bare_times), min(our_times)
        ratio = best / bare
        paired = statistics.median(o / b for o, b in zip(our_times, bare_times))
        print(f"bare DuckDB read_csv into a table: {bare:.2f} s (runs: {', '.join(f'{t:.2f}' for t in bare_times)})")
        print(f"Uppsök import_file:               {best:.2f} s (runs: {', '.join(f'{t:.2f}' for t in our_times)})")
        print(f"imported {summary.imported:,}, rejected {summary.rejected:,}, new places {summary.new_places:,}")
        print(f"median of the paired ratios: {paired:.2f}×")
        print(f"ratio: {ratio:.2f}× (bar ≤ {BAR}×) → {'PASS' if ratio <= BAR else 'FAIL'}")
        return 0 if ratio <= BAR else 1


if __name__ == "__main__":
    raise SystemExit(main())
