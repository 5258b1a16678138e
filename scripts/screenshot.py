"""Take the README's screenshot: the map page on a fresh demo database, in Chromium, offline.

    .venv/bin/python scripts/screenshot.py [--out docs/screenshot-map.png] [--lang sv]

Builds a demo database in a temporary directory (never touches data/), starts the
dashboard on it, waits until Leaflet drew every place and saves a full-page picture.
Map tiles are blocked like in the browser test, so the picture shows what an intranet
without tile access shows: the places over Stockholm's outline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_app import CHROMIUM, open_map, streamlit_server  # noqa: E402
from geo import store  # noqa: E402
from geo.demo import build_demo  # noqa: E402
from geo.staleness import place_status  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-map.png")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: cannot take a screenshot", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        summary = build_demo(db, seed=args.seed)
        places = len(place_status(store.cursor(db)))
        store.close(db)
        with streamlit_server(db, Path(tmp) / "streamlit.log") as url:
            visit = open_map(url, expected=places, screenshot=args.out, viewport=(1440, 1250))
    print(f"{summary.places} demo places ({places} active), {visit.markers} drawn, "
          f"page errors: {len(visit.page_errors)}, blocked requests: {len(visit.blocked)} -> {args.out}")
    return 0 if visit.markers == places and not visit.page_errors else 1


if __name__ == "__main__":
    sys.exit(main())
