"""stats: follow-through and incident figures across every retrospective."""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from retrotui.commands.common import add_db_option, print_json, store_from

if TYPE_CHECKING:
    from retrotui.core.stats import TeamStats


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "stats",
        help="follow-through rate, days to close, overdue items by owner, time to resolve",
        description="Figures across every retrospective: the follow-through rate (the share "
        "of action items done by their due date), median days to close, open and overdue "
        "items by owner, and time to resolve by severity over time.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object instead")
    add_db_option(parser)
    parser.set_defaults(handler=cmd_stats)


def cmd_stats(args: argparse.Namespace) -> int:
    from retrotui.services.stats import load_team_stats

    stats = load_team_stats(store_from(args, must_exist=True), today=date.today())
    if args.json:
        print_json(stats_as_dict(stats))
    else:
        sys.stdout.write(render_stats(stats))
    return 0


def _minutes(value: timedelta) -> float:
    return round(value.total_seconds() / 60, 1)


def stats_as_dict(stats: TeamStats) -> dict[str, Any]:
    ft = stats.follow_through
    return {
        "retrospectives": stats.retrospectives,
        "actions": stats.actions,
        "open": stats.open,
        "overdue": stats.overdue,
        "follow_through": {
            "rate": None if ft.rate is None else round(ft.rate, 4),
            "on_time": ft.on_time,
            "missed": ft.missed,
            "not_yet_due": ft.not_yet_due,
            "no_due_date": ft.no_due_date,
            "wont_do": ft.wont_do,
            "unknown_close": ft.unknown_close,
        },
        "median_days_to_close": (
            None if stats.median_days_to_close is None else round(stats.median_days_to_close, 2)
        ),
        "by_owner": [
            {"owner": o.owner, "open": o.open, "overdue": o.overdue} for o in stats.by_owner
        ],
        "time_to_resolve_by_severity": {
            severity: [
                {
                    "retro_id": p.retro_id,
                    "title": p.title,
                    "incident_ref": p.incident_ref,
                    "started_at": p.started.isoformat(),
                    "minutes": _minutes(p.time_to_resolve),
                }
                for p in points
            ]
            for severity, points in stats.resolve_by_severity.items()
        },
    }


def render_stats(stats: TeamStats) -> str:
    from retrotui.core.metrics import format_duration
    from retrotui.core.stats import sparkline
    from retrotui.formats.lines import one_line

    ft = stats.follow_through
    lines = [
        f"Retrospectives   {stats.retrospectives}",
        f"Action items     {stats.actions} ({stats.open} open, {stats.overdue} overdue)",
    ]
    if ft.rate is None:
        lines.append("Follow-through   - (no item has reached its due date yet)")
    else:
        left_out = ft.left_out()
        lines.append(
            f"Follow-through   {ft.rate:.0%} ({ft.on_time} of {ft.measured} done by their "
            "due date" + (f"; left out: {', '.join(left_out)}" if left_out else "") + ")"
        )
    days = stats.median_days_to_close
    lines.append(f"Median to close  {'-' if days is None else f'{days:.1f} days'}")

    lines += ["", "Open action items by owner"]
    if stats.by_owner:
        width = max(len("OWNER"), *(len(one_line(o.owner)) for o in stats.by_owner))
        lines.append(f"  {'OWNER':<{width}}  OPEN  OVERDUE")
        lines += [
            f"  {one_line(o.owner):<{width}}  {o.open:>4}  {o.overdue:>7}" for o in stats.by_owner
        ]
    else:
        lines.append("  none open")

    lines += ["", "Time to resolve by severity (oldest to newest incident)"]
    if stats.resolve_by_severity:
        for severity, points in stats.resolve_by_severity.items():
            values = [p.time_to_resolve for p in points]
            median = statistics.median(v.total_seconds() for v in values)
            lines.append(
                f"  {severity:<5} {len(points):>2} incident{'s' if len(points) != 1 else ' '}"
                f"  median {format_duration(timedelta(seconds=median)):<7}"
                f"  latest {format_duration(values[-1]):<7}"
                f"  {sparkline([v.total_seconds() for v in values])}"
            )
    else:
        lines.append("  no retrospective has a start and a resolution time yet")
    return "\n".join(lines) + "\n"
