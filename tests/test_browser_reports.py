"""Open partner reports on the map in a real Chromium, offline: drawn as their own markers,
and a report text carrying a script shows as text in the tooltip, never runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_app import CHROMIUM, open_map, streamlit_server
from geo import partner_reports as reports
from geo import store
from test_page_map import PLACES, make_db

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: no browser to test in")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

EVIL = "<script>alert(1)</script>"
SKANSTULL = (59.3078, 18.0763)


def test_a_report_with_a_script_shows_as_text_on_the_map(tmp_path: Path) -> None:
    db = make_db(tmp_path / "browser.duckdb")
    cur = store.cursor(db)
    reports.create_report(cur, reports.ReportForm(kind="encampment", point=SKANSTULL, people=3, message=EVIL,
                                                  description='<img src=x onerror="alert(2)">'), "ngo1@partner.se")
    store.close(db)  # release the file: the server is another process
    seen: dict[str, object] = {}

    def inspect(page, frame, visit) -> None:
        seen["report_markers"] = frame.evaluate("() => document.querySelectorAll('.uppsok-report').length")
        seen["scripts_in_tooltips"] = frame.evaluate(
            "() => document.querySelectorAll('.leaflet-tooltip script, .leaflet-tooltip img').length")

    with streamlit_server(db, tmp_path / "streamlit.log") as url:
        visit = open_map(url, expected=len(PLACES), screenshot=tmp_path / "map.png", open_tooltips=True,
                         then=inspect)
    assert visit.page_errors == [] and visit.dialogs == []
    assert seen["report_markers"] == 1
    assert seen["scripts_in_tooltips"] == 0 and visit.tooltip_images == 0
    (report_tip,) = [text for text in visit.tooltips if "Rapporterad, ännu inte besökt" in text]
    assert EVIL in report_tip and '<img src=x onerror="alert(2)">' in report_tip  # the text itself, as text
    assert len(visit.tooltips) == len(PLACES) + 1
