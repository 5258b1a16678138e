"""geo.routes, geo.route_exports, geo.route_plans on real Stockholm coordinates and real DuckDB files.

Every plan is checked against an independent recomputation of its times from geo.coords'
scalar haversine: no pair over its shift (the way back included), no place twice, must-visits
in or reported.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import gpxpy
import pandas as pd
import pytest

from conftest import ROOT, SHARED_STOCKHOLM
from geo import route_exports, route_plans, routes, settings, store
from geo.config import STOCKHOLM
from geo.coords import haversine_m, haversine_matrix_m
from route_data import EVIL, PLACES, T_CENTRALEN, make_route_db

START = datetime(2025, 3, 4, 18, 0, tzinfo=STOCKHOLM)
# The shared data lies beside the project (../shared); from a git worktree one level further up.
CANDIDATES_CSV = next((d for d in (SHARED_STOCKHOLM, ROOT.parents[1] / "shared" / "data" / "stockholm")
                       if d.exists()), SHARED_STOCKHOLM) / "outreach_candidate_places.csv"


def frame_of(places=PLACES) -> pd.DataFrame:
    """Candidates as routes.candidates gives them, urgency falling with the list."""
    return pd.DataFrame({
        "place_id": [p[0] for p in places], "name": [p[1] for p in places], "kind": [p[2] for p in places],
        "lat": [p[3] for p in places], "lon": [p[4] for p in places],
        "urgency_score": [round(5.0 - 0.3 * i, 2) for i in range(len(places))],
    })


def real_candidates() -> pd.DataFrame:
    if not CANDIDATES_CSV.exists():
        pytest.skip(f"the shared Stockholm data is absent ({CANDIDATES_CSV})")
    raw = pd.read_csv(CANDIDATES_CSV)
    kinds = ["sleeping_place", "encampment", "other"]
    return pd.DataFrame({
        "place_id": [f"s{i}" for i in range(len(raw))], "name": raw["name"], "kind": [kinds[i % 3] for i in range(len(raw))],
        "lat": raw["lat"], "lon": raw["lon"], "urgency_score": [round(1 + (i * 37 % 23) / 5, 2) for i in range(len(raw))],
    })


def leg_seconds(a: tuple[float, float], b: tuple[float, float], mode: str) -> float:
    """Independent of the planner's matrix code: one leg from the scalar haversine."""
    m = routes.MODES[mode]
    d = haversine_m(*a, *b) * routes.DETOUR_FACTOR
    walk = d / (routes.WALK_KMH / 3.6)
    return walk if mode == "walk" else min(walk, d / (m.speed_kmh / 3.6) + m.fixed_min * 60)


def assert_feasible(plan: routes.Plan, candidates: pd.DataFrame) -> None:
    request = plan.request
    seen: list[str] = []
    for route in plan.routes:
        here, clock = request.start_point, 0.0
        for stop in route.stops:
            clock += leg_seconds(here, (stop.lat, stop.lon), request.mode)
            arrival = (stop.arrival.astimezone(UTC) - request.start.astimezone(UTC)).total_seconds()
            assert abs(arrival - clock) <= len(seen) + 60, (stop.name, arrival, clock)  # ceil per leg at most
            clock = arrival + stop.minutes * 60
            assert stop.minutes == request.stop_minutes[stop.kind]
            here = (stop.lat, stop.lon)
            seen.append(stop.place_id)
        clock += leg_seconds(here, request.end, request.mode)
        assert clock <= request.hours * 3600 + 1, (route.pair, clock)
        assert route.minutes <= request.hours * 60
    assert len(seen) == len(set(seen)), "a place is visited twice"
    left = [item.place_id for item in plan.left_out]
    assert sorted(seen + left) == sorted(candidates["place_id"])  # every candidate accounted for once
    for place_id in request.must_visit:
        assert place_id in seen or any(i.place_id == place_id and i.must for i in plan.left_out)


def request(**kw) -> routes.PlanRequest:
    return routes.PlanRequest(**{"start": START, "start_point": T_CENTRALEN, **kw})


def test_haversine_matrix_matches_the_scalar_formula():
    lat = [p[3] for p in PLACES]
    lon = [p[4] for p in PLACES]
    matrix = haversine_matrix_m(lat, lon)
    for i in range(len(lat)):
        for j in range(len(lat)):
            assert matrix[i, j] == pytest.approx(haversine_m(lat[i], lon[i], lat[j], lon[j]), abs=1e-6)
    # T-Centralen to Slussen is about 1.5 km as the crow flies
    assert 1200 < haversine_m(*T_CENTRALEN, 59.3195, 18.0719) < 1700


