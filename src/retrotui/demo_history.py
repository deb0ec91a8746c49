"""Past retrospectives for the demo, so the follow-up and stats views show something real.

Five earlier incidents, each with a short timeline and action items in every state: done on
time, done late, won't do, in progress, open and not yet due, open and overdue, and one
with no due date. Dates are relative to the day the demo is first created, so some items
are overdue on that day and more become overdue as time passes, which is the point.
Each retrospective has a fixed id and is created once; running the demo again adds only
what is missing. The ids differ in their first eight characters, the short id people
type, so `retrotui show de3ade33` finds exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from retrotui.core.metrics import MILESTONE_KINDS
from retrotui.models import (
    ActionItem,
    ActionStatus,
    EventKind,
    Priority,
    Record,
    RetroLabel,
    Retrospective,
    RetroStatus,
    Severity,
    TimelineEvent,
)
from retrotui.store import errors
from retrotui.store.repository import Store

# (minutes after the start, kind, text)
Timeline = list[tuple[int, EventKind, str]]


@dataclass(frozen=True)
class PastAction:
    title: str
    owner: str
    due_days: int | None  # after the meeting; None = no due date
    status: ActionStatus
    closed_days: int | None = None  # after the meeting, for done and won't-do
    priority: Priority = Priority.MEDIUM
    ticket: str = ""
    due_is_default: bool = False


@dataclass(frozen=True)
class PastRetro:
    id: str
    title: str
    incident_ref: str
    severity: Severity
    days_ago: int  # the incident, counted back from the day the demo is created
    offset: int | None  # UTC offset of the team's clocks, minutes (None = UTC)
    timeline: Timeline
    actions: tuple[PastAction, ...]
    # False: leave the milestone fields empty, so metrics come from the timeline's events.
    milestones: bool = True
    # Contributing factors (ids of the shipped taxonomy), so `retrotui trends` has patterns.
    factors: tuple[str, ...] = ()


_D = ActionStatus

HISTORY: tuple[PastRetro, ...] = (
    PastRetro(
        id="de3ade32-0000-4000-8000-000000000002",
        title="Checkout down: database connection pool exhausted",
        incident_ref="INC-4502",
        factors=("processing-pipeline", "capacity"),
        severity=Severity.SEV1,
        days_ago=150,
        offset=60,
        timeline=[
            (0, EventKind.TRIGGER, "Batch job opens 400 connections to the orders database"),
            (4, EventKind.DETECTION, "Alert: checkout latency p99 > 5 s"),
            (38, EventKind.MITIGATION, "Batch job paused; pool recovers"),
            (130, EventKind.RESOLUTION, "Batch job limited to 20 connections; resolved"),
        ],
        actions=(
            PastAction(
                "Cap connections per client at the database proxy",
                "Data team",
                15,
                _D.DONE,
                12,
                Priority.HIGH,
                "DATA-301",
            ),
            PastAction(
                "Move the batch job to the read replica",
                "Data team",
                15,
                _D.DONE,
                27,
                Priority.HIGH,
                "DATA-302",
            ),
            PastAction(
                "Alert on connection pool saturation above 80%",
                "Platform team",
                15,
                _D.OPEN,
                None,
                Priority.HIGH,
                "OPS-640",
                due_is_default=True,
            ),
            PastAction(
                "Rewrite the batch job in the new framework",
                "Data team",
                60,
                _D.WONT_DO,
                40,
                Priority.LOW,
            ),
        ),
    ),
    PastRetro(
        id="de3ade33-0000-4000-8000-000000000003",
        title="Search results stale for six hours: indexer stuck",
        incident_ref="INC-4550",
        factors=("processing-pipeline", "software"),
        severity=Severity.SEV2,
        days_ago=110,
        offset=None,
        timeline=[
            (0, EventKind.TRIGGER, "Indexer deadlocks on a malformed product record"),
            (210, EventKind.DETECTION, "Support reports new products missing from search"),
            (290, EventKind.MITIGATION, "Indexer restarted, record skipped"),
            (365, EventKind.RESOLUTION, "Backlog re-indexed; resolved"),
        ],
        actions=(
            PastAction(
                "Alert when the index is more than 15 minutes behind",
                "Search team",
                30,
                _D.DONE,
                9,
                Priority.HIGH,
                "SRCH-88",
            ),
            PastAction(
                "Skip and report malformed records instead of retrying",
                "Search team",
                30,
                _D.IN_PROGRESS,
                None,
                Priority.MEDIUM,
                "SRCH-89",
            ),
            PastAction("Document the re-index procedure", "", None, _D.OPEN, None, Priority.LOW),
        ),
    ),
    PastRetro(
        id="de3ade34-0000-4000-8000-000000000004",
        title="Slow dashboards after deploy: cache stampede",
        incident_ref="INC-4598",
        factors=("binary-push", "software"),
        severity=Severity.SEV3,
        days_ago=75,
        offset=-300,
        milestones=False,
        timeline=[
            (0, EventKind.TRIGGER, "Deploy flushes the dashboard cache at peak time"),
            (12, EventKind.DETECTION, "Customers report dashboards taking 30 s"),
            (25, EventKind.MITIGATION, "Cache warmed by hand from the replica"),
            (70, EventKind.RESOLUTION, "Latency back to normal; resolved"),
        ],
        actions=(
            PastAction(
                "Stagger cache expiry with jitter",
                "Platform team",
                60,
                _D.DONE,
                20,
                Priority.MEDIUM,
                "OPS-701",
                due_is_default=True,
            ),
            PastAction(
                "Warm the cache before switching traffic in deploys",
                "Platform team",
                60,
                _D.OPEN,
                None,
                Priority.MEDIUM,
                "OPS-702",
                due_is_default=True,
            ),
        ),
    ),
    PastRetro(
        id="de3ade35-0000-4000-8000-000000000005",
        title="Login failures: identity provider rate limit",
        incident_ref="INC-4633",
        factors=("capacity", "provider-change"),
        severity=Severity.SEV2,
        days_ago=45,
        offset=60,
        timeline=[
            (0, EventKind.TRIGGER, "Token refresh storm after a mobile app release"),
            (6, EventKind.DETECTION, "Alert: login error rate 30%"),
            (22, EventKind.MITIGATION, "Refresh interval raised by a feature flag"),
            (48, EventKind.RESOLUTION, "Error rate normal; resolved"),
        ],
        actions=(
            PastAction(
                "Back off token refreshes with jitter in the mobile app",
                "Mobile team",
                14,
                _D.DONE,
                11,
                Priority.HIGH,
                "MOB-410",
            ),
            PastAction(
                "Ask the provider for a higher rate limit",
                "Identity team",
                21,
                _D.IN_PROGRESS,
                None,
                Priority.MEDIUM,
                "IAM-57",
            ),
            PastAction(
                "Load-test logins before mobile releases",
                "Mobile team",
                30,
                _D.OPEN,
                None,
                Priority.MEDIUM,
                "",
                due_is_default=True,
            ),
        ),
    ),
    PastRetro(
        id="de3ade36-0000-4000-8000-000000000006",
        title="Orders stuck: queue consumer crash loop",
        incident_ref="INC-4680",
        factors=("binary-push", "software"),
        severity=Severity.SEV1,
        days_ago=16,
        offset=60,
        timeline=[
            (0, EventKind.TRIGGER, "A message larger than 1 MB crashes every consumer"),
            (2, EventKind.DETECTION, "Alert: order queue depth above 10,000"),
            (19, EventKind.MITIGATION, "Poison message moved to a dead-letter queue"),
            (41, EventKind.RESOLUTION, "Backlog drained; resolved"),
        ],
        actions=(
            PastAction(
                "Dead-letter messages that fail three times",
                "Payments team",
                15,
                _D.DONE,
                6,
                Priority.HIGH,
                "PAY-140",
            ),
            PastAction(
                "Reject messages over 1 MB at the producer",
                "Payments team",
                15,
                _D.IN_PROGRESS,
                None,
                Priority.HIGH,
                "PAY-141",
                due_is_default=True,
            ),
            PastAction(
                "Alert on consumer restarts",
                "Platform team",
                30,
                _D.OPEN,
                None,
                Priority.MEDIUM,
                "OPS-733",
            ),
        ),
    ),
)

MEETING_AFTER_DAYS = 2  # retrospectives are held two days after the incident


def history_records(past: PastRetro, today: date) -> list[Record]:
    zone = UTC if past.offset is None else timezone(timedelta(minutes=past.offset))
    start = datetime.combine(today - timedelta(days=past.days_ago), time(14, 7), tzinfo=zone)
    meeting = (start + timedelta(days=MEETING_AFTER_DAYS)).replace(hour=10, minute=0)
    retro = Retrospective(
        id=past.id,
        title=past.title,
        incident_ref=past.incident_ref,
        severity=past.severity,
        status=RetroStatus.PUBLISHED,
        created_at=meeting,
        updated_at=meeting,
    )
    if past.milestones:
        at_kind = {kind: start + timedelta(minutes=m) for m, kind, _ in past.timeline}
        for name, kind in MILESTONE_KINDS.items():
            setattr(retro, name, at_kind[kind])
            setattr(retro, f"{name}_offset", past.offset)
    records: list[Record] = [retro]
    records += [
        TimelineEvent(
            retro_id=past.id,
            time=start + timedelta(minutes=minutes),
            time_offset=past.offset,
            kind=kind,
            text=text,
            key=True,
        )
        for minutes, kind, text in past.timeline
    ]
    records += [
        RetroLabel(retro_id=past.id, kind="factor", name=factor, created_at=meeting)
        for factor in past.factors
    ]
    for item in past.actions:
        closed = None if item.closed_days is None else meeting + timedelta(days=item.closed_days)
        records.append(
            ActionItem(
                retro_id=past.id,
                title=item.title,
                owner=item.owner,
                due=None if item.due_days is None else meeting.date() + timedelta(item.due_days),
                due_is_default=item.due_is_default,
                priority=item.priority,
                status=item.status,
                ticket=item.ticket,
                created_at=meeting,
                updated_at=closed or meeting,
                created_at_offset=past.offset,
                closed_at=closed,
                closed_at_offset=None if closed is None else past.offset,
            )
        )
    return records


def ensure_demo_history(store: Store, today: date) -> None:
    """Create whichever past retrospectives are missing; each one all or nothing."""
    for past in HISTORY:
        try:
            store.get(Retrospective, past.id)
        except errors.NotFoundError:
            store.add_all(history_records(past, today))
