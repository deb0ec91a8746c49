"""new, list, show, delete, demo: keeping retrospectives from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from retrotui.commands.common import (
    add_as_option,
    add_db_option,
    info,
    open_app,
    print_json,
    store_from,
)
from retrotui.errors import UserError

SEVERITY_HELP = "incident severity: SEV1 (worst) to SEV5"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    new = sub.add_parser("new", help="create a retrospective and print its id")
    new.add_argument("title", help="what happened, in a few words")
    new.add_argument("--severity", metavar="SEV", help=SEVERITY_HELP)
    new.add_argument("--incident-ref", metavar="REF", help="the incident's id, e.g. INC-2042")
    new.add_argument("--template", metavar="NAME", default="standard", help="retro template")
    new.add_argument(
        "--started-at", metavar="ISO-8601", help="when the incident began, with UTC offset"
    )
    new.set_defaults(handler=cmd_new)

    lst = sub.add_parser("list", help="list retrospectives")
    lst.add_argument("--json", action="store_true", help="print a JSON array instead")
    lst.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", help="print a plain-text summary of one retrospective")
    show.add_argument("ref", metavar="REF", help="id, id prefix (4+ chars) or incident ref")
    show.set_defaults(handler=cmd_show)

    delete = sub.add_parser("delete", help="delete a retrospective and everything in it")
    delete.add_argument("ref", metavar="REF", help="id, id prefix (4+ chars) or incident ref")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=cmd_delete)

    demo = sub.add_parser("demo", help="create the sample retrospective and open it")
    demo.add_argument("--no-open", action="store_true", help="only create it and print its id")
    demo.set_defaults(handler=cmd_demo)

    opener = sub.add_parser("open", help="open one retrospective in the app")
    opener.add_argument("ref", metavar="REF", help="id, id prefix (4+ chars) or incident ref")
    opener.set_defaults(handler=cmd_open)

    for parser in (new, lst, show, delete, demo, opener):
        add_db_option(parser)
    for parser in (demo, opener):
        add_as_option(parser)


def cmd_new(args: argparse.Namespace) -> int:
    from retrotui.core.times import parse_instant
    from retrotui.services.retros import create_retrospective, parse_severity

    severity = parse_severity(args.severity)
    started = parse_instant(args.started_at) if args.started_at is not None else None
    store = store_from(args)
    retro = create_retrospective(
        store,
        args.title,
        severity=severity,
        incident_ref=args.incident_ref,
        template=args.template,
        started_at=started,
    )
    print(retro.id)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from retrotui.formats.lines import one_line
    from retrotui.store.listing import database_file, read_sqlite_list

    # A SQLite file is read with sqlite3 alone: no SQL stack to import for a list.
    path = database_file(getattr(args, "db", None))
    rows = read_sqlite_list(path) if path is not None else None
    if rows is None:
        from retrotui.services.retros import list_retrospectives

        rows = list_retrospectives(store_from(args, must_exist=True))
    if args.json:
        payload = [
            {
                "id": row.id,
                "title": row.title,
                "incident_ref": row.incident_ref,
                "severity": row.severity,
                "status": row.status,
                "template": row.template,
                "created_at": row.created_at.isoformat(),
                "updated_at": row.updated_at.isoformat(),
                "open_actions": row.open_actions,
            }
            for row in rows
        ]
        print_json(payload)
        return 0
    if not rows:
        info("No retrospectives yet: create one with `retrotui new TITLE`, or try `retrotui demo`.")
        return 0
    table = [("ID", "INCIDENT", "SEV", "STATUS", "OPEN", "TITLE")]
    for row in rows:
        table.append(
            (
                row.short_id,
                one_line(row.incident_ref or "-"),
                row.severity or "-",
                row.status,
                str(row.open_actions),
                one_line(row.title),
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(5)]
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line[:5], widths, strict=True)]
        print("  ".join([*cells, line[5]]))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from retrotui.formats.summary import render_summary
    from retrotui.services.retros import load_bundle, resolve_ref

    store = store_from(args, must_exist=True)
    retro = resolve_ref(store, args.ref)
    sys.stdout.write(render_summary(load_bundle(store, retro.id)))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from retrotui.services.retros import delete_retrospective, load_bundle, resolve_ref, short_id

    store = store_from(args, must_exist=True)
    retro = resolve_ref(store, args.ref)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("Not deleting without confirmation; pass --yes to confirm.")
        bundle = load_bundle(store, retro.id)
        answer = input(
            f"Delete {retro.title!r} ({short_id(retro)}) with {len(bundle.events)} events, "
            f"{len(bundle.notes)} notes and {len(bundle.actions)} action items? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            info("Nothing deleted.")
            return 0
    delete_retrospective(store, retro.id)
    info(f"Deleted {retro.title!r} ({short_id(retro)}).")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from retrotui.demo import ensure_demo

    store = store_from(args)
    retro = ensure_demo(store, datetime.now(UTC).date())
    if args.no_open:
        print(retro.id)
        return 0
    return open_app(args, retro.id, store)


def cmd_open(args: argparse.Namespace) -> int:
    from retrotui.services.retros import resolve_ref

    store = store_from(args, must_exist=True)
    retro = resolve_ref(store, args.ref)
    return open_app(args, retro.id, store)
