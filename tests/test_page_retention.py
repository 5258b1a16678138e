"""Retention from Inställningar: admins preview and run it, the visits are gone and the weekly
aggregates identical; team leads (who may open the page) do not get the section."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo import store
from geo.trends import period_trends, with_year_earlier
from geo.weekly import weekly_grain
from test_trends import VISITS, build

ROOT = Path(__file__).resolve().parents[1]


def settings_page(monkeypatch, db_path: Path, role: str, lang: str = "sv") -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "installningar.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["local_role"] = role
    at.run()
    assert not at.exception
    return at


def test_an_admin_previews_then_deletes_old_visits_keeping_the_weeks(monkeypatch, db_path):
    cur = store.cursor(db_path)
    build(cur)  # visits from December 2025 to March 2026
    before_grain = weekly_grain(cur)
    before_weeks = with_year_earlier(cur, date(2025, 11, 24), date(2026, 3, 20))
    before_shifts = period_trends(cur, date(2025, 11, 1), date(2026, 3, 31), "month", by="shift")

    at = settings_page(monkeypatch, db_path, "admin")
    assert at.subheader[-1].value == "Gallra gamla besök"
    assert any("minst 74 dagar (14 + 60)" in c.value for c in at.caption)  # the estimate's window + carry-forward age
    assert at.number_input(key="ret_days").value == 365
    # everything in the test data is more than 200 days old by now; 3000 days keeps all
    at.number_input(key="ret_days").set_value(3000).run()
    assert any("Inga besök före" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "ret_go"]
    at.number_input(key="ret_days").set_value(30).run()
    assert any("Färre än 74 dagar" in w.value for w in at.warning)
    at.number_input(key="ret_days").set_value(200).run()
    assert not at.warning
    assert f"{len(VISITS)} besök i 5 veckor skulle sparas som veckosummor" in at.info[0].value
    assert at.button(key="ret_go").disabled  # not before the checkbox
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == len(VISITS)  # the preview changes nothing
    assert cur.execute("SELECT count(*) FROM audit WHERE action = 'retention'").fetchone()[0] == 0

    at.checkbox(key="ret_ok").check().run()
    at.button(key="ret_go").click().run()
    assert not at.exception
    assert f"{len(VISITS)} besök före" in at.success[0].value
    assert cur.execute("SELECT count(*) FROM visits").fetchone()[0] == 0
    assert cur.execute("SELECT sum(visits) FROM visit_weeks_archive").fetchone()[0] == len(VISITS)
    assert cur.execute("SELECT actor, details->>'older_than_days' FROM audit WHERE action = 'retention'"
                       ).fetchall() == [("local:admin", "200")]
    pd.testing.assert_frame_equal(weekly_grain(cur), before_grain)
    pd.testing.assert_frame_equal(with_year_earlier(cur, date(2025, 11, 24), date(2026, 3, 20)), before_weeks)
    pd.testing.assert_frame_equal(period_trends(cur, date(2025, 11, 1), date(2026, 3, 31), "month", by="shift"),
                                  before_shifts)
    assert any("Inga besök före" in c.value for c in at.caption)  # nothing left to delete: no button
    assert not [b for b in at.button if b.key == "ret_go"]


def test_the_section_is_in_english_too(monkeypatch, db_path):
    build(store.cursor(db_path))
    at = settings_page(monkeypatch, db_path, "admin", lang="en")
    at.number_input(key="ret_days").set_value(200).run()
    assert at.subheader[-1].value == "Delete old visits"
    assert f"{len(VISITS)} visits in 5 weeks would be kept as weekly totals" in at.info[0].value


def test_a_team_lead_does_not_get_the_section(monkeypatch, db_path):
    build(store.cursor(db_path))
    at = settings_page(monkeypatch, db_path, "team_lead")
    assert not [s for s in at.subheader if s.value == "Gallra gamla besök"]
    assert not [n for n in at.number_input if n.key == "ret_days"]
    assert not [b for b in at.button if b.key == "ret_go"]
    assert at.subheader[0].value  # the settings themselves are there
