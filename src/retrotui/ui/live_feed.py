"""The meeting screen's live view of its retrospective (services/changes.py).

Read once when the screen opens; after that, only what changed: this terminal's own saves
are merged from the records they returned, and twice a second the change feed is asked
what others changed (on SQLite, nothing at all is read while nobody commits). Every read
goes through the app's one database queue, in order, so a read answers after the writes
queued before it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from retrotui.core.agenda import ClockState
    from retrotui.core.bundle import RetroBundle
    from retrotui.models import Record, WhyChain
    from retrotui.services.changes import FeedUpdate
    from retrotui.store.changes import Change, Cursor
    from retrotui.store.repository import Store

POLL_SECONDS = 0.5
TRIM_EVERY_SECONDS = 300.0
# The RetroBundle fields each stage pane shows; a pane not listed shows everything. A pane
# is redrawn only when one of its fields changed.
PANE_DEPENDS: dict[str, set[str]] = {
    "stage-1": {"retro", "participants"},
    "stage-3": {"notes", "events"},
    "stage-4": {"whys", "chains", "participants"},
    "stage-5": {"actions", "whys", "chains", "participants", "retro"},
}


def panes_showing(pane_ids: Iterable[str], fields: dict[str, Any]) -> set[str]:
    """The panes that show any of the changed RetroBundle `fields`."""
    changed = fields.keys()
    return {
        pane_id
        for pane_id in pane_ids
        if (depends := PANE_DEPENDS.get(pane_id)) is None or depends & changed
    }


class FeedHost(Protocol):
    """What the feed needs from the screen that owns it."""

    bundle: RetroBundle | None

    def loaded(self, fields: dict[str, Any], clocks: dict[int, ClockState]) -> Any: ...

    def show_fields(self, fields: dict[str, Any]) -> None: ...

    def retro_gone(self) -> None: ...

    def load_failed(self, error: BaseException) -> None: ...


class LiveFeed:
    def __init__(self, host: FeedHost, retro_id: str, submit: Callable[..., None]) -> None:
        self.host = host
        self.retro_id = retro_id
        self.submit = submit
        self.cursor: Cursor | None = None
        self.chains: list[WhyChain] = []
        # Records this terminal saved and merged already: id -> the stamp it merged. The
        # feed does not read those versions back.
        self.saved: dict[str, datetime] = {}
        self.reading = False  # a feed read is queued or running
        self.again = False  # a read was asked for while one was under way
        self.key = f"feed-{id(self)}"  # this reader's place in the commit watch
        self.trimmed_at = time.monotonic()
        self.looked = 0  # answers that read the log (someone had committed)
        self.reads = 0  # answers that found records changed by others

    # -- the first read -----------------------------------------------------------------------

    def start(self) -> None:
        from retrotui.services.agenda import load_clocks
        from retrotui.services.changes import open_view

        retro_id, key = self.retro_id, self.key

        def load(store: Store) -> tuple[dict[str, Any], Cursor, dict[int, ClockState]]:
            store.commit_watch.changed(key)  # from here on, commits count as news
            fields, cursor = open_view(store, retro_id)
            return fields, cursor, load_clocks(store, retro_id)

        self.submit(load, self._started, self.host.load_failed)

    async def _started(self, result: tuple[dict[str, Any], Cursor, dict[int, ClockState]]) -> None:
        from retrotui.services.changes import first_fields

        fields, cursor, clocks = result
        bundle_fields, self.chains = first_fields(fields)
        self.cursor = cursor
        await self.host.loaded(bundle_fields, clocks)
        # The records just read (hundreds of thousands of objects at 10,000 events) live as
        # long as the screen: the cyclic collector's full passes rescanned them all every
        # few dozen steps, 100+ ms each on the UI thread (the slowest 1% of steps). Frozen,
        # they are left out of its passes; the screen unfreezes them when it closes.
        gc.freeze()

    # -- what others changed ------------------------------------------------------------------

    def poll(self) -> None:
        """Ask the feed what changed (nothing is read on SQLite when nobody committed)."""
        self._read(check_first=True)

    def catch_up(self) -> None:
        """Read what changed now (after a change made here that returned no records)."""
        self._read(check_first=False)

    def _read(self, *, check_first: bool) -> None:
        from retrotui.services.changes import read_feed

        if self.cursor is None:
            return
        if self.reading:
            self.again = self.again or not check_first
            return
        self.reading = True
        retro_id, cursor, key, saved = self.retro_id, self.cursor, self.key, self.saved
        trim = time.monotonic() - self.trimmed_at > TRIM_EVERY_SECONDS
        if trim:
            self.trimmed_at = time.monotonic()

        def known(change: Change) -> bool:
            return change.stamp is not None and saved.get(change.record_id) == change.stamp

        def read(store: Store) -> FeedUpdate | None:
            if trim:
                store.trim_changes()
            if check_first and not store.commit_watch.changed(key):
                return None
            try:
                return read_feed(store, retro_id, cursor, known)
            except BaseException:
                store.commit_watch.forget(key)  # ask again next time
                raise

        self.submit(read, self._answered, self._failed, background=check_first)

    def _failed(self, _error: BaseException) -> None:
        # A database busy or gone for a moment: the next poll asks again (the autosave
        # tells the user what is wrong with their saves).
        self.reading = False

    def _answered(self, update: FeedUpdate | None) -> None:
        from retrotui.services.changes import merge

        self.reading = False
        if update is None:
            if self.cursor is not None:  # nobody committed: the cursor is as good as new
                self.cursor = replace(self.cursor, read_at=time.time())
        else:
            self.looked += 1
            self.cursor = update.cursor
            if not update.empty:
                self.reads += 1
                self._apply(update, merge)
        if self.again:
            self.again = False
            self.catch_up()

    def _apply(self, update: FeedUpdate, merge: Callable[..., Any]) -> None:
        bundle = self.host.bundle
        if bundle is None:
            return
        for changes in update.records.values():
            for record_id, record in changes.items():
                if record is None:  # deleted: a restored copy (ctrl+z) is news again
                    self.saved.pop(record_id, None)
        fields, self.chains, gone = merge(vars(bundle), self.chains, update)
        if gone:
            self.host.retro_gone()
            return
        self.host.show_fields(fields)

    # -- what this terminal saved -------------------------------------------------------------

    def merge_saved(self, records: Iterable[Record]) -> None:
        """Records a save here returned: shown now, and not read back from the feed."""
        from retrotui.services.changes import MODELS, FeedUpdate, merge

        if self.cursor is None:
            return
        by_table: dict[str, dict[str, Record | None]] = {}
        for record in records:
            if getattr(record, "retro_id", record.id) != self.retro_id:
                continue  # another retrospective's (a carried-over action)
            table = str(type(record).__tablename__)
            if table not in MODELS:
                continue
            by_table.setdefault(table, {})[record.id] = record
            self.saved[record.id] = record.updated_at
        if len(self.saved) > 1000:
            self.saved.clear()
        if by_table:
            self._apply(FeedUpdate(self.cursor, by_table), merge)
