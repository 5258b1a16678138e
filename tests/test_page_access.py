"""Who sees what, in AppTest on real DuckDB files: navigation per role, typed URLs refused,
the login wall, the login audit, and that a partner's or manager's session is never sent a
place name or a coordinate (every element the server sends, dataframes included, is read).

Local mode (no [auth] section) chooses the role with the sidebar switcher
(session_state["local_role"]); a signed-in user is simulated with AppTest.user, which is
what st.user reads (with "is_logged_in" present, as when an [auth] section is configured).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from google.protobuf import text_format
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geo import access, boundaries, store
from test_page_map import PLACES, make_db

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = {p.stem: p for p in (ROOT / "app_pages").glob("*.py")}  # url_path == file stem
NAMES = [name for _, name, _, _, _ in PLACES]
COORDS = ["59.3", "18.0", "18.01", "18.03", "18.04", "18.06"]  # make_db: 59.30 + 0.01 i, 18.00 + 0.015 i
REFUSAL = "Din roll har inte tillgång till den här sidan."


def sent_text(at: AppTest) -> str:
    """Everything the server sent for this run: every element's proto as text, dataframes as CSV."""
    parts = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if node.type in ("dataframe", "arrow_data_frame"):
            parts.append(node.value.to_csv())
        elif proto is not None:
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def _app(monkeypatch, db: Path, path: Path, role: str | None = None, user: dict | None = None) -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(db))
    at = AppTest.from_file(str(path), default_timeout=60)
    at.session_state["lang"] = "sv"
    if role is not None:
        at.session_state["local_role"] = role
    if user is not None:
        at.user = user
    return at.run()


def _registered(at: AppTest) -> set[str]:
    """The pages this run's st.navigation registered (none when the script stopped before it)."""
    pages = (Path(info["script_path"]) for info in at._registered_pages.values())
    return {p.stem for p in pages if p.parent.name == "app_pages"}


@pytest.mark.parametrize("role", access.ROLES)
def test_each_role_sees_exactly_its_pages_in_local_mode(monkeypatch, db_path, role):
    at = _app(monkeypatch, make_db(db_path), ROOT / "dashboard.py", role=role)
    assert not at.exception
    assert "Lokalt läge" in at.warning[0].value  # the local-mode banner
    assert at.sidebar.selectbox(key="local_role.sv").value == role  # the switcher exists in local mode
    assert _registered(at) == set(access.pages_for(role))


def test_the_role_table_names_every_page_file_and_no_other():
    assert set(access.PAGE_ROLES) == set(PAGE_FILES)


@pytest.mark.parametrize("role", ["field_worker", "manager", "partner", "team_lead"])
def test_a_typed_url_to_another_page_is_refused(monkeypatch, db_path, role):
    make_db(db_path)
    for stem, path in sorted(PAGE_FILES.items()):
        if access.may_open(role, stem):
            continue
        at = _app(monkeypatch, db_path, path, role=role)
        assert not at.exception, stem
        assert [e.value for e in at.error] == [REFUSAL], (role, stem)
        assert not at.subheader and not at.dataframe and not at.get("file_uploader"), (role, stem)


def test_the_local_default_is_admin_who_opens_every_page(monkeypatch, db_path):
    """Why existing page tests still pass: without a login and without a chosen role, admin."""
    at = _app(monkeypatch, make_db(db_path), ROOT / "dashboard.py")
    assert _registered(at) == set(PAGE_FILES)
    assert at.session_state["local_role"] == "admin"


