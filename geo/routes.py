"""Patrol planning (issue 5): routes for a shift's pairs that visit the most urgent places in time.

This is the prize-collecting vehicle routing problem: every pair is a vehicle that leaves the
start point at the shift's start and must be back at the end point within the shift; every
candidate place has a prize, its urgency score from geo.urgency (so any later change to the
score flows in here), and the solver chooses which places to visit and in which order so that
the urgency collected is as large as possible. OR-Tools' routing library does the search:
one AddDisjunction per place whose penalty is the place's scaled urgency, a time dimension
whose capacity is the shift length, and travel time as the arc cost (a tie-breaker only:
the prize weight makes a hundredth of urgency worth more than all travel of all pairs).

Distances are straight lines (haversine, geo.coords) times DETOUR_FACTOR, not a street or
timetable network: a plan is an estimate, and the page says so.

Determinism: the same inputs give the same plan. The search stops after a fixed number of
solutions (`Search.solution_limit`), not after a wall-clock time; the time limit is only a
backstop far above what the limit takes (see scripts/bench_routes.py), so it never decides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from geo import config
from geo.coords import haversine_matrix_m
from geo.texts import TextError

# --- assumptions, documented in the README and on the page ---------------------------------

# Streets, bridges and water make the walked way longer than the straight line. Measured
# circuity of urban street networks is about 1.2-1.4; Stockholm's islands and shores push it
# to the upper end, so 1.3 is used for every mode.
DETOUR_FACTOR = 1.3


@dataclass(frozen=True)
class Mode:
    """How a pair travels: an effective door-to-door speed on the detoured distance, plus a
    fixed time per leg (waiting for a departure, parking). A leg where walking is quicker is
    walked, as a pair would do."""

    key: str
    speed_kmh: float
    fixed_min: float


WALK_KMH = 4.5
MODES: dict[str, Mode] = {
    "walk": Mode("walk", WALK_KMH, 0.0),
    # SL's metro and buses: about 18 km/h door to door in the inner city including the walk to
    # and from the stop, plus 6 minutes per leg waiting (evening headways of 5-10 minutes).
    "transit": Mode("transit", 18.0, 6.0),
    # A car in Stockholm's streets: about 20 km/h average, plus 5 minutes per leg to park.
    "car": Mode("car", 20.0, 5.0),
}
DEFAULT_MODE = "walk"

# Minutes spent at a place per kind (an encampment means talking to several people); the
# settings (`stop_minutes.<kind>`) override them.
STOP_MINUTES = config.STOP_MINUTES

# When a shift's routes start by default (the lead can change it); the evening shift is when
# people are at their sleeping places.
SHIFT_START: dict[str, time] = {"day": time(9, 0), "evening": time(18, 0), "weekend": time(11, 0)}
DEFAULT_SHIFT = "evening"
# Shift names as a lead types them, Swedish or English.
SHIFT_NAMES: dict[str, str] = {"dag": "day", "day": "day", "kväll": "evening", "kvall": "evening",
                               "evening": "evening", "helg": "weekend", "weekend": "weekend"}

DEFAULT_PAIRS = 2
DEFAULT_HOURS = 4.0
MAX_PAIRS = 10
MAX_HOURS = 12.0

# --- the search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Search:
    """Search parameters. `solution_limit` ends the search deterministically; `time_limit_s` is a
    backstop only (if it ever ends a search, the plan may differ between runs)."""

    solution_limit: int = 80
    time_limit_s: float = 10.0
    # Cheapest-arc paths collect clusters of nearby places; insertion strategies start from the
    # most urgent places wherever they are and stay in that worse optimum (scripts/bench_routes.py).
    first_solution: str = "PATH_CHEAPEST_ARC"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"


DEFAULT_SEARCH = Search()

PRIZE_DECIMALS = 2  # urgency scores have two decimals (geo.urgency rounds them)
MUST_VISIT_FACTOR = 10**6  # a must-visit place is worth a million times an ordinary hundredth


class RouteError(TextError):
    """Input no plan can be made from; `key` names the message in geo.texts (sv and en)."""


@dataclass(frozen=True)
class PlanRequest:
    """What the team lead chooses. `start` is the shift's start in Stockholm time (aware)."""

    start: datetime
    start_point: tuple[float, float]
    hours: float = DEFAULT_HOURS
    pairs: int = DEFAULT_PAIRS
    end_point: tuple[float, float] | None = None  # None: back to the start point
    mode: str = DEFAULT_MODE
    stop_minutes: Mapping[str, int] = field(default_factory=lambda: dict(STOP_MINUTES))
    must_visit: frozenset[str] = frozenset()  # place ids
    skip: frozenset[str] = frozenset()  # place ids
    search: Search = DEFAULT_SEARCH

    @property
    def end(self) -> tuple[float, float]:
        return self.end_point if self.end_point is not None else self.start_point


