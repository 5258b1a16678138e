"""`python -m geo areas import|list` and `python -m geo coverage` (issue 4).

Kept apart from geo/cli.py so that the shared CLI file only registers these commands; the
exit-code contract (0 ok, 2 bad usage or unreadable input, 1 else) is geo.cli's.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


from geo import cli


def add_area_commands(sub: Any) -> None:
    """Register `areas` (import, list) and `coverage` on the main parser's subcommands."""
    areas = sub.add_parser("areas", help="boundary layers (districts, neighbourhoods)",
                           description="Import or list boundary layers; the H3 grid (layer h3) is built in.")
    area_sub = areas.add_subparsers(dest="area_command", required=True, metavar="ACTION")
    a_imp = area_sub.add_parser("import", help="import a boundary layer (replaces a layer of the same name)",
                                description="Import a boundary layer from GeoJSON, GeoPackage, Shapefile (.shp or "
                                            ".zip) or GeoParquet in any CRS; re-importing a layer replaces it.")
    a_imp.add_argument("file", type=Path, help="the boundary file")
    a_imp.add_argument("--layer", required=True, help="the layer's name, e.g. stadsdelsomraden")
    a_imp.add_argument("--name-field", help="the field holding each area's name (default: detected)")
    cli._db_arg(a_imp)
    a_imp.add_argument("--actor", default="cli", help="who imports, for the audit log (a role or code, not a name)")
    a_imp.set_defaults(func=_cmd_areas_import)
    a_list = area_sub.add_parser("list", help="the imported layers", description="The imported boundary layers.")
    cli._db_arg(a_list)
    cli._format_arg(a_list, ("table", "csv", "json"), "table")
    a_list.set_defaults(func=_cmd_areas_list)

    cov = sub.add_parser("coverage", help="per area: last visit, days since, places, people, overdue places",
                         description="Coverage per area (default: the built-in H3 grid, layer h3; h3:7 and h3:9 "
                                     "for coarser or finer cells): last visit of any kind (sweeps included), days "
                                     "since, last visit per shift, known and overdue places, people last seen, "
                                     "acute cases in the last 90 days, and whether the area is overdue (not "
                                     "visited for more than --days, else the settings' area threshold). Places' "
                                     "targets come from the settings. Never-visited areas come first.")
    cov.add_argument("--layer", help="an imported layer name, or h3 / h3:7 / h3:8 / h3:9 (default: h3)")
    cov.add_argument("--days", type=cli._non_negative_int,
                     help="only areas not visited for more than N days (or never)")
    cov.add_argument("--shift", choices=("day", "evening", "weekend"),
                     help="with --days: count only visits on this shift, e.g. --shift evening --days 14")
    cli._db_arg(cov)
    cli._format_arg(cov, ("table", "csv", "json"), "table")
    cov.set_defaults(func=_cmd_coverage)


def _cmd_areas_import(args: argparse.Namespace) -> int:
    from geo.boundaries import BoundaryError, import_layer

    cur = cli._cursor(args, must_exist=False)
    try:
        summary = import_layer(cur, args.file, args.layer, name_field=args.name_field, actor=args.actor)
    except BoundaryError as exc:
        raise cli.UsageError(str(exc)) from None
    print(f"Lager / layer {summary.layer}: {summary.areas} områden/areas från/from {summary.source_file} "
          f"({summary.source_crs}), namnfält/name field {summary.name_field or '–'}, "
          f"reparerade/repaired {summary.repaired}, avvisade/rejected {len(summary.rejected)}"
          + (f", ersatte/replaced {summary.replaced}." if summary.replaced else "."))
    for r in summary.rejected:
        print(f"  avvisad / rejected: objekt/feature {r.row} ({r.name or '–'}): {r.reason_sv} / {r.reason_en}")
    return cli.EXIT_OK


def _cmd_areas_list(args: argparse.Namespace) -> int:
    from geo.boundaries import list_layers

    frame = list_layers(cli._cursor(args))
    frame = frame.assign(imported_at=frame["imported_at"].map(cli._local_iso))
    cli.print_frame(frame, args.format, "Inga importerade lager (rutnätet h3 är inbyggt). / "
                                    "No imported layers (the h3 grid is built in).")
    return cli.EXIT_OK


def _cmd_coverage(args: argparse.Namespace) -> int:
    from geo.boundaries import BoundaryError
    from geo.coverage import coverage, stale_areas
    from geo.grid import GridError

    from geo import settings

    cur = cli._cursor(args)
    overdue_days = args.days if args.days is not None else settings.area_overdue_days(cur)
    try:
        frame = coverage(cur, layer=args.layer, targets=settings.targets(cur), overdue_days=overdue_days)
    except (BoundaryError, GridError) as exc:
        raise cli.UsageError(str(exc)) from None
    if args.days is not None:
        frame = stale_areas(frame, args.days, args.shift)
    elif args.shift is not None:
        column = f"days_since_{args.shift}"
        frame = frame.sort_values(column, ascending=False, na_position="first", kind="stable")
    for column in ("last_visit", "last_day", "last_evening", "last_weekend"):
        frame[column] = frame[column].map(cli._local_iso)
    for column in ("days_since", "days_since_day", "days_since_evening", "days_since_weekend"):
        frame[column] = frame[column].astype("Int64")
    if args.format == "table":
        columns = ["name", "last_visit", "days_since", "days_since_day", "days_since_evening", "days_since_weekend",
                   "places", "overdue_places", "people_last_seen", "acute_90d", "overdue"]
        frame = frame[columns].astype(object)
        frame = frame.where(frame.notna(), None)
    cli.print_frame(frame, args.format, "Inga områden matchar. / No areas match.")
    cli.audit_export(cur, "coverage", len(frame), args.format, layer=args.layer)
    return cli.EXIT_OK