def test_with_login_configured_a_visitor_sees_only_the_login_page(monkeypatch, db_path):
    at = _app(monkeypatch, make_db(db_path), ROOT / "dashboard.py", user={"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Logga in"]
    assert not at.warning and not at.sidebar.selectbox  # no local-mode banner, no role switcher
    assert not at.metric and not at.dataframe
    for name in NAMES:
        assert name not in sent_text(at)
    # a page file opened directly shows the same login page
    at = _app(monkeypatch, db_path, PAGE_FILES["karta"], user={"is_logged_in": False})
    assert [b.label for b in at.button] == ["Logga in"] and not at.metric


def test_a_signed_in_user_gets_the_role_from_the_table_and_the_login_is_audited_once(monkeypatch, db_path):
    cur = store.cursor(make_db(db_path))
    access.set_role(cur, "email", "falt@stockholm.se", "field_worker", "setup")
    access.set_role(cur, "group", "uppsok-chefer", "manager", "setup")
    user = {"is_logged_in": True, "email": "Falt@Stockholm.se", "name": "Fält", "email_verified": True}
    at = _app(monkeypatch, db_path, ROOT / "dashboard.py", user=user)
    assert not at.exception
    assert _registered(at) == set(access.pages_for("field_worker")) & set(PAGE_FILES)
    assert not at.sidebar.selectbox  # no role switcher once a login is configured
    assert "Inloggad som falt@stockholm\\.se (fältarbetare)" in at.sidebar.caption[0].value
    at.run()
    at.run()
    logins = cur.execute("SELECT actor, details FROM audit WHERE action = 'login'").fetchall()
    assert [(a, json.loads(d)) for a, d in logins] == [("falt@stockholm.se", {"role": "field_worker", "allowed": True})]

    by_group = _app(monkeypatch, db_path, ROOT / "dashboard.py",
                    user={"is_logged_in": True, "email": "chef@stockholm.se", "groups": ["Uppsok-Chefer"]})
    assert _registered(by_group) == set(access.pages_for("manager")) & set(PAGE_FILES)
    refused = _app(monkeypatch, db_path, PAGE_FILES["karta"],
                   user={"is_logged_in": True, "email": "chef@stockholm.se", "groups": ["uppsok-chefer"]})
    assert [e.value for e in refused.error] == [REFUSAL] and not refused.metric


def test_a_signed_in_user_without_a_role_sees_nothing_but_a_notice(monkeypatch, db_path):
    cur = store.cursor(make_db(db_path))
    at = _app(monkeypatch, db_path, ROOT / "dashboard.py", user={"is_logged_in": True, "email": "ny@stockholm.se", "email_verified": True})
    assert not at.exception
    assert "ingen roll" in at.error[0].value and [b.label for b in at.button] == ["Logga ut"]
    assert not at.metric and not at.dataframe
    (details,) = cur.execute("SELECT details FROM audit WHERE action = 'login' AND actor = 'ny@stockholm.se'").fetchone()
    assert json.loads(details) == {"role": None, "allowed": False}


def _no_places_in(text: str) -> None:
    for name in NAMES:
        assert name not in text and name.lower() not in text, name
    for coord in COORDS:
        assert coord not in text, coord


SECRET_PLACE = ("p-secret", "Hemliga gläntan", 59.341234, 18.071234)  # digits found nowhere else


def _no_secret_place_in(text: str) -> None:
    """The partner pages hold example coordinates and the public map outline, so this test
    looks for one place whose name and coordinate digits occur nowhere but in the data."""
    _no_places_in_names(text)
    for part in (SECRET_PLACE[1], "59.3412", "18.0712"):
        assert part not in text, part


def _no_places_in_names(text: str) -> None:
    for name in NAMES:
        assert name not in text and name.lower() not in text, name


def test_a_partner_session_is_never_sent_a_place_name_or_a_coordinate(monkeypatch, db_path):
    cur = store.cursor(make_db(db_path))
    cur.execute("INSERT INTO places (place_id, name, name_key, kind, lat, lon, created_at) "
                "VALUES (?, ?, 'hemliga glantan', 'encampment', ?, ?, now())", list(SECRET_PLACE))
    access.set_role(cur, "email", "partner@ideell.se", "partner", "setup")
    user = {"is_logged_in": True, "email": "partner@ideell.se", "email_verified": True}
    at = _app(monkeypatch, db_path, ROOT / "dashboard.py", user=user)
    assert not at.exception
    _no_secret_place_in(sent_text(at))
    for stem, path in sorted(PAGE_FILES.items()):  # every page file, typed as a URL
        at = _app(monkeypatch, db_path, path, user=user)
        assert not at.exception, stem
        _no_secret_place_in(sent_text(at))
    # the same reading finds them where they belong: a field worker's map page
    access.set_role(cur, "email", "falt@stockholm.se", "field_worker", "setup")
    field = _app(monkeypatch, db_path, PAGE_FILES["karta"], user={"is_logged_in": True, "email": "falt@stockholm.se", "email_verified": True})
    field_text = sent_text(field)
    assert SECRET_PLACE[1] in field_text and "59.3412" in field_text


def test_a_manager_sees_the_area_layers_read_only_and_no_places(monkeypatch, db_path, tmp_path):
    cur = store.cursor(make_db(db_path))
    layer = gpd.GeoDataFrame({"namn": ["Södermalm", "Norrmalm"]},
                             geometry=[box(17.95, 59.28, 18.05, 59.32), box(18.05, 59.32, 18.12, 59.36)], crs="EPSG:4326")
    layer.to_file(tmp_path / "d.geojson", driver="GeoJSON")
    boundaries.import_layer(cur, tmp_path / "d.geojson", "stadsdelar", actor="setup")
    at = _app(monkeypatch, db_path, PAGE_FILES["omraden"], role="manager")
    assert not at.exception and not at.error
    assert "stadsdelar" in at.dataframe[0].value.to_csv()
    assert not at.get("file_uploader") and not at.button  # no import, no delete
    assert "importera eller ta bort" in at.info[0].value
    _no_places_in(sent_text(at))
    lead = _app(monkeypatch, db_path, PAGE_FILES["omraden"], role="team_lead")
    assert lead.get("file_uploader") and lead.button(key="areas_delete")
