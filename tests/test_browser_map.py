"""The map page in a real Chromium, offline: the places are drawn, nothing breaks.

Starts `streamlit run dashboard.py` on a database with known places, opens it with
Playwright (Debian's chromium), aborts every request that would leave the machine, and
checks that Leaflet (served locally) drew one marker per place with no page exception.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_app import CHROMIUM, open_map, streamlit_server
from geo import store
from test_page_map import EVIL_NAME, PLACES, make_db

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: no browser to test in")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def test_map_draws_every_place_offline(tmp_path: Path) -> None:
    db = make_db(tmp_path / "browser.duckdb")
    store.close(db)  # release the file: the server is another process
    shot = tmp_path / "map.png"
    with streamlit_server(db, tmp_path / "streamlit.log") as url:
        visit = open_map(url, expected=len(PLACES), screenshot=shot, open_tooltips=True)
    assert visit.markers == len(PLACES)
    assert visit.page_errors == []
    assert visit.leaflet_local
    assert shot.stat().st_size > 10_000
    # only map tiles tried to leave the machine; no code or styles from a CDN
    assert all("tile.openstreetmap.org" in u for u in visit.blocked), visit.blocked
    # every tooltip opens; the name from the "imported file" shows as text, never as markup
    assert len(visit.tooltips) == len(PLACES)
    evil = [text for text in visit.tooltips if EVIL_NAME in text]
    assert len(evil) == 1 and "aldrig" in evil[0]
    assert visit.tooltip_images == 0 and visit.dialogs == []
    hotorget = next(text for text in visit.tooltips if "Hötorget" in text)
    assert "boplats" in hotorget and "20" in hotorget and "6" in hotorget
