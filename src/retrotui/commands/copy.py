"""copy: retrospectives from one database into another (a laptop file and the team's
PostgreSQL), merging by id as a document import does."""

from __future__ import annotations

import argparse
from typing import Any

from retrotui.commands.common import info
from retrotui.errors import UserError


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "copy",
        help="copy retrospectives from one database into another",
        description="Copies retrospectives (all, or those named by REF) with everything in "
        "them from --from into --to, merging by id as a document import does: records "
        "already there are updated where they differ, records only --to has are kept, and "
        "running it twice changes nothing the second time. One transaction: all or "
        "nothing. Prints the ids of the retrospectives copied.",
    )
    parser.add_argument("refs", metavar="REF", nargs="*", help="id, id prefix or incident ref")
    parser.add_argument(
        "--from", dest="source", metavar="DB", required=True, help="database file or URL"
    )
    parser.add_argument(
        "--to",
        dest="destination",
        metavar="DB",
        required=True,
        help="database file or URL (a new file is created)",
    )
    parser.add_argument(
        "--restore",
        action="store_true",
        help="copy a retrospective even if --to deleted it after its last edit in --from",
    )
    parser.set_defaults(handler=cmd_copy)


def cmd_copy(args: argparse.Namespace) -> int:
    from retrotui.services.retros import open_store, resolve_database, resolve_ref
    from retrotui.store.copying import copy_retrospectives

    if resolve_database(args.source)[0] == resolve_database(args.destination)[0]:
        raise UserError("--from and --to name the same database; nothing to copy.")
    source = open_store(args.source, must_exist=True)
    try:
        ids = [resolve_ref(source, ref).id for ref in args.refs] if args.refs else None
        destination = open_store(args.destination)
        try:
            report = copy_retrospectives(source, destination, ids, restore=args.restore)
        finally:
            destination.close()
    finally:
        source.close()
    for line in report.lines():
        info(line)
    for retro_id in report.retro_ids:
        print(retro_id)
    return 0
