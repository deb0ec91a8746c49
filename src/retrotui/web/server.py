"""A textual-serve server for one meeting: a secret link, a name, one app process per tab.

textual-serve starts one app process per browser tab (its `AppService`), so every
participant is a terminal of the shared meeting on the same database. This subclass adds
what a meeting link needs: every page and the websocket live under `/m/<token>/`; any
other request gets 403 and starts nothing; a tab past `max_participants` gets a page saying
the meeting is full; the participant's name reaches the app as `RETROTUI_NAME`; nothing is
fetched from the internet (our own page replaces textual-serve's, which loads a web font
from Google); and the token never reaches a log (aiohttp's access log is off).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import shlex
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from retrotui.core.names import participant_name

PAGES = Path(__file__).resolve().parent / "pages"
# 24 random bytes: 192 bits, well over the 128 a guessable-link attack would need.
TOKEN_BYTES = 24
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# How long a participant's process gets to quit before it is killed at shutdown.
QUIT_GRACE_S = 5.0

log = logging.getLogger("retrotui.serve")


@dataclass(frozen=True)
class MeetingOptions:
    """What `retrotui serve` was asked to serve."""

    db: str | None
    ref: str | None
    host: str = "127.0.0.1"
    port: int = 8000
    max_participants: int = 30
    token: str = field(default_factory=lambda: secrets.token_urlsafe(TOKEN_BYTES))

    @property
    def link(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/m/{self.token}/"

    @property
    def exposed(self) -> bool:
        """True when the meeting is reachable from other machines."""
        return self.host not in LOCAL_HOSTS


def participant_command(options: MeetingOptions) -> str:
    """The shell command textual-serve runs for each tab: this Python, this database."""
    argv = [sys.executable, "-m", "retrotui"]
    if options.db:
        argv += ["--db", options.db]
    if options.ref:
        argv += ["open", options.ref]
    # Browser participants follow: the moderator's terminal drives.
    return shlex.join([*argv, "--follow"])


class ParticipantService(AppService):
    """One participant's app process, started with their name in its environment."""

    def __init__(self, command: str, *, name: str, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.participant = name

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment["RETROTUI_NAME"] = self.participant
        return environment

    async def stop_within(self, seconds: float) -> None:
        """Ask the app to quit; kill it if it has not within `seconds`."""
        try:
            await asyncio.wait_for(self.stop(), seconds)
        except (TimeoutError, ConnectionError):
            process = self._process
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()


class MeetingServer(Server):
    """textual-serve's server, behind a meeting link."""

    def __init__(self, options: MeetingOptions) -> None:
        super().__init__(
            participant_command(options),
            host=options.host,
            port=options.port,
            title="retrotui",
            templates_path=PAGES,
        )
        self.options = options
        self.participants: set[ParticipantService] = set()

    # -- the token ---------------------------------------------------------------------
    def _admitted(self, request: web.Request) -> bool:
        given = request.match_info.get("token", "")
        return hmac.compare_digest(given.encode(), self.options.token.encode())

    def _forbidden(self) -> web.Response:
        return web.Response(
            status=403,
            text="This meeting link is not valid: ask the moderator for the link.\n",
        )

    @property
    def full(self) -> bool:
        return len(self.participants) >= self.options.max_participants

    # -- routes ------------------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(
            app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True
        )
        app.add_routes(
            [
                web.get("/m/{token}/", self.handle_meeting, name="meeting"),
                web.get("/m/{token}/ws/{name}", self.handle_join, name="websocket"),
                web.static("/static", self.statics_path, name="static"),
                web.route("*", "/{tail:.*}", self.handle_elsewhere),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_elsewhere(self, request: web.Request) -> web.Response:
        return self._forbidden()

    async def handle_meeting(self, request: web.Request) -> web.StreamResponse:
        """The join form, the meeting-is-full page, or the terminal for a named person."""
        if not self._admitted(request):
            return self._forbidden()
        raw_name = request.query.get("as", "")
        if self.full:
            return _page(request, "full.html", {"limit": self.options.max_participants}, 503)
        name = participant_name(raw_name)
        if name is None:
            return _page(request, "join.html", {"name": raw_name.strip()[:60]})
        websocket = request.app.router["websocket"].url_for(token=self.options.token, name=name)
        scheme = "wss" if request.secure else "ws"
        context = {
            "name": name,
            "static_url": "/static/",
            "websocket_url": f"{scheme}://{request.host}{websocket}",
            "font_size": _int(request.query.get("fontsize"), 16),
        }
        return _page(request, "meeting.html", context)

    async def handle_join(self, request: web.Request) -> web.StreamResponse:
        """A participant's websocket: checked before any process is started."""
        if not self._admitted(request):
            return self._forbidden()
        name = participant_name(request.match_info.get("name", ""))
        if name is None:
            return web.Response(status=400, text="A participant needs a name.\n")
        if self.full:
            return web.Response(status=503, text="The meeting is full.\n")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        service = ParticipantService(
            self.command,
            name=name,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.participants.add(service)
        try:
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("a participant's session failed")
        finally:
            self.participants.discard(service)
            await service.stop_within(QUIT_GRACE_S)
        return websocket

    # -- start and stop ----------------------------------------------------------------
    def announce(self) -> None:
        """What the moderator needs, printed once the port is open (the link works then)."""
        say = self.console.print
        say(f"[bold]retrotui meeting[/] for {self.options.ref or 'the home screen'}")
        if self.options.exposed:
            say(
                f"[bold yellow]Warning:[/] listening on {self.options.host}: anyone on the "
                "network who has the link can join the meeting."
            )
        say("Join link (share it with the participants):")
        print(self.options.link, flush=True)  # plain: never wrapped, easy to copy
        say("Press Ctrl+C to end the meeting (every participant's session closes).")

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl-C: close every participant's process, not just the web server."""
        await asyncio.gather(
            *(service.stop_within(QUIT_GRACE_S) for service in list(self.participants)),
            return_exceptions=True,
        )

    async def run(self) -> None:
        """Listen, announce the link, and serve until SIGINT or SIGTERM. aiohttp's access
        log stays off: it would write every request's path, token included."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, stop.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.options.host, self.options.port).start()
            self.announce()
            await stop.wait()
        finally:
            await runner.cleanup()  # runs on_shutdown: every participant's process ends

    def serve(self, debug: bool = False) -> None:
        self.initialize_logging()
        asyncio.run(self.run())


def _page(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    response = aiohttp_jinja2.render_template(template, request, context, status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the page's URL
    return response


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or ""), 1000))
    except ValueError:
        return default
