"""The shared meeting: join, heartbeat, leave, take the lead, move, and the stage clocks.

Everything a meeting shares lives in the database (`meeting`, `meeting_presence`,
`stage_clock`), so any number of terminals on one database see one meeting. A process
holds only its own view (following or browsing). Nothing here runs on a process's quit
except `leave`, which removes that process's own presence, gives up the lead if it had
it, and pauses the clock only when it was the last one in the meeting.

Writes that move the meeting keep `retrospective.current_stage` / `current_event_id` in
step (so a meeting reopened later resumes there) without touching the retrospective's
`updated_at`: moving through the meeting is not an edit of the record, and other
terminals must not reload the whole retrospective for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.core.agenda import ClockState, Stage, StageTimer, stage_of
from retrotui.core.meeting import Attendee, MeetingState, role_of
from retrotui.errors import ValidationError
from retrotui.models import (
    Meeting,
    MeetingPresence,
    Participant,
    Retrospective,
    RetroStatus,
    StageClock,
    utcnow,
)
from retrotui.store import errors
from retrotui.store.repository import Store

# Presence rows of terminals that died long ago are removed when someone joins.
FORGET_AFTER = timedelta(days=1)


class _Keep:
    """The type of KEEP: "leave this field as it is"."""


KEEP = _Keep()
ClockChange = Callable[[StageTimer, datetime], StageTimer]


def new_session_id() -> str:
    """A fresh id for one terminal's stay in a meeting."""
    return str(uuid.uuid4())


# -- reading ---------------------------------------------------------------------------------


def read_state(store: Store, retro_id: str, *, now: datetime | None = None) -> MeetingState:
    """The meeting as stored, read in one transaction."""
    with store.reading() as session:
        return _state(session, retro_id, now or utcnow())


def present(store: Store, retro_id: str, *, now: datetime | None = None) -> list[Attendee]:
    """Who is in the meeting now (live heartbeats), first joined first."""
    return read_state(store, retro_id, now=now).present


def _state(session: Session, retro_id: str, now: datetime) -> MeetingState:
    meeting = session.get(Meeting, retro_id)
    if meeting is None:
        retro = session.get(Retrospective, retro_id)
        if retro is None:
            raise errors.NotFoundError(f"No retrospective with id {retro_id}.")
        meeting = Meeting(
            retro_id=retro_id, stage=retro.current_stage, event_id=retro.current_event_id
        )
    clocks = {
        row.stage: (timedelta(milliseconds=row.banked_ms), row.running_since)
        for row in session.exec(select(StageClock).where(col(StageClock.retro_id) == retro_id))
    }
    rows = session.exec(
        select(MeetingPresence).where(col(MeetingPresence.retro_id) == retro_id)
    ).all()
    return MeetingState(
        retro_id=retro_id,
        stage=int(stage_of(meeting.stage)),
        event_id=meeting.event_id,
        driver_session=meeting.driver_session,
        driver_name=meeting.driver_name,
        now=now,
        clocks=clocks,
        attendees=tuple(_attendee(row) for row in rows),
    )


def _attendee(row: MeetingPresence) -> Attendee:
    return Attendee(row.session_id, row.name, row.role, row.joined_at, row.last_seen, row.typing)


# -- joining and leaving -----------------------------------------------------------------------


def join(
    store: Store,
    retro_id: str,
    session_id: str,
    name: str,
    *,
    now: datetime | None = None,
    may_lead: bool = True,
) -> MeetingState:
    """Enter the meeting as `name`. When nobody (alive) drives, this terminal drives, unless
    it joins as a follower (`may_lead=False`: a browser participant of `retrotui serve`).
    A draft retrospective is in its meeting from now on (its status says `in_meeting`)."""
    now = now or utcnow()
    with store.writing() as session:
        session.execute(
            sa.update(Retrospective)
            .where(
                col(Retrospective.id) == retro_id,
                col(Retrospective.status) == RetroStatus.DRAFT.value,
            )
            .values(status=RetroStatus.IN_MEETING.value, updated_at=now, content_updated_at=now)
        )
        session.execute(
            sa.delete(MeetingPresence).where(
                col(MeetingPresence.retro_id) == retro_id,
                col(MeetingPresence.last_seen) < now - FORGET_AFTER,
            )
        )
        meeting = _meeting(session, retro_id)
        _beat(session, retro_id, session_id, name, now, typing=False)
        session.flush()
        state = _state(session, retro_id, now)
        if state.driver is None and may_lead:
            meeting.driver_session, meeting.driver_name = session_id, name
            meeting.updated_at = now
            session.add(meeting)
            session.flush()
            state = _state(session, retro_id, now)
    return state