@pytest.mark.parametrize("mode", ["walk", "transit", "car"])
def test_plans_on_real_stockholm_places_are_feasible(mode):
    candidates = real_candidates()
    plan = routes.plan_routes(candidates, request(mode=mode, pairs=2, hours=3))
    assert_feasible(plan, candidates)
    assert all(route.stops for route in plan.routes)
    assert {item.reason for item in plan.left_out} <= {"too_far", "time"}


def test_three_pairs_with_another_end_point_and_long_stops_are_feasible():
    candidates = real_candidates()
    slussen = (59.3195, 18.0719)
    plan = routes.plan_routes(candidates, request(pairs=3, hours=2.5, end_point=slussen,
                                                  stop_minutes={"sleeping_place": 20, "encampment": 40, "other": 5}))
    assert_feasible(plan, candidates)
    assert len(plan.routes) == 3


def test_the_same_inputs_give_the_same_plan():
    candidates = real_candidates()
    one = routes.plan_routes(candidates, request(pairs=2, hours=4))
    two = routes.plan_routes(candidates.copy(), request(pairs=2, hours=4))
    assert [[(s.place_id, s.arrival) for s in r.stops] for r in one.routes] == \
        [[(s.place_id, s.arrival) for s in r.stops] for r in two.routes]
    assert one.left_out == two.left_out


def test_the_planner_collects_at_least_what_the_naive_plan_does():
    candidates = real_candidates()
    req = request(pairs=2, hours=4)
    naive = routes.naive_routes(candidates, req)
    plan = routes.plan_routes(candidates, req)
    assert plan.urgency >= routes.urgency_of(candidates, [p for r in naive for p in r])


def test_skip_and_must_visit_and_reasons():
    candidates = frame_of()
    # Tantolunden (r8) must be visited though it ranks low; Hötorget (r1), the most urgent, is skipped.
    plan = routes.plan_routes(candidates, request(pairs=1, hours=1.5, must_visit=frozenset({"r8"}),
                                                  skip=frozenset({"r1"})))
    assert_feasible(plan, candidates)
    assert "r8" in plan.stop_ids() and "r1" not in plan.stop_ids()
    reasons = {item.place_id: item.reason for item in plan.left_out}
    assert reasons["r1"] == "skipped"
    assert reasons["r7"] == "too_far"  # Skanstull's encampment: 2 x 45 min on foot + 25 min > 1.5 h
    assert set(reasons.values()) == {"skipped", "too_far", "time"}
    assert plan.must_missing == ()


def test_a_must_visit_that_cannot_fit_is_reported():
    candidates = frame_of()
    # 40 minutes on foot: Tantolunden (r8) alone is 2 x ~2 km + 10 min, out of reach.
    plan = routes.plan_routes(candidates, request(pairs=1, hours=40 / 60, must_visit=frozenset({"r8", "r2"})))
    assert_feasible(plan, candidates)
    missing = {item.place_id: item.reason for item in plan.must_missing}
    assert missing == {"r8": "too_far"}
    assert "r2" in plan.stop_ids()
    # Hötorget (about 45 min out, stay and back) and Kungsträdgården (about 34) fit alone in
    # 45 minutes, not together
    plan = routes.plan_routes(candidates, request(pairs=1, hours=0.75, must_visit=frozenset({"r1", "r2"})))
    assert_feasible(plan, candidates)
    assert len(plan.must_missing) == 1 and plan.must_missing[0].reason == "time"
    assert len(plan.stop_ids()) == 1 and plan.stop_ids()[0] in {"r1", "r2"}


@pytest.mark.parametrize(("kwargs", "key", "sv", "en"), [
    ({"start_point": (59.8586, 17.6389)}, "route_err_outside", "utanför serviceområdet", "outside the service area"),
    ({"hours": 0.1}, "route_err_too_short", "räcker inte till en enda plats", "too short for a single place"),
    ({"pairs": 12}, "route_err_pairs_range", "mellan 1 och", "between 1 and"),
    ({"mode": "boat"}, "route_err_mode", "Okänt färdsätt", "Unknown mode"),
])
def test_bad_input_is_a_clear_message(kwargs, key, sv, en):
    with pytest.raises(routes.RouteError) as err:
        routes.plan_routes(frame_of(), request(**kwargs))
    assert err.value.key == key
    assert sv in err.value.message("sv") and en in err.value.message("en")
    assert " / " in str(err.value)


