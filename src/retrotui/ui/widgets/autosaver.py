"""Text fields that save themselves: 0.25 s after the last keystroke, and never later than
0.3 s after the first unsaved one (so steady typing is saved while it goes on), on blur,
and before the app quits. No Save button anywhere.

A save that fails because the database is busy or unreachable stays pending: the field is
marked unsaved ("not saved yet" in its border), the save is retried with backoff until it
lands, and quitting waits for it or asks before losing it. A save refused for its content
(too long, NUL) shows the reason and leaves the text in the field, marked unsaved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.widget import Widget

from retrotui.errors import UserError
from retrotui.store.errors import NotFoundError, StoreError

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

# Saved this long after the last keystroke ...
DEBOUNCE_SECONDS = 0.25
# ... and at the latest this long after the first unsaved one: with the commit itself,
# inside the promise that a crash loses nothing typed more than 0.5 s before it.
MAX_WAIT_SECONDS = 0.3
# Retries of a save the database could not take: first after this long, doubling up to
# RETRY_MAX_SECONDS between attempts, for as long as it takes.
RETRY_FIRST_SECONDS = 0.5
RETRY_MAX_SECONDS = 8.0
NOT_SAVED_LABEL = "not saved yet · retrying"

SaveJob = Callable[["Store", str], Any]


def worth_retrying(error: BaseException) -> bool:
    """A failure of the database (busy, unreachable, full) rather than of the text itself
    (too long, NUL) or of its record (deleted in the meantime)."""
    if isinstance(error, NotFoundError):
        return False
    return isinstance(error, StoreError) or not isinstance(error, UserError)


class Autosaver:
    """The debounce, retries and unsaved state shared by every autosaving widget."""

    def __init__(self, widget: Widget, save: SaveJob, on_saved: Callable[[Any], object] | None):
        self.widget = widget
        self.save = save
        self.on_saved = on_saved
        self.saved_value: str | None = None
        self.pending: str | None = None
        self.timer: Timer | None = None
        self.first_unsaved: float | None = None  # time.monotonic() of the first keystroke
        self.refused: str | None = None  # text the store refused for its content
        self.retry: dict[SaveJob, str] = {}  # per save target, the text to try again
        self._retry_timer: Timer | None = None
        self._backoff = RETRY_FIRST_SECONDS
        self._latest: dict[SaveJob, int] = {}  # per save target, its newest submission
        self._serial = 0
        self._in_flight = 0
        self._told_busy = False
        self._app: Host | None = None

    @property
    def app(self) -> Host:
        # Kept once known: retries go on after the widget's screen has closed.
        if self._app is None:
            self._app = self.widget.app  # type: ignore[assignment]
        assert self._app is not None
        return self._app

    @property
    def has_unsaved(self) -> bool:
        """Text that is not in the database yet (typed, on its way, or waiting to retry)."""
        return bool(
            self.pending is not None or self._in_flight or self.retry or self.refused is not None
        )

    def baseline(self, value: str) -> None:
        """The value as loaded from the database: nothing to save yet."""
        self.saved_value = value
        self.pending = None
        self.refused = None
        self.first_unsaved = None
        self._show_state()

    def changed(self, value: str) -> None:
        if value == self.saved_value and self.pending is None:
            return
        self.pending = value
        self.retry.pop(self.save, None)  # this newer text replaces what waited to retry
        self._register()
        now = time.monotonic()
        if self.first_unsaved is None:
            self.first_unsaved = now
        delay = min(DEBOUNCE_SECONDS, self.first_unsaved + MAX_WAIT_SECONDS - now)
        if delay <= 0:
            self.flush()
            return
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.widget.set_timer(delay, self.flush)

    def flush(self) -> None:
        """Send the pending value, and any waiting retry, to the database now (also on blur
        and before quitting)."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        self.first_unsaved = None
        self._retry_now()
        value, self.pending = self.pending, None
        if value is not None and (value != self.saved_value or self.refused is not None):
            self._submit(self.save, value)
        self._register()

    # -- one save and what comes back -----------------------------------------------------

    def _submit(self, save: SaveJob, value: str) -> None:
        self._serial += 1
        serial = self._serial
        self._latest[save] = serial
        self.retry.pop(save, None)
        self._in_flight += 1

        def done(result: Any) -> None:
            self._in_flight -= 1
            if save is self.save:
                self.saved_value = value
                self.refused = None
            if not self.retry:
                self._backoff = RETRY_FIRST_SECONDS
                if self._told_busy and not self._in_flight:
                    self._told_busy = False
                    self.app.notify("Saved: the text that was waiting is in the database.")
            self._register()
            if self.on_saved is not None:
                self.on_saved(result)

        def failed(error: BaseException) -> None:
            self._in_flight -= 1
            newer = self._latest.get(save) != serial or (
                save is self.save and self.pending is not None
            )
            if not worth_retrying(error):
                if save is self.save:
                    self.refused = value
                self.app.on_db_error(error)
            elif not newer:  # newer text for the same place is on its way: it replaces this
                self.retry[save] = value
                self._schedule_retry()
                if not self._told_busy:
                    self._told_busy = True
                    self.app.notify(
                        f"{error} retrotui keeps the text (marked 'not saved yet') and "
                        "saves it as soon as the database lets it.",
                        title="Not saved yet",
                        severity="warning",
                        timeout=8,
                        markup=False,
                    )
            self._register()

        self.app.submit(lambda store: save(store, value), done, failed)

    def _schedule_retry(self) -> None:
        if self._retry_timer is not None:
            return
        delay = self._backoff
        self._backoff = min(self._backoff * 2, RETRY_MAX_SECONDS)
        self._retry_timer = self.app.set_timer(delay, self._retry_now)

    def _retry_now(self) -> None:
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        for save, value in list(self.retry.items()):
            self._submit(save, value)

    def _register(self) -> None:
        """Keep the app's list of fields with unsaved text, and the field's look, current."""
        if self.has_unsaved:
            self.app.autosaves.add(self)
        else:
            self.app.autosaves.discard(self)
        self._show_state()

    def _show_state(self) -> None:
        waiting = bool(self.retry) or self.refused is not None
        self.widget.set_class(waiting, "unsaved")
        label = NOT_SAVED_LABEL if self.retry else None
        # Textual repaints the field on every border_subtitle set, changed or not; a repaint
        # on enter took the frame the note just typed was to be drawn in (16 ms later).
        if self.widget.border_subtitle != label:
            self.widget.border_subtitle = label
