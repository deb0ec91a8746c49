"""actions: every action item across retrospectives, as a table, JSON, CSV or a checklist."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from retrotui.commands.common import add_db_option, info, print_json, store_from

if TYPE_CHECKING:
    from retrotui.services.actions import ActionRow

FORMATS = ("table", "json", "csv", "markdown")
# `--fail`: the status that says "something is overdue" (2 is bad input, 1 a bug).
EXIT_OVERDUE = 3
# Jira's CSV importer maps these headers to its fields without configuration.
CSV_COLUMNS = ("Summary", "Description", "Assignee", "Due Date", "Priority", "Labels")
_JIRA_PRIORITY = {"high": "High", "medium": "Medium", "low": "Low"}
# A cell starting with one of these runs as a formula in spreadsheet programs (OWASP
# "CSV injection"); a leading apostrophe makes it plain text there.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters that could start Markdown or HTML syntax inside a list item's text.
_MARKDOWN_SPECIALS = set("\\`*_[]<>#|~&!")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "actions",
        help="list action items across retrospectives",
        description="Every action item across retrospectives, soonest due first. Overdue "
        "means past its due date and neither done nor won't-do.",
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument(
        "--open",
        dest="scope",
        action="store_const",
        const="open",
        help="open and in-progress items (the default)",
    )
    scope.add_argument(
        "--overdue", dest="scope", action="store_const", const="overdue", help="overdue items"
    )
    scope.add_argument(
        "--all", dest="scope", action="store_const", const="all", help="items in every state"
    )
    parser.set_defaults(scope="open")
    parser.add_argument("--owner", metavar="NAME", help="only this owner's items")
    parser.add_argument(
        "--retro", metavar="REF", help="only this retrospective (id, id prefix or incident ref)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (default), json, csv (Jira's CSV import columns) or markdown (checklist)",
    )
    parser.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="the same as --format json",
    )
    parser.add_argument(
        "--fail",
        action="store_true",
        help=f"exit with status {EXIT_OVERDUE} when any listed item is overdue (0 otherwise), "
        "for cron, CI or a shell prompt; with --overdue, when there is any overdue item",
    )
    add_db_option(parser)
    parser.set_defaults(handler=cmd_actions)


def cmd_actions(args: argparse.Namespace) -> int:
    from retrotui.services.actions import list_actions
    from retrotui.services.retros import resolve_ref

    store = store_from(args, must_exist=True)
    retro = resolve_ref(store, args.retro) if args.retro is not None else None
    rows = list_actions(store, today=date.today(), scope=args.scope, owner=args.owner, retro=retro)
    if args.format == "json":
        print_json([row_as_dict(row) for row in rows])
    elif args.format == "csv":
        write_csv(rows, sys.stdout)
    elif not rows:
        info(f"No {'' if args.scope == 'all' else args.scope + ' '}action items match.")
    elif args.format == "markdown":
        sys.stdout.write(render_checklist(rows))
    else:
        sys.stdout.write(render_table(rows))
        info("! overdue (days late)   P open longer than the due-date policy allows")
    if args.fail and any(row.overdue for row in rows):
        return EXIT_OVERDUE
    return 0


def row_as_dict(row: ActionRow) -> dict[str, Any]:
    action, retro = row.action, row.retro
    return {
        "id": action.id,
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
        "due": action.due.isoformat() if action.due else None,
        "due_is_default": action.due_is_default,
        "priority": action.priority,
        "status": action.status,
        "ticket": action.ticket,
        "closed_at": action.closed_at.isoformat() if action.closed_at else None,
        "overdue": row.overdue,
        "days_overdue": row.days_overdue,
        "past_policy": row.past_policy,
        "retro": {
            "id": retro.id,
            "title": retro.title,
            "incident_ref": retro.incident_ref,
            "severity": retro.severity,
        },
    }


def render_table(rows: list[ActionRow]) -> str:
    from retrotui.formats.lines import one_line
    from retrotui.services.retros import short_id

    lines = [("DUE", "STATUS", "FLAGS", "OWNER", "RETRO", "TITLE")]
    for row in rows:
        action = row.action
        flags = (f"!{row.days_overdue}d" if row.overdue else "") + (" P" if row.past_policy else "")
        lines.append(
            (
                action.due.isoformat() if action.due else "-",
                str(action.status),
                flags.strip(),
                one_line(action.owner) or "-",
                one_line(row.retro.incident_ref or short_id(row.retro)),
                one_line(action.title),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(5)]
    out = []
    for line in lines:
        cells = [cell.ljust(width) for cell, width in zip(line[:5], widths, strict=True)]
        out.append("  ".join([*cells, line[5]]).rstrip())
    return "\n".join(out) + "\n"


def csv_record(row: ActionRow) -> list[str]:
    """One row for Jira's CSV import: the retrospective is named in the description and
    the labels, so imported issues link back to the incident."""
    action, retro = row.action, row.retro
    source = f"From the retrospective {retro.title!r}"
    if retro.incident_ref:
        source += f" ({retro.incident_ref})"
    if action.ticket:
        source += f"; ticket {action.ticket}"
    description = f"{action.description}\n\n{source}." if action.description else f"{source}."
    labels = ["retrospective"]
    # Jira labels cannot hold spaces: a space would split one label into two.
    labels += ["-".join(value.split()) for value in (retro.incident_ref, retro.severity) if value]
    return [
        _cell(action.title),
        _cell(description),
        _cell(action.owner),
        action.due.isoformat() if action.due else "",
        _JIRA_PRIORITY.get(str(action.priority), "Medium"),
        _cell(" ".join(labels)),
    ]


def write_csv(rows: list[ActionRow], stream: Any) -> None:
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_record(row) for row in rows)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_checklist(rows: list[ActionRow]) -> str:
    """A GitHub-flavoured task list: one line per item, done and won't-do ticked."""
    from retrotui.models import ActionStatus
    from retrotui.services.retros import short_id

    lines = []
    for row in rows:
        action = row.action
        status = ActionStatus(action.status)
        title = markdown_text(action.title)
        if status is ActionStatus.WONT_DO:
            title = f"~~{title}~~"
        details = [markdown_text(action.owner)] if action.owner.strip() else []
        if action.due:
            details.append(f"due {action.due.isoformat()}")
        if row.overdue:
            days = row.days_overdue
            details.append(f"**overdue by {days} day{'' if days == 1 else 's'}**")
        if status in (ActionStatus.IN_PROGRESS, ActionStatus.WONT_DO):
            details.append(status.value.replace("_", " ").replace("wont", "won't"))
        details.append(markdown_text(row.retro.incident_ref or short_id(row.retro)))
        box = "x" if status.is_closed else " "
        lines.append(f"- [{box}] {title} ({', '.join(details)})")
    return "\n".join(lines) + "\n"


def markdown_text(text: str) -> str:
    """User text made inert inside a Markdown list item: one line, specials escaped."""
    folded = " ".join(text.split())
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in folded)
