"""Feedback and complaints (issue 7 item 6) on real DuckDB files: register, scrub, follow to a
reply, filters, audit; and the Synpunkter page in AppTest."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import feedback, store

ROOT = Path(__file__).resolve().parents[1]
NOW = store.utcnow().replace(microsecond=0)


def _audit(cur, action: str) -> list[dict]:
    return [json.loads(d) for (d,) in cur.execute(
        "SELECT details FROM audit WHERE action = ? ORDER BY audit_id", [action]).fetchall()]


def test_feedback_is_scrubbed_followed_to_a_reply_and_audited(cur):
    today = feedback.today_local(NOW)
    done = feedback.register(cur, received_on=today - timedelta(days=2), channel="phone", category="complaint",
                             body="Blev illa bemött vid Hötorget. Ring mig på 070-123 45 67.",
                             from_whom="besökare, pnr 850709-9805", responsible="lead@stad.se", actor="lead@stad.se",
                             now=NOW)
    assert done.removed_identifiers == 2
    (row,) = feedback.list_feedback(cur).to_dict("records")
    assert row["body"] == "Blev illa bemött vid Hötorget. Ring mig på [borttaget]."
    assert row["from_whom"] == "besökare, pnr [borttaget]" and row["status"] == "received"

    with pytest.raises(feedback.FeedbackError) as err:  # an answer needs a reply
        feedback.update(cur, done.feedback_id, status="answered", actor="lead@stad.se", now=NOW)
    assert err.value.key == "fb_err_reply"
    step = feedback.update(cur, done.feedback_id, status="in_progress", responsible="lead@stad.se",
                           actor="lead@stad.se", now=NOW)
    assert step.changes == {"status": {"before": "received", "after": "in_progress"}}
    answer = feedback.update(cur, done.feedback_id, status="answered", reply="Vi har pratat med teamet.",
                             responsible="lead@stad.se", actor="lead@stad.se", now=NOW)
    assert set(answer.changes) == {"status", "reply", "answered_on"}
    (row,) = feedback.list_feedback(cur).to_dict("records")
    assert row["status"] == "answered" and row["answered_on"].date() == today
    assert feedback.update(cur, done.feedback_id, status="answered", reply="Vi har pratat med teamet.",
                           responsible="lead@stad.se", actor="x", now=NOW).changes == {}
    # moved back: the answered date goes, the reply stays
    back = feedback.update(cur, done.feedback_id, status="in_progress", reply="Vi har pratat med teamet.",
                           responsible="lead@stad.se", actor="lead@stad.se", now=NOW)
    assert back.changes["answered_on"]["after"] is None

    assert [d["feedback_id"] for d in _audit(cur, "feedback_create")] == [done.feedback_id]
    updates = _audit(cur, "feedback_update")
    assert [u["changes"]["status"] for u in updates] == [
        {"before": "received", "after": "in_progress"}, {"before": "in_progress", "after": "answered"},
        {"before": "answered", "after": "in_progress"}]
    assert "070" not in json.dumps(_audit(cur, "feedback_create"))


def test_validation_and_filters(cur):
    today = feedback.today_local(NOW)
    for bad in ({"channel": "fax"}, {"category": "hot"}, {"body": "   "},
                {"received_on": today + timedelta(days=2)}):
        args = {"received_on": today, "channel": "email", "category": "opinion", "body": "Bra", **bad}
        with pytest.raises(feedback.FeedbackError):
            feedback.register(cur, actor="a", now=NOW, **args)
    assert feedback.list_feedback(cur).empty
    a = feedback.register(cur, received_on=date(2025, 3, 1), channel="email", category="praise", body="Tack", actor="a")
    b = feedback.register(cur, received_on=date(2025, 4, 1), channel="partner", category="complaint", body="För sent",
                          actor="a")
    feedback.update(cur, b.feedback_id, status="answered", reply="Ursäkta", actor="a")
    assert list(feedback.list_feedback(cur)["feedback_id"]) == [b.feedback_id, a.feedback_id]
    assert list(feedback.list_feedback(cur, statuses=["received"])["feedback_id"]) == [a.feedback_id]
    assert list(feedback.list_feedback(cur, categories=["complaint"])["feedback_id"]) == [b.feedback_id]
    assert list(feedback.list_feedback(cur, since=date(2025, 3, 15))["feedback_id"]) == [b.feedback_id]
    table = feedback.table(feedback.list_feedback(cur), "sv")
    assert list(table["Kategori"]) == ["klagomål", "beröm"] and list(table["Status"]) == ["besvarad", "mottagen"]


def test_feedback_page_registers_and_answers(monkeypatch, db_path):
    store.cursor(db_path)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "synpunkter.py"), default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    assert not at.exception
    assert any("Inga ärenden" in c.value for c in at.caption)
    at.selectbox(key="fb_category.sv").set_value("complaint")
    at.text_input(key="fb_from_whom").set_value("besökare vid Hötorget")
    at.text_area(key="fb_body").set_value("Fick inget svar, mejla mig på x@y.se")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and "nr 1" in at.success[0].value
    assert at.warning and "1 identifierande" in at.warning[0].value
    table = at.dataframe[0].value
    assert list(table["Kategori"]) == ["klagomål"] and list(table["Vad det gäller"]) == [
        "Fick inget svar, mejla mig på [borttaget]"]
    at.selectbox(key="fb_status_1.sv").set_value("answered")
    at.text_area(key="fb_reply_1").set_value("Vi ringde upp.")
    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception
    assert any("uppdaterat" in s.value for s in at.success)
    cur = store.cursor(db_path)
    assert cur.execute("SELECT status, reply FROM feedback").fetchone() == ("answered", "Vi ringde upp.")