@dataclass(frozen=True)
class Stop:
    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    arrival: datetime  # Stockholm time
    minutes: int  # spent at the place
    urgency: float
    must: bool
    km_from_previous: float


@dataclass(frozen=True)
class Route:
    pair: int  # 1, 2, …
    stops: tuple[Stop, ...]
    minutes: int  # from leaving the start point until back at the end point
    km: float
    back_at: datetime

    @property
    def urgency(self) -> float:
        return round(sum(s.urgency for s in self.stops), 2)


LEFT_OUT_REASONS = ("skipped", "too_far", "time")


@dataclass(frozen=True)
class LeftOut:
    place_id: str
    name: str
    kind: str
    lat: float
    lon: float
    urgency: float
    reason: str  # skipped: the lead chose it; too_far: cannot fit even alone; time: others were worth more
    must: bool


@dataclass(frozen=True)
class Plan:
    request: PlanRequest
    routes: tuple[Route, ...]
    left_out: tuple[LeftOut, ...]

    @property
    def urgency(self) -> float:
        return round(sum(r.urgency for r in self.routes), 2)

    @property
    def must_missing(self) -> tuple[LeftOut, ...]:
        """Must-visit places that could not be fitted into the shift."""
        return tuple(item for item in self.left_out if item.must)

    def stop_ids(self) -> list[str]:
        return [s.place_id for r in self.routes for s in r.stops]


# --- travel times ----------------------------------------------------------------------------


def distance_matrix_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Estimated way between every two points in metres: haversine times DETOUR_FACTOR."""
    return haversine_matrix_m(lat, lon) * DETOUR_FACTOR


def travel_seconds(distance_m: np.ndarray, mode: Mode) -> np.ndarray:
    """Travel time in whole seconds for a distance matrix (0 on the diagonal)."""
    walk = distance_m / (WALK_KMH / 3.6)
    if mode.key == "walk":
        seconds = walk
    else:
        seconds = np.minimum(walk, distance_m / (mode.speed_kmh / 3.6) + mode.fixed_min * 60)
    out = np.ceil(seconds).astype(np.int64)
    np.fill_diagonal(out, 0)
    return out


# --- candidates ------------------------------------------------------------------------------

CANDIDATE_COLUMNS = ["place_id", "name", "kind", "lat", "lon", "urgency_score"]


def candidates(cur, must_visit: frozenset[str] | set[str] = frozenset(), now: datetime | None = None,
               targets: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The places a plan may visit: every overdue place, plus the must-visit ones (overdue or not),
    most urgent first, with urgency_score from geo.urgency.ranked_places."""
    from geo import settings
    from geo.urgency import ranked_places

    ranked = ranked_places(cur, now=now, targets=targets or settings.targets(cur), only_overdue=False)
    keep = ranked["overdue"].astype(bool) | ranked["place_id"].isin(list(must_visit))
    return ranked.loc[keep, [*CANDIDATE_COLUMNS, "reason_sv", "reason_en"]].reset_index(drop=True)


# --- the planner -----------------------------------------------------------------------------


def check_request(request: PlanRequest, area=None) -> None:
    """RouteError for a request that cannot be planned whatever the candidates."""
    from geo.areas import in_service_area

    if request.mode not in MODES:
        raise RouteError("route_err_mode", mode=request.mode, modes=", ".join(MODES))
    if not 1 <= request.pairs <= MAX_PAIRS:
        raise RouteError("route_err_pairs_range", pairs=request.pairs, high=MAX_PAIRS)
    if not (request.hours > 0 and request.hours <= MAX_HOURS):
        raise RouteError("route_err_hours", hours=request.hours, high=int(MAX_HOURS))
    for point in (request.start_point, request.end):
        lat, lon = point
        if not (math.isfinite(lat) and math.isfinite(lon)) or not in_service_area(lat, lon, area):
            raise RouteError("route_err_outside", lat=round(lat, 5), lon=round(lon, 5))


