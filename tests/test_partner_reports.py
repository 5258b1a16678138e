"""Partner reports (issue 7 item 3) on real DuckDB files with real Stockholm coordinates:
scrubbing, the service area, the status flow (manual and by a visit), who sees what, and the
urgency boost and report candidates in geo.urgency.ranked_places."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from geo import partner_reports as reports
from geo import settings, store, urgency
from geo.coords import haversine_m

NOW = store.utcnow().replace(microsecond=0)
# Real places in Stockholm (WGS84).
HOTORGET = (59.3349, 18.0631)
TANTOLUNDEN = (59.3127, 18.0493)
SKANSTULL = (59.3078, 18.0763)
T_CENTRALEN = (59.3309, 18.0593)
GOTEBORG = (57.7089, 11.9746)  # Gothenburg central station: far outside the service area
UPPSALA = (59.8586, 17.6389)


def _place(cur, place_id: str, name: str, kind: str, at: tuple[float, float], days_ago: int | None,
           people: int | None = None) -> None:
    cur.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                [place_id, name, name.lower(), kind, at[0], at[1], NOW - timedelta(days=400)])
    if days_ago is not None:
        _visit(cur, f"v-{place_id}", place_id, NOW - timedelta(days=days_ago), people)


def _visit(cur, visit_id: str, place_id: str, when, people: int | None = None) -> None:
    cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift, people) VALUES (?, ?, ?, 'day', ?)",
                [visit_id, place_id, when, people])


def _offset(at: tuple[float, float], north_m: float) -> tuple[float, float]:
    """A point `north_m` metres north of `at` (1 degree of latitude is about 111.2 km)."""
    return at[0] + north_m / 111_195.0, at[1]


def _audit(cur, action: str) -> list[dict]:
    return [json.loads(d) for (d,) in cur.execute(
        "SELECT details FROM audit WHERE action = ? ORDER BY audit_id", [action]).fetchall()]


def test_free_text_is_scrubbed_before_storage_and_the_report_is_audited(cur):
    form = reports.ReportForm(
        kind="encampment", coordinates=f"{SKANSTULL[0]}, {SKANSTULL[1]}", people=4, acute=True,
        acute_kinds=["child_at_risk", "pregnancy"],
        description="Under bron, ring 070-123 45 67",
        message="Kvinna gravid, pnr 850709-9805, mejla anna.s@example.se")
    created = reports.create_report(cur, form, actor="ngo1@partner.se", now=NOW)
    assert created.removed_identifiers == 3 and created.acute
    row = cur.execute("SELECT description, message, acute_kinds, status, reported_by FROM partner_reports").fetchone()
    stored = " ".join(row[:2])
    assert "070-123" not in stored and "9805" not in stored and "example.se" not in stored
    assert row[0] == "Under bron, ring [borttaget]"
    assert row[2] == ["child_at_risk", "pregnancy"] and row[3] == "new" and row[4] == "ngo1@partner.se"
    (details,) = _audit(cur, "report_create")
    assert details["report_id"] == created.report_id and details["removed_identifiers"] == 3
    assert "070" not in json.dumps(details)  # no text in the audit either


def test_where_is_a_point_typed_coordinates_or_words_and_outside_is_refused(cur):
    by_point = reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=T_CENTRALEN), "a")
    assert (by_point.lat, by_point.lon) == T_CENTRALEN
    swapped = reports.create_report(cur, reports.ReportForm(kind="sleeping_place", coordinates="18.0631 59.3349"), "a")
    assert (swapped.lat, swapped.lon) == HOTORGET  # lon-first typing is detected by geo.coords
    sweref = reports.create_report(cur, reports.ReportForm(kind="sleeping_place", coordinates="6580897, 674035"), "a")
    assert haversine_m(sweref.lat, sweref.lon, *T_CENTRALEN) < 5
    words = reports.create_report(cur, reports.ReportForm(kind="encampment", description="vid Årstaviken"), "a")
    assert words.lat is None and words.lon is None
    for outside in (GOTEBORG, UPPSALA):
        with pytest.raises(reports.ReportError) as err:
            reports.create_report(cur, reports.ReportForm(kind="encampment", coordinates=f"{outside[0]}, {outside[1]}"),
                                  "a")
        assert err.value.key == "rep_err_outside" and err.value.values["km"] > 20
        assert "utanför teamets område" in err.value.message("sv")
    with pytest.raises(reports.ReportError) as err:
        reports.create_report(cur, reports.ReportForm(kind="encampment", coordinates="hej"), "a")
    assert err.value.key == "rep_err_coordinates"
    with pytest.raises(reports.ReportError) as err:
        reports.create_report(cur, reports.ReportForm(kind="encampment", description="  "), "a")
    assert err.value.key == "rep_err_where"
    with pytest.raises(reports.ReportError):
        reports.create_report(cur, reports.ReportForm(kind="other", point=T_CENTRALEN), "a")
    assert cur.execute("SELECT count(*) FROM partner_reports").fetchone()[0] == 4  # refused ones left nothing


def test_status_flow_is_audited_with_before_and_after(cur):
    created = reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=TANTOLUNDEN), "ngo", now=NOW)
    rid = created.report_id
    assert reports.set_status(cur, rid, "seen", "lead", now=NOW) == reports.StatusChange(rid, "new", "seen")
    assert reports.set_status(cur, rid, "seen", "lead", now=NOW) is None  # unchanged: no audit row
    assert reports.set_status(cur, rid, "closed", "lead", now=NOW).before == "seen"
    assert list(reports.list_reports(cur)["status"]) == ["closed"]
    with pytest.raises(reports.ReportError):
        reports.set_status(cur, rid, "gone", "lead")
    with pytest.raises(reports.ReportError):
        reports.set_status(cur, 999, "seen", "lead")
    assert _audit(cur, "report_status") == [{"report_id": rid, "before": "new", "after": "seen"},
                                            {"report_id": rid, "before": "seen", "after": "closed"}]


def test_a_visit_nearby_after_the_report_makes_it_visited_and_a_reopen_waits_for_the_next(cur):
    _place(cur, "p-tan", "Tantolunden", "sleeping_place", TANTOLUNDEN, days_ago=3)
    near = _offset(TANTOLUNDEN, 30)  # 30 m north: within the 50 m radius
    rid = reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=near), "ngo",
                                now=NOW - timedelta(days=1)).report_id
    listed = reports.list_reports(cur)
    assert listed.loc[0, "status"] == "new" and listed.loc[0, "place_id"] == "p-tan"  # the visit was before
    _visit(cur, "v-after", "p-tan", NOW - timedelta(hours=2))
    listed = reports.list_reports(cur)
    assert listed.loc[0, "status"] == "visited" and listed.loc[0, "stored_status"] == "new"
    assert reports.open_reports(cur).empty
    # staff reopen it: only a visit after the reopen counts again
    assert reports.set_status(cur, rid, "seen", "lead", now=NOW).before == "visited"
    assert reports.list_reports(cur).loc[0, "status"] == "seen"
    _visit(cur, "v-later", "p-tan", NOW + timedelta(hours=1))
    assert reports.list_reports(cur).loc[0, "status"] == "visited"
    # a smaller radius (the setting) no longer reaches the place
    settings.save(cur, {"match_radius_m": 20}, actor="lead")
    assert reports.list_reports(cur).loc[0, "status"] == "seen"
    assert reports.list_reports(cur).loc[0, "place_id"] is None


def test_a_partner_sees_only_their_own_reports_and_nothing_about_where(cur):
    _place(cur, "p-hot", "Hötorget", "encampment", HOTORGET, days_ago=2)
    reports.create_report(cur, reports.ReportForm(kind="encampment", point=HOTORGET, description="Hötorget, trappan"),
                          "ngo1@partner.se")
    reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=SKANSTULL), "ngo2@partner.se")
    reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=TANTOLUNDEN, people=2), "ngo1@partner.se")
    own = reports.partner_view(cur, "ngo1@partner.se")
    assert list(own.columns) == list(reports.PARTNER_COLUMNS)
    assert list(own["report_id"]) == [3, 1] and list(own["people"].fillna(-1)) == [2, -1]
    assert not {"lat", "lon", "description", "place_id", "reported_by"} & set(own.columns)
    assert reports.partner_view(cur, "someone@else.se").empty


def test_open_reports_raise_urgency_and_lonely_reports_become_candidates(cur):
    # Hötorget visited 2 days ago (not overdue at a 7-day target), Tantolunden 20 days ago (overdue)
    _place(cur, "p-hot", "Hötorget", "encampment", HOTORGET, days_ago=2, people=3)
    _place(cur, "p-tan", "Tantolunden", "sleeping_place", TANTOLUNDEN, days_ago=20, people=1)
    before = urgency.ranked_places(cur, now=NOW)
    assert list(before["place_id"]) == ["p-tan"]
    tan_before = before.loc[0, "urgency_score"]

    reports.create_report(cur, reports.ReportForm(kind="encampment", point=_offset(HOTORGET, 25), people=6,
                                                  acute=True, acute_kinds=["child_at_risk"]), "ngo", now=NOW)
    reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=_offset(TANTOLUNDEN, -40)), "ngo",
                          now=NOW)
    lonely = reports.create_report(cur, reports.ReportForm(kind="encampment", point=SKANSTULL, people=5,
                                                           description="Skanstullsbron <norra>"), "ngo", now=NOW)
    ranked = urgency.ranked_places(cur, now=NOW).set_index("place_id")

    # Hötorget is listed although not overdue, boosted by a report and its acute flag
    hot = ranked.loc["p-hot"]
    assert hot["reports"] == 1 and hot["report_acute"]
    assert hot["urgency_score"] == pytest.approx(2 / 7 + 0.3 + urgency.ENCAMPMENT_POINTS + urgency.REPORT_POINTS
                                                 + urgency.REPORT_ACUTE_POINTS, abs=0.01)
    assert "rapporterad av partner" in hot["reason_sv"] and "akut enligt rapport" in hot["reason_sv"]
    assert "reported by a partner" in hot["reason_en"]
    # Tantolunden: the same score plus exactly the report points
    tan = ranked.loc["p-tan"]
    assert tan["urgency_score"] == pytest.approx(tan_before + urgency.REPORT_POINTS)
    # the report at Skanstull has no place within 50 m: a candidate of its own, for the planner
    cand = ranked.loc[f"report:{lonely.report_id}"]
    assert cand["source"] == "report" and cand["report_id"] == lonely.report_id and cand["kind"] == "encampment"
    assert (cand["lat"], cand["lon"]) == SKANSTULL and cand["name"] == "Rapport #3: Skanstullsbron <norra>"
    assert cand["urgency"] is None  # never visited: ranks first, like an unvisited place
    assert cand["urgency_score"] == pytest.approx(urgency.NEVER_RATIO + 0.5 + urgency.ENCAMPMENT_POINTS
                                                  + urgency.REPORT_POINTS)
    assert cand["reason_sv"] == "ingen känd plats här · 5 personer senast · boplats · rapporterad av partner"
    assert list(ranked.index)[0] == f"report:{lonely.report_id}"

    # once the team has been at Hötorget the boost and the extra listing go away
    _visit(cur, "v-hot-now", "p-hot", NOW + timedelta(minutes=5), 4)
    after = urgency.ranked_places(cur, now=NOW + timedelta(hours=1)).set_index("place_id")
    assert "p-hot" not in after.index
    # a closed report is no longer a candidate
    reports.set_status(cur, lonely.report_id, "closed", "lead")
    assert f"report:{lonely.report_id}" not in urgency.ranked_places(cur, now=NOW).set_index("place_id").index


def test_reports_without_a_position_never_reach_the_map_or_the_plan(cur):
    reports.create_report(cur, reports.ReportForm(kind="encampment", description="bakom Globen"), "ngo")
    assert len(reports.list_reports(cur)) == 1
    assert reports.open_reports(cur).empty
    assert urgency.ranked_places(cur, now=NOW).empty


def test_the_socialjouren_number_is_a_validated_audited_setting(cur):
    assert settings.socialjouren_phone(cur) == settings.SOCIALJOUREN_PHONE == "08-508 00 000"
    changes = settings.save(cur, {"socialjouren_phone": "  08-123  456 00 "}, actor="admin")
    assert [(c.before, c.after) for c in changes] == [("08-508 00 000", "08-123 456 00")]
    assert settings.socialjouren_phone(cur) == "08-123 456 00"
    for bad in ("ring oss", "08", 8505, "<b>08-1</b>", "0" * 30):
        with pytest.raises(settings.SettingsError):
            settings.save(cur, {"socialjouren_phone": bad}, actor="admin")
    assert settings.socialjouren_phone(cur) == "08-123 456 00"
    settings.reset(cur, actor="admin")
    assert settings.socialjouren_phone(cur) == "08-508 00 000"
    assert [d["key"] for d in _audit(cur, "setting_reset")] == ["socialjouren_phone"]


def test_the_settings_page_edits_the_number_as_text(monkeypatch, db_path):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    store.cursor(db_path)
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app_pages" / "installningar.py"),
                           default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    assert at.text_input(key="set_socialjouren_phone").value == "08-508 00 000"
    at.text_input(key="set_socialjouren_phone").set_value("08-999 00 00")
    at.button(key="FormSubmitter:settings_form-Spara").click().run()
    assert not at.exception and any("1 ändrade" in s.value for s in at.success)
    assert settings.socialjouren_phone(store.cursor(db_path)) == "08-999 00 00"


def test_the_radius_is_metres_in_every_direction(cur):
    """45 m east or north of a report is within the 50 m radius, 60 m is not (the box pre-filter
    must not cut off the east-west direction, where a degree is only about 57 km here)."""
    east_45 = (HOTORGET[0], HOTORGET[1] + 45 / 56_800)
    east_60 = (TANTOLUNDEN[0], TANTOLUNDEN[1] + 60 / 56_800)
    _place(cur, "p-e45", "Öster 45", "sleeping_place", east_45, days_ago=30)
    _place(cur, "p-e60", "Öster 60", "sleeping_place", east_60, days_ago=30)
    _place(cur, "p-n45", "Norr 45", "sleeping_place", _offset(SKANSTULL, 45), days_ago=30)
    assert 43 < haversine_m(*HOTORGET, *east_45) < 47 and 58 < haversine_m(*TANTOLUNDEN, *east_60) < 62
    for at in (HOTORGET, TANTOLUNDEN, SKANSTULL):
        reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=at), "ngo", now=NOW)
    assert list(reports.list_reports(cur)["place_id"]) == ["p-n45", None, "p-e45"]
