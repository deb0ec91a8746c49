"""Walking a timeline: which event is current, and where each key takes the meeting."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar


class EventLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def time(self) -> datetime: ...
    @property
    def position(self) -> int: ...
    @property
    def key(self) -> bool: ...


@dataclass(frozen=True)
class Cursor:
    """A position in a timeline of `count` events; -1 when the timeline is empty."""

    index: int
    count: int

    @classmethod
    def at(cls, events: Sequence[EventLike], event_id: str | None) -> Cursor:
        """The cursor on `event_id`, or on the first event when it is unknown or gone."""
        for index, event in enumerate(events):
            if event.id == event_id:
                return cls(index, len(events))
        return cls(0 if events else -1, len(events))

    @property
    def is_empty(self) -> bool:
        return self.count == 0

    @property
    def at_first(self) -> bool:
        return self.index <= 0

    @property
    def at_last(self) -> bool:
        return self.index >= self.count - 1

    def moved(self, step: int) -> Cursor:
        if self.is_empty:
            return self
        return Cursor(max(0, min(self.count - 1, self.index + step)), self.count)

    def first(self) -> Cursor:
        return self.moved(-self.count)

    def last(self) -> Cursor:
        return self.moved(self.count)

    def next_key(self, events: Sequence[EventLike]) -> Cursor | None:
        """The next key event after the current one, or None when there is none."""
        for index in range(self.index + 1, self.count):
            if events[index].key:
                return Cursor(index, self.count)
        return None

    def label(self) -> str:
        """ "7 / 23", or "0 / 0" for an empty timeline."""
        return f"{self.index + 1} / {self.count}" if not self.is_empty else "0 / 0"


def spans_several_days(times: Sequence[datetime]) -> bool:
    """Whether times, as they will be shown, fall on more than one day (so dates matter)."""
    return len({moment.date() for moment in times}) > 1


class NoteLike(Protocol):
    @property
    def event_id(self) -> str | None: ...


N = TypeVar("N", bound=NoteLike)


def notes_by_event(
    notes: Sequence[N], before: dict[str | None, list[N]]
) -> dict[str | None, list[N]]:
    """The notes grouped by their event. An event whose notes are the same records (the
    same objects) as in `before` keeps its list object there, so the screen can tell by
    identity that nothing changed: a note someone saves on another event then redraws
    nothing under this event's card (each redraw also took the frame a step was due in)."""
    grouped: dict[str | None, list[N]] = {}
    for note in notes:
        grouped.setdefault(note.event_id, []).append(note)
    for event_id, group in grouped.items():
        old = before.get(event_id)
        if old is not None and len(old) == len(group) and all(map(operator.is_, old, group)):
            grouped[event_id] = old
    return grouped
