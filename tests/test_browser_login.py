"""The OpenID Connect login end to end in a real Chromium, against a local identity provider.

The test starts oidc-provider-mock (a real OIDC provider: discovery, authorization code,
tokens, end_session) on localhost, writes a secrets.toml with an [auth] section into the
test's temporary directory (never into the repository) and runs the dashboard with it.
A visitor sees only the login page; signing in as a team lead whose role is in user_roles
shows the team lead's pages and no admin pages, also not by a typed URL; signing out ends
on the login page again. An ID token that claims the admin's address unverified gets no role. The login and the logout are in the audit log.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import pytest

from browser_app import CHROMIUM, CHROMIUM_ARGS, free_port, streamlit_server
from geo import access, store
from test_page_map import make_db

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: no browser to test in")
pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
oidc_mock = pytest.importorskip("oidc_provider_mock", reason="oidc-provider-mock is not installed")

LEAD = "lead@stockholm.se"
ADMIN = "admin@stockholm.se"
IMPOSTOR = "unverified-admin"  # the provider's subject of a user whose ID token claims the admin's address
TIMEOUT_MS = 60_000


def _write_secrets(path: Path, app_port: int, issuer: str) -> Path:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "uppsok-test"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def test_login_lands_on_the_roles_pages_and_logout_returns_to_the_login_page(tmp_path: Path) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    db = make_db(tmp_path / "login.duckdb")
    access.set_role(store.cursor(db), "email", LEAD, "team_lead", "setup")
    access.set_role(store.cursor(db), "email", ADMIN, "admin", "setup")
    store.close(db)  # the server is another process
    seen: dict[str, object] = {}
    user = oidc_mock.User(sub=LEAD, claims={"email": LEAD, "email_verified": True, "name": "Lea Lind"})
    impostor = oidc_mock.User(sub=IMPOSTOR, claims={"email": "ADMIN@stockholm.se", "email_verified": False})
    with oidc_mock.run_server_in_thread(user_claims=[user, impostor]) as oidc:
        issuer = f"http://localhost:{oidc.server_port}"
        port = free_port()
        secrets_toml = _write_secrets(tmp_path / "secrets.toml", port, issuer)
        with streamlit_server(db, tmp_path / "streamlit.log", port=port, secrets=secrets_toml) as url, \
                sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.goto(url, wait_until="domcontentloaded")
                login = page.get_by_role("button", name="Logga in")
                login.wait_for(timeout=TIMEOUT_MS)
                seen["nav_before"] = page.locator('[data-testid="stSidebarNav"] a').count()
                seen["metrics_before"] = page.locator('[data-testid="stMetric"]').count()
                login.click()
                # the provider's own page: sign in as the predefined user
                page.get_by_role("button", name=LEAD).click(timeout=TIMEOUT_MS)
                page.get_by_text(f"Inloggad som {LEAD}").wait_for(timeout=TIMEOUT_MS)
                page.get_by_role("heading", name="Mest försenade platser").wait_for(timeout=TIMEOUT_MS)
                seen["nav"] = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
                page.screenshot(path=str(tmp_path / "signed-in.png"), full_page=True)
                # a typed URL to an admin page does not open it
                page.goto(f"{url}/granskning", wait_until="domcontentloaded")
                page.get_by_text(f"Inloggad som {LEAD}").wait_for(timeout=TIMEOUT_MS)
                # the main page runs instead (Karta), and Streamlit says the page is not found; on a
                # loaded machine that dialog can come and go before it is looked for, so it is read
                # if it is there, and what the page shows is what the test asserts
                page.get_by_role("heading", name="Mest försenade platser").wait_for(timeout=TIMEOUT_MS)
                dialog = page.get_by_role("dialog").filter(has_text=re.compile("not found", re.IGNORECASE))
                try:
                    dialog.wait_for(timeout=10_000)
                    seen["dialog"] = dialog.inner_text()
                    page.keyboard.press("Escape")
                    dialog.wait_for(state="detached", timeout=TIMEOUT_MS)
                except PlaywrightTimeout:
                    seen["dialog"] = ""
                seen["main_page"] = page.get_by_role("heading", name="Mest försenade platser").count()
                seen["audit_heading"] = page.get_by_role("heading", name="Granskningslogg").count()
                seen["users_heading"] = page.get_by_role("heading", name="Användare och roller").count()
                # sign out: through the provider's end-session page back to the login page
                page.get_by_role("button", name="Logga ut").click()
                page.get_by_role("button", name="End session").click(timeout=TIMEOUT_MS)
                page.get_by_role("button", name="Logga in").wait_for(timeout=TIMEOUT_MS)
                seen["after_logout"] = page.get_by_text(f"Inloggad som {LEAD}").count()
                # an ID token claiming the admin's address, unverified: no role, no page
                page.get_by_role("button", name="Logga in").click()
                page.get_by_role("button", name=IMPOSTOR).click(timeout=TIMEOUT_MS)
                page.get_by_text("har ingen roll i Uppsök").wait_for(timeout=TIMEOUT_MS)
                seen["impostor_nav"] = page.locator('[data-testid="stSidebarNav"] a').count()
            finally:
                browser.close()

    assert seen["nav_before"] == 0 and seen["metrics_before"] == 0  # only the login page
    labels = [text.strip().splitlines()[-1].strip() for text in seen["nav"]]  # after the icon
    assert labels == ["Karta", "Planera", "Planera pass", "Logga besök", "Trender", "Rapportera", "Synpunkter", "Områden", "Importera", "Platser", "Inställningar"], labels
    assert seen["main_page"] == 1  # the typed admin URL ran the team lead's main page instead
    assert seen["dialog"] == "" or "not found" in str(seen["dialog"]).lower(), seen["dialog"]
    assert seen["audit_heading"] == 0 and seen["users_heading"] == 0
    assert seen["after_logout"] == 0
    assert seen["impostor_nav"] == 0
    cur = store.cursor(db)
    rows = cur.execute("SELECT actor, action, details FROM audit WHERE action IN ('login', 'logout') ORDER BY audit_id").fetchall()
    # one login although the typed URL loaded the app (a new Streamlit session) a second time
    logged = [(a, act, json.loads(d)) for a, act, d in rows]
    assert [(a, act) for a, act, _ in logged] == [(LEAD, "login"), (LEAD, "logout"), ("unknown", "login")]
    assert logged[2][2] == {"role": None, "allowed": False, "signed_in_at": logged[2][2]["signed_in_at"]}
    assert logged[0][2]["role"] == "team_lead" and logged[0][2]["allowed"] is True
    assert logged[0][2]["signed_in_at"].startswith(str(store.utcnow().year))
    assert logged[1][2] == {"role": "team_lead"}
    store.close(db)
