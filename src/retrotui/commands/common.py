"""What every subcommand shares: the --db option, opening the store, printing errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

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


def store_from(args: argparse.Namespace, *, must_exist: bool = False) -> Store:
    """The database of a command; `must_exist` for commands that never create one."""
    from retrotui.services.retros import open_store

    return open_store(getattr(args, "db", None), must_exist=must_exist)


def info(message: str) -> None:
    """A message for the person at the terminal, kept off stdout so pipes get data only."""
    print(message, file=sys.stderr)
