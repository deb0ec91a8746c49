"""The meeting agenda: six stages, a timebox timer per stage, and what wrap-up reports.

Pure logic with no clock inside: every timer method takes `now`, so the app passes the
time of the tick and the tests pass whatever instant they need. Timers are immutable;
each change returns a new timer (the app keeps it in a reactive, which sees the change).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import Protocol

from retrotui.core.stats import is_open, is_overdue
from retrotui.core.whys import Chain
from retrotui.models import ActionItem, Note, Why


class Stage(IntEnum):
    """The stages of a blameless retrospective; the number is the key that jumps there."""

    PREPARE = 1
    TIMELINE = 2
    DISCUSSION = 3
    WHYS = 4
    ACTIONS = 5
    WRAP_UP = 6

    @property
    def title(self) -> str:
        return STAGE_TITLES[self]


# The stages' titles, as the app and the templates (formats.templates) name them.
STAGE_TITLES: dict[int, str] = {
    1: "Prepare",
    2: "Timeline",
    3: "Discussion",
    4: "5 Whys",
    5: "Actions",
    6: "Wrap-up",
}
FIRST_STAGE = Stage.PREPARE
DEFAULT_STAGE = Stage.TIMELINE  # Retrospective.current_stage's default


def stage_of(value: int) -> Stage:
    """The stage with number `value`; anything out of range (an old or odd database) is
    the default stage rather than an error, so a meeting always opens."""
    try:
        return Stage(value)
    except ValueError:
        return DEFAULT_STAGE


# -- timebox timer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StageTimer:
    """Time spent on one stage against its timebox; start, pause and reset at will.

    `banked` is the time of earlier runs; `started_at` is when the current run began
    (None while paused). A timebox of zero means "no timebox": never over time.
    """

    timebox: timedelta
    banked: timedelta = timedelta(0)
    started_at: datetime | None = None

    @classmethod
    def for_stage(cls, stage_timebox_minutes: Mapping[int, int], stage: int) -> StageTimer:
        """A stopped timer with the template's timebox for `stage` (none if it has none)."""
        return cls(timedelta(minutes=stage_timebox_minutes.get(stage, 0)))

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def start(self, now: datetime) -> StageTimer:
        return self if self.running else replace(self, started_at=now)

    def pause(self, now: datetime) -> StageTimer:
        if self.started_at is None:
            return self
        return replace(self, banked=self.elapsed(now), started_at=None)

    def toggle(self, now: datetime) -> StageTimer:
        """Start when paused, pause when running (the `t` key)."""
        return self.pause(now) if self.running else self.start(now)

    def reset(self) -> StageTimer:
        """Back to zero and stopped; the timebox stays."""
        return StageTimer(self.timebox)

    def elapsed(self, now: datetime) -> timedelta:
        if self.started_at is None:
            return self.banked
        # A clock that stepped backwards (NTP, a changed time zone) never makes time negative.
        return self.banked + max(now - self.started_at, timedelta(0))

    def remaining(self, now: datetime) -> timedelta:
        """Time left in the timebox; zero once over time (see `overrun`)."""
        return max(self.timebox - self.elapsed(now), timedelta(0))

    def overrun(self, now: datetime) -> timedelta:
        """How far past the timebox; zero while within it or without a timebox."""
        if not self.timebox:
            return timedelta(0)
        return max(self.elapsed(now) - self.timebox, timedelta(0))

    def over_time(self, now: datetime) -> bool:
        return bool(self.overrun(now))

    def label(self, now: datetime) -> str:
        """ "04:12 / 10:00", "+01:30 over 10:00", or "04:12" without a timebox."""
        elapsed = clock(self.elapsed(now))
        if not self.timebox:
            return elapsed
        if self.over_time(now):
            return f"+{clock(self.overrun(now))} over {clock(self.timebox)}"
        return f"{elapsed} / {clock(self.timebox)}"