def plan_routes(candidates: pd.DataFrame, request: PlanRequest, area=None) -> Plan:
    """The plan for a shift: routes per pair and what was left out, with the reason.

    `candidates` has CANDIDATE_COLUMNS (most urgent first, as `candidates()` gives them).
    Raises RouteError for input no plan can be made from (PRODUCT.md: a clear message).
    """
    check_request(request, area)
    frame = candidates.drop_duplicates("place_id").reset_index(drop=True)
    if frame.empty:
        raise RouteError("route_err_no_candidates")
    skipped = frame["place_id"].isin(list(request.skip)) & ~frame["place_id"].isin(list(request.must_visit))
    left: list[LeftOut] = [_left_out(row, "skipped", False) for row in frame[skipped].itertuples(index=False)]
    frame = frame[~skipped].reset_index(drop=True)
    if frame.empty:
        raise RouteError("route_err_no_candidates")
    if request.pairs > len(frame):
        raise RouteError("route_err_more_pairs", pairs=request.pairs, places=len(frame))

    mode = MODES[request.mode]
    lat = np.concatenate([[request.start_point[0], request.end[0]], frame["lat"].to_numpy(float)])
    lon = np.concatenate([[request.start_point[1], request.end[1]], frame["lon"].to_numpy(float)])
    dist = distance_matrix_m(lat, lon)
    travel = travel_seconds(dist, mode)
    service = np.array([0, 0] + [int(request.stop_minutes.get(k, STOP_MINUTES["other"])) * 60
                                 for k in frame["kind"]], dtype=np.int64)
    capacity = int(round(request.hours * 3600))
    must = frame["place_id"].isin(list(request.must_visit)).to_numpy()

    # A place that cannot be visited even alone (out, stay, back) is left out before the search.
    alone = travel[0, 2:] + service[2:] + travel[2:, 1]
    fits = alone <= capacity
    for row in frame[~fits].itertuples(index=False):
        left.append(_left_out(row, "too_far", bool(row.place_id in request.must_visit)))
    if not fits.any():
        raise RouteError("route_err_too_short", hours=_hours_text(request.hours))
    nodes = np.concatenate([[0, 1], 2 + np.flatnonzero(fits)])
    sub = frame[fits].reset_index(drop=True)
    routes_idx = _solve(travel[np.ix_(nodes, nodes)], service[nodes], capacity, request.pairs,
                        _prizes(sub["urgency_score"]), must[fits], request.search)

    visited: set[int] = set()
    routes: list[Route] = []
    for pair, sequence in enumerate(routes_idx, start=1):
        stops: list[Stop] = []
        clock, km, previous = 0, 0.0, 0
        for local in sequence:  # indices into `nodes`; 2.. are places
            clock += int(service[nodes[previous]]) + int(travel[nodes[previous], nodes[local]])
            km += float(dist[nodes[previous], nodes[local]]) / 1000
            row = sub.iloc[local - 2]
            stops.append(Stop(
                place_id=str(row["place_id"]), name=str(row["name"]), kind=str(row["kind"]),
                lat=float(row["lat"]), lon=float(row["lon"]),
                arrival=_at(request.start, clock), minutes=int(service[nodes[local]]) // 60,
                urgency=float(row["urgency_score"]), must=bool(row["place_id"] in request.must_visit),
                km_from_previous=round(float(dist[nodes[previous], nodes[local]]) / 1000, 2)))
            visited.add(local - 2)
            previous = local
        clock += int(service[nodes[previous]]) + int(travel[nodes[previous], 1])
        km += float(dist[nodes[previous], 1]) / 1000
        routes.append(Route(pair, tuple(stops), minutes=math.ceil(clock / 60), km=round(km, 2),
                            back_at=_at(request.start, clock)))
    for i, row in enumerate(sub.itertuples(index=False)):
        if i not in visited:
            left.append(_left_out(row, "time", bool(row.place_id in request.must_visit)))
    order = {pid: i for i, pid in enumerate(candidates["place_id"])}
    left.sort(key=lambda item: (not item.must, -item.urgency, order.get(item.place_id, 0)))
    return Plan(request, tuple(routes), tuple(left))


def shift_start(day: date, shift: str, at: time | None = None) -> datetime:
    """The start of `shift` on `day` in Stockholm time (aware): `at`, else the shift's default."""
    return datetime.combine(day, at or SHIFT_START[shift]).replace(tzinfo=config.STOCKHOLM)


def ranking_time(start: datetime) -> datetime:
    """The moment urgency is ranked at (naive UTC): the shift's start, or now for a shift that
    has begun (a start in the past would hide the visits made since)."""
    from geo.store import utcnow

    aware = start if start.tzinfo is not None else start.replace(tzinfo=config.STOCKHOLM)
    return max(aware.astimezone(UTC).replace(tzinfo=None), utcnow())


