"""The Planera pass page in AppTest on a real DuckDB file, with ui.show_map patched: what the map
is given (one feature group per pair with its numbered stops and line), the tables, the errors,
saving a plan and the comparison with the visits logged afterwards."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import folium
import pytest
from streamlit.testing.v1 import AppTest

import ui
from geo import store
from route_data import make_route_db
from test_page_map import MapRecorder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> MapRecorder:
    rec = MapRecorder()
    monkeypatch.setattr(ui, "show_map", rec)
    return rec


def page(monkeypatch, path: Path, lang: str = "sv") -> AppTest:
    monkeypatch.setenv("OUTREACH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "pass.py"), default_timeout=90)
    at.session_state["lang"] = lang
    return at.run()


def children(group: folium.FeatureGroup, kind: type) -> list:
    return [c for c in group._children.values() if isinstance(c, kind)]


def test_plan_two_pairs_and_what_the_map_gets(monkeypatch, db_path, recorder):
    make_route_db(db_path)
    at = page(monkeypatch, db_path)
    assert not at.exception
    assert recorder.calls == []  # no plan yet, no map
    at.date_input(key="pass_date").set_value(date(2031, 3, 4))  # a future Tuesday: ranked at 18:00 then
    at.button(key="pass_submit").click().run()
    assert not at.exception and not at.error
    groups = recorder.calls[-1]["groups"]
    assert [g.layer_name for g in groups] == ["route_base", "route_pair_1", "route_pair_2", "route_left_out"]
    assert recorder.calls[-1]["key"] == "pass_map"
    # The view moves to the routes: every stop lies within the map's width at that zoom.
    (c_lat, c_lon), zoom = recorder.calls[-1]["center"], recorder.calls[-1]["zoom"]
    half_width_deg = 700 / 2 * 360 / (256 * 2 ** zoom)
    stops = [loc for g in groups[1:3] for loc in children(g, folium.PolyLine)[0].locations]
    assert 10 <= zoom <= 16 and all(abs(lon - c_lon) <= half_width_deg for _, lon in stops)
    assert all(abs(lat - c_lat) <= half_width_deg for lat, _ in stops)
    tables = [d.value for d in at.dataframe]
    for pair_group, table in zip(groups[1:3], tables[:2]):
        markers = children(pair_group, folium.Marker)
        assert len(markers) == len(table) > 0
        numbers = [m.icon.options["html"].rsplit(">", 2)[-2].split("<")[0] for m in markers]
        assert numbers == [str(i) for i in range(1, len(markers) + 1)]  # numbered stops, in order
        (line,) = children(pair_group, folium.PolyLine)
        assert len(line.locations) == len(table) + 2  # start, stops, back
        assert list(table["Nr"]) == list(range(1, len(table) + 1))
        assert all(len(a) == 5 and a.startswith(("18", "19", "20", "21")) for a in table["Ankomst"])
    colours = {children(g, folium.PolyLine)[0].options["color"] for g in groups[1:3]}
    assert len(colours) == 2
    # every tooltip with a place name is escaped
    html_text = "".join(tip.text for g in groups[1:3] for m in children(g, folium.Marker)
                        for tip in children(m, folium.Tooltip))
    assert "&lt;img src=x" in html_text and "<img" not in html_text  # never visited: it is in the plan
    assert at.metric[1].value == str(sum(len(t) for t in tables[:2]))
    assert len(at.get("link_button")) >= 2


def test_errors_are_messages_not_tracebacks(monkeypatch, db_path, recorder):
    make_route_db(db_path)
    at = page(monkeypatch, db_path)
    at.number_input(key="pass_pairs").set_value(10)
    at.button(key="pass_submit").click().run()
    assert not at.exception
    assert "Fler par (10) än platser att besöka (8)" in at.error[0].value
    at.number_input(key="pass_pairs").set_value(2)
    at.number_input(key="pass_hours").set_value(0.5)
    at.selectbox(key="pass_mode.sv").set_value("walk")
    at.radio(key="pass_where.sv").set_value("place").run()
    at.button(key="pass_submit").click().run()
    assert "Välj först var passet startar" in at.error[0].value
    at.session_state["lang"] = "en"
    at.run()
    at.button(key="pass_submit").click().run()
    assert "First choose where the shift starts" in at.error[0].value


def test_empty_database_says_there_is_nothing_to_plan(monkeypatch, db_path, recorder):
    store.cursor(db_path)
    at = page(monkeypatch, db_path, "en")
    at.button(key="pass_submit").click().run()
    assert not at.exception
    assert "There are no places to plan" in at.error[0].value
    assert any("No saved plans yet" in i.value for i in at.info)


def test_save_a_plan_and_compare_it_with_the_visits_logged(monkeypatch, db_path, recorder):
    make_route_db(db_path)
    at = page(monkeypatch, db_path)  # today's evening: Gamla stan (visited two days ago) is not overdue
    at.time_input(key="pass_time").set_value(time(18, 0))
    at.button(key="pass_submit").click().run()
    at.button(key="pass_save").click().run()
    assert not at.exception
    assert "Planen är sparad" in at.success[0].value
    cur = store.cursor(db_path)
    ((plan_id, starts_at),) = cur.execute("SELECT plan_id, starts_at FROM route_plans").fetchall()
    first = cur.execute("SELECT place_id FROM route_plan_stops WHERE plan_id = ? AND pair = 1 AND seq = 1",
                        [plan_id]).fetchone()[0]
    cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift) VALUES (?, ?, ?, 'evening')",
                ["done-1", first, starts_at + timedelta(minutes=20)])
    cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift) VALUES (?, ?, ?, 'evening')",
                ["off-1", "r9", starts_at + timedelta(minutes=40)])
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    planned = int(metrics["Planerade stopp"])
    assert metrics["Besökta enligt plan"] == "1" and int(metrics["Inte besökta"]) == planned - 1
    assert metrics["Besökta utanför planen"] == "1"
    assert "Gamla stan" in list(at.dataframe[-1].value["Plats"])
    actions = [a for (a,) in cur.execute("SELECT action FROM audit ORDER BY audit_id").fetchall()]
    assert "route_plan_save" in actions