def heartbeat(
    store: Store,
    retro_id: str,
    session_id: str,
    name: str,
    *,
    typing: bool = False,
    now: datetime | None = None,
) -> MeetingState:
    """Say this terminal is still here (and whether its person is typing a note); the
    meeting as it now stands. A terminal that was taken for dead (a suspended laptop)
    comes back as a participant, not as the driver."""
    now = now or utcnow()
    with store.writing() as session:
        _beat(session, retro_id, session_id, name, now, typing=typing)
        session.flush()
        return _state(session, retro_id, now)


def leave(store: Store, retro_id: str, session_id: str, *, now: datetime | None = None) -> None:
    """This terminal leaves: its presence goes, and so does its lead if it drove. Only the
    last one out pauses the running clock; nothing else of the meeting changes."""
    now = now or utcnow()
    with store.writing() as session:
        session.execute(
            sa.delete(MeetingPresence).where(col(MeetingPresence.session_id) == session_id)
        )
        meeting = session.get(Meeting, retro_id)
        if meeting is not None and meeting.driver_session == session_id:
            meeting.driver_session, meeting.driver_name = None, ""
            meeting.updated_at = now
            session.add(meeting)
        session.flush()
        if not _state(session, retro_id, now).present:
            for row in _clock_rows(session, retro_id):
                if row.running_since is not None:
                    _store_timer(session, row, _timer(row).pause(now), now)


def take_lead(
    store: Store,
    retro_id: str,
    session_id: str,
    name: str,
    *,
    stage: int | None = None,
    event_id: str | _Keep | None = KEEP,
    now: datetime | None = None,
) -> MeetingState:
    """This terminal drives from now on; the meeting moves to where it is (`stage`,
    `event_id`, when given). The former driver finds out on its next read."""
    now = now or utcnow()
    with store.writing() as session:
        meeting = _meeting(session, retro_id)
        _beat(session, retro_id, session_id, name, now, typing=False)
        meeting.driver_session, meeting.driver_name = session_id, name
        _move(session, meeting, stage, event_id, now)
        session.flush()
        return _state(session, retro_id, now)


def move(
    store: Store,
    retro_id: str,
    session_id: str,
    *,
    stage: int | None = None,
    event_id: str | _Keep | None = KEEP,
    now: datetime | None = None,
) -> MeetingState:
    """The driver moves the meeting to `stage` and/or `event_id`. From a terminal that does
    not drive (its lead was taken a moment ago) nothing changes: the state it gets back
    says who drives now."""
    if stage is not None:
        _checked_stage(stage)
    now = now or utcnow()
    with store.writing() as session:
        meeting = _meeting(session, retro_id)
        if meeting.driver_session == session_id:
            _move(session, meeting, stage, event_id, now)
            session.flush()
        return _state(session, retro_id, now)


# -- stage clocks (any participant) ------------------------------------------------------------


def start_clock(
    store: Store, retro_id: str, stage: int, *, now: datetime | None = None
) -> MeetingState:
    return _change_clock(store, retro_id, stage, lambda t, at: t.start(at), now)


def pause_clock(
    store: Store, retro_id: str, stage: int, *, now: datetime | None = None
) -> MeetingState:
    return _change_clock(store, retro_id, stage, lambda t, at: t.pause(at), now)


def toggle_clock(
    store: Store, retro_id: str, stage: int, *, now: datetime | None = None
) -> MeetingState:
    """Start the stage's clock when it is paused, pause it when it runs (the `t` key): the
    stored clock decides, so two terminals pressing t at once do not undo each other."""
    return _change_clock(store, retro_id, stage, lambda t, at: t.toggle(at), now)


