"""The Rapportera page in AppTest on real DuckDB files (ui.pick_point patched), and the
report layer the Karta page hands to ui.show_map (patched, as in test_page_map)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import folium
import pytest
from streamlit.testing.v1 import AppTest

import ui
from geo import maps, settings, store
from geo import partner_reports as reports
from test_page_log import PickRecorder
from test_page_map import MapRecorder, make_db

ROOT = Path(__file__).resolve().parents[1]
SKANSTULL = (59.3078, 18.0763)
EVIL = "<script>alert(1)</script>"
COORDINATE = re.compile(r"\b(59|18)[.,]\d{2,}")


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> PickRecorder:
    rec = PickRecorder()
    monkeypatch.setattr(ui, "pick_point", rec)
    return rec


def open_page(monkeypatch: pytest.MonkeyPatch, path: Path, actor: str = "dashboard", partner: bool = False,
              lang: str = "sv") -> AppTest:
    """The page alone, acting as `actor` in local mode with the partner's role or an admin's."""
    monkeypatch.setenv("OUTREACH_DB", str(path))
    monkeypatch.setattr(ui, "actor", lambda: actor)
    at = AppTest.from_file(str(ROOT / "app_pages" / "rapportera.py"), default_timeout=60)
    at.session_state[ui.LOCAL_ROLE_KEY] = "partner" if partner else "admin"
    at.session_state["lang"] = lang
    return at.run()


def _rows(cur) -> list[tuple]:
    return cur.execute("SELECT reported_by, lat, lon, kind, people, acute, acute_kinds, message, status "
                       "FROM partner_reports ORDER BY report_id").fetchall()


def test_submitting_the_form_with_a_map_tap_creates_a_report(monkeypatch, db_path, picker):
    store.cursor(db_path)
    picker.point = SKANSTULL
    at = open_page(monkeypatch, db_path, actor="ngo1@partner.se")
    assert not at.exception
    assert picker.calls and picker.calls[-1]["key"] == "rapportera_map"
    assert any("59.30780, 18.07630" in c.value for c in at.caption)  # the tapped point is shown
    at.radio(key="rapportera_kind.sv").set_value("encampment")
    at.number_input(key="rapportera_people").set_value(5)
    at.text_area(key="rapportera_message").set_value("Tre tält, ring 070-123 45 67")
    at.button[0].click().run()
    assert not at.exception
    assert at.success and "Rapport nr 1" in at.success[0].value
    assert at.warning and "1 identifierande" in at.warning[0].value
    assert not at.error  # not acute: no call notice
    cur = store.cursor(db_path)
    assert _rows(cur) == [("ngo1@partner.se", *SKANSTULL, "encampment", 5, False, [],
                           "Tre tält, ring [borttaget]", "new")]
    own = at.dataframe[0].value
    assert list(own["Nr"]) == [1] and list(own["Status"]) == ["ny"]


def test_acute_shows_the_socialjouren_number_at_once_and_after_sending(monkeypatch, db_path, picker):
    cur = store.cursor(db_path)
    settings.save(cur, {"socialjouren_phone": "08-123 456 00"}, actor="admin")
    at = open_page(monkeypatch, db_path)
    at.radio(key="rapportera_mode.sv").set_value("coords").run()
    assert not at.error
    at.toggle(key="rapportera_acute").set_value(True).run()
    assert len(at.error) == 1 and "08\\-123 456 00" in at.error[0].value  # ui.plain escapes the hyphen
    assert "Socialjouren" in at.error[0].value
    at.multiselect(key="rapportera_acute_kinds.sv").set_value(["child_at_risk"]).run()
    at.text_input(key="rapportera_coords").set_value("59.3078, 18.0763")
    at.button[0].click().run()
    assert not at.exception and at.success
    assert len(at.error) == 2 and all("Socialjouren" in e.value for e in at.error)
    assert _rows(cur)[0][5:7] == (True, ["child_at_risk"])


def test_a_point_outside_the_service_area_is_refused_with_a_message(monkeypatch, db_path, picker):
    store.cursor(db_path)
    at = open_page(monkeypatch, db_path)
    at.radio(key="rapportera_mode.sv").set_value("coords").run()
    at.text_input(key="rapportera_coords").set_value("57.7089, 11.9746")  # Gothenburg
    at.button[0].click().run()
    assert not at.exception and not at.success
    assert "utanför teamets område" in at.error[0].value
    assert store.cursor(db_path).execute("SELECT count(*) FROM partner_reports").fetchone()[0] == 0


def test_a_partner_sees_only_their_own_reports_and_no_coordinates(monkeypatch, db_path, picker):
    cur = store.cursor(make_db(db_path))  # the team's places: Tantolunden, Hötorget, ...
    reports.create_report(cur, reports.ReportForm(kind="encampment", point=SKANSTULL, people=3,
                                                  description="Skanstullsbron"), "ngo1@partner.se")
    reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=(59.3127, 18.0493),
                                                  description="Tantolunden"), "ngo2@partner.se")
    reports.set_status(cur, 1, "seen", "lead")
    at = open_page(monkeypatch, db_path, actor="ngo1@partner.se", partner=True)
    assert not at.exception
    assert len(at.dataframe) == 1  # only "my reports": no inbox for a partner
    own = at.dataframe[0].value
    assert list(own["Nr"]) == [1] and list(own["Status"]) == ["sedd"] and list(own["Personer"]) == ["3"]
    shown = own.to_csv() + " ".join(str(e.value) for e in (*at.markdown, *at.caption, *at.subheader))
    assert not COORDINATE.search(shown), shown
    for name in ("Tantolunden", "Hötorget", "Skanstullsbron", "Kungsträdgården"):
        assert name not in shown
    assert "Inkomna rapporter" not in [s.value for s in at.subheader]


def test_staff_see_the_inbox_and_change_a_status(monkeypatch, db_path, picker):
    cur = store.cursor(make_db(db_path))
    reports.create_report(cur, reports.ReportForm(kind="encampment", point=SKANSTULL, message="Barn " + EVIL,
                                                  acute=True, acute_kinds=["child_at_risk"]), "ngo1@partner.se")
    at = open_page(monkeypatch, db_path, actor="lead@stad.se")
    assert not at.exception
    inbox = at.dataframe[-1].value
    assert list(inbox["Från"]) == ["ngo1@partner.se"] and list(inbox["Meddelande"]) == ["Barn " + EVIL]
    assert list(inbox["Akut"]) == ["ja: barn i riskzonen"] and list(inbox["Var"]) == ["59.30780, 18.07630"]
    at.selectbox(key="rapportera_new_status.sv").set_value("seen")
    next(b for b in at.button if b.label == "Spara status").click().run()
    assert not at.exception
    assert any("ny → sedd" in s.value for s in at.success)
    assert cur.execute("SELECT status, status_by FROM partner_reports").fetchone() == ("seen", "lead@stad.se")
    assert cur.execute("SELECT actor, details FROM audit WHERE action = 'report_status'").fetchone() == (
        "lead@stad.se", '{"report_id": 1, "before": "new", "after": "seen"}')


def test_the_map_page_gets_the_open_reports_as_their_own_layer_with_escaped_tooltips(monkeypatch, db_path):
    recorder = MapRecorder()
    monkeypatch.setattr(ui, "show_map", recorder)
    cur = store.cursor(make_db(db_path))
    reports.create_report(cur, reports.ReportForm(kind="encampment", point=SKANSTULL, people=4, message=EVIL,
                                                  description="<b>bron</b>"), "ngo1@partner.se")
    closed = reports.create_report(cur, reports.ReportForm(kind="sleeping_place", point=(59.3127, 18.0493)), "ngo")
    reports.set_status(cur, closed.report_id, "closed", "lead")
    monkeypatch.setenv("OUTREACH_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    places_group, report_group = recorder.calls[-1]["groups"]
    assert len(MapRecorder.last_layer_of(places_group)) == 5
    markers = [c for c in report_group._children.values() if isinstance(c, folium.Marker)]
    assert len(markers) == 1  # the closed report is not drawn
    assert markers[0].location == list(SKANSTULL)
    (tooltip,) = [c for c in markers[0]._children.values() if isinstance(c, folium.Tooltip)]
    assert html.escape(EVIL) in tooltip.text and EVIL not in tooltip.text
    assert "&lt;b&gt;bron&lt;/b&gt;" in tooltip.text and "Rapporterad, ännu inte besökt" in tooltip.text
    legend = "".join(md.value for md in at.markdown)
    assert "Rapporter från partner" in legend and maps.REPORT_COLOUR in legend
    # filtered to sleeping places only, the encampment report goes too
    at.multiselect(key="karta_kinds.sv").set_value(["sleeping_place"]).run()
    assert len(recorder.calls[-1]["groups"]) == 1
