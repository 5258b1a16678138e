"""The map page in a real Chromium, offline: the places are drawn, nothing breaks.

Starts `streamlit run dashboard.py` on a database with known places, opens it with
Playwright (Debian's chromium), aborts every request that would leave the machine, and
checks that Leaflet (served locally) drew one marker per place with no page exception.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_app import CHROMIUM, PLACE_MARKERS_JS, open_map, streamlit_server
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


def test_pan_and_zoom_do_not_rerun_and_filters_keep_the_view(tmp_path: Path) -> None:
    db = make_db(tmp_path / "browser.duckdb")
    store.close(db)
    seen: dict[str, object] = {}

    def interact(page, frame, visit) -> None:
        page.wait_for_timeout(1500)  # let the first run's messages settle
        before = len(visit.sent)
        # a marker on the iframe's window: it survives only if the map is not remounted
        frame.evaluate("() => { window.__uppsok_mark = 1; window.map.setView([59.33, 18.07], 13); }")
        frame.evaluate("() => window.map.panBy([120, 80], {animate: false})")
        page.wait_for_timeout(2000)
        seen["sent_on_pan"] = len(visit.sent) - before
        # a filter change: only never-visited places are not visited for 180 days
        thumb = page.get_by_role("slider")
        thumb.focus()
        thumb.press("End")
        frame.wait_for_function(f"() => ({PLACE_MARKERS_JS[6:]}) === 1", timeout=30_000)
        seen["zoom"] = frame.evaluate("() => window.map.getZoom()")
        seen["mark"] = frame.evaluate("() => window.__uppsok_mark")

    with streamlit_server(db, tmp_path / "streamlit.log") as url:
        visit = open_map(url, expected=len(PLACES), screenshot=tmp_path / "map.png", then=interact)
    assert seen["sent_on_pan"] == 0  # returned_objects=[]: panning and zooming send nothing
    assert seen["zoom"] == 13 and seen["mark"] == 1  # the filter swapped layers, not the map
    assert visit.page_errors == []


def test_language_switch_turns_the_whole_page_english(tmp_path: Path) -> None:
    """A real click on the radio turns every heading English and the radio stays on English."""
    db = make_db(tmp_path / "browser.duckdb")
    store.close(db)
    seen: dict[str, object] = {}

    def switch(page, frame, visit) -> None:
        english = page.get_by_role("radio", name="English")
        heading = page.get_by_role("heading", name="Most overdue places")
        # On a cold server the very first session's first click can be lost (seen in a
        # browser: the rerun it asks for still carries Swedish); a second click is what a
        # user does. Recorded as a known issue in the closing note of issue 2.
        for _ in range(2):
            english.check(force=True)
            try:
                heading.wait_for(timeout=10_000)
                break
            except Exception:
                continue
        seen["checked"] = english.is_checked()
        seen["headings"] = page.locator("h3").all_inner_texts()
        # The kind filter keeps every kind: its Swedish chips must not filter out every place.
        count = page.get_by_text(f"Showing {len(PLACES)} of {len(PLACES)} places.")
        try:
            count.wait_for(timeout=10_000)
        except Exception:
            pass
        seen["count"] = count.count()
        seen["chips"] = page.locator("[data-testid=stMultiSelect]").first.inner_text().splitlines()
        seen["markers"] = frame.evaluate(PLACE_MARKERS_JS)

    with streamlit_server(db, tmp_path / "streamlit.log") as url:
        visit = open_map(url, expected=len(PLACES), screenshot=tmp_path / "map.png", then=switch)
    assert seen["checked"] is True
    assert "Places by days since last visit" in seen["headings"]
    assert seen["count"] == 1 and seen["markers"] == len(PLACES)
    assert {"sleeping place", "encampment", "other"} <= {chip.strip() for chip in seen["chips"]}
    assert visit.page_errors == []


def test_a_deep_link_on_a_fresh_server_gets_the_whole_dashboard(tmp_path: Path) -> None:
    """The first request a new server gets is /importera: it must still run dashboard.py
    (language switch, navigation), not the page file on its own."""
    from playwright.sync_api import sync_playwright

    from browser_app import CHROMIUM_ARGS

    db = make_db(tmp_path / "browser.duckdb")
    store.close(db)
    with streamlit_server(db, tmp_path / "streamlit.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
            page.goto(f"{url}/importera")
            page.get_by_role("radio", name="English").wait_for(state="attached", timeout=60_000)
            nav = page.locator('[data-testid="stSidebarNav"]').inner_text(timeout=30_000)
            # Every page keeps its own address, the first one too (a hidden start page is the default).
            page.goto(f"{url}/karta")
            page.get_by_role("heading", name="Platser efter dagar sedan senaste besök").wait_for(timeout=60_000)
            karta_body = page.locator("body").inner_text()
            page.goto(url)
            page.wait_for_url(f"{url}/karta", timeout=60_000)  # "/" sends you on to the first page
        finally:
            browser.close()
    assert "Importera" in nav and "Karta" in nav
    assert "dashboard" not in nav.lower() and "app_pages" not in nav.lower()
    assert "Page not found" not in karta_body


def test_a_click_on_an_area_shows_its_details_and_panning_still_sends_nothing(tmp_path: Path) -> None:
    """Show the H3 layer, pan (nothing sent), click the cell around Kungsträdgården (a rerun):
    the area picker below the map follows the click and lists that area's place."""
    import h3

    db = make_db(tmp_path / "browser.duckdb")
    store.close(db)
    lat, lon = 59.30 + 0.01 * 3, 18.00 + 0.015 * 3  # Kungsträdgården in make_db, 100 days since a visit
    cell = h3.latlng_to_cell(lat, lon, 8)
    # a point inside the cell but off the place's marker: a third of the way to a corner
    corner = h3.cell_to_boundary(cell)[0]
    target = (lat + (corner[0] - lat) / 3, lon + (corner[1] - lon) / 3)
    assert h3.latlng_to_cell(*target, 8) == cell
    seen: dict[str, object] = {}

    def interact(page, frame, visit) -> None:
        page.get_by_role("combobox", name="Områden på kartan").click()
        page.get_by_role("option", name="H3-rutnät").click()
        page.get_by_text("Område i detalj").wait_for(timeout=60_000)
        # showing areas mounts a map that reads clicks back (a new iframe); the old one leaves
        page.wait_for_function("() => document.querySelectorAll('iframe[title*=st_folium]').length === 1",
                               timeout=30_000)
        iframe = page.locator('iframe[title*="st_folium"]')
        frame = iframe.element_handle().content_frame()
        frame.wait_for_function(f"() => ({PLACE_MARKERS_JS[6:]}) > {len(PLACES) + 50}", timeout=60_000)
        page.wait_for_timeout(1500)
        before = len(visit.sent)
        frame.evaluate(f"() => window.map.setView([{lat}, {lon}], 14, {{animate: false}})")
        frame.evaluate("() => window.map.panBy([60, 40], {animate: false})")
        page.wait_for_timeout(2000)
        seen["sent_on_pan"] = len(visit.sent) - before
        point = frame.evaluate(f"() => {{ const p = window.map.latLngToContainerPoint([{target[0]}, {target[1]}]);"
                               " return [p.x, p.y]; }")
        box = iframe.bounding_box()
        before = len(visit.sent)
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        picker = page.get_by_role("combobox", name="Område (minst nyligen besökta först)")
        page.wait_for_function(
            "cell => [...document.querySelectorAll('input[role=combobox]')].some(e => e.value.includes(cell))",
            arg=cell, timeout=30_000)
        seen["sent_on_click"] = len(visit.sent) - before
        seen["picked"] = picker.input_value()
        page.wait_for_timeout(1000)  # the details under the picker follow in the same run
        seen["details"] = page.get_by_text("Platser i området").count()
        seen["no_places"] = page.get_by_text("Inga kända platser i området.").count()
        seen["no_visits"] = page.get_by_text("Inga besök i området ännu.").count()
        page.screenshot(path=str(tmp_path / "clicked.png"), full_page=True)

    with streamlit_server(db, tmp_path / "streamlit.log") as url:
        visit = open_map(url, expected=len(PLACES), screenshot=tmp_path / "map.png", then=interact)
    assert seen["sent_on_pan"] == 0  # last_object_clicked does not change on pan or zoom
    assert seen["sent_on_click"] >= 1  # the click asked for a rerun
    assert cell in seen["picked"] and "100 dagar sedan besök" in seen["picked"]
    assert seen["details"] == 1 and seen["no_places"] == 0 and seen["no_visits"] == 0  # its place and visit
    assert visit.page_errors == []
