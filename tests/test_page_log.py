"""The log-a-visit page in AppTest on real DuckDB files, with `ui.pick_point` patched.

The form is filled through AppTest's widgets and submitted; the tests then read the
visit back from the database and check the message the user sees.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import ui
from geo import store

ROOT = Path(__file__).resolve().parents[1]
TENSTA = (59.3943, 17.9011)


def make_db(path: Path) -> Path:
    cur = store.cursor(path)
    for place_id, name, kind, lat, lon in [("p-hot", "Hötorget", "encampment", 59.3349, 18.0631),
                                           ("p-tan", "Tantolunden", "sleeping_place", 59.3127, 18.0493)]:
        cur.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                    [place_id, name, name.lower(), kind, lat, lon, store.utcnow() - timedelta(days=30)])
    return path


class PickRecorder:
    """Stands in for ui.pick_point: records the calls and answers with a tapped point."""

    def __init__(self, point: tuple[float, float] | None = None) -> None:
        self.point = point
        self.calls: list[dict[str, Any]] = []

    def __call__(self, m, feature_groups, key, **kwargs) -> tuple[float, float] | None:
        self.calls.append({"map": m, "groups": feature_groups, "key": key, **kwargs})
        return self.point


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> PickRecorder:
    rec = PickRecorder()
    monkeypatch.setattr(ui, "pick_point", rec)
    monkeypatch.setattr(ui, "show_map", lambda *a, **k: None)
    return rec


def open_page(monkeypatch: pytest.MonkeyPatch, path: Path, lang: str = "sv") -> AppTest:
    """The page on its own, with the language the sidebar switch would have set.

    (AppTest's switch_page runs only the page file, not dashboard.py around it, and then
    drops the switch's "lang" state; so the page runs alone with the state it needs.)
    """
    monkeypatch.setenv("OUTREACH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app_pages" / "logga.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def fill(at: AppTest, *, when=(date(2025, 11, 4), time(21, 30)), people=None, children=None, notes="") -> None:
    at.date_input(key="logga_date").set_value(when[0])
    at.time_input(key="logga_time").set_value(when[1])
    if people is not None:
        at.number_input(key="logga_people").set_value(people)
    if children is not None:
        at.number_input(key="logga_children").set_value(children)
    at.text_area(key="logga_notes").set_value(notes)


def submit(at: AppTest, label: str = "Spara besöket") -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception
    return at


def shown(markdown: str) -> str:
    """A message as the user reads it: the page escapes Markdown punctuation in user text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def visits(path: Path) -> list[tuple]:
    return store.cursor(path).execute(
        "SELECT place_id, visited_at, shift, people, children, acute, referred_to, notes FROM visits"
    ).fetchall()


def test_log_a_visit_at_a_known_place(monkeypatch, db_path, picker):
    at = open_page(monkeypatch, make_db(db_path))
    assert at.subheader[0].value == "Logga ett besök"
    place = at.selectbox(key="logga_place.sv")
    assert place.options == ["Hötorget (boplats)", "Tantolunden (sovplats)"]
    place.set_value("p-hot")
    fill(at, people=4, children=1, notes="ring 070-123 45 67")
    at.toggle(key="logga_acute").set_value(True)
    at.selectbox(key="logga_referred.sv").set_value("socialjouren")
    submit(at)
    assert [shown(s.value) for s in at.success] == ["Besöket vid Hötorget är sparat (kväll, 2025-11-04 21:30)."]
    # the phone number was removed, and the user is told
    assert any("1 identifierande" in w.value for w in at.warning)
    assert visits(db_path) == [("p-hot", datetime(2025, 11, 4, 20, 30), "evening", 4, 1, True, "socialjouren",
                                "ring [borttaget]")]
    assert not picker.calls  # list mode draws no map
    # pressing again gives a duplicate, not a second visit
    submit(at)
    assert any("fanns redan" in i.value for i in at.info)
    assert len(visits(db_path)) == 1


def test_a_bad_form_shows_the_reason_and_stores_nothing(monkeypatch, db_path, picker):
    at = open_page(monkeypatch, make_db(db_path))
    at.radio(key="logga_mode.sv").set_value("coords").run()
    at.text_input(key="logga_lat").set_value(str(TENSTA[0]))
    at.text_input(key="logga_lon").set_value(str(TENSTA[1]))
    fill(at, people=1, children=3)
    submit(at)
    (error,) = at.error
    assert shown(error.value) == "Besöket sparades inte: fler barn (3) än personer."
    assert visits(db_path) == []
    # a date in the future, in English
    at.session_state["lang"] = "en"
    at.run()
    fill(at, when=(date.today() + timedelta(days=2), time(12, 0)))
    at.number_input(key="logga_children").set_value(0)
    submit(at, "Save the visit")
    (error,) = at.error
    assert "was not saved" in error.value and "in the future" in shown(error.value)


def test_pick_on_the_map_makes_a_new_place(monkeypatch, db_path, picker):
    at = open_page(monkeypatch, make_db(db_path))
    picker.point = TENSTA
    at.radio(key="logga_mode.sv").set_value("map").run()
    assert not at.exception
    assert picker.calls[-1]["key"] == "logga_map" and picker.calls[-1]["height"] == 300
    # the picked point is drawn as a layer on the constant base map, and shown as text
    (group,) = picker.calls[-1]["groups"]
    assert len(group._children) == 1
    assert any("59.39430, 17.90110" in c.value for c in at.caption)
    at.text_input(key="logga_name").set_value("Tensta bro")
    at.radio(key="logga_kind.sv").set_value("sovplats")
    fill(at, people=0)
    submit(at)
    assert "Tensta bro" in shown(at.success[0].value)
    assert any("ny plats" in i.value for i in at.info)
    cur = store.cursor(db_path)
    assert cur.execute("SELECT name, kind FROM places WHERE place_id NOT IN ('p-hot', 'p-tan')").fetchall() == [
        ("Tensta bro", "sleeping_place")]
    assert cur.execute("SELECT people FROM visits").fetchall() == [(0,)]


def test_english_labels(monkeypatch, db_path, picker):
    at = open_page(monkeypatch, make_db(db_path), lang="en")
    assert at.subheader[0].value == "Log a visit"
    assert at.selectbox(key="logga_place.en").options == ["Hötorget (encampment)", "Tantolunden (sleeping place)"]
    assert at.number_input(key="logga_people").label == "People"
    assert any(b.label == "Save the visit" for b in at.button)


def test_database_busy_is_a_clear_message(monkeypatch, db_path, picker):
    at = open_page(monkeypatch, make_db(db_path))
    at.selectbox(key="logga_place.sv").set_value("p-hot")
    fill(at)

    def busy(*args, **kwargs):
        raise store.DatabaseInUseError("locked")

    from geo import visit_form
    monkeypatch.setattr(visit_form, "log_visit", busy)
    submit(at)
    assert any("används av en annan process" in e.value for e in at.error)
    assert visits(db_path) == []


def test_the_dashboard_registers_the_page(monkeypatch, db_path, picker):
    monkeypatch.setenv("OUTREACH_DB", str(make_db(db_path)))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("app_pages/logga.py").run()  # raises ValueError unless st.navigation has the page
    assert not at.exception
    assert at.subheader[0].value == "Logga ett besök"
