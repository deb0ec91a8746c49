"""serve: the meeting in a browser, behind a link only the participants have."""

from __future__ import annotations

import argparse
from typing import Any

from retrotui.commands.common import add_db_option
from retrotui.errors import UserError

DEFAULT_PORT = 8000
DEFAULT_MAX = 30


def register(sub: argparse._SubParsersAction[Any]) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve the meeting in a browser: prints a link for the participants",
        description="Serve retrotui to browsers with textual-serve: each browser tab runs "
        "its own app process on this machine, on this database, so everyone with the "
        "printed link joins the same meeting (as a follower). The link carries a secret "
        "token; a request without it gets 403. Ctrl-C ends the meeting for everyone. "
        "Needs the serve extra: pip install 'retrotui[serve]'.",
    )
    serve.add_argument("ref", metavar="REF", nargs="?", help="the retrospective to open")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; anything else "
        "makes the meeting reachable from the network)",
    )
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help="default: 8000")
    serve.add_argument(
        "--max-participants",
        type=_positive,
        default=DEFAULT_MAX,
        metavar="N",
        help=f"browser participants admitted at once (default: {DEFAULT_MAX})",
    )
    add_db_option(serve)
    serve.set_defaults(handler=cmd_serve)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 1 to 65535, not {text!r}")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from retrotui.web.server import MeetingOptions, MeetingServer
    except ImportError as exc:
        raise UserError(
            "retrotui serve needs the serve extra: pip install 'retrotui[serve]'."
        ) from exc
    from retrotui.commands.common import store_from
    from retrotui.services.retros import resolve_ref

    store = store_from(args, must_exist=args.ref is not None)
    ref = None
    try:
        if args.ref is not None:
            ref = resolve_ref(store, args.ref).id  # an unknown REF is refused before serving
        url = store.url
    finally:
        store.close()
    options = MeetingOptions(
        db=url,
        ref=ref,
        host=args.host,
        port=args.port,
        max_participants=args.max_participants,
    )
    server = MeetingServer(options)
    try:
        server.serve()
    except OSError as exc:
        raise UserError(
            f"Cannot listen on {args.host} port {args.port}: {exc.strerror or exc}."
        ) from exc
    return 0