def _at(start: datetime, seconds: int) -> datetime:
    """`seconds` after `start`, in Stockholm time (through UTC: right across a DST switch)."""
    aware = start if start.tzinfo is not None else start.replace(tzinfo=config.STOCKHOLM)
    return (aware.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(config.STOCKHOLM)


def _left_out(row, reason: str, must: bool) -> LeftOut:
    return LeftOut(str(row.place_id), str(row.name), str(row.kind), float(row.lat), float(row.lon),
                   float(row.urgency_score), reason, must)


def _hours_text(hours: float) -> str:
    return f"{hours:g}"


def _prizes(urgency: pd.Series) -> np.ndarray:
    """Urgency in whole hundredths, at least 1 so that every place is worth a visit."""
    values = pd.to_numeric(urgency).fillna(0).to_numpy(float)
    return np.maximum(np.round(values * 10**PRIZE_DECIMALS), 1).astype(np.int64)


def _solve(travel: np.ndarray, service: np.ndarray, capacity: int, vehicles: int, prizes: np.ndarray,
           must: np.ndarray, search: Search) -> list[list[int]]:
    """OR-Tools' routing search; node 0 is the start, 1 the end, 2.. the places. Returns the
    visited node indices in order, one list per vehicle."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(service)
    manager = pywrapcp.RoutingIndexManager(n, vehicles, [0] * vehicles, [1] * vehicles)
    routing = pywrapcp.RoutingModel(manager)
    # Time of an arc = the stay at its tail + the travel; the end node is reached, never left.
    transit = (travel + service[:, None]).astype(np.int64)
    transit[1, :] = 0
    transit[:, 0] = 0
    callback = routing.RegisterTransitMatrix(transit.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    routing.AddDimension(callback, 0, capacity, True, "time")

    # A hundredth of urgency outweighs all travel of all pairs, so travel only breaks ties.
    weight = int(vehicles * capacity + 1)
    must_penalty = weight * int(prizes.sum() + 1) * MUST_VISIT_FACTOR
    for node in range(2, n):
        penalty = must_penalty if must[node - 2] else int(prizes[node - 2]) * weight
        routing.AddDisjunction([manager.NodeToIndex(node)], penalty)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, search.first_solution)
    params.local_search_metaheuristic = getattr(routing_enums_pb2.LocalSearchMetaheuristic, search.metaheuristic)
    params.solution_limit = search.solution_limit
    params.time_limit.FromMilliseconds(int(search.time_limit_s * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:  # cannot happen with every place optional; kept as a clear failure
        raise RouteError("route_err_no_solution")
    out: list[list[int]] = []
    for vehicle in range(vehicles):
        index = routing.Start(vehicle)
        sequence: list[int] = []
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            sequence.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        out.append(sequence)
    return out


# --- the naive plan, for the benchmark -----------------------------------------------------


def naive_routes(candidates: pd.DataFrame, request: PlanRequest) -> list[list[str]]:
    """What a lead might do by hand: each pair in turn goes through the places in urgency order
    (ties: the nearest first) and takes every one it can still fit before going back."""
    frame = candidates[~candidates["place_id"].isin(list(request.skip))].reset_index(drop=True)
    mode = MODES[request.mode]
    lat = np.concatenate([[request.start_point[0], request.end[0]], frame["lat"].to_numpy(float)])
    lon = np.concatenate([[request.start_point[1], request.end[1]], frame["lon"].to_numpy(float)])
    travel = travel_seconds(distance_matrix_m(lat, lon), mode)
    service = [int(request.stop_minutes.get(k, STOP_MINUTES["other"])) * 60 for k in frame["kind"]]
    urgency = pd.to_numeric(frame["urgency_score"]).fillna(0).to_numpy(float)
    capacity = int(round(request.hours * 3600))
    taken: set[int] = set()
    routes: list[list[str]] = []
    for _ in range(request.pairs):
        here, clock, route = 0, 0, []
        while True:
            best = None
            for i in sorted((i for i in range(len(frame)) if i not in taken),
                            key=lambda i: (-urgency[i], travel[here, i + 2])):
                node = i + 2
                if clock + travel[here, node] + service[i] + travel[node, 1] <= capacity:
                    best = i
                    break
            if best is None:
                break
            clock += int(travel[here, best + 2]) + service[best]
            here = best + 2
            taken.add(best)
            route.append(str(frame.at[best, "place_id"]))
        routes.append(route)
    return routes


def urgency_of(candidates: pd.DataFrame, place_ids: list[str]) -> float:
    values = dict(zip(candidates["place_id"], pd.to_numeric(candidates["urgency_score"]).fillna(0)))
    return round(float(sum(values[p] for p in place_ids)), 2)