def test_no_candidates_and_more_pairs_than_places():
    with pytest.raises(routes.RouteError) as err:
        routes.plan_routes(frame_of()[:0], request())
    assert err.value.key == "route_err_no_candidates"
    with pytest.raises(routes.RouteError) as err:
        routes.plan_routes(frame_of(), request(skip=frozenset(p[0] for p in PLACES)))
    assert err.value.key == "route_err_no_candidates"
    with pytest.raises(routes.RouteError) as err:
        routes.plan_routes(frame_of()[:3], request(pairs=4))
    assert err.value.key == "route_err_more_pairs"
    assert "Fler par (4) än platser att besöka (3)" in err.value.message("sv")


def test_candidates_are_the_overdue_places_plus_must_visits(cur, db_path):
    make_route_db(db_path)
    now = store.utcnow()
    pool = routes.candidates(cur, now=now)
    assert "r9" not in set(pool["place_id"])  # Gamla stan was visited two days ago
    assert set(pool["place_id"]) == {p[0] for p in PLACES} - {"r9"}
    assert pool["place_id"].iloc[0] == "r4"  # never visited ranks first
    assert "r9" in set(routes.candidates(cur, must_visit={"r9"}, now=now)["place_id"])


def test_gpx_parses_back_with_every_stop_and_escaped_names():
    candidates = frame_of()
    plan = routes.plan_routes(candidates, request(pairs=2, hours=2))
    text = route_exports.to_gpx(plan, "sv")
    parsed = gpxpy.parse(text)
    assert len(parsed.routes) == 2
    for rte, route in zip(parsed.routes, plan.routes):
        assert rte.name == f"Par {route.pair}"
        assert len(rte.points) == len(route.stops) + 2  # start, stops, back
        assert [p.name for p in rte.points[1:-1]] == [f"{i}. {s.name}" for i, s in enumerate(route.stops, 1)]
        assert (rte.points[0].latitude, rte.points[0].longitude) == T_CENTRALEN
    root = ET.fromstring(text.encode("utf-8"))  # well-formed XML, GPX 1.1 namespace
    assert root.tag == "{http://www.topografix.com/GPX/1/1}gpx" and root.get("version") == "1.1"
    assert EVIL in [p.name.split(". ", 1)[1] for r in parsed.routes for p in r.points[1:-1]]


