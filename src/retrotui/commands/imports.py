"""import: a Retro Document (create or merge) or a timeline file (CSV, JSON Lines, Slack)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrotui.commands.common import add_db_option, info, redraw_line, store_from
from retrotui.errors import UserError

if TYPE_CHECKING:
    from datetime import tzinfo

    from retrotui.store.repository import Store

FORMAT_CHOICES = ("auto", "retro-json", "csv", "jsonl", "slack")


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "import",
        help="import a Retro Document (JSON) or a timeline (CSV, JSON Lines, Slack export)",
        description="A Retro Document creates a retrospective, or merges into the one with "
        "its id. A timeline file adds events to --into REF or to a new retrospective "
        "--title TITLE. Prints the id of the retrospective; changes nothing with --dry-run.",
    )
    parser.add_argument("file", metavar="FILE", help="the file (or Slack export folder)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--into", metavar="REF", help="add the timeline to this retrospective")
    target.add_argument("--title", metavar="TITLE", help="add the timeline to a new one")
    parser.add_argument(
        "--format", choices=FORMAT_CHOICES, default="auto", help="default: told by content"
    )
    parser.add_argument(
        "--tz", metavar="ZONE", help="zone for times without an offset (Europe/Paris, +02:00)"
    )
    parser.add_argument("--channel", metavar="NAME", help="the channel of a Slack export")
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be imported; change nothing"
    )
    parser.add_argument(
        "--restore",
        action="store_true",
        help="import a Retro Document even if its retrospective was deleted here after "
        "the document's last edit",
    )
    add_db_option(parser)
    parser.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from retrotui.formats.detect import detect_format
    from retrotui.formats.timeline_rows import parse_zone

    path = Path(args.file)
    zone = parse_zone(args.tz) if args.tz is not None else None
    fmt = detect_format(path) if args.format == "auto" else args.format
    if fmt == "retro-json":
        if args.into is not None or args.title is not None:
            raise UserError(
                f"{path} is a Retro Document, which carries its own retrospective; "
                "import it without --into or --title."
            )
        return _import_document(args, path, zone)
    return _import_timeline(args, path, fmt, zone)


def _import_document(args: argparse.Namespace, path: Path, zone: tzinfo | None) -> int:
    from retrotui.services.importing import import_document, read_document

    doc = read_document(path, zone=zone)
    report = import_document(store_from(args), doc, dry_run=args.dry_run, restore=args.restore)
    if args.dry_run:
        print("\n".join(report.lines(detail=True)))
        return 0
    print(report.retro_id)
    info("\n".join(report.lines()))
    return 0


def _import_timeline(args: argparse.Namespace, path: Path, fmt: str, zone: tzinfo | None) -> int:
    from retrotui.services.retros import resolve_ref
    from retrotui.services.timeline_import import commit_timeline, preview_timeline

    if args.into is None and args.title is None and not args.dry_run:
        raise UserError(
            "A timeline needs a place to go: add --into REF (an existing retrospective) "
            "or --title TITLE (a new one)."
        )
    store: Store | None = None
    retro_id = None
    if args.into is not None:
        store = store_from(args)
        retro_id = resolve_ref(store, args.into).id
    preview = preview_timeline(
        store, path, fmt=fmt, zone=zone, channel=args.channel, retro_id=retro_id
    )
    if args.dry_run:
        print("\n".join(["Dry run: nothing imported.", *preview.lines()]))
        return 0
    store = store or store_from(args)
    progress = _ProgressBar() if sys.stderr.isatty() else None
    result = commit_timeline(store, preview, title=args.title, progress=progress)
    if progress:
        progress.done()
    print(result.retro_id)
    where = "a new retrospective" if result.created else "the retrospective"
    skipped = (
        f"; {result.duplicates_skipped} already there, skipped" if result.duplicates_skipped else ""
    )
    info(f"Imported {result.added} events into {where} ({result.retro_id[:8]}){skipped}.")
    for warning in preview.warnings:
        info(f"Warning: {warning}")
    return 0


class _ProgressBar:
    """A one-line bar on stderr, redrawn in place; only used when stderr is a terminal."""

    WIDTH = 30

    def __init__(self) -> None:
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        redraw_line(f"Importing [{bar}] {percent:3d}% ({done}/{total})")

    def done(self) -> None:
        if self.shown >= 0:
            sys.stderr.write("\n")
            sys.stderr.flush()