def reset_clock(
    store: Store, retro_id: str, stage: int, *, now: datetime | None = None
) -> MeetingState:
    return _change_clock(store, retro_id, stage, lambda t, _at: t.reset(), now)


def _change_clock(
    store: Store,
    retro_id: str,
    stage: int,
    change: ClockChange,
    now: datetime | None,
) -> MeetingState:
    chosen = _checked_stage(stage)
    now = now or utcnow()
    with store.writing() as session:
        row = _clock_row(session, retro_id, chosen)
        _store_timer(session, row, change(_timer(row), now), now)
        session.flush()
        return _state(session, retro_id, now)


# -- inside a write transaction ----------------------------------------------------------------


def _checked_stage(stage: int) -> Stage:
    try:
        return Stage(stage)
    except ValueError:
        raise ValidationError(f"{stage!r} is not a stage; use 1 to 6.") from None


def _meeting(session: Session, retro_id: str) -> Meeting:
    meeting = session.get(Meeting, retro_id)
    if meeting is not None:
        return meeting
    retro = session.get(Retrospective, retro_id)
    if retro is None:
        raise errors.NotFoundError(f"No retrospective with id {retro_id}.")
    meeting = Meeting(
        retro_id=retro_id, stage=int(stage_of(retro.current_stage)), event_id=retro.current_event_id
    )
    session.add(meeting)
    return meeting


def _beat(
    session: Session, retro_id: str, session_id: str, name: str, now: datetime, *, typing: bool
) -> None:
    row = session.get(MeetingPresence, session_id)
    if row is None:
        participants = session.exec(
            select(Participant.name, Participant.role).where(col(Participant.retro_id) == retro_id)
        ).all()
        role = role_of(((who, str(r)) for who, r in participants), name)
        row = MeetingPresence(
            session_id=session_id, retro_id=retro_id, name=name, role=role, joined_at=now
        )
    row.last_seen, row.typing = now, typing
    session.add(row)


def _move(
    session: Session,
    meeting: Meeting,
    stage: int | None,
    event_id: str | _Keep | None,
    now: datetime,
) -> None:
    """Move the meeting; a clock running on the stage left moves to the stage entered."""
    mirror: dict[str, object] = {}
    if stage is not None and int(_checked_stage(stage)) != meeting.stage:
        left = _clock_row(session, meeting.retro_id, stage_of(meeting.stage))
        if left.running_since is not None:
            _store_timer(session, left, _timer(left).pause(now), now)
            entered = _clock_row(session, meeting.retro_id, _checked_stage(stage))
            _store_timer(session, entered, _timer(entered).start(now), now)
        meeting.stage = mirror["current_stage"] = int(stage)
    if not isinstance(event_id, _Keep):
        meeting.event_id = mirror["current_event_id"] = event_id
    meeting.updated_at = now
    session.add(meeting)
    if mirror:
        session.execute(
            sa.update(Retrospective)
            .where(col(Retrospective.id) == meeting.retro_id)
            .values(**mirror)
        )


def _clock_rows(session: Session, retro_id: str) -> list[StageClock]:
    return list(session.exec(select(StageClock).where(col(StageClock.retro_id) == retro_id)))


def _clock_row(session: Session, retro_id: str, stage: Stage) -> StageClock:
    row = session.exec(
        select(StageClock).where(
            col(StageClock.retro_id) == retro_id, col(StageClock.stage) == int(stage)
        )
    ).first()
    return row or StageClock(retro_id=retro_id, stage=int(stage))


def _timer(row: StageClock) -> StageTimer:
    return StageTimer(timedelta(0), timedelta(milliseconds=row.banked_ms), row.running_since)


def _store_timer(session: Session, row: StageClock, timer: StageTimer, now: datetime) -> None:
    row.banked_ms = max(int(timer.banked / timedelta(milliseconds=1)), 0)
    row.running_since = timer.started_at
    row.updated_at = now
    session.add(row)


def clock_states(state: MeetingState) -> dict[int, ClockState]:
    """The stored clocks, as `core.agenda.Agenda.for_template` takes them."""
    return dict(state.clocks)
