"""The admin pages in AppTest on real DuckDB files: Användare edits roles (audited with
before/after), Granskning searches the audit log and its CSV export is audited too."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo import access, store

ROOT = Path(__file__).resolve().parents[1]


def _page(monkeypatch, db: Path, name: str) -> AppTest:
    store.cursor(db)
    monkeypatch.setenv("OUTREACH_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app_pages" / name), default_timeout=60)
    at.session_state["lang"] = "sv"
    return at.run()


def test_users_page_adds_changes_and_removes_roles(monkeypatch, db_path):
    at = _page(monkeypatch, db_path, "anvandare.py")
    assert not at.exception and at.caption[-1].value == "Inga roller är tilldelade ännu."
    at.text_input(key="users_principal").set_value("Chef@Stockholm.se")
    at.selectbox(key="users_role.sv").set_value("admin")
    at.button(key="users_save").click().run()
    assert at.success[0].value == "chef@stockholm\\.se har nu rollen administratör."
    at.text_input(key="users_principal").set_value("<b>partner</b>@ideell.se")
    at.selectbox(key="users_role.sv").set_value("partner")
    at.button(key="users_save").click().run()
    table = at.dataframe[0].value
    assert list(table["E-postadress eller grupp"]) == ["<b>partner</b>@ideell.se", "chef@stockholm.se"]
    assert list(table["Roll"]) == ["partner", "administratör"]
    at.selectbox(key="users_remove_pick.sv").set_value("email:chef@stockholm.se")
    at.button(key="users_remove").click().run()
    assert "sista administratören" in at.error[0].value  # refused, nothing changed
    at.selectbox(key="users_remove_pick.sv").set_value("email:<b>partner</b>@ideell.se")
    at.button(key="users_remove").click().run()
    assert not at.exception and len(at.dataframe[0].value) == 1
    cur = store.cursor(db_path)
    rows = cur.execute("SELECT actor, details FROM audit WHERE action = 'role_change' ORDER BY audit_id").fetchall()
    assert [(a, json.loads(d)["before"], json.loads(d)["after"]) for a, d in rows] == [
        ("local:admin", None, "admin"), ("local:admin", None, "partner"), ("local:admin", "partner", None)]


def test_audit_page_searches_and_its_export_is_audited(monkeypatch, db_path):
    cur = store.cursor(db_path)
    access.set_role(cur, "email", "chef@stockholm.se", "admin", "drift")
    store.audit(cur, "anna@stockholm.se", "export", {"what": "=HYPERLINK(\"http://x\")"})
    at = _page(monkeypatch, db_path, "granskning.py")
    assert not at.exception
    assert at.caption[-1].value == "2 av 2 rader visas."
    at.text_input(key="audit_actor").set_value("ANNA").run()
    assert list(at.dataframe[0].value["Vem"]) == ["anna@stockholm.se"]
    at.text_input(key="audit_actor").set_value("")
    at.multiselect(key="audit_actions").set_value(["role_change"])
    at.text_input(key="audit_text").set_value("chef@").run()
    shown = at.dataframe[0].value
    assert list(shown["Händelse"]) == ["role_change"] and "chef@stockholm.se" in shown["Detaljer"].iloc[0]
    button = at.get("download_button")[0]
    assert button.proto.label == "Ladda ner som CSV"
    button.click().run()
    (details,) = cur.execute("SELECT details FROM audit WHERE action = 'export' AND actor = 'local:admin'").fetchone()
    assert json.loads(details) == {"what": "audit", "rows": 1, "actor": "", "actions": ["role_change"],
                                   "first_day": None, "last_day": None, "text": "chef@"}


def test_audit_csv_neutralises_formulas(db_path):
    """The download holds to_safe_csv(audit_log.table(...)); AppTest cannot read a download's bytes."""
    from geo import audit_log
    from geo.exports import to_safe_csv

    cur = store.cursor(db_path)
    store.audit(cur, "=cmd|' /C calc'!A0", "export", {"what": "x"})
    frame, _ = audit_log.search(cur, audit_log.AuditQuery())
    csv_text = to_safe_csv(audit_log.table(frame, "sv"))
    assert "'=cmd|" in csv_text and ",=cmd" not in csv_text
