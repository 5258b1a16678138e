"""Who sees what: the five roles, the pages each role may open, and the role table.

PRODUCT.md §1 and §6: field staff need exact places; managers and partners see areas and
aggregates only. This module is the one place that says which role may open which page
(`PAGE_ROLES`); dashboard.py builds the navigation from it and every page checks it again
at its top (ui.require_page), so that a typed URL cannot bypass the navigation.

Roles are given by a verified e-mail (`verified_email`) or by an identity-provider group
(an OIDC `groups` claim) in the table `user_roles`. An e-mail row wins over group rows; among several matching groups the
most trusted role wins (`PRECEDENCE`). Every change is written to the audit log with its
before and after. No Streamlit here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from geo import store

FIELD_WORKER = "field_worker"
TEAM_LEAD = "team_lead"
MANAGER = "manager"
PARTNER = "partner"
ADMIN = "admin"
ROLES: tuple[str, ...] = (FIELD_WORKER, TEAM_LEAD, MANAGER, PARTNER, ADMIN)
# When several groups of one user carry roles: the first in this list wins.
PRECEDENCE: tuple[str, ...] = (ADMIN, TEAM_LEAD, FIELD_WORKER, MANAGER, PARTNER)
# Roles that may see exact coordinates and place names (PRODUCT.md §6).
PLACE_ROLES: frozenset[str] = frozenset({FIELD_WORKER, TEAM_LEAD, ADMIN})
STAFF: frozenset[str] = frozenset({FIELD_WORKER, TEAM_LEAD, MANAGER, ADMIN})
KINDS: tuple[str, ...] = ("email", "group")

# url_path → the roles that may open it, in navigation order. Pages that show places
# (karta, planera, logga, importera, platser, pass) are never open to managers or partners.
PAGE_ROLES: dict[str, frozenset[str]] = {
    "karta": frozenset({FIELD_WORKER, TEAM_LEAD, ADMIN}),
    "planera": frozenset({FIELD_WORKER, TEAM_LEAD, ADMIN}),
    "pass": frozenset({FIELD_WORKER, TEAM_LEAD, ADMIN}),  # route planning
    "logga": frozenset({FIELD_WORKER, TEAM_LEAD, ADMIN}),
    "trender": frozenset({MANAGER, TEAM_LEAD, ADMIN}),  # aggregates only; a manager's first page
    "rapportera": frozenset(ROLES),  # partner reports: partners and all staff
    "synpunkter": frozenset({TEAM_LEAD, MANAGER, ADMIN}),  # feedback and complaints
    "omraden": frozenset({TEAM_LEAD, MANAGER, ADMIN}),  # managers read the list only
    "importera": frozenset({TEAM_LEAD, ADMIN}),
    "platser": frozenset({TEAM_LEAD, ADMIN}),  # merge, rename, clear places
    "installningar": frozenset({TEAM_LEAD, ADMIN}),
    "anvandare": frozenset({ADMIN}),
    "granskning": frozenset({ADMIN}),
}
# Things a page does for some of its roles only.
EDIT_AREAS: frozenset[str] = frozenset({TEAM_LEAD, ADMIN})  # import/delete boundary layers
RETENTION: frozenset[str] = frozenset({ADMIN})  # delete old visits, keeping weekly totals (Inställningar)


# Local mode (no login) gives every visitor the admin role, so it serves this machine only
# (.streamlit/config.toml binds 127.0.0.1). Setting this variable to 1 serves it beyond
# localhost anyway, with a warning on every page (e.g. a closed training network).
OPEN_LOCAL_ENV = "UPPSOK_ALLOW_OPEN_LOCAL_MODE"


def _loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost"; None or "" (every interface) is not."""
    if not host:
        return False
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def local_mode_exposure(server_address: str | None, client_ip: str | None, env: Mapping[str, str]) -> str:
    """Whether local mode may serve this request: "ok", "warn" (open by the override) or "refuse".

    Refused when the server listens beyond loopback (None: every interface, Streamlit's
    default) or the visitor is not on this machine (`client_ip` None means localhost to
    Streamlit), unless OPEN_LOCAL_ENV is "1".
    """
    exposed = not _loopback(server_address) or (client_ip is not None and not _loopback(client_ip))
    if not exposed:
        return "ok"
    return "warn" if env.get(OPEN_LOCAL_ENV, "").strip() == "1" else "refuse"