def clock(span: timedelta) -> str:
    """Minutes and seconds, "mm:ss" ("h:mm:ss" past an hour); whole seconds, rounded down."""
    seconds = max(int(span.total_seconds()), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


# A stage timer as stored: time banked by earlier runs, and when the current run began.
ClockState = tuple[timedelta, datetime | None]


@dataclass(frozen=True)
class Agenda:
    """Where the meeting is and one timer per stage. Moving to another stage while the
    clock runs pauses the stage left and starts the one entered: the moderator keeps one
    clock going and each stage gets its own share."""

    stage: Stage = DEFAULT_STAGE
    timers: Mapping[Stage, StageTimer] = field(default_factory=dict)

    @classmethod
    def for_template(
        cls,
        stage_timebox_minutes: Mapping[int, int],
        stage: int = DEFAULT_STAGE,
        clocks: Mapping[int, ClockState] | None = None,
    ) -> Agenda:
        """The agenda of a meeting: the template's timeboxes, and the clocks it had
        (`clocks`, as `clock_states` gave them) so a reopened meeting keeps its time."""
        saved = clocks or {}
        timers = {}
        for s in Stage:
            timer = StageTimer.for_stage(stage_timebox_minutes, s)
            if s in saved:
                banked, started_at = saved[s]
                timer = replace(timer, banked=max(banked, timedelta(0)), started_at=started_at)
            timers[s] = timer
        return cls(stage_of(stage), timers)

    def clock_states(self) -> dict[int, ClockState]:
        """Every stage's clock, to store (timeboxes come from the template, not stored)."""
        return {int(s): (t.banked, t.started_at) for s, t in self.timers.items()}

    def paused(self, now: datetime) -> Agenda:
        """The agenda with its running clock paused (the meeting screen is being left)."""
        return self.with_timer(self.timer.pause(now))

    @property
    def timer(self) -> StageTimer:
        return self.timers.get(self.stage) or StageTimer(timedelta(0))

    def go_to(self, stage: int, now: datetime) -> Agenda:
        target = stage_of(stage)
        if target == self.stage:
            return self
        timers = dict(self.timers)
        was_running = self.timer.running
        timers[self.stage] = self.timer.pause(now)
        entered = timers.get(target) or StageTimer(timedelta(0))
        timers[target] = entered.start(now) if was_running else entered
        return Agenda(target, timers)

    def next(self, now: datetime) -> Agenda:
        return self.go_to(min(self.stage + 1, Stage.WRAP_UP), now)

    def previous(self, now: datetime) -> Agenda:
        return self.go_to(max(self.stage - 1, FIRST_STAGE), now)

    def with_timer(self, timer: StageTimer) -> Agenda:
        """The agenda with the current stage's timer replaced (after toggle or reset)."""
        return Agenda(self.stage, {**self.timers, self.stage: timer})


# -- wrap-up ---------------------------------------------------------------------------------


class MeetingRecords(Protocol):
    """What wrap-up reads from a retrospective (services.retros.RetroBundle has it)."""

    @property
    def actions(self) -> Sequence[ActionItem]: ...

    @property
    def notes(self) -> Sequence[Note]: ...

    @property
    def whys(self) -> Sequence[Why]: ...

    def why_chains(self) -> Sequence[Chain]: ...


@dataclass(frozen=True)
class MeetingGaps:
    """What the meeting produced and what is still missing before everyone leaves.

    Owner and due-date gaps count open items only: a done item needs neither.
    `due_suggested` are open items whose due date the severity policy filled in and
    nobody has confirmed yet.
    """

    actions: int
    open_actions: int
    without_owner: int
    without_due: int
    due_suggested: int
    overdue: int
    notes: int
    whys: int
    chains: int
    chains_with_root_cause: int

    @property
    def root_cause_found(self) -> bool:
        """At least one chain has its root cause marked."""
        return self.chains_with_root_cause > 0

    @property
    def chains_without_root_cause(self) -> int:
        return self.chains - self.chains_with_root_cause

    @property
    def complete(self) -> bool:
        """Actions exist, each open one owned and dated, and every chain has a root cause."""
        return (
            self.actions > 0
            and not (self.without_owner or self.without_due or self.due_suggested)
            and self.chains_without_root_cause == 0
        )

    @property
    def gap_line(self) -> str:
        """ "6 actions · 1 without owner · 2 without due date" (zero counts left out)."""
        if not self.actions:
            return "No actions yet"
        parts = [_count(self.actions, "action", "actions")]
        for number, words in (
            (self.without_owner, "without owner"),
            (self.without_due, "without due date"),
            (self.due_suggested, "with a suggested due date"),
            (self.overdue, "overdue"),
        ):
            if number:
                parts.append(f"{number} {words}")
        return " · ".join(parts)


def meeting_gaps(bundle: MeetingRecords, today: date) -> MeetingGaps:
    """Counts for the wrap-up stage; `today` decides what is overdue."""
    still_open = [action for action in bundle.actions if is_open(action)]
    chains = [chain for chain in bundle.why_chains() if chain.whys or chain.problem.strip()]
    return MeetingGaps(
        actions=len(bundle.actions),
        open_actions=len(still_open),
        without_owner=sum(1 for a in still_open if not a.owner.strip()),
        without_due=sum(1 for a in still_open if a.due is None),
        due_suggested=sum(1 for a in still_open if a.due is not None and a.due_is_default),
        overdue=sum(1 for a in still_open if is_overdue(a, today)),
        notes=len(bundle.notes),
        whys=len(bundle.whys),
        chains=len(chains),
        chains_with_root_cause=sum(1 for chain in chains if chain.root_cause is not None),
    )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
