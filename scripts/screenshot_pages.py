"""Screenshot every page of the dashboard as its users see it, for a by-eye UI review.

    .venv/bin/python scripts/screenshot_pages.py [--out /tmp/uiaudit] [--seed 42]

Builds a demo database in a temporary directory (never touches data/), starts the dashboard
on it and opens it in Chromium, offline (map tiles blocked, as in tests/browser_app.py).
It saves full-page pictures of:
  sv/<page>.png          every page in Swedish (local mode, admin: every page)
  en/<page>.png          every page in English (the sidebar radio)
  manager/<page>.png     the pages a manager sees (the local role switch)
  partner/<page>.png     the pages a partner sees
  phone/<page>.png       Karta, Planera pass (after planning) and Rapportera at 390×844
Route planning ("pass") is captured after pressing its plan button, so the routes show.
Each picture is taken after the page finished running and every map drew its layers.
A summary (errors shown on each page, browser errors) goes to <out>/summary.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_app import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, streamlit_server  # noqa: E402
from geo import access, store  # noqa: E402
from geo.demo import build_demo  # noqa: E402
from geo.texts import t  # noqa: E402

DESKTOP = (1440, 1000)
PHONE = (390, 844)
PHONE_PAGES = ("karta", "pass", "rapportera")
TIMEOUT_MS = 120_000
# Anything Leaflet drew on top of the (tile-less) base map: vectors, markers, numbered stops.
DRAWN_JS = ("() => document.querySelectorAll('path.leaflet-interactive, .leaflet-marker-icon,"
            " .leaflet-marker-pane > *').length")
# True once the main area has a heading, no stale (greyed) elements and kept the same size
# and element count for a second (polled every 250 ms).
STABLE_JS = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    if (!main || !main.querySelector('h1, h2, h3')) return false;
    if (document.querySelector('[data-stale=true]')) return false;
    const sig = main.getElementsByTagName('*').length + ':' + main.scrollHeight;
    const now = Date.now();
    if (window.__shot_sig !== sig) { window.__shot_sig = sig; window.__shot_since = now; return false; }
    return now - window.__shot_since >= 1000;
}"""


@dataclass
class Shot:
    """One saved picture and what was wrong while taking it."""

    group: str
    page: str
    path: str
    seconds: float
    maps: list[int] = field(default_factory=list)  # layers drawn per map on the page
    exceptions: list[str] = field(default_factory=list)  # Streamlit exceptions shown
    errors: list[str] = field(default_factory=list)  # st.error boxes shown
    page_errors: list[str] = field(default_factory=list)  # JavaScript errors
    dialogs: list[str] = field(default_factory=list)  # modal dialogs open (e.g. "Page not found")


def settle(page: Any) -> None:
    """Wait until Streamlit finished running the script and the page stopped changing.

    The status widget alone is not enough: it shows only after a short delay, so right after
    a click it can be hidden although the new page has not been drawn yet.
    """
    page.wait_for_timeout(400)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=TIMEOUT_MS)
    page.wait_for_function(STABLE_JS, polling=250, timeout=TIMEOUT_MS)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=TIMEOUT_MS)


def wait_for_maps(page: Any) -> list[int]:
    """Wait until each folium map on the page drew something (or 30 s passed); returns counts."""
    counts = []
    for handle in page.locator('iframe[title*="st_folium"]').element_handles():
        frame = handle.content_frame()
        if frame is None:
            counts.append(-1)
            continue
        try:
            frame.wait_for_selector(".leaflet-container", timeout=30_000)
            frame.wait_for_function(f"() => ({DRAWN_JS[6:]}) > 0", timeout=15_000)
        except Exception:  # a map with nothing on it is itself a finding; keep going
            pass
        counts.append(frame.evaluate(DRAWN_JS) if frame.query_selector(".leaflet-container") else 0)
    if counts:
        page.wait_for_timeout(800)  # legends and tables settle
    return counts


def full_screenshot(page: Any, out: Path, viewport: tuple[int, int]) -> None:
    """Streamlit scrolls inside its main container, so grow the window to the content first."""
    height = page.evaluate(
        "() => Math.max(document.documentElement.scrollHeight,"
        " ...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer],"
        " [data-testid=stSidebarContent]')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": viewport[0], "height": max(viewport[1], min(int(height) + 40, 16_000))})
    page.wait_for_timeout(500)
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out), full_page=True)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})


def capture(page: Any, group: str, name: str, out_dir: Path, viewport: tuple[int, int],
            js_errors: list[str], started: float) -> Shot:
    settle(page)
    maps = wait_for_maps(page)
    settle(page)
    if page.locator('iframe[title*="st_folium"]').count() != len(maps):  # a map mounted late
        maps = wait_for_maps(page)
    path = out_dir / group / f"{name}.png"
    full_screenshot(page, path, viewport)
    shot = Shot(group, name, str(path), round(time.perf_counter() - started, 1), maps,
                page.locator('[data-testid="stException"]').all_inner_texts(),
                page.locator('[data-testid="stAlertContentError"]').all_inner_texts(),
                list(js_errors), page.locator('[role="dialog"]').all_inner_texts())
    js_errors.clear()
    print(f"{group}/{name}: {shot.seconds} s, maps {maps}, exceptions {len(shot.exceptions)}, "
          f"errors {len(shot.errors)}, js errors {len(shot.page_errors)}, dialogs {len(shot.dialogs)}", flush=True)
    return shot


