"""The shared meeting as pure logic: who drives, who is still here, what a clock shows.

Several terminals (or browser tabs) join one retrospective's meeting. Each beats a
heartbeat row every HEARTBEAT; a terminal that misses about three beats is dead. One live
terminal drives (its stage and event are the meeting's); the others follow it or, after
moving on their own, browse. No clock runs inside a process: stage clocks are stored
instants (`banked`, `running_since`) and every terminal computes the same time from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from retrotui.core.agenda import ClockState, StageTimer

HEARTBEAT = timedelta(seconds=2)
# Three missed beats and a little slack for a busy machine: a killed terminal drops off
# the presence list (and stops driving) within DEAD_AFTER plus one poll, under 10 s.
DEAD_AFTER = 3 * HEARTBEAT + timedelta(seconds=1)


class Mode(StrEnum):
    """What this terminal does with the meeting's position."""

    DRIVING = "driving"  # my stage and event are the meeting's
    FOLLOWING = "following"  # I show the driver's stage and event
    BROWSING = "browsing"  # I moved on my own; one key follows again


@dataclass(frozen=True)
class Attendee:
    """One terminal in the meeting, as its heartbeat row says."""

    session_id: str
    name: str
    role: str | None
    joined_at: datetime
    last_seen: datetime
    typing: bool = False

    def is_dead(self, now: datetime) -> bool:
        return is_dead(self.last_seen, now)


def is_dead(last_seen: datetime, now: datetime) -> bool:
    """A terminal not heard from for DEAD_AFTER is gone (killed, or its machine asleep)."""
    return now - last_seen > DEAD_AFTER


def alive(attendees: Iterable[Attendee], now: datetime) -> list[Attendee]:
    """The live attendees, first joined first."""
    return sorted(
        (a for a in attendees if not a.is_dead(now)), key=lambda a: (a.joined_at, a.session_id)
    )


@dataclass(frozen=True)
class MeetingState:
    """A retrospective's meeting as stored, read at one instant (`now`)."""

    retro_id: str
    stage: int
    event_id: str | None
    driver_session: str | None
    driver_name: str
    now: datetime
    clocks: Mapping[int, ClockState] = field(default_factory=dict)
    attendees: tuple[Attendee, ...] = ()

    @property
    def present(self) -> list[Attendee]:
        return alive(self.attendees, self.now)

    @property
    def driver(self) -> Attendee | None:
        """The driving terminal, if it is still alive."""
        return next((a for a in self.present if a.session_id == self.driver_session), None)

    def drives(self, session_id: str) -> bool:
        return self.driver is not None and self.driver_session == session_id

    def clock(self, stage: int, now: datetime | None = None) -> timedelta:
        return clock_value(self.clocks.get(stage), now or self.now)

    def people(self) -> list[Attendee]:
        """Who is here, as shown: one entry per name (a person may have two terminals),
        typing when any of their terminals is."""
        seen: dict[str, Attendee] = {}
        for attendee in self.present:
            key = attendee.name.casefold()
            first = seen.setdefault(key, attendee)
            if attendee.typing and not first.typing:
                seen[key] = replace(first, typing=True)
        return list(seen.values())


def clock_value(state: ClockState | None, now: datetime) -> timedelta:
    """The time a stored stage clock shows at `now`."""
    if state is None:
        return timedelta(0)
    banked, running_since = state
    return StageTimer(timedelta(0), banked, running_since).elapsed(now)


def mode_after(state: MeetingState, session_id: str, mode: Mode) -> Mode:
    """This terminal's mode once it has read `state`: it drives exactly when the meeting
    names it the driver; a driver whose lead was taken follows; browsing stays browsing.

    Its own liveness does not count here: a terminal reading the meeting is alive, even
    when its last heartbeat is stale (a starved process, a dropped beat). Others may see
    it as gone meanwhile, and one of them may take the lead; until then it still drives."""
    if state.driver_session == session_id:
        return Mode.DRIVING
    if mode is Mode.BROWSING:
        return Mode.BROWSING
    return Mode.FOLLOWING


def meeting_label(state: MeetingState, session_id: str, mode: Mode) -> str:
    """The header's word on who drives: "driving: Ana", "following Ana", "browsing…"."""
    if mode is Mode.DRIVING and state.driver_session == session_id:
        return f"driving: {state.driver_name}"
    driver = state.driver
    if driver is None:
        return "no driver (l: take the lead)"
    if mode is Mode.BROWSING:
        return f"browsing · {driver.name} drives (F: follow)"
    return f"following {driver.name}"


def role_of(participants: Iterable[tuple[str, str]], name: str) -> str | None:
    """The role of `name` among the retrospective's (name, role) participants, matched
    without regard to case or surrounding spaces; None when they are not listed."""
    wanted = name.strip().casefold()
    return next((role for who, role in participants if who.strip().casefold() == wanted), None)
