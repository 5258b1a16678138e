"""Searching the audit log (PRODUCT.md §6): by who, what, when and free text in the details.

The audit table is append-only for the app: `store.audit` is the only writer and nothing in
geo/ or app_pages/ updates or deletes its rows (tests/test_access_audit.py scans the SQL).
This module only reads. Days are Stockholm calendar days, turned into UTC bounds here.
No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import duckdb
import pandas as pd

from geo.config import STOCKHOLM
from geo.localtime import utc_series_to_local
from geo.texts import t

MAX_ROWS = 5000  # a page shows at most this many rows; the count says how many matched


@dataclass(frozen=True)
class AuditQuery:
    """A search: every field optional; text and actor match case-insensitively anywhere."""

    actor: str = ""
    actions: tuple[str, ...] = ()
    first_day: date | None = None  # Stockholm day, inclusive
    last_day: date | None = None  # Stockholm day, inclusive
    text: str = ""

    def describe(self) -> dict[str, object]:
        """The search as plain values, for the audit line an export writes."""
        return {"actor": self.actor, "actions": list(self.actions), "first_day": self.first_day,
                "last_day": self.last_day, "text": self.text}


def _utc_start(day: date) -> datetime:
    """00:00 Stockholm time on `day`, as the naive UTC the table stores."""
    local = datetime.combine(day, time(0), tzinfo=STOCKHOLM)
    return local.astimezone(UTC).replace(tzinfo=None)


def _where(query: AuditQuery) -> tuple[str, list[object]]:
    clauses, params = [], []
    if query.actor.strip():
        clauses.append("contains(lower(actor), lower(?))")
        params.append(query.actor.strip())
    if query.actions:
        clauses.append("list_contains(?, action)")
        params.append(list(query.actions))
    if query.first_day is not None:
        clauses.append('"at" >= ?')
        params.append(_utc_start(query.first_day))
    if query.last_day is not None:
        clauses.append('"at" < ?')
        params.append(_utc_start(query.last_day + timedelta(days=1)))
    if query.text.strip():
        clauses.append("contains(lower(CAST(details AS VARCHAR)), lower(?))")
        params.append(query.text.strip())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search(cur: duckdb.DuckDBPyConnection, query: AuditQuery, limit: int = MAX_ROWS) -> tuple[pd.DataFrame, int]:
    """Matching rows, newest first (at most `limit`), and how many matched in all."""
    where, params = _where(query)
    total = int(cur.execute(f"SELECT count(*) FROM audit{where}", params).fetchone()[0])
    frame = cur.execute(
        f'SELECT audit_id, "at", actor, action, CAST(details AS VARCHAR) AS details FROM audit{where} '
        f'ORDER BY "at" DESC, audit_id DESC LIMIT {int(limit)}', params,
    ).df()
    return frame, total


def actions(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """Every action that occurs in the log, for the filter."""
    return [a for (a,) in cur.execute("SELECT DISTINCT action FROM audit ORDER BY action").fetchall()]


def table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows for display and export: Stockholm time, translated headers."""
    local = utc_series_to_local(frame["at"]).dt.strftime("%Y-%m-%d %H:%M:%S") if len(frame) else frame["at"]
    return pd.DataFrame({
        t("audit_at", lang): local,
        t("audit_who", lang): frame["actor"],
        t("audit_action", lang): frame["action"],
        t("audit_details", lang): frame["details"].fillna(""),
    })