class AccessError(ValueError):
    """A refused change to the role table; `key` names the sentence in geo.texts."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class RoleChange:
    """One change to the role table, as audited."""

    kind: str
    principal: str
    before: str | None
    after: str | None


def pages_for(role: str | None) -> list[str]:
    """The url_paths `role` may open, in navigation order (none for no role)."""
    return [page for page, roles in PAGE_ROLES.items() if role in roles]


def may_open(role: str | None, page: str) -> bool:
    return role in PAGE_ROLES.get(page, frozenset())


def sees_places(role: str | None) -> bool:
    """True when `role` may see exact coordinates and place names."""
    return role in PLACE_ROLES


def normalise(kind: str, principal: str) -> str:
    """The stored form of an e-mail or group: trimmed and lower case; raises AccessError."""
    if kind not in KINDS:
        raise AccessError("users_bad_kind")
    value = (principal or "").strip().lower()
    if not value or len(value) > 200:
        raise AccessError("users_bad_principal")
    if kind == "email" and ("@" not in value or " " in value):
        raise AccessError("users_bad_email")
    return value


def _groups(groups: object) -> list[str]:
    """The groups claim as a list of normalised names (providers send a list or one string)."""
    if groups is None:
        return []
    items: Iterable[object] = [groups] if isinstance(groups, str) else groups if isinstance(groups, Iterable) else []
    return [str(g).strip().lower() for g in items if str(g).strip()]


def verified_email(claims: Mapping[str, object]) -> str | None:
    """The signed-in e-mail, normalised, only when the provider says it is verified.

    Anyone can put any address in an account at some providers; an unverified
    `email: ADMIN@stockholm.se` must not get the admin's role. Providers that never send
    `email_verified` (Microsoft Entra ID) give roles by group instead. Some providers send
    the flag as the string "true".
    """
    flag = claims.get("email_verified")
    if not (flag is True or (isinstance(flag, str) and flag.strip().lower() == "true")):
        return None
    email = str(claims.get("email") or "").strip().lower()
    return email or None


def role_for(cur: duckdb.DuckDBPyConnection, email: str | None, groups: object = None) -> str | None:
    """The role of a signed-in user: by e-mail first, else the most trusted matching group."""
    if email:
        row = cur.execute("SELECT role FROM user_roles WHERE kind = 'email' AND principal = ?",
                          [email.strip().lower()]).fetchone()
        if row:
            return str(row[0])
    names = _groups(groups)
    if not names:
        return None
    found = {r for (r,) in cur.execute(
        "SELECT role FROM user_roles WHERE kind = 'group' AND list_contains(?, principal)", [names]).fetchall()}
    return next((role for role in PRECEDENCE if role in found), None)


def assignments(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every row of the role table: kind, principal, role, updated_at (UTC), actor."""
    return cur.execute(
        "SELECT kind, principal, role, updated_at, actor FROM user_roles ORDER BY kind DESC, principal"
    ).df()


def _current(cur: duckdb.DuckDBPyConnection, kind: str, principal: str) -> str | None:
    row = cur.execute("SELECT role FROM user_roles WHERE kind = ? AND principal = ?", [kind, principal]).fetchone()
    return str(row[0]) if row else None


def _admins(cur: duckdb.DuckDBPyConnection) -> int:
    return int(cur.execute("SELECT count(*) FROM user_roles WHERE role = ?", [ADMIN]).fetchone()[0])


def _check_admin_left(cur: duckdb.DuckDBPyConnection, admins_before: int) -> None:
    """Refuse a change that takes away the last administrator (nobody could undo it)."""
    if admins_before and not _admins(cur):
        raise AccessError("users_last_admin")


def set_role(cur: duckdb.DuckDBPyConnection, kind: str, principal: str, role: str, actor: str) -> RoleChange | None:
    """Give an e-mail or group a role (add or change); audited. None when nothing changed."""
    if role not in ROLES:
        raise AccessError("users_bad_role")
    principal = normalise(kind, principal)
    with store.transaction(cur):
        before, admins = _current(cur, kind, principal), _admins(cur)
        if before == role:
            return None
        cur.execute("INSERT OR REPLACE INTO user_roles VALUES (?, ?, ?, ?, ?)",
                    [kind, principal, role, store.utcnow(), actor]).fetchall()
        _check_admin_left(cur, admins)
        change = RoleChange(kind, principal, before, role)
        store.audit(cur, actor, "role_change", change.__dict__)
    return change


def remove_role(cur: duckdb.DuckDBPyConnection, kind: str, principal: str, actor: str) -> RoleChange | None:
    """Take an e-mail's or group's role away; audited. None when it had none."""
    principal = normalise(kind, principal)
    with store.transaction(cur):
        before, admins = _current(cur, kind, principal), _admins(cur)
        if before is None:
            return None
        cur.execute("DELETE FROM user_roles WHERE kind = ? AND principal = ?", [kind, principal]).fetchall()
        _check_admin_left(cur, admins)
        change = RoleChange(kind, principal, before, None)
        store.audit(cur, actor, "role_change", change.__dict__)
    return change
