"""`python -m geo …`: the command-line contract of PRODUCT.md §4.

Exit codes: 0 success (an import with rejected rows is a success), 2 bad usage or
unreadable input, 1 anything else. Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from geo import privacy, store
from geo.config import DB_ENV_VAR, DEFAULT_DB, resolve_db_path
from geo.localtime import utc_to_local
from geo.exports import to_safe_csv

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unreadable input: exit code 2."""


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH",
        help=f"database file (default: ${DB_ENV_VAR}, else {DEFAULT_DB})",
    )


def _format_arg(parser: argparse.ArgumentParser, choices: Sequence[str], default: str) -> None:
    parser.add_argument("--format", choices=choices, default=default, help=f"output format (default: {default})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description="Uppsök: outreach visits, places and coverage for Stockholm's EU-team.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="build a realistic demo database",
                          description="Build a deterministic demo database (about 300 places, two years of visits).")
    _db_arg(demo)
    demo.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    demo.add_argument("--today", type=date.fromisoformat, help="last day of demo visits, YYYY-MM-DD (default: today)")
    demo.add_argument("--force", action="store_true", help="overwrite a database that holds real (non-demo) data")
    demo.add_argument("--yes", action="store_true",
                      help="with --force: really delete the real data (without it, only says what would be deleted)")
    demo.set_defaults(func=_cmd_demo)

    imp = sub.add_parser("import", help="import a visits file",
                         description="Import a visits file (CSV); every row ends imported, updated, duplicate or rejected.")
    imp.add_argument("file", type=Path, help="the visits file")
    _db_arg(imp)
    imp.add_argument("--json", action="store_true", help="print the summary as one JSON object on the last line")
    imp.add_argument("--actor", default="cli", help="who imports, for the audit log (a role or code, not a name)")
    imp.add_argument("--profile", metavar="NAME",
                     help="column-mapping profile: odk-central, kobotoolbox or a saved one "
                          "(default: detected from the file's headers)")
    imp.add_argument("--form", metavar="FORM", type=Path,
                     help="the form definition (XLSForm .xlsx or XForm .xml) that wrote the file, so that "
                          "label headers and choice labels are read; with a saved --profile it is saved with it")
    imp.set_defaults(func=_cmd_import)

    rej = sub.add_parser("rejects", help="the rejected rows of an import",
                         description="The rejected rows of an import (latest by default), with row number and reason.")
    rej.add_argument("import_id", nargs="?", help="import id (default: the latest import)")
    _db_arg(rej)
    _format_arg(rej, ("csv", "json"), "csv")
    rej.set_defaults(func=_cmd_rejects)

    over = sub.add_parser("overdue", help="places not visited within their target interval",
                          description="Places not visited within N days (default: each kind's target), most urgent first.")
    _db_arg(over)
    over.add_argument("--days", type=_non_negative_int, help="days without a visit that make a place overdue")
    _format_arg(over, ("table", "csv", "json"), "table")
    over.set_defaults(func=_cmd_overdue)

    from geo.cli_areas import add_area_commands  # issue 4: areas and coverage

    add_area_commands(sub)
    from geo.cli_routes import add_route_command  # issue 5: patrol planning

    add_route_command(sub)
    from geo.cli_users import add_user_commands  # issue 7: roles

    add_user_commands(sub)
    from geo.cli_report import add_report_commands  # issue 6: report for samverkansgruppen, retention

    add_report_commands(sub)
    return parser


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with usage on bad arguments
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UsageError as exc:
        _fail(str(exc))
        return EXIT_USAGE
    except store.StoreError as exc:
        _fail(str(exc))
        return EXIT_ERROR
    except duckdb.Error as exc:
        _fail(f"Databasfel / database error: {str(exc).splitlines()[0]}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _fail("Avbrutet, inget sparades. / Interrupted, nothing was saved.")
        return EXIT_ERROR
    except BrokenPipeError:
        # `python -m geo overdue | head`: the reader left; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        store.close()


def _fail(message: str) -> None:
    """One line on stderr, scrubbed: messages quote file names, headers and values."""
    print(privacy.scrub(message.replace("\n", " "))[0], file=sys.stderr)


def _cursor(args: argparse.Namespace, must_exist: bool = True) -> duckdb.DuckDBPyConnection:
    path = resolve_db_path(args.db)
    if must_exist and not path.exists():
        raise UsageError(
            f"Databasen {path} finns inte; skapa den med 'python -m geo demo' eller en import. / "
            f"The database {path} does not exist; create it with 'python -m geo demo' or an import."
        )
    return store.cursor(path)


def _cmd_demo(args: argparse.Namespace) -> int:
    from geo.demo import DemoRefusedError, build_demo

    path = resolve_db_path(args.db)
    if args.force and not args.yes and path.exists():
        from geo.demo import real_data

        real = real_data(store.cursor(path))
        if real:
            raise UsageError(
                f"demo --force skulle radera {real['visits']:,} riktiga besök, {real['places']:,} platser och "
                f"{real['imports']:,} importer i {path}; lägg till --yes för att göra det. / "
                f"demo --force would delete {real['visits']:,} real visits, {real['places']:,} places and "
                f"{real['imports']:,} imports in {path}; add --yes to do it."
            )
    try:
        summary = build_demo(path, seed=args.seed, today=args.today, force=args.force)
    except DemoRefusedError as exc:
        raise UsageError(str(exc)) from None
    print(f"Demodatabas / demo database {summary.path}: {summary.places} platser/places, "
          f"{summary.visits} besök/visits, {summary.overdue} försenade/overdue.")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from geo.ingest import NotAVisitsFileError, import_file
    from geo.readers import UnreadableFileError

    if not args.file.is_file():
        raise UsageError(f"Filen {args.file} finns inte. / The file {args.file} does not exist.")
    cur = _cursor(args, must_exist=False)
    from geo.forms import UnreadableFormError, read_form
    from geo.profiles import BUILTIN, UnknownProfileError, plan_for_file, save_form

    try:
        form = read_form(args.form) if args.form else None
        if form is not None and args.profile and args.profile not in BUILTIN:
            save_form(cur, args.profile, form, args.actor)  # uploaded once, used by every later import
        plan = plan_for_file(cur, args.file, args.profile, form)
        summary = import_file(cur, args.file, actor=args.actor, columns=plan.columns,  # settings apply inside
                              values=plan.values, metadata=plan.metadata)
    except (NotAVisitsFileError, UnreadableFileError, UnknownProfileError, UnreadableFormError) as exc:
        raise UsageError(str(exc)) from None
    profile = plan.profile
    lines = [f"Profil / profile: {profile}."] if profile else []
    if plan.form:
        lines.append(f"Formulär / form: {plan.form}.")
    lines += [
        f"Import {summary.import_id} av/of {summary.file_name}: {summary.rows} rader/rows = "
        f"{summary.imported} importerade/imported + {summary.updated} uppdaterade/updated + "
        f"{summary.duplicates} dubbletter/duplicates + "
        f"{summary.rejected} avvisade/rejected.",
    ]
    if summary.new_places:
        lines.append(f"Nya platser / new places: {summary.new_places}.")
    if summary.place_matches:
        lines.append("Namnvarianter till en plats i närheten / name variants joined to a nearby place:")
        lines.extend(f"  {m['name']} → {m['place']}, {m['distance_m']} m" for m in summary.place_matches)
    if summary.swapped_coordinates:
        lines.append(f"Varning: lat och lon var omkastade på {summary.swapped_coordinates} rader och har rättats. / "
                     f"Warning: lat and lon were swapped on {summary.swapped_coordinates} rows and were corrected.")
    if summary.sweref_rows:
        lines.append(f"SWEREF 99 TM omräknat / converted: {summary.sweref_rows} rader/rows.")
    if summary.cp1252_rows:
        lines.append(f"Varning: filen blandade teckenkodningar; {summary.cp1252_rows} rader lästes som Windows-1252. / "
                     f"Warning: the file mixed encodings; {summary.cp1252_rows} rows were read as Windows-1252.")
    if summary.date_only_rows:
        lines.append(f"Varning: {summary.date_only_rows} rader saknade klockslag och räknades som 12:00. / "
                     f"Warning: {summary.date_only_rows} rows had no time and were counted as 12:00.")
    removed = sum(summary.removed_identifiers.values())
    if removed:
        ids = summary.removed_identifiers
        lines.append(f"Borttagna identifierare / removed identifiers: {removed} "
                     f"(personnummer {ids['personal_ids']}, telefon/phone {ids['phones']}, e-post/e-mail {ids['emails']}).")
    if summary.dropped_columns:
        lines.append("Kolumner om nationalitet sparas aldrig och togs bort / nationality columns are never stored "
                     f"and were dropped: {', '.join(summary.dropped_columns)}.")
    if summary.unknown_columns:
        lines.append(f"Okända kolumner, ej sparade / unknown columns, not stored: {', '.join(summary.unknown_columns)}.")
    for table, count in summary.skipped_tables.items():
        lines.append(f"Upprepningstabell överhoppad / repeat table skipped: {table} ({count} rader/rows).")
    for code, count in summary.reject_reasons.items():
        lines.append(f"  avvisade / rejected: {count} × {code}")
    if summary.rejected:
        lines.append(f"Se avvisade rader / see rejected rows: python -m geo rejects {summary.import_id}")
    print("\n".join(lines))
    if args.json:
        print(json.dumps({**summary.to_json(), "profile": profile, "form": plan.form}, ensure_ascii=False))
    return EXIT_OK


def _cmd_rejects(args: argparse.Namespace) -> int:
    from geo.imports import UnknownImportError, latest_import_id, rejects_records

    cur = _cursor(args)
    import_id = args.import_id
    if import_id is None:
        import_id = latest_import_id(cur)
        if import_id is None:
            raise UsageError("Det finns inga importer ännu. / There are no imports yet.")
    try:
        records = rejects_records(cur, import_id)
    except UnknownImportError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        print(json.dumps({"import_id": import_id, "rejects": records}, ensure_ascii=False))
    else:
        sys.stdout.write(to_safe_csv(pd.DataFrame(records)))
    audit_export(cur, "rejects", len(records), args.format, import_id=import_id)
    return EXIT_OK


def _cmd_overdue(args: argparse.Namespace) -> int:
    from geo.urgency import ranked_places  # issue 4: ranked by a transparent urgency score

    from geo.settings import targets

    cur = _cursor(args)
    frame = ranked_places(cur, days=args.days, targets=targets(cur)).rename(columns={"reason_sv": "reason"})
    frame = frame.assign(
        last_visit=frame["last_visit"].map(_local_iso),
        days_since=frame["days_since"].astype("Int64"),
        people_last_seen=frame["people_last_seen"].astype("Int64"),
        urgency=frame["urgency"].map(lambda u: None if u is None or pd.isna(u) else round(float(u), 2)),
    )
    if args.format == "table":
        frame = frame[["name", "kind", "last_visit", "days_since", "target_days", "people_last_seen",
                       "urgency_score", "reason"]]
    print_frame(frame, args.format, "Inga försenade platser. / No overdue places.")
    audit_export(cur, "overdue", len(frame), args.format)
    return EXIT_OK


def print_frame(frame: pd.DataFrame, fmt: str, empty: str) -> None:
    """A frame as JSON records, formula-safe CSV or a plain table."""
    if fmt == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso")),
                         ensure_ascii=False))
    elif fmt == "csv":
        sys.stdout.write(to_safe_csv(frame))
    else:
        print(frame.to_string(index=False, na_rep="–") if len(frame) else empty)


def audit_export(cur: duckdb.DuckDBPyConnection, what: str, rows: int, fmt: str, **details: Any) -> None:
    """Every export is recorded (PRODUCT.md §6), the command line's included."""
    store.audit(cur, "cli", "export", {"what": what, "rows": rows, "format": fmt, **details})


def _local_iso(ts: Any) -> str | None:
    """Naive UTC → ISO 8601 in Stockholm time with offset; None when never visited."""
    local = utc_to_local(ts)
    return None if local is None else local.isoformat(timespec="minutes")
