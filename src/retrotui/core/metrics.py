"""Incident metrics of one retrospective: time to detect, mitigate and resolve.

Every figure is measured from the start of the incident. Each instant comes from the
retrospective's milestone (`started_at`, `detected_at`, `mitigated_at`, `resolved_at`) or,
when the milestone is missing, from the earliest timeline event of the matching kind
(trigger, detection, mitigation, resolution).

Out-of-order data is never turned into a negative duration: a milestone earlier than the
start gives `None` for that figure and a sentence in `warnings`. Milestones after the start
but out of order among themselves (resolved before detected) keep their figures, because
each is still a true distance from the start, and add a warning so the team can fix the
timeline. `duration` is how long the incident lasted: from the start to the resolution.
Status-page updates and clean-up often continue after it; they are not part of the
incident. Until it is resolved, `duration` runs to the latest milestone or event recorded,
and `ongoing` says so.

Aware datetimes in any zone compare correctly; a naive one is read as UTC, which is how
the store keeps instants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from retrotui.core.times import format_duration
from retrotui.models import EventKind, Retrospective, TimelineEvent

__all__ = ["MILESTONE_KINDS", "RetroMetrics", "format_duration", "retro_metrics"]

# milestone attribute -> the event kind that stands in for it when it is missing
MILESTONE_KINDS: dict[str, EventKind] = {
    "started_at": EventKind.TRIGGER,
    "detected_at": EventKind.DETECTION,
    "mitigated_at": EventKind.MITIGATION,
    "resolved_at": EventKind.RESOLUTION,
}
_LABELS = {
    "started_at": "start",
    "detected_at": "detection",
    "mitigated_at": "mitigation",
    "resolved_at": "resolution",
}
_FIGURES = {
    "detected_at": "time to detect",
    "mitigated_at": "time to mitigate",
    "resolved_at": "time to resolve",
}
# The order milestones should follow; checked pairwise to warn about inconsistent data.
_ORDER = ("detected_at", "mitigated_at", "resolved_at")


@dataclass(frozen=True)
class RetroMetrics:
    """Durations from the start of the incident; `None` where they cannot be known."""

    duration: timedelta | None = None
    # No resolution recorded yet: `duration` runs to the latest thing recorded.
    ongoing: bool = False
    time_to_detect: timedelta | None = None
    time_to_mitigate: timedelta | None = None
    time_to_resolve: timedelta | None = None
    # Sentences about data that could not be used or looks wrong, for the UI and export.
    warnings: tuple[str, ...] = ()
    # Milestones (e.g. "detected_at") taken from a timeline event instead of the field.
    from_events: tuple[str, ...] = ()
    # The instant everything is measured from (milestone or first trigger event).
    start: datetime | None = None


def retro_metrics(retro: Retrospective, events: Sequence[TimelineEvent]) -> RetroMetrics:
    """The metrics of `retro`, using `events` (any order) where a milestone is missing."""
    instants: dict[str, datetime | None] = {}
    from_events: list[str] = []
    earliest, last_event = _scan(events)
    for name, kind in MILESTONE_KINDS.items():
        value = getattr(retro, name)
        if value is None:
            value = earliest.get(kind)
            if value is not None:
                from_events.append(name)
        instants[name] = _aware(value) if value is not None else None

    start = instants["started_at"]
    warnings: list[str] = []
    if start is None:
        if any(instants[name] is not None for name in _ORDER) or events:
            warnings.append(
                "The incident has no start time and no trigger event, so no durations "
                "can be measured."
            )
        return RetroMetrics(warnings=tuple(warnings), from_events=tuple(from_events))

    figures: dict[str, timedelta | None] = {}
    for name in _ORDER:
        instant = instants[name]
        if instant is None:
            figures[name] = None
        elif instant < start:
            figures[name] = None
            warnings.append(
                f"The {_LABELS[name]} ({_source(name, from_events)}) is before the start, "
                f"so {_FIGURES[name]} is left out."
            )
        else:
            figures[name] = instant - start

    known = [(name, instants[name]) for name in _ORDER if figures[name] is not None]
    for (earlier, earlier_at), (later, later_at) in pairwise(known):
        assert earlier_at is not None and later_at is not None
        if later_at < earlier_at:
            warnings.append(
                f"The {_LABELS[later]} is before the {_LABELS[earlier]}; "
                "check the milestones and the timeline."
            )

    resolved = instants["resolved_at"] if figures["resolved_at"] is not None else None
    if resolved is not None:
        end = resolved
    else:
        ends = [value for value in instants.values() if value is not None]
        if last_event is not None:
            ends.append(last_event)
        end = max(ends)
    return RetroMetrics(
        duration=end - start if end >= start else None,
        ongoing=resolved is None,
        time_to_detect=figures["detected_at"],
        time_to_mitigate=figures["mitigated_at"],
        time_to_resolve=figures["resolved_at"],
        warnings=tuple(warnings),
        from_events=tuple(from_events),
        start=start,
    )


def _scan(events: Sequence[TimelineEvent]) -> tuple[dict[str, datetime], datetime | None]:
    """The earliest event of each kind and the latest event of all, in one pass (a
    timeline can hold 10,000 events and the export asks for this once)."""
    earliest: dict[str, datetime] = {}
    latest: datetime | None = None
    for event in events:
        time = _aware(event.time)
        kind = event.kind
        first = earliest.get(kind)
        if first is None or time < first:
            earliest[kind] = time
        if latest is None or time > latest:
            latest = time
    return earliest, latest


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _source(name: str, from_events: list[str]) -> str:
    if name in from_events:
        return f"first {MILESTONE_KINDS[name].value} event"
    return f"{name.replace('_at', '')} milestone"
