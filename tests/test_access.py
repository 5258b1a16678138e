"""geo.access and geo.audit_log on real DuckDB files: roles by e-mail and group, audited
changes with before/after, the last-admin guard, and searching the audit log."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from geo import access, audit_log, store


def _role_changes(cur) -> list[dict]:
    rows = cur.execute("SELECT actor, details FROM audit WHERE action = 'role_change' ORDER BY audit_id").fetchall()
    return [{"actor": a, **json.loads(d)} for a, d in rows]


def test_every_role_has_pages_and_places_only_for_field_staff():
    assert set(access.ROLES) == {"field_worker", "team_lead", "manager", "partner", "admin"}
    assert access.pages_for("admin") == list(access.PAGE_ROLES)  # admin opens everything
    assert access.pages_for(None) == []
    for role in ("manager", "partner"):
        assert not access.sees_places(role)
        # no page that shows places or coordinates is open to them
        assert not set(access.pages_for(role)) & {"karta", "planera", "pass", "logga", "importera", "platser"}, role
    assert access.pages_for("partner") == ["rapportera"]
    assert set(access.pages_for("manager")) == {"rapportera", "trender", "synpunkter", "omraden"}
    assert set(access.pages_for("field_worker")) == {"karta", "planera", "pass", "logga", "rapportera"}
    assert {"pass", "trender", "rapportera", "synpunkter", "importera", "platser", "omraden"} <= set(access.pages_for("team_lead"))
    assert not {"anvandare", "granskning"} & set(access.pages_for("team_lead"))
    assert all(access.sees_places(r) for r in ("field_worker", "team_lead", "admin"))


def test_role_by_email_then_by_most_trusted_group(cur):
    access.set_role(cur, "email", " Anna.Lind@Stockholm.se ", "team_lead", "admin@stockholm.se")
    access.set_role(cur, "group", "Uppsok-Chefer", "manager", "admin@stockholm.se")
    access.set_role(cur, "group", "uppsok-falt", "field_worker", "admin@stockholm.se")
    assert access.role_for(cur, "anna.lind@stockholm.se", ["uppsok-chefer"]) == "team_lead"  # e-mail wins
    assert access.role_for(cur, "ANNA.LIND@stockholm.se") == "team_lead"
    assert access.role_for(cur, "okand@stockholm.se", ["UPPSOK-CHEFER", "uppsok-falt"]) == "field_worker"
    assert access.role_for(cur, "okand@stockholm.se", "uppsok-chefer") == "manager"  # one string, not a list
    assert access.role_for(cur, "okand@stockholm.se", ["annan-grupp"]) is None
    assert access.role_for(cur, None, None) is None


def test_changes_are_audited_with_before_and_after(cur):
    assert access.set_role(cur, "email", "chef@stockholm.se", "admin", "local:admin").after == "admin"
    access.set_role(cur, "email", "b@stockholm.se", "partner", "chef@stockholm.se")
    assert access.set_role(cur, "email", "B@stockholm.se", "partner", "chef@stockholm.se") is None  # no change
    access.set_role(cur, "email", "b@stockholm.se", "manager", "chef@stockholm.se")
    access.remove_role(cur, "email", "b@stockholm.se", "chef@stockholm.se")
    assert access.remove_role(cur, "email", "b@stockholm.se", "chef@stockholm.se") is None
    changes = [(c["actor"], c["principal"], c["before"], c["after"]) for c in _role_changes(cur)]
    assert changes == [
        ("local:admin", "chef@stockholm.se", None, "admin"),
        ("chef@stockholm.se", "b@stockholm.se", None, "partner"),
        ("chef@stockholm.se", "b@stockholm.se", "partner", "manager"),
        ("chef@stockholm.se", "b@stockholm.se", "manager", None),
    ]
    assert list(access.assignments(cur)["principal"]) == ["chef@stockholm.se"]


def test_bad_input_and_removing_the_last_admin_are_refused(cur):
    for kind, principal, role, key in [("email", "inte-en-adress", "admin", "users_bad_email"),
                                       ("email", "  ", "admin", "users_bad_principal"),
                                       ("person", "a@b.se", "admin", "users_bad_kind"),
                                       ("email", "a@b.se", "superuser", "users_bad_role")]:
        with pytest.raises(access.AccessError) as err:
            access.set_role(cur, kind, principal, role, "t")
        assert err.value.key == key
    access.set_role(cur, "email", "chef@stockholm.se", "admin", "t")
    access.set_role(cur, "email", "falt@stockholm.se", "field_worker", "t")
    with pytest.raises(access.AccessError, match="users_last_admin"):
        access.set_role(cur, "email", "chef@stockholm.se", "team_lead", "t")
    with pytest.raises(access.AccessError, match="users_last_admin"):
        access.remove_role(cur, "email", "chef@stockholm.se", "t")
    assert access.role_for(cur, "chef@stockholm.se") == "admin"  # rolled back, nothing audited
    assert len(_role_changes(cur)) == 2
    access.set_role(cur, "group", "uppsok-admin", "admin", "t")  # another admin: now allowed
    access.remove_role(cur, "email", "chef@stockholm.se", "t")
    assert access.role_for(cur, "chef@stockholm.se") is None


def test_audit_search_by_actor_action_days_and_text(cur):
    rows = [  # (UTC time, actor, action, details)
        (datetime(2025, 3, 9, 22, 30), "anna@stockholm.se", "import", {"file": "mars.csv"}),  # 23:30 on 9 March in Stockholm
        (datetime(2025, 3, 9, 23, 30), "anna@stockholm.se", "export", {"what": "plan"}),  # 00:30 on 10 March
        (datetime(2025, 7, 1, 8, 0), "bo@stockholm.se", "role_change", {"principal": "x@y.se", "after": "partner"}),
    ]
    for at, actor, action, details in rows:
        cur.execute('INSERT INTO audit ("at", actor, action, details) VALUES (?, ?, ?, ?)',
                    [at, actor, action, json.dumps(details)])
    every, total = audit_log.search(cur, audit_log.AuditQuery())
    assert total == 3 and list(every["action"]) == ["role_change", "export", "import"]  # newest first
    one_day = audit_log.AuditQuery(first_day=date(2025, 3, 10), last_day=date(2025, 3, 10))
    assert list(audit_log.search(cur, one_day)[0]["action"]) == ["export"]  # Stockholm days, not UTC days
    assert audit_log.search(cur, audit_log.AuditQuery(actor="ANNA"))[1] == 2
    assert list(audit_log.search(cur, audit_log.AuditQuery(text="Partner"))[0]["actor"]) == ["bo@stockholm.se"]
    assert audit_log.search(cur, audit_log.AuditQuery(actions=("import", "export"), text="%"))[1] == 0  # no wildcards
    assert audit_log.actions(cur) == ["export", "import", "role_change"]
    shown = audit_log.table(every, "sv")
    assert list(shown.columns) == ["Tid", "Vem", "Händelse", "Detaljer"]
    assert shown["Tid"].iloc[2] == "2025-03-09 23:30:00"


def test_users_command_bootstraps_the_first_admin_and_refuses_bad_input(db_path, capsys):
    from geo import cli

    assert cli.main(["users", "set", "Chef@Stockholm.se", "admin", "--db", str(db_path), "--actor", "drift"]) == 0
    assert cli.main(["users", "set", "Uppsok-Falt", "field_worker", "--group", "--db", str(db_path)]) == 0
    assert cli.main(["users", "set", "inte-en-adress", "admin", "--db", str(db_path)]) == 2
    assert cli.main(["users", "remove", "chef@stockholm.se", "--db", str(db_path)]) == 2  # the last admin
    assert cli.main(["users", "list", "--format", "json", "--db", str(db_path)]) == 0
    out, err = capsys.readouterr()
    assert "chef@stockholm.se: – → admin" in out and "Det ser inte ut som en e-postadress." in err
    assert '"principal":"uppsok-falt","role":"field_worker"' in out.replace(" ", "")
    cur = store.cursor(db_path)
    assert access.role_for(cur, "chef@stockholm.se") == "admin"
    assert [c["actor"] for c in _role_changes(cur)] == ["drift", "cli"]
