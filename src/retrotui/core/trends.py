"""Patterns across incidents (`retrotui trends`, the Trends screen): pure arithmetic.

- **Per contributing factor**: the incidents that have it (their refs, newest first), how
  many per month or quarter, and the open and overdue action items of those incidents.
- **Recurring factors**: the ones in two or more incidents, most frequent first.
- **Proposed again**: action items that look alike across retrospectives
  (`core.similarity`: Jaccard of normalised title words, threshold 0.5).
- **Median times per severity**: time to detect, mitigate and resolve, each the median
  over the incidents where it is known, with that count and how many were left out.
  Medians, never means: one week-long outage would drag a mean far from the typical case.

An incident's day is its start (as the team's clock showed it), else the day its
retrospective was made; `since` keeps incidents on or after that day. "Today" is passed in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Literal, NamedTuple

from retrotui.core.similarity import THRESHOLD, alike_groups

Period = Literal["month", "quarter"]
PERIODS: tuple[Period, ...] = ("month", "quarter")
OPEN_STATUSES = frozenset({"open", "in_progress"})
NO_SEVERITY = "none"
# Bars from zero: one cell per period, "·" for none, ▁ to █ up to the busiest cell.
EMPTY_CELL = "·"
BARS = "▁▂▃▄▅▆▇█"
FIGURES = ("time_to_detect", "time_to_mitigate", "time_to_resolve")
_ID = attrgetter("id")


class Incident(NamedTuple):
    id: str
    ref: str  # the incident ref, else the retrospective's short id
    title: str
    severity: str | None
    day: date
    factors: tuple[str, ...]
    time_to_detect: timedelta | None = None
    time_to_mitigate: timedelta | None = None
    time_to_resolve: timedelta | None = None


class Action(NamedTuple):
    id: str
    retro_id: str
    title: str
    status: str
    due: date | None


class FactorTrend(NamedTuple):
    factor: str  # the stored id
    incidents: tuple[Incident, ...]  # newest first
    per_period: tuple[int, ...]  # aligned with Trends.periods
    open_actions: int
    overdue_actions: int

    @property
    def count(self) -> int:  # type: ignore[override]  # (not tuple.count: never wanted here)
        return len(self.incidents)


class Median(NamedTuple):
    value: timedelta | None
    n: int  # incidents the median is over
    missing: int  # incidents of the group without this time, left out

    @property
    def of(self) -> int:
        return self.n + self.missing


class SeverityTimes(NamedTuple):
    severity: str
    incidents: int
    time_to_detect: Median
    time_to_mitigate: Median
    time_to_resolve: Median

    def figure(self, name: str) -> Median:
        median: Median = getattr(self, name)
        return median


class AlikeAction(NamedTuple):
    action: Action
    incident: Incident
    similarity: float  # the best similarity to another item of its group


class Trends(NamedTuple):
    by: Period
    since: date | None
    today: date
    incidents: int
    with_factors: int
    periods: tuple[str, ...]
    factors: tuple[FactorTrend, ...]  # most incidents first
    alike_actions: tuple[tuple[AlikeAction, ...], ...]
    times: tuple[SeverityTimes, ...]  # SEV1 .. SEV5, then "none"

    @property
    def recurring(self) -> tuple[FactorTrend, ...]:
        return tuple(f for f in self.factors if f.count >= 2)

    @property
    def busiest(self) -> int:
        """The largest count of one factor in one period (the top of every chart)."""
        return max((n for f in self.factors for n in f.per_period), default=0)


def period_of(day: date, by: Period) -> str:
    """ "2026-05" by month, "2026-Q2" by quarter."""
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def periods_between(first: date, last: date, by: Period) -> tuple[str, ...]:
    """Every period from the one holding `first` to the one holding `last`, in order."""
    step = 3 if by == "quarter" else 1
    year, month = first.year, first.month
    if by == "quarter":
        month = (month - 1) // 3 * 3 + 1
    out = []
    while (year, month) <= (last.year, last.month):
        out.append(period_of(date(year, month, 1), by))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return tuple(out)


def chart(counts: Sequence[int], top: int) -> str:
    """One cell per period, bars from zero up to `top`: "·▃·█"."""
    cells = []
    for n in counts:
        if n <= 0 or top <= 0:
            cells.append(EMPTY_CELL)
        else:
            cells.append(BARS[max(0, min(len(BARS) - 1, round(n / top * len(BARS)) - 1))])
    return "".join(cells)


def durations(
    start: datetime | None,
    detected: datetime | None,
    mitigated: datetime | None,
    resolved: datetime | None,
) -> tuple[timedelta | None, timedelta | None, timedelta | None]:
    """Time to detect, mitigate and resolve from the start, as `core.metrics` measures them:
    unknown without a start, and left out when a milestone is before the start."""
    if start is None:
        return None, None, None
    return (
        None if detected is None or detected < start else detected - start,
        None if mitigated is None or mitigated < start else mitigated - start,
        None if resolved is None or resolved < start else resolved - start,
    )


def describe_median(median: Median) -> str:
    """ "38m (n=2 of 3)": the median and how many incidents it is over."""
    from retrotui.core.times import format_duration

    if median.value is None:
        return f"- (n=0 of {median.of})"
    count = f"n={median.n}" if not median.missing else f"n={median.n} of {median.of}"
    return f"{format_duration(median.value)} ({count})"


def median_of(values: Sequence[timedelta | None]) -> Median:
    """The median of the known values (the mean of the middle two for an even count), how
    many it is over and how many were missing. (Not `statistics`: its import costs more
    than a `retrotui trends` computation.)"""
    known = sorted([v for v in values if v is not None])
    middle = len(known) // 2
    value = None
    if known:
        value = known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2
    return Median(value, len(known), len(values) - len(known))


def severity_times(incidents: Sequence[Incident]) -> tuple[SeverityTimes, ...]:
    groups: dict[str, list[Incident]] = defaultdict(list)
    for incident in incidents:
        groups[incident.severity or NO_SEVERITY].append(incident)
    # "SEV1" < ... < "SEV5" < "none" as plain strings, the order people expect.
    return tuple(
        SeverityTimes(
            severity,
            len(group),
            median_of([i.time_to_detect for i in group]),
            median_of([i.time_to_mitigate for i in group]),
            median_of([i.time_to_resolve for i in group]),
        )
        for severity, group in sorted(groups.items())
    )


def build_trends(
    incidents: Sequence[Incident],
    actions: Sequence[Action],
    *,
    today: date,
    by: Period = "month",
    since: date | None = None,
    threshold: float = THRESHOLD,
    sort_name: Callable[[str], str] = str,
) -> Trends:
    """Everything `retrotui trends` shows. `sort_name` gives the name factors are sorted
    by when their counts tie (their display name)."""
    chosen = sorted(
        (i for i in incidents if since is None or i.day >= since),
        key=lambda i: (i.day, i.ref),
        reverse=True,
    )
    by_id = {i.id: i for i in chosen}
    periods: tuple[str, ...] = ()
    if chosen:
        first = since or chosen[-1].day
        periods = periods_between(first, max(today, chosen[0].day), by)
    slot = {p: n for n, p in enumerate(periods)}

    # Each chosen incident's action items, and how many of them are open and overdue.
    theirs: dict[str, list[Action]] = {i.id: [] for i in chosen}
    for action in actions:
        mine = theirs.get(action.retro_id)
        if mine is not None:
            mine.append(action)
    open_by_retro: dict[str, int] = defaultdict(int)
    overdue_by_retro: dict[str, int] = defaultdict(int)
    for retro_id, mine in theirs.items():
        for action in mine:
            if action.status in OPEN_STATUSES:
                open_by_retro[retro_id] += 1
                if action.due is not None and action.due < today:
                    overdue_by_retro[retro_id] += 1

    having: dict[str, list[Incident]] = defaultdict(list)
    for incident in chosen:
        for factor in dict.fromkeys(incident.factors):
            having[factor].append(incident)
    slot_of_day: dict[date, int] = {}
    factors = []
    for factor, group in having.items():
        counts = [0] * len(periods)
        for incident in group:
            n = slot_of_day.get(incident.day)
            if n is None:
                n = slot_of_day[incident.day] = slot[period_of(incident.day, by)]
            counts[n] += 1
        factors.append(
            FactorTrend(
                factor,
                tuple(group),
                tuple(counts),
                sum([open_by_retro[i.id] for i in group]),
                sum([overdue_by_retro[i.id] for i in group]),
            )
        )
    factors.sort(key=lambda f: (-f.count, sort_name(f.factor).casefold(), f.factor))

    # Oldest first, so a group reads as the history of one remediation: by the incident's
    # (day, ref), then by the item's id (across incidents with the same day and ref too).
    ordered: list[Action] = []
    same: list[Action] = []
    previous: tuple[date, str] | None = None
    for incident in reversed(chosen):
        if (incident.day, incident.ref) != previous:
            ordered += sorted(same, key=_ID) if len(same) > 1 else same
            same = []
            previous = incident.day, incident.ref
        same += theirs[incident.id]
    ordered += sorted(same, key=_ID)
    groups = alike_groups([(a.retro_id, a.title) for a in ordered], threshold)
    alike = tuple(
        tuple(AlikeAction(ordered[i], by_id[ordered[i].retro_id], score) for i, score in group)
        for group in groups
    )
    return Trends(
        by=by,
        since=since,
        today=today,
        incidents=len(chosen),
        with_factors=sum(1 for i in chosen if i.factors),
        periods=periods,
        factors=tuple(factors),
        alike_actions=tuple(sorted(alike, key=lambda g: (-len(g), g[0].incident.day))),
        times=severity_times(chosen),
    )
