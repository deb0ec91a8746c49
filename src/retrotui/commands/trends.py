"""trends: contributing factors over time, what recurs, and median incident times."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from typing import TYPE_CHECKING, Any

from retrotui.commands.common import add_db_option, info, print_json
from retrotui.errors import UserError

if TYPE_CHECKING:
    from retrotui.core.factors import Taxonomy
    from retrotui.core.trends import Median, Trends

CHART_CELLS = 24  # periods in the text chart; --json has them all
# What the text shows at most (--json has everything): refs per factor, groups of alike
# action items (the biggest first), and items per group (the first proposal first).
MAX_REFS = 12
MAX_GROUPS = 10
MAX_GROUP_ITEMS = 5
NAME_WIDTH = 24
NO_RETROS = "No retrospectives yet: create one with `retrotui new TITLE`, or try `retrotui demo`."
NO_FACTORS = (
    "No retrospective has a contributing factor yet: add them with "
    "`retrotui tag REF --factor NAME` or in the meeting's Wrap-up stage."
)
STATUS_WORDS = {"open": "open", "in_progress": "in progress", "done": "done", "wont_do": "won't do"}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "trends",
        help="contributing factors over time, recurring factors and actions, median times",
        description="Patterns across incidents: per contributing factor, how many incidents "
        "and which, month by month (or quarter by quarter), with their open and overdue "
        "action items; the factors that recur; action items proposed again in another "
        "retrospective; and the median time to detect, mitigate and resolve per severity, "
        "with the number of incidents each median is over.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object instead")
    parser.add_argument(
        "--by",
        choices=("month", "quarter"),
        default="month",
        help="count incidents per month (default) or per quarter",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only incidents on or after DATE (YYYY-MM-DD, or YYYY-MM for a month's start)",
    )
    add_db_option(parser)
    parser.set_defaults(handler=cmd_trends)


def parse_since(text: str | None) -> date | None:
    if text is None:
        return None
    value = text.strip()
    try:
        if len(value) == 7:
            return date.fromisoformat(value + "-01")
        return date.fromisoformat(value)
    except ValueError:
        from retrotui.formats.inert import inert

        raise UserError(
            f"--since takes a date as YYYY-MM-DD or YYYY-MM, like 2026-01-31; "
            f"{inert(text)!r} is not one."
        ) from None


def cmd_trends(args: argparse.Namespace) -> int:
    from retrotui.store.listing import database_file

    since = parse_since(args.since)
    today = date.today()
    path = database_file(getattr(args, "db", None))
    trends = None
    if path is not None:
        from retrotui.services.trends import quick_trends

        trends = quick_trends(path, today=today, by=args.by, since=since)
    if trends is None:
        from retrotui.commands.common import store_from
        from retrotui.services.trends import load_trends

        trends = load_trends(
            store_from(args, must_exist=True), today=today, by=args.by, since=since
        )
    from retrotui.core.factors import default_taxonomy

    taxonomy = default_taxonomy()
    if args.json:
        print_json(trends_as_dict(trends, taxonomy))
    elif not trends.incidents:
        info(NO_RETROS if since is None else f"No incident on or after {since.isoformat()}.")
    else:
        sys.stdout.write(render_trends(trends, taxonomy))
    return 0


def _median(median: Median) -> dict[str, Any]:
    value = median.value
    return {
        "median_minutes": None if value is None else round(value.total_seconds() / 60, 1),
        "n": median.n,
        "missing": median.missing,
    }


def trends_as_dict(trends: Trends, taxonomy: Taxonomy) -> dict[str, Any]:
    """The JSON of `retrotui trends --json` (keys documented in the README)."""
    from retrotui.core.similarity import THRESHOLD

    return {
        "by": trends.by,
        "since": None if trends.since is None else trends.since.isoformat(),
        "today": trends.today.isoformat(),
        "incidents": trends.incidents,
        "with_factors": trends.with_factors,
        "periods": list(trends.periods),
        "factors": [
            {
                "id": f.factor,
                "name": taxonomy.name_of(f.factor),
                "group": taxonomy.group_of(f.factor),
                "incidents": f.count,
                "refs": [i.ref for i in f.incidents],
                "retro_ids": [i.id for i in f.incidents],
                "per_period": list(f.per_period),
                "open_actions": f.open_actions,
                "overdue_actions": f.overdue_actions,
            }
            for f in trends.factors
        ],
        "recurring": [f.factor for f in trends.recurring],
        "similarity_threshold": THRESHOLD,
        "alike_actions": [
            [
                {
                    "id": a.action.id,
                    "retro_id": a.incident.id,
                    "incident_ref": a.incident.ref,
                    "title": a.action.title,
                    "status": a.action.status,
                    "similarity": round(a.similarity, 2),
                }
                for a in group
            ]
            for group in trends.alike_actions
        ],
        "times_by_severity": [
            {
                "severity": t.severity,
                "incidents": t.incidents,
                "time_to_detect": _median(t.time_to_detect),
                "time_to_mitigate": _median(t.time_to_mitigate),
                "time_to_resolve": _median(t.time_to_resolve),
            }
            for t in trends.times
        ],
    }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_trends(trends: Trends, taxonomy: Taxonomy) -> str:
    from retrotui.core.trends import chart, describe_median
    from retrotui.formats.lines import one_line

    unit = trends.by
    since = f" since {trends.since.isoformat()}" if trends.since else ""
    plural = "s" if trends.incidents != 1 else ""
    lines = [
        f"{trends.incidents} incident{plural}{since}, {trends.with_factors} with contributing "
        f"factors; counted by {unit}.",
        "",
        "Contributing factors",
    ]
    if not trends.factors:
        lines.append(f"  {NO_FACTORS}")
    else:
        shown = trends.periods[-CHART_CELLS:]
        earlier = len(trends.periods) - len(shown)
        lines.append(
            f"  one chart cell per {unit}, {shown[0]} to {shown[-1]}; · none, "
            f"█ {trends.busiest} incident{'s' if trends.busiest != 1 else ''}"
            + (f" (the {earlier} earlier {unit}s are counted, not drawn)" if earlier else "")
        )
        lines.append(f"  {'FACTOR':<{NAME_WIDTH}}  INCIDENTS  OPEN  OVERDUE  CHART")
        for f in trends.factors:
            name = _cut(one_line(taxonomy.name_of(f.factor)), NAME_WIDTH)
            cells = chart(f.per_period[-CHART_CELLS:], trends.busiest)
            lines.append(
                f"  {name:<{NAME_WIDTH}}  {f.count:>9}  {f.open_actions:>4}  "
                f"{f.overdue_actions:>7}  {cells}"
            )
            refs = ", ".join(one_line(i.ref) for i in f.incidents[:MAX_REFS])
            if f.count > MAX_REFS:
                refs += f" and {f.count - MAX_REFS} earlier"
            lines += textwrap.wrap(refs, 78, initial_indent="    ", subsequent_indent="    ")
        lines += ["", "Recurring factors (in 2 or more incidents, most frequent first)"]
        if trends.recurring:
            lines += [
                f"  {_cut(one_line(taxonomy.name_of(f.factor)), NAME_WIDTH):<{NAME_WIDTH}}  "
                f"{f.count} incidents"
                for f in trends.recurring
            ]
        else:
            lines.append("  None yet: every factor is in one incident only.")
    lines += ["", "Action items proposed again (alike titles in different retrospectives)"]
    if trends.alike_actions:
        groups = trends.alike_actions[:MAX_GROUPS]
        width = max(len(one_line(a.incident.ref)) for g in groups for a in g[:MAX_GROUP_ITEMS])
        for group in groups:
            for index, alike in enumerate(group[:MAX_GROUP_ITEMS]):
                mark = "-" if index == 0 else " "
                status = STATUS_WORDS.get(alike.action.status, alike.action.status)
                lines.append(
                    f"  {mark} {one_line(alike.incident.ref):<{width}}  {status:<11}  "
                    f"{one_line(alike.action.title)}"
                )
            if len(group) > MAX_GROUP_ITEMS:
                lines.append(f"    … and {len(group) - MAX_GROUP_ITEMS} more like it")
        if len(trends.alike_actions) > MAX_GROUPS:
            lines.append(
                f"  … and {len(trends.alike_actions) - MAX_GROUPS} more groups "
                "(`retrotui trends --json` lists them all)"
            )
    else:
        lines.append("  None: no action item looks like one from another retrospective.")
    lines += [
        "",
        "Median time from the start, by severity (n: incidents the median is over)",
        f"  {'SEVERITY':<8}  {'INCIDENTS':>9}  {'DETECT':<16}  {'MITIGATE':<16}  RESOLVE",
    ]
    for t in trends.times:
        lines.append(
            f"  {t.severity:<8}  {t.incidents:>9}  {describe_median(t.time_to_detect):<16}  "
            f"{describe_median(t.time_to_mitigate):<16}  {describe_median(t.time_to_resolve)}"
        )
    return "\n".join(lines) + "\n"
