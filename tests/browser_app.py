"""Run the dashboard in a real Chromium, offline: shared by the browser test and scripts/screenshot.py.

Every request to a host other than 127.0.0.1/localhost is aborted and recorded, so the
map must work with the Leaflet copy Streamlit serves from static/ (PRODUCT.md §5): map
tiles fail (and the outline of Stockholm shows instead), code from a CDN would break it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# SVG paths Leaflet draws for interactive vectors; the outline is not interactive.
PLACE_MARKERS_JS = "() => document.querySelectorAll('path.leaflet-interactive').length"
# Open every place's tooltip (streamlit-folium keeps the added layers in window.feature_group).
OPEN_TOOLTIPS_JS = """() => {
    const texts = [];
    for (const group of window.feature_group || []) {
        group.eachLayer(layer => (layer.eachLayer ? layer : {eachLayer: f => f(layer)}).eachLayer(m => {
            m.openTooltip();
            texts.push(m.getTooltip().getElement().textContent);
        }));
    }
    return texts;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def streamlit_server(db: Path, log: Path, timeout_s: float = 90, port: int | None = None,
                     secrets: Path | None = None) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free port with OUTREACH_DB=db; yields the base URL.

    `secrets` is a secrets.toml outside the repository (e.g. an [auth] section for the login
    test); without it no secrets file is read at all, so a developer's own never leaks in.
    """
    port = port or free_port()
    env = {**os.environ, "OUTREACH_DB": str(db)}
    secrets_file = secrets or db.parent / "no-secrets.toml"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--secrets.files", str(secrets_file)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not start in {timeout_s} s: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@dataclass
class MapVisit:
    """What the browser saw: markers drawn, page errors, requests that left the machine."""

    markers: int = 0
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    leaflet_local: bool = False
    dialogs: list[str] = field(default_factory=list)
    tooltips: list[str] = field(default_factory=list)  # text of every place's tooltip
    tooltip_images: int = 0  # <img> elements inside tooltips (an unescaped name would make one)
    sent: list[int] = field(default_factory=list)  # sizes of websocket frames sent to the server


def open_map(url: str, expected: int, screenshot: Path, timeout_ms: int = 60_000,
             viewport: tuple[int, int] = (1440, 1100), open_tooltips: bool = False,
             then: Callable[[Any, Any, MapVisit], None] | None = None) -> MapVisit:
    """Open the map page offline, wait until Leaflet drew `expected` markers, screenshot it.

    `then(page, frame, visit)` runs afterwards with the page still open (interaction tests).
    """
    from playwright.sync_api import sync_playwright

    visit = MapVisit()

    def route(request_route) -> None:
        host = urlparse(request_route.request.url).hostname or ""
        if host in LOCAL_HOSTS:
            request_route.continue_()
        else:
            visit.blocked.append(request_route.request.url)
            request_route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))
            page.on("dialog", lambda dialog: (visit.dialogs.append(dialog.message), dialog.dismiss()))
            # BackMsgs the browser sends to Streamlit: a rerun request is one of them
            page.on("websocket", lambda ws: ws.on("framesent", lambda payload: visit.sent.append(len(payload))))
            page.goto(url, wait_until="domcontentloaded")
            iframe = page.locator('iframe[title*="st_folium"]')
            iframe.wait_for(state="attached", timeout=timeout_ms)
            frame = iframe.element_handle().content_frame()
            assert frame is not None
            frame.wait_for_function(f"() => ({PLACE_MARKERS_JS[6:]}) >= {expected}", timeout=timeout_ms)
            page.wait_for_timeout(800)  # let the layout settle (legend, table) for the picture
            visit.markers = frame.evaluate(PLACE_MARKERS_JS)
            visit.leaflet_local = frame.evaluate(
                "() => [...document.scripts].some(s => s.src.endsWith('/app/static/vendor/leaflet/leaflet.js'))"
            )
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            if open_tooltips:
                visit.tooltips = frame.evaluate(OPEN_TOOLTIPS_JS)
                visit.tooltip_images = frame.evaluate(
                    "() => document.querySelectorAll('.leaflet-tooltip img').length")
                page.wait_for_timeout(300)  # an onerror handler would fire (and alert) by now
            if then is not None:
                then(page, frame, visit)
        finally:
            browser.close()
    return visit


@dataclass
class PageLoad:
    """One page opened by one browser session: how long until it finished running."""

    session: int
    path: str
    seconds: float
    errors: list[str] = field(default_factory=list)  # page errors and Streamlit exceptions shown


async def _session(browser: Any, url: str, session: int, paths: list[str] | None, timeout_ms: int) -> list[PageLoad]:
    """One user: open the dashboard, then every page of the navigation (or `paths`) in turn."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})

    async def route(request_route) -> None:
        if (urlparse(request_route.request.url).hostname or "") in LOCAL_HOSTS:
            await request_route.continue_()
        else:
            await request_route.abort()

    await context.route("**/*", route)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    loads: list[PageLoad] = []
    context.set_default_timeout(timeout_ms)
    nav = page.locator('[data-testid="stSidebarNav"] a')
    heading = page.locator('[data-testid="stMain"] h3').first
    try:
        started = time.perf_counter()
        await page.goto(url, wait_until="domcontentloaded")
        await heading.wait_for()
        await page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
        hrefs = await nav.evaluate_all("links => links.map(a => a.href)")
        all_paths = [urlparse(href).path.strip("/") for href in hrefs]
        shown = await page.locator('[data-testid="stException"]').all_inner_texts()
        loads.append(PageLoad(session, all_paths[0], time.perf_counter() - started, [*errors, *shown]))  # the default page
        errors.clear()
        for path in [p for p in (paths or all_paths) if p != all_paths[0]]:
            before = await heading.inner_text()
            started = time.perf_counter()
            await page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').click()
            await page.wait_for_function(  # the new page's own subheader replaced the old one
                "before => { const h = document.querySelector('[data-testid=stMain] h3');"
                " return h && h.innerText !== before; }", arg=before)
            await page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden")
            shown = await page.locator('[data-testid="stException"]').all_inner_texts()
            loads.append(PageLoad(session, path, time.perf_counter() - started, [*errors, *shown]))
            errors.clear()
    finally:
        await context.close()
    return loads


def load_pages_in_sessions(url: str, sessions: int, paths: list[str] | None = None,
                           timeout_ms: int = 120_000) -> list[PageLoad]:
    """`sessions` users at once, each opening every page in turn (PRODUCT.md §7: 8 sessions)."""
    import asyncio

    from playwright.async_api import async_playwright

    async def run() -> list[PageLoad]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                results = await asyncio.gather(*(_session(browser, url, i, paths, timeout_ms) for i in range(sessions)))
            finally:
                await browser.close()
        return [load for loads in results for load in loads]

    return asyncio.run(run())