def nav_paths(page: Any) -> list[str]:
    hrefs = page.locator('[data-testid="stSidebarNav"] a').evaluate_all("links => links.map(a => a.href)")
    return [urlparse(href).path.strip("/") for href in hrefs]


def go(page: Any, path: str) -> None:
    """Open a page through the sidebar navigation (keeps the session: language and role)."""
    if urlparse(page.url).path.strip("/") == path:
        return
    link = page.locator('[data-testid="stSidebarNav"] a').locator(
        f'xpath=self::*[substring(@href, string-length(@href) - {len(path)}) = "/{path}"]')
    before = page.evaluate("() => document.querySelector('[data-testid=stMain] h3')?.innerText ?? ''")
    link.click()
    page.wait_for_function("p => { const x = location.pathname.replace(/\\/+$/, '');"
                           " return p === '' ? x === '' : x.endsWith('/' + p); }", arg=path)
    try:  # the new page's own subheader replaced the old one (as in tests/browser_app.py)
        page.wait_for_function(
            "before => { const h = document.querySelector('[data-testid=stMain] h3');"
            " return h && h.innerText !== before; }", arg=before, timeout=30_000)
    except Exception:
        pass  # a page without a subheader of its own: settle() still waits for it


def plan_routes(page: Any) -> None:
    """Press Planera pass's plan button and wait for the plan (its map) to appear."""
    page.locator(".st-key-pass_submit button").click()
    settle(page)
    page.locator('iframe[title*="st_folium"]').first.wait_for(state="attached", timeout=TIMEOUT_MS)


def switch_language(page: Any, heading_before: str) -> None:
    english = page.get_by_role("radio", name="English")
    for _ in range(3):  # a cold server can lose the first click (tests/test_browser_map.py)
        english.check(force=True)
        try:
            page.wait_for_function(
                "before => { const h = document.querySelector('[data-testid=stMain] h3');"
                " return h && h.innerText !== before; }", arg=heading_before, timeout=15_000)
            break
        except Exception:
            continue
    settle(page)


def switch_role(page: Any, role: str) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name=t(f"role_{role}", "sv"), exact=True).click()
    settle(page)


def run_group(browser: Any, url: str, group: str, out_dir: Path, viewport: tuple[int, int],
              lang: str = "sv", role: str | None = None, only: tuple[str, ...] | None = None) -> list[Shot]:
    """One browser session: set language/role, then every page it may open (or `only`)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.route("**/*", lambda r: r.continue_() if (urlparse(r.request.url).hostname or "") in LOCAL_HOSTS
                  else r.abort())
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    shots = []
    try:
        if only is not None:  # the phone: no sidebar open, so open each page by its address
            default = access.pages_for(role or access.ADMIN)[0]  # served at "/", not at its url_path
            for name in only:
                started = time.perf_counter()
                page.goto(f"{url}/{'' if name == default else name}", wait_until="domcontentloaded")
                page.locator('[data-testid="stMain"] h3').first.wait_for()
                settle(page)
                if name == "pass":
                    plan_routes(page)
                shots.append(capture(page, group, name, out_dir, viewport, js_errors, started))
            return shots
        page.goto(url, wait_until="domcontentloaded")
        page.locator('[data-testid="stMain"] h3').first.wait_for()
        settle(page)
        if lang == "en":
            switch_language(page, page.locator('[data-testid="stMain"] h3').first.inner_text())
        if role is not None:
            switch_role(page, role)
        default = access.pages_for(role or access.ADMIN)[0]  # the navigation's first page is at "/"
        # a role with one page (partner) gets no navigation at all: that page is at "/"
        for path in nav_paths(page) or [""]:
            started = time.perf_counter()
            go(page, path)
            name = path or default
            settle(page)
            if name == "pass":
                plan_routes(page)
            shots.append(capture(page, group, name, out_dir, viewport, js_errors, started))
    finally:
        context.close()
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/uiaudit"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--groups", default="sv,en,manager,partner,phone",
                        help="comma-separated subset of sv,en,manager,partner,phone")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: cannot take screenshots", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    groups = [g.strip() for g in args.groups.split(",") if g.strip()]
    shots: list[Shot] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        build_demo(db, seed=args.seed)
        store.close(db)
        with streamlit_server(db, Path(tmp) / "streamlit.log") as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for group in groups:
                    kwargs: dict[str, Any] = {
                        "sv": {}, "en": {"lang": "en"}, "manager": {"role": "manager"},
                        "partner": {"role": "partner"}, "phone": {"only": PHONE_PAGES},
                    }[group]
                    viewport = PHONE if group == "phone" else DESKTOP
                    shots += run_group(browser, url, group, args.out, viewport, **kwargs)
            finally:
                browser.close()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps([asdict(s) for s in shots], ensure_ascii=False, indent=1))
    bad = [s for s in shots if s.exceptions or s.page_errors or s.dialogs]
    print(f"{len(shots)} screenshots in {args.out}; {len(bad)} with exceptions, browser errors or dialogs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
