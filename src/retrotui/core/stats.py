"""Numbers across retrospectives: do teams follow through on what they agreed?

Definitions, chosen so a number can always be explained in one sentence:

- **Overdue**: not done and not won't-do, with a due date before today.
- **Follow-through rate**: of the action items whose outcome is known, the share done on or
  before their due date. An item's outcome is known once it is done, or once its due date
  has passed while it is still open (a miss). Items not yet due, items with no due date,
  done items with no close time, and won't-do items (a decision, neither a success nor a
  miss) are left out and counted separately so the denominator is visible.
- **Days to close**: from an item's creation to its completion, for done items. Imported
  items closed "before" they were created here cannot be measured and are left out.
- **Time to resolve by severity**: one point per retrospective with a known time to
  resolve, oldest incident first, grouped by severity ("none" when it has none).

"Today" is always passed in, so the same data gives the same numbers in tests.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from retrotui.core.metrics import RetroMetrics
from retrotui.core.times import with_offset
from retrotui.models import ActionItem, ActionStatus, Retrospective

UNASSIGNED = "(unassigned)"
NO_SEVERITY = "none"
SPARK_BARS = "▁▂▃▄▅▆▇█"


def is_open(action: ActionItem) -> bool:
    return not ActionStatus(action.status).is_closed


def is_overdue(action: ActionItem, today: date) -> bool:
    """Past its due date and neither done nor won't-do."""
    return is_open(action) and action.due is not None and action.due < today


def closed_on(action: ActionItem) -> date | None:
    """The calendar day the item was closed, as the person closing it saw the clock."""
    if action.closed_at is None:
        return None
    return with_offset(action.closed_at, action.closed_at_offset).date()


def owner_label(owner: str) -> str:
    return owner.strip() or UNASSIGNED


@dataclass(frozen=True)
class FollowThrough:
    on_time: int = 0
    missed: int = 0
    not_yet_due: int = 0
    no_due_date: int = 0
    wont_do: int = 0
    unknown_close: int = 0

    @property
    def measured(self) -> int:
        return self.on_time + self.missed

    @property
    def rate(self) -> float | None:
        """on_time / measured, or None when nothing can be measured yet."""
        return self.on_time / self.measured if self.measured else None

    def left_out(self) -> list[str]:
        """What the rate does not count, as "2 not yet due" phrases (none when zero)."""
        return [
            f"{n} {label}"
            for n, label in (
                (self.not_yet_due, "not yet due"),
                (self.no_due_date, "without a due date"),
                (self.wont_do, "won't do"),
                (self.unknown_close, "done with no close date"),
            )
            if n
        ]


@dataclass(frozen=True)
class OwnerLoad:
    owner: str
    open: int
    overdue: int


@dataclass(frozen=True)
class ResolvePoint:
    retro_id: str
    title: str
    incident_ref: str | None
    started: datetime
    time_to_resolve: timedelta


@dataclass(frozen=True)
class TeamStats:
    retrospectives: int
    actions: int
    open: int
    overdue: int
    follow_through: FollowThrough
    median_days_to_close: float | None
    by_owner: tuple[OwnerLoad, ...]
    # severity ("SEV1".., or "none") -> points, oldest incident first; severities in order
    resolve_by_severity: Mapping[str, tuple[ResolvePoint, ...]]


def follow_through(actions: Sequence[ActionItem], today: date) -> FollowThrough:
    counts: dict[str, int] = defaultdict(int)
    for action in actions:
        status = ActionStatus(action.status)
        if status is ActionStatus.WONT_DO:
            counts["wont_do"] += 1
        elif action.due is None:
            counts["no_due_date"] += 1
        elif status is ActionStatus.DONE:
            closed = closed_on(action)
            if closed is None:
                counts["unknown_close"] += 1
            else:
                counts["on_time" if closed <= action.due else "missed"] += 1
        elif action.due < today:
            counts["missed"] += 1
        else:
            counts["not_yet_due"] += 1
    return FollowThrough(**counts)


def days_to_close(action: ActionItem) -> float | None:
    """Days from creation to completion of a done item; None when it cannot be measured."""
    if ActionStatus(action.status) is not ActionStatus.DONE or action.closed_at is None:
        return None
    elapsed = action.closed_at - action.created_at
    if elapsed < timedelta(0):
        return None
    return elapsed.total_seconds() / 86400


def median_days_to_close(actions: Sequence[ActionItem]) -> float | None:
    days = [d for d in map(days_to_close, actions) if d is not None]
    return statistics.median(days) if days else None


def load_by_owner(actions: Sequence[ActionItem], today: date) -> tuple[OwnerLoad, ...]:
    """Open and overdue counts per owner, most overdue first, then most open; owners with
    nothing open are left out."""
    open_counts: dict[str, int] = defaultdict(int)
    overdue_counts: dict[str, int] = defaultdict(int)
    for action in actions:
        if not is_open(action):
            continue
        owner = owner_label(action.owner)
        open_counts[owner] += 1
        if is_overdue(action, today):
            overdue_counts[owner] += 1
    loads = [OwnerLoad(owner, n, overdue_counts[owner]) for owner, n in open_counts.items()]
    # Ties: named owners alphabetically, the unassigned pile after them.
    return tuple(
        sorted(
            loads, key=lambda o: (-o.overdue, -o.open, o.owner == UNASSIGNED, o.owner.casefold())
        )
    )


def resolve_by_severity(
    retros: Sequence[Retrospective], metrics: Mapping[str, RetroMetrics]
) -> dict[str, tuple[ResolvePoint, ...]]:
    groups: dict[str, list[ResolvePoint]] = defaultdict(list)
    for retro in retros:
        m = metrics.get(retro.id)
        if m is None or m.time_to_resolve is None or m.start is None:
            continue
        groups[retro.severity or NO_SEVERITY].append(
            ResolvePoint(retro.id, retro.title, retro.incident_ref, m.start, m.time_to_resolve)
        )
    # "SEV1" < ... < "SEV5" < "none" as plain strings, which is the order people expect.
    return {
        severity: tuple(sorted(points, key=lambda p: p.started))
        for severity, points in sorted(groups.items())
    }


def team_stats(
    retros: Sequence[Retrospective],
    actions: Sequence[ActionItem],
    metrics: Mapping[str, RetroMetrics],
    today: date,
) -> TeamStats:
    """Every cross-retrospective figure at once; `metrics` is keyed by retrospective id."""
    return TeamStats(
        retrospectives=len(retros),
        actions=len(actions),
        open=sum(1 for a in actions if is_open(a)),
        overdue=sum(1 for a in actions if is_overdue(a, today)),
        follow_through=follow_through(actions, today),
        median_days_to_close=median_days_to_close(actions),
        by_owner=load_by_owner(actions, today),
        resolve_by_severity=resolve_by_severity(retros, metrics),
    )


def sparkline(values: Sequence[float]) -> str:
    """A one-line chart of `values` (▁ lowest to █ highest), for terminals and plain text."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK_BARS[len(SPARK_BARS) // 2] * len(values)
    scale = (len(SPARK_BARS) - 1) / (high - low)
    return "".join(SPARK_BARS[round((v - low) * scale)] for v in values)
