"""search: find retrospectives by any text they hold."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from retrotui.commands.common import add_db_option, info, store_from

if TYPE_CHECKING:
    from retrotui.services.search import SearchResult


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "search",
        help="search every retrospective's text",
        description="Search titles, summaries, impact, timeline events, notes, whys, action "
        'items, factors and tags, best match first. Words must all match; "a phrase" matches '
        "words in order; deploy* matches words starting with deploy; OR between two terms "
        "matches either.",
    )
    parser.add_argument("query", metavar="QUERY", nargs="+", help="what to look for")
    parser.add_argument("--json", action="store_true", help="print JSON instead")
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N results (default 20)"
    )
    add_db_option(parser)
    parser.set_defaults(handler=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    from retrotui.services.search import search

    store = store_from(args, must_exist=True)
    results = search(store, " ".join(args.query), limit=args.limit)
    if args.json:
        json.dump([result_as_dict(r) for r in results], sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif not results:
        info("No matches.")
    else:
        sys.stdout.write(render_results(results))
    return 0


def result_as_dict(result: SearchResult) -> dict[str, Any]:
    segments = result.segments()
    return {
        "where": result.where,
        "kind": result.kind,
        "record_id": result.record_id,
        "event_number": result.event_number,
        "stage": result.stage,
        "snippet": "".join(text for text, _ in segments),
        "matches": [text for text, match in segments if match],
        "retro": {
            "id": result.retro_id,
            "incident_ref": result.retro_ref,
            "title": result.retro_title,
        },
    }


def render_results(results: list[SearchResult]) -> str:
    """One line each: where it belongs, then the snippet with matches in [brackets]."""
    from retrotui.formats.lines import one_line

    width = max(len(one_line(r.where)) for r in results)
    lines = []
    for result in results:
        snippet = "".join(f"[{text}]" if match else text for text, match in result.segments())
        lines.append(f"{one_line(result.where).ljust(width)}  {one_line(snippet)}")
    return "\n".join(lines) + "\n"
