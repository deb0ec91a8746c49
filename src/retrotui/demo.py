"""The sample retrospective behind `retrotui demo` and `make run`.

A realistic SEV2: expired TLS certificate on the payments gateway. Created once, under a
fixed id, so running the demo again opens the same retrospective instead of a copy.
Earlier incidents with their action items come from `demo_history`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from retrotui.demo_history import ensure_demo_history
from retrotui.models import (
    ActionItem,
    ActionStatus,
    EventKind,
    Note,
    NoteKind,
    Participant,
    Priority,
    Record,
    Retrospective,
    RetroStatus,
    Role,
    Severity,
    TimelineEvent,
    Why,
    WhyChain,
)
from retrotui.store import errors
from retrotui.store.repository import Store

DEMO_ID = "de3ade30-0000-4000-8000-000000000001"
CET = timezone(timedelta(hours=1))
OFFSET = 60

# (minutes after 08:52 CET, kind, actor, text, key)
_TIMELINE: list[tuple[int, EventKind, str, str, bool]] = [
    (0, EventKind.TRIGGER, "cert-manager", "TLS certificate for pay-gw.internal expires", True),
    (3, EventKind.ACTION, "Checkout service", "Error rate on /checkout rises to 4%", False),
    (
        9,
        EventKind.DETECTION,
        "Monitoring",
        "Alert: checkout 5xx > 2% for 5 min; page sent to payments on-call",
        True,
    ),
    (
        12,
        EventKind.ESCALATION,
        "Payments on-call",
        "Acknowledged the page, opened #inc-4711",
        False,
    ),
    (15, EventKind.COMMUNICATION, "Support", "First customer tickets: card payments fail", False),
    (18, EventKind.ACTION, "Payments on-call", "Rolled back the 08:30 deploy of checkout", False),
    (26, EventKind.ACTION, "Payments on-call", "Error rate unchanged after rollback", False),
    (
        31,
        EventKind.ESCALATION,
        "Incident commander",
        "Declared SEV2, paged the platform team",
        True,
    ),
    (
        37,
        EventKind.ACTION,
        "Platform on-call",
        "Found `x509: certificate has expired` in gateway logs",
        True,
    ),
    (40, EventKind.COMMUNICATION, "Comms lead", "Status page: degraded card payments", False),
    (
        44,
        EventKind.ACTION,
        "Platform on-call",
        "cert-manager renewal job stuck since 12 days",
        False,
    ),
    (
        51,
        EventKind.MITIGATION,
        "Platform on-call",
        "Issued a certificate by hand and reloaded",
        True,
    ),
    (53, EventKind.ACTION, "Monitoring", "Checkout error rate back under 0.1%", False),
    (60, EventKind.COMMUNICATION, "Comms lead", "Status page: monitoring the fix", False),
    (78, EventKind.ACTION, "Platform team", "Fixed the renewal job's expired service token", False),
    (
        95,
        EventKind.RESOLUTION,
        "Incident commander",
        "Renewal job healthy; incident resolved",
        True,
    ),
    (
        110,
        EventKind.COMMUNICATION,
        "Comms lead",
        "Status page: resolved; summary to customers",
        False,
    ),
]

_NOTES: list[tuple[int | None, NoteKind, str]] = [
    (2, NoteKind.WENT_WELL, "The alert fired 9 minutes after the first errors"),
    (5, NoteKind.WENT_WRONG, "The rollback cost 8 minutes because the deploy looked guilty"),
    (8, NoteKind.LUCKY, "The platform on-call had rotated this certificate by hand before"),
    (10, NoteKind.WENT_WRONG, "Nothing alerted on the renewal job failing for 12 days"),
    (11, NoteKind.WENT_WELL, "Manual issuance runbook worked first time"),
    (None, NoteKind.QUESTION, "Which other certificates does this renewal job manage?"),
]

_WHYS: list[tuple[str, str]] = [
    ("Why did card payments fail?", "The gateway's TLS certificate had expired"),
    ("Why had it expired?", "The automatic renewal job failed for 12 days"),
    ("Why did the renewal job fail?", "Its service token expired and was not rotated"),
    ("Why was that not noticed?", "Renewal failures are logged but raise no alert"),
    ("Why is there no alert?", "Certificate expiry was assumed to be fully automated"),
]

_ACTIONS: list[tuple[str, str, int, Priority, ActionStatus, str]] = [
    (
        "Alert when any certificate expires within 14 days",
        "Platform team",
        14,
        Priority.HIGH,
        ActionStatus.IN_PROGRESS,
        "OPS-812",
    ),
    (
        "Alert on renewal job failures",
        "Platform team",
        7,
        Priority.HIGH,
        ActionStatus.OPEN,
        "OPS-813",
    ),
    (
        "Rotate the renewal job's token automatically",
        "Security team",
        30,
        Priority.MEDIUM,
        ActionStatus.OPEN,
        "",
    ),
    (
        "Add 'check certificates' to the checkout 5xx runbook",
        "Payments team",
        -3,
        Priority.LOW,
        ActionStatus.DONE,
        "PAY-77",
    ),
]


def demo_records(today: date) -> list[Record]:
    start = datetime(2026, 11, 17, 8, 52, tzinfo=CET)
    retro = Retrospective(
        id=DEMO_ID,
        title="Card payments failing: expired gateway certificate",
        incident_ref="INC-4711",
        severity=Severity.SEV2,
        status=RetroStatus.IN_MEETING,
        started_at=start,
        started_at_offset=OFFSET,
        detected_at=start + timedelta(minutes=9),
        detected_at_offset=OFFSET,
        mitigated_at=start + timedelta(minutes=51),
        mitigated_at_offset=OFFSET,
        resolved_at=start + timedelta(minutes=95),
        resolved_at_offset=OFFSET,
        summary="The TLS certificate of the payments gateway expired because its automatic "
        "renewal had been failing silently; card payments failed for 51 minutes.",
        impact="About 6,200 card payments failed (12% of checkouts); no double charges.",
    )
    records: list[Record] = [retro]
    for name, role in [
        ("Ana", Role.MODERATOR),
        ("Ben", Role.NOTE_TAKER),
        ("Chidi", Role.ACTION_LOGGER),
        ("Dana", Role.INCIDENT_COMMANDER),
        ("Platform on-call", Role.SUBJECT_MATTER_EXPERT),
    ]:
        records.append(Participant(retro_id=DEMO_ID, name=name, role=role))
    events = [
        TimelineEvent(
            retro_id=DEMO_ID,
            time=start + timedelta(minutes=minutes),
            time_offset=OFFSET,
            kind=kind,
            actor=actor,
            text=text,
            key=key,
        )
        for minutes, kind, actor, text, key in _TIMELINE
    ]
    records.extend(events)
    for index, kind, text in _NOTES:
        event_id = events[index].id if index is not None else None
        records.append(
            Note(retro_id=DEMO_ID, event_id=event_id, kind=kind, text=text, author="Ben")
        )
    chain = WhyChain(retro_id=DEMO_ID, problem=retro.summary)
    records.append(chain)
    records.extend(
        Why(
            retro_id=DEMO_ID,
            chain_id=chain.id,
            question=q,
            answer=a,
            is_root_cause=number == len(_WHYS),
        )
        for number, (q, a) in enumerate(_WHYS, start=1)
    )
    for title, owner, days, priority, status, ticket in _ACTIONS:
        # Closed items carry the day they were closed, which follow-through is measured by.
        closed = datetime.combine(today - timedelta(days=4), time(16), CET)
        records.append(
            ActionItem(
                retro_id=DEMO_ID,
                title=title,
                owner=owner,
                due=today + timedelta(days=days),
                priority=priority,
                status=status,
                ticket=ticket,
                closed_at=closed if status.is_closed else None,
                closed_at_offset=OFFSET if status.is_closed else None,
            )
        )
    return records


def ensure_demo(store: Store, today: date) -> Retrospective:
    """The demo retrospective, and the past ones behind it, created on first use."""
    ensure_demo_history(store, today)
    try:
        return store.get(Retrospective, DEMO_ID)
    except errors.NotFoundError:
        store.add_all(demo_records(today))
        return store.get(Retrospective, DEMO_ID)
