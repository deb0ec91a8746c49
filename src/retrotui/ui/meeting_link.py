"""This terminal's link to the shared meeting (store.live_meeting).

The meeting screen owns one. It joins when the meeting screen is ready, reads the meeting
every POLL seconds (a heartbeat every HEARTBEAT), and tells the screen what to show: the
driver's stage and event while following, who drives, who is here, the stored clocks.
The person's own moves go the other way: the driver's are written (event moves debounced),
a follower's make it browse until it follows again.

All database work goes through the app's one queue, in order. A read that was asked for
before this terminal's latest write is out of date by the time it answers, so it is
dropped: the write's own answer, which comes after it, tells the truth.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from rich.text import Text

from retrotui.core.meeting import HEARTBEAT, MeetingState, Mode, meeting_label, mode_after
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from textual.timer import Timer

    from retrotui.store.repository import Store

# How often a terminal reads the meeting: a follower is at most this far behind the driver.
POLL_SECONDS = 0.25
# The driver's event moves are written this long after the last step (holding a key down
# writes a few times a second, not once per event).
EVENT_WRITE_AFTER = 0.12
_BEAT_SECONDS = HEARTBEAT / timedelta(seconds=1)


class MeetingHost(Protocol):
    """What the link needs from the screen that owns it."""

    def meeting_changed(self, state: MeetingState, follow: bool, lead_lost: bool) -> None: ...

    def typing(self) -> bool: ...


class MeetingLink:
    def __init__(
        self,
        host: MeetingHost,
        retro_id: str,
        name: str,
        submit: Callable[..., None],
        later: Callable[[float, Callable[[], object]], Timer],
        *,
        may_lead: bool = True,
    ) -> None:
        """`submit(job, done, failed)` runs a database job in order (the app's queue);
        `later(delay, callback)` is a one-shot timer (the screen's)."""
        from retrotui.store.live_meeting import new_session_id

        self.host = host
        self.submit = submit
        self.later = later
        self.retro_id = retro_id
        self.name = name
        self.may_lead = may_lead
        self.session_id = new_session_id()
        self.mode = Mode.FOLLOWING
        self.state: MeetingState | None = None
        self.joined = False
        self.left = False
        self._seq = 0  # every job asked for, numbered
        self._last_write = 0  # the number of the latest write
        self._reads = 0  # reads (and beats) asked for and not yet answered
        self._last_beat = 0.0  # time.monotonic() of the last heartbeat asked for
        self._event_timer: Timer | None = None
        self._pending_event: str | None = None  # the event of the step not yet written
        self._watch_key = f"meeting-{id(self)}"  # this link's place in the commit watch

    # -- the database, in order ----------------------------------------------------------------

    def _submit(self, job: Callable[[Store], MeetingState | None], *, write: bool) -> None:
        self._seq += 1
        seq = self._seq
        if write:
            self._last_write = seq
        else:
            self._reads += 1

        def done(state: object) -> None:
            if not write:
                self._reads -= 1
            if self.left or state is None or (not write and seq < self._last_write):
                return  # (None: nobody committed since the last read, nothing to read)
            assert isinstance(state, MeetingState)
            self._received(state)

        def missed(_error: BaseException) -> None:
            self._reads -= 1  # a missed read is made up by the next one

        # A refused write is reported like any other (the app's one error handler).
        if write:
            self.submit(job, done, None)
        else:
            self.submit(job, done, missed, background=True)

    def _received(self, state: MeetingState) -> None:
        before = self.mode
        self.state = state
        self.mode = mode_after(state, self.session_id, self.mode)
        lead_lost = before is Mode.DRIVING and self.mode is not Mode.DRIVING
        self.host.meeting_changed(state, self.mode is Mode.FOLLOWING, lead_lost)

    # -- joining, beating, leaving --------------------------------------------------------------

    def join(self) -> None:
        from retrotui.store.live_meeting import join

        retro_id, session_id, name = self.retro_id, self.session_id, self.name
        may_lead = self.may_lead
        self.joined = True
        self._last_beat = time.monotonic()
        self._submit(
            lambda store: join(store, retro_id, session_id, name, may_lead=may_lead), write=True
        )

    def tick(self) -> None:
        """Every POLL_SECONDS: read the meeting, or beat (which also reads it)."""
        from retrotui.store.live_meeting import heartbeat, read_state

        if not self.joined or self.left:
            return
        retro_id = self.retro_id
        now = time.monotonic()
        # Beats go out on time even when reads are slow to answer (a busy machine): a
        # terminal that misses three is taken for dead by the others.
        if now - self._last_beat >= _BEAT_SECONDS:
            self._last_beat = now
            session_id, name, typing = self.session_id, self.name, self.host.typing()
            self._submit(
                lambda store: heartbeat(store, retro_id, session_id, name, typing=typing),
                write=False,  # a beat changes nothing the screen shows: it may be dropped
            )
        elif not self._reads:  # one read at a time: a slow database is not flooded
            key = self._watch_key

            def read(store: Store) -> MeetingState | None:
                # On SQLite, nothing is read while nobody committed (every terminal's
                # heartbeat commits, so a dead one is still noticed on time).
                if not store.commit_watch.changed(key):
                    return None
                try:
                    return read_state(store, retro_id)
                except BaseException:
                    store.commit_watch.forget(key)
                    raise

            self._submit(read, write=False)

    def leave(self) -> None:
        """Quit the meeting: nothing of it changes for the others but the presence list (and
        its lead, when this terminal drove; the clock, when it was the last one)."""
        from retrotui.store.live_meeting import leave

        if not self.joined or self.left:
            return
        if self._event_timer is not None:  # a step not written yet: write it first
            self._event_timer.stop()
            self._event_timer = None
            self._write_event(self._pending_event)
        self.left = True
        retro_id, session_id = self.retro_id, self.session_id
        self.submit(lambda store: leave(store, retro_id, session_id))

    # -- this person's moves --------------------------------------------------------------------

    def stage_chosen(self, stage: int) -> None:
        """The person switched to `stage` here."""
        from retrotui.store.live_meeting import move

        # Before the join has answered, this terminal may well be the driver: the move is
        # written, and the meeting takes it only if it is (the service checks).
        if self.mode is Mode.DRIVING or self.state is None:
            retro_id, session_id = self.retro_id, self.session_id
            self._submit(lambda store: move(store, retro_id, session_id, stage=stage), write=True)
        elif self.mode is Mode.FOLLOWING and stage != self.state.stage:
            self._browse()

    def event_chosen(self, event_id: str | None) -> None:
        """The person stepped to another event here."""
        if self.mode is Mode.DRIVING or self.state is None:
            if self._event_timer is not None:
                self._event_timer.stop()
            self._pending_event = event_id
            self._event_timer = self.later(EVENT_WRITE_AFTER, lambda: self._write_event(event_id))
        elif self.mode is Mode.FOLLOWING and event_id != self.state.event_id:
            self._browse()

    def _write_event(self, event_id: str | None) -> None:
        from retrotui.store.live_meeting import move

        self._event_timer = None
        if self.left:
            return
        retro_id, session_id = self.retro_id, self.session_id
        self._submit(lambda store: move(store, retro_id, session_id, event_id=event_id), write=True)

    def _browse(self) -> None:
        self.mode = Mode.BROWSING
        if self.state is not None:
            self.host.meeting_changed(self.state, False, False)

    def follow(self) -> None:
        """Back to following the driver (the F key)."""
        if self.mode is Mode.DRIVING:
            return
        self.mode = Mode.FOLLOWING
        if self.state is not None:
            self.host.meeting_changed(self.state, True, False)

    def take_lead(self, stage: int, event_id: str | None) -> None:
        """Drive from here (the l key): the meeting moves to where this terminal is."""
        from retrotui.store.live_meeting import take_lead

        retro_id, session_id, name = self.retro_id, self.session_id, self.name
        self.mode = Mode.DRIVING
        self._submit(
            lambda store: take_lead(
                store, retro_id, session_id, name, stage=stage, event_id=event_id
            ),
            write=True,
        )

    # -- the one clock ---------------------------------------------------------------------------

    def toggle_clock(self, stage: int) -> None:
        from retrotui.store.live_meeting import toggle_clock

        retro_id = self.retro_id
        self._submit(lambda store: toggle_clock(store, retro_id, stage), write=True)

    def reset_clock(self, stage: int) -> None:
        from retrotui.store.live_meeting import reset_clock

        retro_id = self.retro_id
        self._submit(lambda store: reset_clock(store, retro_id, stage), write=True)

    # -- what the meeting bar says ---------------------------------------------------------------

    def bar_text(self, state: MeetingState) -> Text:
        """ "following Ana   here: Ana (moderator) · Ben (note taker) ✎" """
        bar = Text()
        bar.append_text(plain(meeting_label(state, self.session_id, self.mode), "bold"))
        bar.append("   here: ", "dim")
        for index, person in enumerate(state.people()):
            if index:
                bar.append(" · ", "dim")
            bar.append_text(plain(person.name))
            if person.role:
                bar.append_text(plain(f" ({person.role.replace('_', ' ')})", "dim"))
            if person.typing:
                bar.append(" ✎", "italic")
        return bar
