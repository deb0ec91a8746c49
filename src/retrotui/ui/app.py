"""The retrotui app: opens the database off the first frame, routes errors, keeps settings.

`make_app()` builds it for the command line and the tests alike.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from retrotui.config import resource_dir
from retrotui.errors import UserError
from retrotui.formats.inert import inert
from retrotui.ui.db import DbQueue
from retrotui.ui.host import Flushable, Host
from retrotui.ui.idle_collector import CHECK_SECONDS, IdleCollector
from retrotui.ui.undo import UndoStack
from retrotui.ui.widgets.text import make_all_text_inert

if TYPE_CHECKING:
    from retrotui.store.listing import RetroListRow
    from retrotui.store.repository import Store

MIN_WIDTH, MIN_HEIGHT = 60, 18
_LINE_BREAK = re.compile("\r\n?")  # terminals send a pasted line break as CR
T = TypeVar("T")


class LoadingScreen(Screen[None]):
    """Shown for the moment it takes to open (and maybe migrate) the database."""

    def compose(self) -> Iterable[Static]:
        yield Static("Opening the retrospective database…", id="loading")


class RetroApp(Host):
    TITLE = "retrotui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Save everything and quit"),
        Binding("question_mark", "help", "Help", id="help", key_display="?"),
    ]

    def __init__(
        self,
        *,
        open_store: Callable[[], Store],
        quick_list: Callable[[], list[RetroListRow] | None] = lambda: None,
        retro_id: str | None = None,
        today: date | None = None,
        remember_theme: Callable[[str], None] | None = None,
        theme: str | None = None,
        keymap: dict[str, str] | None = None,
        identity: str = "",
        follower: bool = False,
    ) -> None:
        make_all_text_inert()  # before anything is shown; see ui/widgets/text.py
        super().__init__()
        # Who is at this terminal: the author of what is typed here, the name others see.
        self.identity = identity
        self.follower = follower
        self.undo = UndoStack()
        self._open_store = open_store
        self._quick_list = quick_list
        self._home_drawn = threading.Event()
        self._opening: list[tuple[Callable[[Store], Any], Any, Any]] | None = []
        self.start_retro_id = retro_id
        self.fixed_today = today
        self._remember_theme = remember_theme
        self.db: DbQueue | None = None
        self.autosaves: set[Flushable] = set()  # widgets with pending debounced saves
        self.collector = IdleCollector()
        self._warned_small = False
        if theme and theme in self.available_themes:
            self.theme = theme
        if keymap:
            self.set_keymap(keymap)

    @property
    def today(self) -> date:
        return self.fixed_today or datetime.now(UTC).date()

    # -- start-up: first frame first, then the database ------------------------------------

    def on_mount(self) -> None:
        self.collector.start()
        self.set_interval(CHECK_SECONDS, self.collector.check)
        self.push_screen(LoadingScreen())
        self.run_worker(self._open_in_thread, thread=True, exit_on_error=False, name="open")

    def _open_in_thread(self) -> None:
        # The home list first, when it can be read without the SQL stack (a SQLite file):
        # importing SQLAlchemy and SQLModel to open the Store costs several times as much.
        rows = None if self.start_retro_id else self._quick_list()
        if rows is not None:
            self.call_from_thread(self._show_home, rows)
            # Let the list reach the screen before the imports compete with it for the GIL.
            self._home_drawn.wait(2.0)
        try:
            store = self._open_store()
        except UserError as exc:
            self.call_from_thread(self.exit, None, 2, str(exc))
            return
        self.call_from_thread(self._store_ready, store)

    def _show_home(self, rows: list[RetroListRow] | None = None) -> None:
        from retrotui.ui.screens.home import HomeScreen

        if not any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            self.switch_screen(HomeScreen(rows))
        self.call_after_refresh(self._home_drawn.set)

    def _store_ready(self, store: Store) -> None:
        self.db = DbQueue(self, store)
        self.db.start()
        waiting, self._opening = self._opening or [], None
        for job, done, failed in waiting:
            self.db.submit(job, done, failed)
        self._show_home()
        for notice in store.notices:  # what a migration changed (records it kept aside)
            self.notify(notice, title="Database upgraded", timeout=20, markup=False)
        if self.start_retro_id:
            from retrotui.ui.screens.retro import RetroScreen

            self.push_screen(RetroScreen(self.start_retro_id))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.collector.key_pressed()
        elif isinstance(event, events.Paste) and not event.is_forwarded:
            # Pasted text (a log line with colour codes, say) goes in inert, like typed
            # text: line breaks as newlines, every other control character as a symbol.
            event.text = inert(_LINE_BREAK.sub("\n", event.text))
        await super().on_event(event)

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme is not None:
            self._remember_theme(theme)

    # -- database access for screens ----------------------------------------------------------

    def submit(
        self,
        job: Callable[[Store], T],
        done: Callable[[T], object] | None = None,
        failed: Callable[[BaseException], object] | None = None,
        *,
        background: bool = False,
    ) -> None:
        """Run `job(store)` on the database thread; `done(result)` back on the UI thread.
        `background`: a periodic read nobody waits for (see DbQueue.submit).
        Jobs asked for while the database is still opening wait for it."""
        if self.db is None and self._opening is not None:
            self._opening.append((job, done, failed))
            return
        if self.db is None:
            self.notify("The database is not open yet.", severity="warning")
            return
        self.db.submit(job, done, failed, background=background)

    def on_db_error(self, error: BaseException) -> None:
        """The one place a failed database job is reported to the user."""
        if isinstance(error, UserError):
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
        else:
            self.log.error(repr(error))
            self.notify(
                f"Unexpected error: {type(error).__name__}: {error}",
                title="Not saved",
                severity="error",
                timeout=12,
            )

    # -- quitting without losing a keystroke ---------------------------------------------

    def unsaved_count(self) -> int:
        """Fields whose text is not in the database (busy database, refused text)."""
        return sum(1 for saver in self.autosaves if getattr(saver, "has_unsaved", False))

    async def action_quit(self) -> None:
        """Save everything, wait for the database to take it, then quit; if some text
        still could not be saved, ask before losing it."""
        self.flush_autosaves()
        for screen in self.screen_stack:
            # Screens with something to put away first (the meeting pauses its clock).
            prepare = getattr(screen, "prepare_to_leave", None)
            if prepare is not None:
                prepare()
        if self.db is not None:
            db = self.db
            if not db.is_idle or self.unsaved_count():
                self.notify("Saving before quitting: waiting for the database…", timeout=4)
            await self.run_worker(lambda: db.wait_idle(30.0), thread=True, name="drain").wait()
        unsaved = self.unsaved_count()
        if unsaved:
            from retrotui.ui.screens.confirm import ConfirmScreen

            fields = "1 field is" if unsaved == 1 else f"{unsaved} fields are"
            question = (
                f"{fields} not saved yet (marked 'not saved yet'): the database is busy or "
                "refused the text. retrotui keeps retrying while it runs. Quit anyway and "
                "lose that text?"
            )

            def answer(lose_it: bool | None) -> None:
                if lose_it:
                    self._exit_now()

            self.push_screen(ConfirmScreen(question, yes="Quit and lose it", no="Stay"), answer)
            return
        self._exit_now()

    def _exit_now(self) -> None:
        if self.db is not None:
            self.db.stop()
        self.exit()

    def on_resize(self) -> None:
        """Say once, kindly, when the terminal is too small to show a meeting properly."""
        too_small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        if too_small and not self._warned_small:
            self.notify(
                f"The terminal is {self.size.width}×{self.size.height}; retrotui needs at "
                f"least {MIN_WIDTH}×{MIN_HEIGHT} to show everything. Enlarge it or zoom out.",
                severity="warning",
                timeout=8,
            )
        self._warned_small = too_small

    def on_unmount(self) -> None:
        self.collector.stop()
        if self.db is not None:
            self.db.stop()

    def action_help(self) -> None:
        from retrotui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- the command palette: every action of the current screen, by name ----------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every binding active on this screen (focused widget, its parents, the screen and
        # the app) is also a command, so nothing is reachable only by a key.
        seen: set[str] = {"quit", "command_palette"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            key = binding.key_display or active.node.app.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip + ' · ' if binding.tooltip else ''}key: {key}",
                _runner(active.node, binding.action),
            )


def _runner(node: Any, action: str) -> Callable[[], Any]:
    async def run() -> None:
        await node.run_action(action)

    return run


def load_stylesheet() -> str:
    """styles/app.tcss (the variables) followed by the per-screen sheets, as one text.

    Textual scopes `$variables` to the file that defines them; joining the sheets lets
    every screen's sheet use the variables defined once at the top of app.tcss.
    """
    folder = resource_dir("styles")
    others = sorted(p for p in folder.glob("*.tcss") if p.name != "app.tcss")
    sheets = [folder / "app.tcss", *others]
    return "\n".join(f"/* {p.name} */\n{p.read_text(encoding='utf-8')}" for p in sheets)


def make_app(
    db: str | None = None,
    *,
    retro_id: str | None = None,
    today: date | None = None,
    remember: bool = True,
    store: Store | None = None,
    busy_timeout: float | None = None,
    name: str | None = None,
    follower: bool = False,
) -> RetroApp:
    """The app for `--db` (or the default database), optionally opened on one retrospective;
    on `store` when the caller has opened it already; for the person `name` (else
    $RETROTUI_NAME, config.toml's `name`, the OS user).

    `busy_timeout`: seconds a save waits for another process's write lock before it counts
    as failed (and is retried); the store's default when None.

    Nothing of the SQL stack is imported here: the Store is opened on a worker thread
    after the first frame (and, for a SQLite file, after the home list is on screen)."""
    from retrotui.identity import resolve_name
    from retrotui.settings import section
    from retrotui.state import load_state
    from retrotui.state import remember as remember_setting

    def open_store() -> Store:
        if store is not None:
            return store
        from retrotui.services.retros import open_store

        timeout_ms = None if busy_timeout is None else int(busy_timeout * 1000)
        return open_store(db, busy_timeout_ms=timeout_ms)

    def quick_list() -> list[RetroListRow] | None:
        from retrotui.store.listing import database_file, read_sqlite_list

        path = database_file(db) if store is None else None
        return read_sqlite_list(path) if path is not None else None

    RetroApp.CSS = load_stylesheet()
    return RetroApp(
        open_store=open_store,
        quick_list=quick_list,
        retro_id=retro_id,
        today=today,
        remember_theme=(lambda name: remember_setting("theme", name)) if remember else None,
        theme=load_state().get("theme") if remember else None,
        keymap={str(k): str(v) for k, v in section("keys").items()},
        identity=resolve_name(name),
        follower=follower,
    )
