"""A role is given by a verified e-mail only (issue 17): an ID token that says
`email: ADMIN@stockholm.se` with `email_verified: false` got the admin's role. Claims as the
provider sends them (st.user's dict), then the dashboard in AppTest with such a user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import access, store
from test_page_map import make_db

ROOT = Path(__file__).resolve().parents[1]
ADMIN = "admin@stockholm.se"


@pytest.mark.parametrize(("claims", "expected"), [
    ({"email": "ADMIN@stockholm.se", "email_verified": True}, ADMIN),
    ({"email": " Admin@Stockholm.se ", "email_verified": "true"}, ADMIN),  # Cognito sends a string
    ({"email": "ADMIN@stockholm.se", "email_verified": False}, None),
    ({"email": "ADMIN@stockholm.se", "email_verified": "false"}, None),
    ({"email": "ADMIN@stockholm.se", "email_verified": 1}, None),
    ({"email": "ADMIN@stockholm.se"}, None),  # no flag at all: not verified
    ({"email_verified": True}, None),
    ({"is_logged_in": True, "sub": "abc", "email": "", "email_verified": True}, None),
])
def test_verified_email(claims, expected) -> None:
    assert access.verified_email(claims) == expected


def _dashboard(monkeypatch, db: Path, user: dict) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    at.user = {"is_logged_in": True, "sub": "provider-subject-1", **user}
    return at.run()


def _registered(at: AppTest) -> set[str]:
    return {Path(i["script_path"]).stem for i in at._registered_pages.values() if "app_pages" in i["script_path"]}


def test_an_unverified_admin_email_gets_no_role(monkeypatch, db_path) -> None:
    cur = store.cursor(make_db(db_path))
    access.set_role(cur, "email", ADMIN, "admin", "setup")
    at = _dashboard(monkeypatch, db_path, {"email": "ADMIN@stockholm.se", "email_verified": False})
    assert not at.exception
    assert "ingen roll" in at.error[0].value and not _registered(at)
    (actor, details), = cur.execute("SELECT actor, details FROM audit WHERE action = 'login'").fetchall()
    assert actor != ADMIN and json.loads(details) == {"role": None, "allowed": False}  # not logged as the admin


def test_an_unverified_email_still_gets_its_groups_role(monkeypatch, db_path) -> None:
    cur = store.cursor(make_db(db_path))
    access.set_role(cur, "email", ADMIN, "admin", "setup")
    access.set_role(cur, "group", "uppsok-falt", "field_worker", "setup")
    at = _dashboard(monkeypatch, db_path,
                    {"email": "ADMIN@stockholm.se", "email_verified": False, "groups": ["uppsok-falt"]})
    assert _registered(at) == set(access.pages_for("field_worker"))


def test_a_verified_admin_email_gets_the_admin_role(monkeypatch, db_path) -> None:
    cur = store.cursor(make_db(db_path))
    access.set_role(cur, "email", ADMIN, "admin", "setup")
    at = _dashboard(monkeypatch, db_path, {"email": "ADMIN@stockholm.se", "email_verified": True})
    assert not at.exception and not at.error
    assert _registered(at) == set(access.pages_for("admin"))
