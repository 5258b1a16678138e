"""`python -m geo report` (the report for samverkansgruppen) and `python -m geo retention` (issue 6).

Kept apart from geo/cli.py, which only registers these commands; exit codes are geo.cli's
(0 ok, 2 bad usage, 1 else).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from geo import cli, store


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def add_report_commands(sub: Any) -> None:
    """Register `report` and `retention` on the main parser's subcommands."""
    rep = sub.add_parser(
        "report", help="the report for the collaboration group (PDF or CSV)",
        description="Write the report for samverkansgruppen for a period: key figures, the population estimate "
                    "with its range, weekly charts and a table per district. Totals only, no place names or "
                    "coordinates, counts of 1-4 shown as <5. The format follows --out's suffix (.pdf or .csv). "
                    "Every report made is written to the audit log.")
    rep.add_argument("--from", dest="start", required=True, type=_iso_date, metavar="YYYY-MM-DD",
                     help="first day of the period (Stockholm date)")
    rep.add_argument("--to", dest="end", required=True, type=_iso_date, metavar="YYYY-MM-DD",
                     help="last day of the period; the estimate is for this day")
    rep.add_argument("--out", required=True, type=Path, metavar="FILE", help="FILE.pdf or FILE.csv")
    rep.add_argument("--layer", help="district layer for the table per district (default: the first imported layer)")
    rep.add_argument("--lang", choices=("sv", "en"), default="sv", help="report language (default: sv)")
    rep.add_argument("--actor", default="cli", help="who makes the report, for the audit log (a role or code)")
    cli._db_arg(rep)
    rep.set_defaults(func=_cmd_report)

    ret = sub.add_parser(
        "retention", help="archive old visits to weekly aggregates and delete them",
        description="Visits older than N days are summed into the weekly archive (place, ISO week, shift: the "
                    "grain trends read) and then deleted, in one transaction, with an audit row. Weekly trends "
                    "stay identical. --dry-run only prints what would happen; deleting needs --yes, and N shorter "
                    "than the estimate's window plus its carry-forward age (settings) needs --force.")
    ret.add_argument("--older-than-days", required=True, type=cli._non_negative_int, metavar="N",
                     help="delete visits older than N days")
    ret.add_argument("--dry-run", action="store_true", help="print what would be archived and deleted; change nothing")
    ret.add_argument("--yes", action="store_true",
                     help="really delete (without it, only says what would be deleted, like --dry-run, and exits 2)")
    ret.add_argument("--force", action="store_true",
                     help="allow N shorter than the population estimate's window plus its carry-forward age")
    ret.add_argument("--actor", default="cli", help="who runs the retention, for the audit log")
    cli._db_arg(ret)
    ret.set_defaults(func=_cmd_retention)


def _cmd_report(args: argparse.Namespace) -> int:
    from geo.boundaries import list_layers
    from geo.report import ReportError, make_report

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "csv"):
        raise cli.UsageError(f"--out måste sluta på .pdf eller .csv: {args.out}. / --out must end in .pdf or .csv: {args.out}.")
    if args.end < args.start:
        raise cli.UsageError("--to ligger före --from. / --to is before --from.")
    cur = cli._cursor(args)
    layers = list(list_layers(cur)["layer"])
    if args.layer and args.layer not in layers:
        raise cli.UsageError(f"Okänt lager {args.layer!r}; kända: {', '.join(layers) or 'inga'}. / "
                             f"Unknown layer {args.layer!r}; known: {', '.join(layers) or 'none'}.")
    layer = args.layer or (layers[0] if layers else None)
    try:
        body = make_report(cur, args.start, args.end, fmt, args.actor, layer=layer, lang=args.lang)
    except ReportError as exc:
        raise cli.UsageError(str(exc)) from None
    try:
        args.out.write_bytes(body)
    except OSError as exc:
        raise cli.UsageError(f"Kan inte skriva {args.out}: {exc.strerror}. / Cannot write {args.out}: {exc.strerror}.") from None
    print(f"Rapport / report {args.start}–{args.end} ({fmt}, {len(body):,} bytes) → {args.out}")
    return cli.EXIT_OK


def _cmd_retention(args: argparse.Namespace) -> int:
    from geo.retention import apply_retention, minimum_days

    cur = cli._cursor(args)
    needed = minimum_days(cur)
    if args.older_than_days < needed and not args.force:
        raise cli.UsageError(
            f"--older-than-days {args.older_than_days} är kortare än skattningens fönster och ålder ({needed} dagar) "
            f"och skulle ta bort besök som populationsskattningen läser; använd minst {needed} eller --force. / "
            f"--older-than-days {args.older_than_days} is shorter than the estimate's window and age ({needed} days) "
            f"and would delete visits the population estimate reads; use at least {needed} or --force.")
    now = store.utcnow()  # the preview and the run share one cutoff
    preview = apply_retention(cur, args.older_than_days, args.actor, dry_run=True, now=now)
    if not args.dry_run and preview.visits and not args.yes:
        raise cli.UsageError(
            f"Gallringen skulle radera {preview.visits:,} besök före {preview.cutoff:%Y-%m-%d %H:%M} UTC "
            f"(sparade som {preview.grain_rows:,} veckorader); lägg till --yes för att göra det. / "
            f"Retention would delete {preview.visits:,} visits before {preview.cutoff:%Y-%m-%d %H:%M} UTC "
            f"(kept as {preview.grain_rows:,} week rows); add --yes to do it.")
    result = apply_retention(cur, args.older_than_days, args.actor, dry_run=args.dry_run, now=now)
    verb = ("skulle arkivera / would archive" if args.dry_run else "arkiverade / archived")
    print(f"Besök äldre än / visits older than {result.cutoff:%Y-%m-%d %H:%M} UTC: {result.visits:,} besök/visits "
          f"({verb} {result.grain_rows:,} veckorader/week rows, {result.weeks} veckor/weeks)"
          + ("; inget ändrades / nothing changed." if args.dry_run else f"; {result.visits:,} besök raderade / visits deleted."))
    return cli.EXIT_OK