def test_maps_links_split_into_legs_of_three_waypoints():
    candidates = real_candidates()
    plan = routes.plan_routes(candidates, request(pairs=1, hours=4))
    (route,) = plan.routes
    links = route_exports.maps_links(plan, route)
    points = [T_CENTRALEN, *[(s.lat, s.lon) for s in route.stops], T_CENTRALEN]
    chain: list[str] = []
    for link in links:
        query = {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
        assert link.startswith("https://www.google.com/maps/dir/?") and query["api"] == "1"
        assert query["travelmode"] == "walking"
        waypoints = query["waypoints"].split("|") if "waypoints" in query else []
        assert len(waypoints) <= route_exports.MAPS_WAYPOINTS_PER_LINK
        if chain:
            assert query["origin"] == chain[-1]  # each leg starts where the last ended
        chain += ([query["origin"]] if not chain else []) + waypoints + [query["destination"]]
    assert chain == [f"{lat:.6f},{lon:.6f}" for lat, lon in points]
    assert len(links) == math.ceil((len(points) - 1) / (route_exports.MAPS_WAYPOINTS_PER_LINK + 1))


def test_print_page_csv_and_json():
    candidates = frame_of()
    plan = routes.plan_routes(candidates, request(pairs=2, hours=2))
    page = route_exports.print_html(plan, "sv", ["#0072B2", "#D55E00"])
    assert page.count('<section class="pair">') == 2
    assert "page-break-after:always" in page and "break-after:page" in page
    assert "<img" not in page and "&lt;img src=x" in page
    csv_text = route_exports.plan_csv(plan, "en")
    assert csv_text.splitlines()[0].startswith("Pair,No.,Arrival,Place")
    if "r4" in plan.stop_ids():  # the place named EVIL
        assert "'=<img" in csv_text
    data = route_exports.plan_json(plan)
    assert [len(r["stops"]) for r in data["routes"]] == [len(r.stops) for r in plan.routes]
    first = data["routes"][0]["stops"][0]
    assert set(first) >= {"name", "lat", "lon", "arrival", "urgency"}
    assert datetime.fromisoformat(first["arrival"]).utcoffset() == timedelta(hours=1)  # Stockholm in March
    assert {"minutes", "km"} <= set(data["routes"][0]) and isinstance(data["left_out"], list)
    json.dumps(data)


def test_arrival_times_cross_the_dst_switch_in_stockholm_time():
    # 2025-03-30 02:00 CET -> 03:00 CEST; a night shift from 01:30 for three hours
    start = datetime(2025, 3, 30, 1, 30, tzinfo=STOCKHOLM)
    plan = routes.plan_routes(frame_of(), request(start=start, pairs=1, hours=3))
    utc_start = start.astimezone(UTC)
    for stop in plan.routes[0].stops:
        elapsed = (stop.arrival.astimezone(UTC) - utc_start).total_seconds()
        assert 0 < elapsed < 3 * 3600
    back = plan.routes[0].back_at
    assert back.utcoffset() == timedelta(hours=2)  # summer time by then
    elapsed = (back.astimezone(UTC) - utc_start).total_seconds()
    assert plan.routes[0].minutes * 60 - 60 < elapsed <= plan.routes[0].minutes * 60 <= 3 * 3600


def test_saved_plan_against_the_visits_logged(cur, db_path):
    make_route_db(db_path)
    pool = routes.candidates(cur, now=store.utcnow())
    plan = routes.plan_routes(pool, request(pairs=2, hours=2))
    plan_id = route_plans.save_plan(cur, plan, "evening", actor="lead")
    stops = [s for r in plan.routes for s in r.stops]
    assert len(stops) >= 3
    start_utc = START.astimezone(UTC).replace(tzinfo=None)  # 18:00 CET = 17:00 UTC
    visits = [
        (stops[0].place_id, start_utc + timedelta(minutes=30)),     # planned and done
        (stops[1].place_id, start_utc + timedelta(hours=2, minutes=50)),  # done, within the slack after the end
        (stops[2].place_id, start_utc - timedelta(hours=3)),        # done, but hours before the shift
        ("r9", start_utc + timedelta(hours=1)),                     # off-plan (Gamla stan)
    ]
    for i, (pid, at) in enumerate(visits):
        cur.execute("INSERT INTO visits (visit_id, place_id, visited_at, shift) VALUES (?, ?, ?, 'evening')",
                    [f"shift-{i}", pid, at])
    result = route_plans.compare(cur, plan_id)
    assert set(result.visited["place_id"]) == {stops[0].place_id, stops[1].place_id}
    assert stops[2].place_id in set(result.missed["place_id"])
    assert len(result.visited) + len(result.missed) == len(stops) == result.planned
    assert list(result.off_plan["place_id"]) == ["r9"] and list(result.off_plan["name"]) == ["Gamla stan"]
    saved = route_plans.list_plans(cur)
    assert list(saved["plan_id"]) == [plan_id] and int(saved["stops"][0]) == len(stops)
    audit = cur.execute("SELECT actor, details FROM audit WHERE action = 'route_plan_save'").fetchall()
    assert audit[0][0] == "lead" and json.loads(audit[0][1])["plan_id"] == plan_id
    with pytest.raises(route_plans.UnknownPlanError):
        route_plans.compare(cur, "plan-nope")


def test_stop_minutes_and_route_base_settings(cur):
    assert settings.stop_minutes(cur) == {"sleeping_place": 10, "encampment": 25, "other": 10}
    assert settings.route_base(cur) == T_CENTRALEN
    settings.save(cur, {"stop_minutes.encampment": 30}, actor="lead")
    assert settings.stop_minutes(cur)["encampment"] == 30
    change = settings.save_route_base(cur, "59.3195, 18.0719", actor="lead")
    assert change is not None and settings.route_base(cur) == (59.3195, 18.0719)
    for bad in ("Slussen", "59.86, 17.64"):  # not numbers; Uppsala is outside the service area
        with pytest.raises(settings.SettingsError):
            settings.save_route_base(cur, bad, actor="lead")
    settings.reset(cur, actor="lead")
    assert settings.route_base(cur) == T_CENTRALEN and settings.stop_minutes(cur)["encampment"] == 25


def test_shift_start_defaults():
    assert routes.shift_start(date(2025, 3, 4), "evening") == START
    assert routes.SHIFT_NAMES["kväll"] == "evening" and routes.SHIFT_NAMES["helg"] == "weekend"
