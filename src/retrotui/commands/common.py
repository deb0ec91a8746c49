"""What every subcommand shares: the --db option, opening the store, printing errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from retrotui.config import DB_ENV
from retrotui.errors import UserError

if TYPE_CHECKING:
    from retrotui.store.repository import Store

Handler = Callable[[argparse.Namespace], int]

DB_HELP = "database file or URL (default: $RETROTUI_DB, else the user data directory)"


def add_db_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    # On subcommands the default is SUPPRESS so `retrotui --db X list` is not overwritten
    # by the subcommand's own absent --db.
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=DB_HELP,
        **({"default": None} if top_level else {"default": argparse.SUPPRESS}),
    )


AS_HELP = (
    "your name in the meeting, the author of what you type "
    "(default: $RETROTUI_NAME, else name in config.toml, else your user name)"
)


def add_as_option(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """`--as NAME`: who is at this terminal (see retrotui.identity)."""
    parser.add_argument(
        "--as",
        dest="as_name",
        metavar="NAME",
        help=AS_HELP,
        **({"default": None} if top_level else {"default": argparse.SUPPRESS}),
    )
    parser.add_argument(
        "--follow",
        action="store_true",
        help="join the meeting as a follower even when nobody drives (how browser "
        "participants of `retrotui serve` join); one key takes the lead later",
        **({"default": False} if top_level else {"default": argparse.SUPPRESS}),
    )


def store_from(args: argparse.Namespace, *, must_exist: bool = False) -> Store:
    """The database of a command; `must_exist` for commands that never create one."""
    from retrotui.services.retros import open_store

    store = open_store(getattr(args, "db", None), must_exist=must_exist)
    for notice in store.notices:  # what a migration changed, said once, on stderr
        info(f"retrotui: {notice}")
    return store


def open_app(args: argparse.Namespace, retro_id: str, store: Store) -> int:
    """Ask the command line to open the app on `retro_id`, with the `store` this command
    opened, once the command has finished (`retrotui` itself starts the app: it is no part
    of a subcommand)."""
    args.open_retro_id, args.open_store = retro_id, store
    return 0


def sentence(error: UserError) -> str:
    """An error as the command line tells it: the problem the error carries, and what to
    do about it in this front end's words (its options; the app names its own fields)."""
    from retrotui.formats.timeline_rows import NeedsChannelError, NeedsZoneError, UnknownZoneError
    from retrotui.services.export import MarkdownOnlyError
    from retrotui.services.importing import DeletedRetroError
    from retrotui.services.retros import MissingDatabaseError, NoMatchingRetroError
    from retrotui.services.timeline_import import NotATimelineError

    problem = str(error).removesuffix(".")
    if isinstance(error, NeedsZoneError):
        return f"{problem} or pass --tz ZONE."
    if isinstance(error, NeedsChannelError):
        return f"{problem}; pass --channel NAME."
    if isinstance(error, UnknownZoneError):
        return f"--tz {error}"
    if isinstance(error, DeletedRetroError):
        return f"{problem} (import it with --restore to bring it back)."
    if isinstance(error, NotATimelineError):
        return f"{problem}; import it without --into or --title."
    if isinstance(error, MarkdownOnlyError):
        return (
            "--template and --anonymize shape the Markdown export; "
            "a Retro Document (json) always holds everything as typed."
        )
    if isinstance(error, MissingDatabaseError):
        return (
            f"{problem}; check the path (--db or ${DB_ENV}), "
            "or create a retrospective there with `retrotui new`."
        )
    if isinstance(error, NoMatchingRetroError):
        return f"{problem}; `retrotui list` shows ids and incident refs."
    return str(error)


def info(message: str) -> None:
    """A message for the person at the terminal, kept off stdout so pipes get data only."""
    print(message, file=sys.stderr)


def redraw_line(text: str) -> None:
    """Show `text` in place of the current line on stderr (a progress bar): the carriage
    return is the one control character retrotui sends on purpose, so it goes around the
    filter that makes every other text inert (cli._GuardedOutput)."""
    getattr(sys.stderr, "unfiltered", sys.stderr).write("\r")
    sys.stderr.write(text)
    sys.stderr.flush()


def print_json(value: object) -> None:
    """`value` as indented JSON on stdout: UTF-8 as it is, except the controls a terminal
    would act on, which are \\u escapes (the same data to any JSON reader)."""
    import json

    from retrotui.formats.inert import json_inert

    sys.stdout.write(json_inert(json.dumps(value, ensure_ascii=False, indent=2)) + "\n")
