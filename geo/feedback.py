"""Feedback and complaints (synpunkter och klagomål, issue 7 item 6).

The partnership requires a routine: feedback from visitors or partners is registered when
it arrives and followed to a reply. Status goes received → in_progress → answered; an
answer needs a reply text and gets an answered date (today unless given). Staff may move a
case back (an answer sent by mistake), which clears nothing but is audited like every
other change (`feedback_create`, `feedback_update` with before and after).

Every free text (from whom, the feedback itself, the reply) is scrubbed of identifiers
before storage (PRODUCT.md §6): the register says *that* a visitor complained and what
about, never their phone number or personal identity number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from geo import store
from geo.localtime import utc_to_local
from geo.privacy import scrub
from geo.texts import TextError, t

CHANNELS: tuple[str, ...] = ("phone", "email", "letter", "in_person", "partner", "other")
CATEGORIES: tuple[str, ...] = ("opinion", "complaint", "praise")  # synpunkt, klagomål, beröm
STATUSES: tuple[str, ...] = ("received", "in_progress", "answered")
MAX_TEXT = 4000
MAX_SHORT = 200


class FeedbackError(TextError):
    """Feedback that cannot be stored as given; `message(lang)` says why."""


def _clean(text: str | None, limit: int) -> tuple[str | None, int]:
    """Stripped, length-capped, scrubbed text (None when empty) and the identifiers removed."""
    text = (text or "").strip()[:limit]
    if not text:
        return None, 0
    clean, counts = scrub(text)
    return clean, counts.total()


def today_local(now: datetime | None = None) -> date:
    """Today in Stockholm (the default received and answered date)."""
    local = utc_to_local(now or store.utcnow())
    assert local is not None
    return local.date()


@dataclass(frozen=True)
class Registered:
    feedback_id: int
    removed_identifiers: int


def register(cur: duckdb.DuckDBPyConnection, *, received_on: date, channel: str, category: str, body: str,
             from_whom: str = "", responsible: str = "", actor: str, now: datetime | None = None) -> Registered:
    """Store new feedback with status `received`; audited as `feedback_create`."""
    if channel not in CHANNELS:
        raise FeedbackError("fb_err_channel", channel=channel)
    if category not in CATEGORIES:
        raise FeedbackError("fb_err_category", category=category)
    now = now or store.utcnow()
    if received_on > today_local(now):
        raise FeedbackError("fb_err_future")
    text, removed_b = _clean(body, MAX_TEXT)
    if text is None:
        raise FeedbackError("fb_err_body")
    who, removed_w = _clean(from_whom, MAX_SHORT)
    owner = (responsible or "").strip()[:MAX_SHORT] or None
    with store.transaction(cur):
        (feedback_id,) = cur.execute(
            """INSERT INTO feedback (received_on, channel, from_whom, category, body, status, reply, answered_on,
                   responsible, created_at, created_by, updated_at, updated_by)
               VALUES (?, ?, ?, ?, ?, 'received', NULL, NULL, ?, ?, ?, ?, ?) RETURNING feedback_id""",
            [received_on, channel, who, category, text, owner, now, actor, now, actor]).fetchone()
        store.audit(cur, actor, "feedback_create", {"feedback_id": feedback_id, "category": category,
                                                    "channel": channel, "removed_identifiers": removed_b + removed_w})
    return Registered(int(feedback_id), removed_b + removed_w)


@dataclass(frozen=True)
class Updated:
    feedback_id: int
    changes: dict[str, dict[str, Any]]  # field → {"before": .., "after": ..}
    removed_identifiers: int


def update(cur: duckdb.DuckDBPyConnection, feedback_id: int, *, status: str, reply: str = "",
           responsible: str = "", answered_on: date | None = None, actor: str,
           now: datetime | None = None) -> Updated:
    """Follow a case: status, reply, responsible, answered date; audited with before and after.

    `answered` needs a reply; its date defaults to today and is cleared when the case is
    moved back from answered.
    """
    if status not in STATUSES:
        raise FeedbackError("fb_err_status", status=status)
    now = now or store.utcnow()
    row = cur.execute("SELECT status, reply, responsible, answered_on FROM feedback WHERE feedback_id = ?",
                      [int(feedback_id)]).fetchall()
    if not row:
        raise FeedbackError("fb_err_unknown", feedback_id=feedback_id)
    before = dict(zip(("status", "reply", "responsible", "answered_on"), row[0]))
    text, removed = _clean(reply, MAX_TEXT)
    if status == "answered" and text is None:
        raise FeedbackError("fb_err_reply")
    if answered_on is not None and answered_on > today_local(now):
        raise FeedbackError("fb_err_future")
    after = {
        "status": status,
        "reply": text,
        "responsible": (responsible or "").strip()[:MAX_SHORT] or None,
        "answered_on": (answered_on or before["answered_on"] or today_local(now)) if status == "answered" else None,
    }
    changes = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changes:
        with store.transaction(cur):
            cur.execute(
                """UPDATE feedback SET status = ?, reply = ?, responsible = ?, answered_on = ?, updated_at = ?,
                       updated_by = ? WHERE feedback_id = ?""",
                [after["status"], after["reply"], after["responsible"], after["answered_on"], now, actor,
                 int(feedback_id)]).fetchall()
            store.audit(cur, actor, "feedback_update", {"feedback_id": int(feedback_id), "changes": changes,
                                                        "removed_identifiers": removed})
    return Updated(int(feedback_id), changes, removed)


def list_feedback(cur: duckdb.DuckDBPyConnection, statuses: Sequence[str] | None = None,
                  categories: Sequence[str] | None = None, since: date | None = None) -> pd.DataFrame:
    """The register, newest first, filtered by status, category and received date."""
    where, params = [], []
    if statuses is not None:
        where.append("list_contains(?::VARCHAR[], status)")
        params.append(list(statuses))
    if categories is not None:
        where.append("list_contains(?::VARCHAR[], category)")
        params.append(list(categories))
    if since is not None:
        where.append("received_on >= ?")
        params.append(since)
    return cur.execute(
        f"""SELECT feedback_id, received_on, channel, from_whom, category, body, status, reply, answered_on,
                   responsible, updated_at, updated_by
            FROM feedback {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY received_on DESC, feedback_id DESC""", params).df()


def table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The page's list with localised headers and labels."""
    def day(value: Any) -> str:
        return "–" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")

    return pd.DataFrame({
        t("fb_col_id", lang): frame["feedback_id"].astype(int),
        t("fb_received_on", lang): frame["received_on"].map(day),
        t("fb_category", lang): [t(f"fb_category_{c}", lang) for c in frame["category"]],
        t("fb_channel", lang): [t(f"fb_channel_{c}", lang) for c in frame["channel"]],
        t("fb_from_whom", lang): frame["from_whom"].fillna("–"),
        t("fb_body", lang): frame["body"],
        t("fb_status", lang): [t(f"fb_status_{s}", lang) for s in frame["status"]],
        t("fb_responsible", lang): frame["responsible"].fillna("–"),
        t("fb_answered_on", lang): frame["answered_on"].map(day),
    })
