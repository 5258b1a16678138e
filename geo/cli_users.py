"""`python -m geo users list|set|remove`: the role table from the command line (issue 7).

Needed once a login is configured: the first administrator has to be given a role before
anyone can open the Användare page. Changes are audited like the page's (actor --actor).
Kept apart from geo/cli.py, which only registers it; exit codes are geo.cli's.
"""

from __future__ import annotations

import argparse
from typing import Any

from geo import access, cli
from geo.texts import t


def add_user_commands(sub: Any) -> None:
    """Register `users` (list, set, remove) on the main parser's subcommands."""
    users = sub.add_parser("users", help="who has which role (by e-mail or login group)",
                           description="List, set or remove roles by e-mail or by identity-provider group. "
                                       f"Roles: {', '.join(access.ROLES)}.")
    u_sub = users.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    u_list = u_sub.add_parser("list", help="every role assignment", description="Every role assignment.")
    cli._db_arg(u_list)
    cli._format_arg(u_list, ("table", "csv", "json"), "table")
    u_list.set_defaults(func=_cmd_list)
    for name, helptext in (("set", "give an e-mail or group a role (add or change)"),
                           ("remove", "take an e-mail's or group's role away")):
        cmd = u_sub.add_parser(name, help=helptext, description=helptext[0].upper() + helptext[1:] + "; audited.")
        cmd.add_argument("principal", help="an e-mail address, or a group name with --group")
        if name == "set":
            cmd.add_argument("role", choices=access.ROLES)
        cmd.add_argument("--group", action="store_true", help="PRINCIPAL is a group from the login's groups claim")
        cli._db_arg(cmd)
        cmd.add_argument("--actor", default="cli", help="who makes the change, for the audit log")
        cmd.set_defaults(func=_cmd_set if name == "set" else _cmd_remove)


def _refused(exc: access.AccessError) -> cli.UsageError:
    return cli.UsageError(f"{t(exc.key, 'sv')} / {t(exc.key, 'en')}")


def _cmd_list(args: argparse.Namespace) -> int:
    frame = access.assignments(cli._cursor(args))
    frame = frame.assign(updated_at=frame["updated_at"].map(cli._local_iso))
    cli.print_frame(frame, args.format, "Inga roller är tilldelade. / No roles are assigned.")
    return cli.EXIT_OK


def _cmd_set(args: argparse.Namespace) -> int:
    kind = "group" if args.group else "email"
    try:
        change = access.set_role(cli._cursor(args, must_exist=False), kind, args.principal, args.role, args.actor)
    except access.AccessError as exc:
        raise _refused(exc) from None
    principal = access.normalise(kind, args.principal)
    print(f"{principal}: {change.before or '–'} → {change.after}" if change
          else f"{principal}: {args.role} (oförändrad / unchanged)")
    return cli.EXIT_OK


def _cmd_remove(args: argparse.Namespace) -> int:
    kind = "group" if args.group else "email"
    try:
        change = access.remove_role(cli._cursor(args), kind, args.principal, args.actor)
    except access.AccessError as exc:
        raise _refused(exc) from None
    principal = access.normalise(kind, args.principal)
    print(f"{principal}: {change.before} → –" if change else f"{principal}: ingen roll / no role")
    return cli.EXIT_OK
