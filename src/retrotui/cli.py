"""The `retrotui` command: parses arguments, runs a subcommand, maps errors to exit codes.

Exit status: 0 success; 2 bad input or an unusable database (one sentence on stderr);
1 anything unexpected (a short message; set RETROTUI_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar, cast

from retrotui import __version__
from retrotui.commands import actions, retros, search, serve, stats, tags, trends
from retrotui.commands import copy as copy_command
from retrotui.commands import export as export_command
from retrotui.commands import imports as import_command
from retrotui.commands import templates as templates_command
from retrotui.commands.common import add_as_option, add_db_option, sentence
from retrotui.errors import UserError

if TYPE_CHECKING:
    from retrotui.store.repository import Store

PROG = "retrotui"
T = TypeVar("T")


class Parser(argparse.ArgumentParser):
    """argparse with errors as one sentence plus where to find help, status 2."""

    def error(self, message: str) -> NoReturn:
        from retrotui.formats.inert import inert

        # The message may quote an argument, which may hold anything.
        sentence = inert(message[0].upper() + message[1:])
        self.exit(2, f"{self.prog}: {sentence}. See '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Run blameless incident retrospectives live in the terminal. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_db_option(parser, top_level=True)
    add_as_option(parser, top_level=True)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    retros.register(sub)
    export_command.register(sub)
    templates_command.register(sub)
    import_command.register(sub)
    copy_command.register(sub)
    actions.register(sub)
    stats.register(sub)
    serve.register(sub)
    tags.register(sub)
    search.register(sub)
    trends.register(sub)
    return parser


def launch_app(
    args: argparse.Namespace, retro_id: str | None = None, store: Store | None = None
) -> int:
    """Open the app (on one retrospective, or on the home screen); its exit status.

    A command that has already opened the database passes its `store`: one process keeps
    one Store per database (see store/engine.py on why a second opening is avoided).
    """
    from retrotui.identity import resolve_name

    name = resolve_name(getattr(args, "as_name", None))  # a bad name is said before anything
    # Under `retrotui serve` the terminal is a browser tab, reached through pipes.
    in_browser = bool(os.environ.get("TEXTUAL_DRIVER"))
    if not in_browser and not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "The app needs an interactive terminal; for scripts use the subcommands "
            "(see `retrotui --help`)."
        )
    # `open` and `demo` get here from a subcommand, which paused the cyclic collector (see
    # `main`): the app runs for hours and must collect its garbage.
    gc.enable()
    from retrotui.ui.app import make_app

    app = make_app(
        getattr(args, "db", None),
        retro_id=retro_id,
        store=store,
        name=name,
        follower=bool(getattr(args, "follow", False)),
    )
    app.run()
    return app.return_code or 0


class _GuardedOutput:
    """Standard output and error for subcommands, the one way their text reaches a
    terminal: everything written is made inert (formats/inert.py: control characters in
    stored or imported text are shown as symbols, never acted on). On standard output a
    write that fails (a full disk, a broken device) becomes one sentence and exit status 2
    instead of a traceback; a reader that went away still raises BrokenPipeError, which
    `main` treats as success."""

    def __init__(self, stream: TextIO, *, guard: bool = True) -> None:
        self._stream = stream
        self._guard = guard

    @property
    def unfiltered(self) -> TextIO:
        """The stream itself, for the one control character retrotui writes on purpose
        (the carriage return that redraws the import progress bar)."""
        return self._stream

    def _guarded(self, operation: Callable[[], T]) -> T:
        from retrotui.files import reason

        if not self._guard:
            return operation()
        try:
            return operation()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise UserError(f"Cannot write to standard output: {reason(exc)}.") from exc

    def write(self, text: str) -> int:
        from retrotui.formats.inert import inert

        safe = inert(text)
        self._guarded(lambda: self._stream.write(safe))
        return len(text)

    def flush(self) -> None:
        self._guarded(self._stream.flush)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    streams = (sys.stdout, sys.stderr)
    try:
        if handler is None:
            return launch_app(args)
        # A subcommand runs once and exits, and what it allocates (tens of thousands of
        # records for a big export or import) lives until then: the cyclic collector would
        # only rescan it, again and again, for nothing to free (a third of a 10,000-event
        # export's time; bench/export.py). The app, which runs for hours, keeps it.
        gc.disable()
        if sys.stdout is not None:
            sys.stdout = cast(TextIO, _GuardedOutput(sys.stdout))
        if sys.stderr is not None:
            sys.stderr = cast(TextIO, _GuardedOutput(sys.stderr, guard=False))
        code = int(handler(args))
        if sys.stdout is not None:
            sys.stdout.flush()  # here, so a full disk is reported like any other error
        retro_id = getattr(args, "open_retro_id", None)
        if code == 0 and retro_id is not None:  # `open` and `demo` end in the app
            # Undo what a one-shot subcommand runs with: the app runs for hours.
            gc.enable()
            sys.stdout, sys.stderr = streams
            return launch_app(args, retro_id, store=getattr(args, "open_store", None))
        return code
    except UserError as exc:
        print(f"{PROG}: {sentence(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`retrotui list | head`): not an error. Point stdout at
        # /dev/null so the interpreter's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get("RETROTUI_DEBUG"):
            raise
        print(
            f"{PROG}: unexpected error ({type(exc).__name__}: {exc}); "
            "run again with RETROTUI_DEBUG=1 for details and report it.",
            file=sys.stderr,
        )
        return 1
    finally:
        sys.stdout, sys.stderr = streams


def run() -> NoReturn:
    sys.exit(main())
