"""export: a retrospective as Markdown (through a template) or as a Retro Document."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from retrotui.commands.common import add_db_option, info, store_from
from retrotui.errors import UserError

REF_HELP = "id, id prefix (4+ chars) or incident ref"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    export = sub.add_parser(
        "export",
        help="export a retrospective as Markdown (default) or a Retro Document",
        description="Export a retrospective: GitHub-flavoured Markdown for a wiki, shaped by "
        "a template, or a Retro Document (JSON) for `retrotui import`. Writes to stdout "
        "unless -o is given.",
    )
    export.add_argument("ref", metavar="REF", help=REF_HELP)
    export.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown (default) or json (Retro Document v1)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (replaced whole, never half-written; a link is written "
        "through) instead of stdout ('-')",
    )
    export.add_argument(
        "--copy", action="store_true", help="also put the export on the system clipboard"
    )
    export.add_argument(
        "--template",
        metavar="NAME",
        help="the Markdown template (default: the retrospective's own); "
        "`retrotui templates` lists them",
    )
    export.add_argument(
        "--anonymize",
        action="store_true",
        help="replace every participant's name with their role, in every field",
    )
    add_db_option(export)
    export.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from retrotui.files import write_atomically, write_destination
    from retrotui.services.export import export_bundle
    from retrotui.services.retros import load_bundle, resolve_ref

    output: Path | None = None
    if args.output is not None and not args.output.strip():
        raise UserError("-o needs a file name, e.g. -o incident.md (or - for standard output).")
    if args.output is not None and args.output != "-":  # "-" is stdout, as usual
        output = Path(args.output)
        write_destination(output)  # a bad path fails before anything is done
    store = store_from(args, must_exist=True)
    retro = resolve_ref(store, args.ref)
    result = export_bundle(
        load_bundle(store, retro.id),
        fmt=args.format,
        template_name=args.template,
        anonymize=args.anonymize,
    )
    for notice in result.notices:
        info(f"retrotui: {notice}")
    if args.copy:
        # Before any output, so a missing clipboard fails the command without side effects.
        _copy(result.text, output)
    if output is not None:
        write_atomically(output, result.text)
        info(f"Wrote {output}.")
    else:
        _write_stdout(result.text)
    if args.copy:
        info("Copied the export to the system clipboard.")
    return 0


def _copy(text: str, output: Path | None) -> None:
    from retrotui.clipboard import (
        NO_CLIPBOARD_REASON,
        ClipboardUnavailable,
        copy_to_system_clipboard,
    )

    try:
        copy_to_system_clipboard(text)
    except ClipboardUnavailable as exc:
        if output is None:
            raise
        raise UserError(
            f"{NO_CLIPBOARD_REASON}; nothing was written (run again without --copy to "
            f"write {output})."
        ) from exc


def _write_stdout(text: str) -> None:
    """UTF-8 bytes whatever the locale, so the same data gives the same bytes."""
    from retrotui.files import reason
    from retrotui.formats.inert import inert

    if sys.stdout is None:
        raise UserError("Standard output is closed; use -o FILE to write the export to a file.")
    try:
        sys.stdout.buffer.write(inert(text).encode("utf-8"))
        sys.stdout.flush()
    except BrokenPipeError:
        # `retrotui export X | head`: the reader has all it wanted; not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError as exc:
        raise UserError(f"Cannot write to standard output: {reason(exc)}.") from exc
