"""Benchmark the map (PRODUCT.md §7): our one-layer places vs one folium Marker per place.

10,000 random places in Stockholm's bounding box with random staleness, and the demo size
(300). For each, time building the map and rendering its HTML (what st_folium does on
every run), with our layer and with one folium.Marker (with a tooltip) per place, in the
same run, on the same base map. Exits 1 when a bar fails at 10,000 places: HTML at most
1.5 MB, at least 10x faster than the Markers.

    .venv/bin/python scripts/bench_map.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import folium
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import maps  # noqa: E402
from geo.config import KINDS  # noqa: E402

MAX_BYTES = 1_500_000
MIN_SPEEDUP = 10.0
BBOX = (59.23, 59.43, 17.80, 18.20)  # lat min, lat max, lon min, lon max


def random_places(n: int, seed: int = 2025) -> pd.DataFrame:
    """A place_status-shaped frame: random kinds, people, days since (5% never visited)."""
    rng = np.random.default_rng(seed)
    now = pd.Timestamp("2025-11-20 12:00")
    days = rng.integers(0, 400, n).astype(float)
    days[rng.random(n) < 0.05] = np.nan
    kinds = rng.choice(list(KINDS), n, p=[0.7, 0.2, 0.1])
    return pd.DataFrame({
        "place_id": [f"p{i}" for i in range(n)],
        "name": [f"Plats {i} vid {['Tantolunden', 'Hötorget', 'Årstaskogen', 'Hornsbergs strand'][i % 4]}"
                 for i in range(n)],
        "kind": kinds,
        "lat": rng.uniform(BBOX[0], BBOX[1], n),
        "lon": rng.uniform(BBOX[2], BBOX[3], n),
        "last_visit": [pd.NaT if np.isnan(d) else now - pd.Timedelta(days=float(d)) for d in days],
        "days_since": pd.array([None if np.isnan(d) else int(d) for d in days], dtype="Int64"),
        "people_last_seen": pd.array(rng.integers(0, 25, n), dtype="Int64"),
        "target_days": np.where(kinds == "encampment", 7, 14),
        "overdue": True,
        "urgency": 1.0,
    })


def ours(status: pd.DataFrame) -> str:
    m = maps.base_map()
    maps.places_layer(status, "sv").add_to(m)
    return m.get_root().render()


def markers(status: pd.DataFrame) -> str:
    """The naive way: one folium.Marker with a tooltip per place, in a FeatureGroup."""
    m = maps.base_map()
    group = folium.FeatureGroup(name="places")
    for row in status.itertuples(index=False):
        days = "aldrig" if pd.isna(row.days_since) else f"{row.days_since} dagar"
        folium.Marker([row.lat, row.lon], tooltip=f"{row.name}<br>{row.kind}<br>{days}").add_to(group)
    group.add_to(m)
    return m.get_root().render()


def timed(build: Callable[[pd.DataFrame], str], status: pd.DataFrame, repeat: int) -> tuple[float, int]:
    """Best time of `repeat` runs (seconds) and the HTML size (bytes)."""
    best, size = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        html = build(status)
        best = min(best, time.perf_counter() - started)
        size = len(html.encode())
    return best, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    args = parser.parse_args()

    ours(random_places(10))  # warm up: imports, the outline, jinja templates
    markers(random_places(10))
    failed = False
    print(f"{'places':>7} {'layer':>8} {'s':>7} {'MB':>7}")
    for n in (300, 10_000):
        status = random_places(n)
        t_ours, b_ours = timed(ours, status, args.repeat)
        t_mark, b_mark = timed(markers, status, 1 if n > 1000 else args.repeat)
        ratio = t_mark / t_ours
        print(f"{n:>7} {'ours':>8} {t_ours:7.3f} {b_ours / 1e6:7.3f}")
        print(f"{n:>7} {'markers':>8} {t_mark:7.3f} {b_mark / 1e6:7.3f}")
        print(f"{n:>7} {'ratio':>8} {ratio:6.1f}x faster, {b_mark / b_ours:.1f}x smaller")
        if n == 10_000:
            if b_ours > MAX_BYTES:
                print(f"FAIL: {b_ours} bytes > {MAX_BYTES}")
                failed = True
            if ratio < MIN_SPEEDUP:
                print(f"FAIL: only {ratio:.1f}x faster, need {MIN_SPEEDUP}x")
                failed = True
    print("FAIL" if failed else "OK: ≤ 1.5 MB and ≥ 10x faster at 10,000 places")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
