"""`python -m geo route`: routes for a shift's pairs (issue 5), as JSON, CSV or GPX.

Registered from geo.cli.build_parser; the exit codes are geo.cli's (0 ok, 2 bad usage or input
no plan can be made from, 1 anything else), errors one sentence in Swedish and English.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, time
from typing import Any

from geo import cli


def _point(text: str) -> tuple[float, float]:
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LAT,LON such as 59.3309,18.0593, got {text!r}") from None
    return lat, lon


def _shift(text: str) -> str:
    from geo.routes import SHIFT_NAMES

    shift = SHIFT_NAMES.get(text.strip().lower())
    if shift is None:
        raise argparse.ArgumentTypeError(f"expected dag/kväll/helg or day/evening/weekend, got {text!r}")
    return shift


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected HH:MM, got {text!r}") from None


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def add_route_command(sub: Any) -> None:
    from geo.routes import DEFAULT_HOURS, DEFAULT_PAIRS, DEFAULT_SHIFT, DETOUR_FACTOR, MODES, SHIFT_START

    starts = ", ".join(f"{k} {v:%H:%M}" for k, v in SHIFT_START.items())
    route = sub.add_parser(
        "route", help="plan routes for a shift's pairs through the most urgent places",
        description="Plan routes for a shift's pairs that visit the most urgent overdue places (the urgency "
                    "score of 'overdue') within the shift, starting and ending at --start (default: the "
                    "settings' base). Distances are the straight line times "
                    f"{DETOUR_FACTOR}; stop minutes per kind come from the settings. JSON holds 'routes' "
                    "(one per pair: ordered 'stops' with name, lat, lon, arrival, urgency; 'minutes', 'km') and "
                    "'left_out' (with the reason: skipped, too_far, time).")
    route.add_argument("--pairs", type=int, default=DEFAULT_PAIRS, help=f"number of pairs (default: {DEFAULT_PAIRS})")
    route.add_argument("--hours", type=_positive_float, default=DEFAULT_HOURS,
                       help=f"shift length in hours, the way back included (default: {DEFAULT_HOURS:g})")
    route.add_argument("--start", type=_point, metavar="LAT,LON",
                       help="start and end point in WGS84 (default: the settings' base)")
    route.add_argument("--end", type=_point, metavar="LAT,LON", help="a different end point (default: --start)")
    route.add_argument("--shift", type=_shift, default=DEFAULT_SHIFT,
                       help=f"dag/kväll/helg or day/evening/weekend (default: evening); starts {starts}")
    route.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    route.add_argument("--time", type=_clock, metavar="HH:MM", help="start time (default: the shift's)")
    route.add_argument("--mode", choices=list(MODES), default="walk", help="travel mode (default: walk)")
    route.add_argument("--must", action="append", default=[], metavar="NAME_OR_ID",
                       help="a place that must be visited (repeatable)")
    route.add_argument("--skip", action="append", default=[], metavar="NAME_OR_ID",
                       help="a place to leave out (repeatable)")
    cli._db_arg(route)
    cli._format_arg(route, ("json", "csv", "gpx"), "json")
    route.set_defaults(func=_cmd_route)


def _place_ids(cur, names: list[str]) -> frozenset[str]:
    """Place ids for names or ids as typed; an unknown one is a usage error."""
    ids: set[str] = set()
    for name in names:
        rows = cur.execute("SELECT place_id FROM places WHERE cleared_at IS NULL AND (place_id = ? OR lower(name) = "
                           "lower(?)) ORDER BY place_id", [name, name]).fetchall()
        if not rows:
            raise cli.UsageError(f"Platsen {name!r} finns inte. / The place {name!r} does not exist.")
        ids.update(r[0] for r in rows)
    return frozenset(ids)


def _cmd_route(args: argparse.Namespace) -> int:
    from geo import route_exports, routes, settings
    from geo.areas import effective_service_area
    from geo.localtime import utc_to_local
    from geo.store import utcnow

    cur = cli._cursor(args)
    day = args.date or utc_to_local(utcnow()).date()
    start = routes.shift_start(day, args.shift, args.time)
    must = _place_ids(cur, args.must)
    request = routes.PlanRequest(
        start=start, start_point=args.start or settings.route_base(cur), end_point=args.end, hours=args.hours,
        pairs=args.pairs, mode=args.mode, stop_minutes=settings.stop_minutes(cur), must_visit=must,
        skip=_place_ids(cur, args.skip))
    try:
        routes.check_request(request, effective_service_area(cur))
        pool = routes.candidates(cur, must, now=routes.ranking_time(start), targets=settings.targets(cur))
        plan = routes.plan_routes(pool, request, effective_service_area(cur))
    except routes.RouteError as exc:
        raise cli.UsageError(str(exc)) from None
    if args.format == "json":
        print(json.dumps(route_exports.plan_json(plan), ensure_ascii=False))
    elif args.format == "csv":
        from geo.exports import to_safe_csv

        sys.stdout.write(to_safe_csv(route_exports.stops_frame(plan)))
    else:
        sys.stdout.write(route_exports.to_gpx(plan, "sv"))
    for item in plan.must_missing:
        print(f"Varning: {item.name} måste besökas men får inte plats ({item.reason}). / "
              f"Warning: {item.name} is a must-visit but does not fit ({item.reason}).", file=sys.stderr)
    cli.audit_export(cur, "route", sum(len(r.stops) for r in plan.routes), args.format,
                     starts_at=start.isoformat(), pairs=args.pairs)
    return cli.EXIT_OK
