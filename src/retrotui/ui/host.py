"""What screens, panes and widgets need from the app, and nothing else.

A leaf module: it imports no screen and not the concrete `RetroApp`, so a pane depends on
the few things it uses (run a database job, today's date, who is typing, the pending
autosaves), and a test could host a pane in another app. Widgets declare `app: Host`;
`RetroApp` is the one implementation. (An abstract App rather than a `typing.Protocol`:
Textual types a widget's `app` as an `App`, which a widget can only narrow to a subclass.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeVar

from textual.app import App

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.undo import UndoStack

T = TypeVar("T")


class Flushable(Protocol):
    """A field with a debounced save pending (see `widgets.autosave`)."""

    def flush(self) -> None: ...


class Host(App[None]):
    """The app as its screens and panes see it."""

    autosaves: set[Flushable]  # fields with a pending debounced save
    identity: str  # who is at this terminal: the author of what is typed here
    follower: bool  # joins meetings as a follower even when nobody drives
    undo: UndoStack  # the deletes made in this terminal (ctrl+z)

    @property
    def today(self) -> date:
        raise NotImplementedError

    def submit(
        self,
        job: Callable[[Store], T],
        done: Callable[[T], object] | None = None,
        failed: Callable[[BaseException], object] | None = None,
        *,
        background: bool = False,
    ) -> None:
        """Run `job(store)` on the database thread; `done(result)` back on the UI thread,
        `failed(error)` (else `on_db_error`) when it raises. mypy checks `done` takes what
        `job` returns. `background`: a periodic read nobody waits for (DbQueue.submit)."""
        raise NotImplementedError

    def on_db_error(self, error: BaseException) -> None:
        """The one place a failed database job is reported to the user."""
        raise NotImplementedError

    def flush_autosaves(self) -> None:
        """Save every pending field now (before quitting, before leaving a screen)."""
        for field in list(self.autosaves):
            field.flush()
