"""PRODUCT.md §7: pages respond in a real browser without errors with 8 sessions open at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_app import CHROMIUM, load_pages_in_sessions, streamlit_server
from geo import store
from geo.demo import build_demo

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: no browser to test in")


def test_eight_sessions_open_every_page_without_errors(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    build_demo(db, seed=7)
    store.close(db)
    with streamlit_server(db, tmp_path / "streamlit.log") as url:
        loads = load_pages_in_sessions(url, sessions=8)
    paths = {load.path for load in loads}
    assert {"karta", "planera", "importera", "logga", "omraden", "installningar"} <= paths
    assert len(loads) == 8 * len(paths)  # every session reached every page
    assert [(load.session, load.path, load.errors) for load in loads if load.errors] == []
