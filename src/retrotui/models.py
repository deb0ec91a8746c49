"""The retrospective data model: SQLModel tables and the enumerations of Retro Document v1.

Every record has a UUID `id`, `created_at` and `updated_at`. User-facing instants are stored
in UTC (see `UTCDateTime`) next to the UTC offset they were entered with, in minutes, so the
UI and exports can show them as the people in the incident saw them.

`doc_id` keeps the identity a record had in an imported Retro Document when it differs from
our own UUID (documents may use ids such as "ev-1", which are only unique inside one
document); exports write `doc_id or id`, so identities survive a round trip.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class Severity(StrEnum):
    SEV1 = "SEV1"
    SEV2 = "SEV2"
    SEV3 = "SEV3"
    SEV4 = "SEV4"
    SEV5 = "SEV5"


class RetroStatus(StrEnum):
    DRAFT = "draft"
    IN_MEETING = "in_meeting"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"


class Role(StrEnum):
    MODERATOR = "moderator"
    NOTE_TAKER = "note_taker"
    ACTION_LOGGER = "action_logger"
    INCIDENT_COMMANDER = "incident_commander"
    SUBJECT_MATTER_EXPERT = "subject_matter_expert"
    OBSERVER = "observer"


class EventKind(StrEnum):
    TRIGGER = "trigger"
    DETECTION = "detection"
    ESCALATION = "escalation"
    ACTION = "action"
    MITIGATION = "mitigation"
    RESOLUTION = "resolution"
    COMMUNICATION = "communication"
    NOTE = "note"


class NoteKind(StrEnum):
    OBSERVATION = "observation"
    WENT_WELL = "went_well"
    WENT_WRONG = "went_wrong"
    LUCKY = "lucky"
    QUESTION = "question"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"

    @property
    def is_closed(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.WONT_DO)


class LabelKind(StrEnum):
    """What a `RetroLabel` is: a contributing factor of the taxonomy, or a free tag."""

    FACTOR = "factor"
    TAG = "tag"


def new_id() -> str:
    return str(uuid.uuid4())


def new_ids(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as text, made in one go: about 4x faster than
    calling uuid4() per row, which was a tenth of a 100,000-line import."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes((b & 0x0F) | 0x40 for b in raw[6::16])  # version 4
    raw[8::16] = bytes((b & 0x3F) | 0x80 for b in raw[8::16])  # RFC 4122 variant
    h = raw.hex()
    cuts = ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))
    return ["-".join(h[i + a : i + b] for a, b in cuts) for i in range(0, 32 * count, 32)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC, the one representation every dialect shares.

    SQLite has no time zone type, so without this an aware value would come back naive and
    comparisons between stored and fresh values would raise or, worse, silently shift.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a time zone first")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)

    def result_processor(self, dialect: sa.Dialect, coltype: object) -> Any:
        """On SQLite, text to an aware datetime in one C call.

        The general path (SQLAlchemy parses, then `process_result_value` attaches UTC)
        costs ten times more, and a 10,000-event timeline reads 30,000 of these
        (bench/export.py). Text in any other form still goes the general way.
        """
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite" or general is None:
            return general
        parse = datetime.fromisoformat

        def to_aware(value: Any) -> datetime | None:
            if isinstance(value, str) and len(value) == _SQLITE_DATETIME_LENGTH:
                return parse(value + "+00:00")
            return general(value)

        return to_aware


# "2026-05-14 09:12:00.000000": how SQLAlchemy's SQLite DateTime stores a naive instant.
_SQLITE_DATETIME_LENGTH = len("YYYY-MM-DD HH:MM:SS.ffffff")

# Enumerations are stored as plain strings: no dialect-specific ENUM type to migrate.
ENUM_TYPE = sa.String(32)


class Record(SQLModel):
    """Columns every table shares."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=64)
    doc_id: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def public_id(self) -> str:
        """The identity exports and merges use."""
        return self.doc_id or self.id


class Retrospective(Record, table=True):
    __tablename__ = "retrospective"

    title: str
    incident_ref: str | None = Field(default=None, index=True)
    severity: Severity | None = Field(default=None, sa_type=ENUM_TYPE)
    status: RetroStatus = Field(default=RetroStatus.DRAFT, sa_type=ENUM_TYPE)
    template: str = "standard"
    source_url: str | None = None
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    started_at_offset: int | None = None
    detected_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    detected_at_offset: int | None = None
    mitigated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    mitigated_at_offset: int | None = None
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at_offset: int | None = None
    summary: str = ""
    impact: str = ""
    # The event the meeting is on, so reopening resumes where the team left off.
    current_event_id: str | None = Field(default=None, max_length=64)
    # The agenda stage (1 Prepare .. 6 Wrap-up) the meeting was on; a new one starts on
    # the timeline, where most of the meeting happens.
    current_stage: int = Field(default=2, sa_column_kwargs={"server_default": "2"})
    # When the retrospective's own fields (title, summary, milestones...) last changed.
    # `updated_at` also moves whenever anything inside it changes (change detection), so
    # merges compare this one: an edit to an action must not win over an older summary.
    content_updated_at: datetime | None = Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=True
    )
    # The Retro Document revision this copy last took in (see formats/document.py): the
    # point two copies are known to share, so a merge can tell who changed what since.
    synced_revision: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def edited_at(self) -> datetime:
        return self.content_updated_at or self.updated_at


# Columns that say where a meeting stands, not what the retrospective holds: changing them
# is not an edit (documents leave them out, and merges never compare them).
MEETING_STATE = frozenset({"current_event_id", "current_stage", "synced_revision"})


class ChildRecord(Record):
    retro_id: str = Field(foreign_key="retrospective.id", index=True, ondelete="CASCADE")
    # Entry order: ties in time keep the order people entered them in.
    position: int = 0


class Participant(ChildRecord, table=True):
    __tablename__ = "participant"

    name: str
    role: Role = Field(default=Role.OBSERVER, sa_type=ENUM_TYPE)


class TimelineEvent(ChildRecord, table=True):
    __tablename__ = "timeline_event"

    time: datetime = Field(sa_type=UTCDateTime)
    time_offset: int | None = None
    text: str
    kind: EventKind = Field(default=EventKind.NOTE, sa_type=ENUM_TYPE)
    actor: str = ""
    source: str = "manual"
    key: bool = False


class Note(ChildRecord, table=True):
    __tablename__ = "note"

    text: str
    kind: NoteKind = Field(default=NoteKind.OBSERVATION, sa_type=ENUM_TYPE)
    event_id: str | None = Field(
        default=None, foreign_key="timeline_event.id", index=True, ondelete="SET NULL"
    )
    author: str = ""
    created_at_offset: int | None = None


class WhyChain(ChildRecord, table=True):
    """One 5 Whys drill-down, from a problem statement (one per contributing factor)."""

    __tablename__ = "why_chain"

    problem: str = ""


class Why(ChildRecord, table=True):
    """One level of a chain; `position` orders the levels of a chain, first answer first."""

    __tablename__ = "why"

    answer: str
    question: str | None = None
    chain_id: str = Field(foreign_key="why_chain.id", index=True, ondelete="CASCADE")
    # At most one level per chain is the root cause (services.whys keeps it so).
    is_root_cause: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Who typed it (the terminal's identity, `--as NAME`).
    author: str = Field(default="", sa_column_kwargs={"server_default": ""})


class ActionItem(ChildRecord, table=True):
    __tablename__ = "action_item"

    title: str
    description: str = ""
    owner: str = ""
    due: date | None = None
    priority: Priority = Field(default=Priority.MEDIUM, sa_type=ENUM_TYPE)
    status: ActionStatus = Field(default=ActionStatus.OPEN, sa_type=ENUM_TYPE)
    ticket: str = ""
    created_at_offset: int | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at_offset: int | None = None
    # The why level this action addresses (no FK: a deleted why just unlinks).
    why_id: str | None = Field(default=None, max_length=64)
    # True while the due date is the one the severity policy filled in, not a person's.
    due_is_default: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Who recorded it (the terminal's identity), not who owns it.
    author: str = Field(default="", sa_column_kwargs={"server_default": ""})


class RetroLabel(ChildRecord, table=True):
    """A contributing factor (`kind` "factor", `name` an id of the taxonomy in
    `core.factors`) or a free tag (`kind` "tag") of a retrospective."""

    __tablename__ = "retro_label"
    __table_args__ = (sa.UniqueConstraint("retro_id", "kind", "name", name="uq_retro_label"),)

    kind: str = Field(sa_type=ENUM_TYPE)
    name: str = Field(max_length=64)


class StageClock(Record, table=True):
    """The agenda timer of one stage of a retrospective, so a meeting that is reopened
    (or whose app was restarted) keeps its clock. Meeting tooling, not part of the record:
    Retro Documents and exports leave it out.

    `banked_ms` is the time of earlier runs; `running_since` is when the current run began
    (None while paused), as in `core.agenda.StageTimer`.
    """

    __tablename__ = "stage_clock"
    __table_args__ = (sa.UniqueConstraint("retro_id", "stage", name="uq_stage_clock_stage"),)

    retro_id: str = Field(foreign_key="retrospective.id", index=True, ondelete="CASCADE")
    stage: int
    banked_ms: int = 0
    running_since: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Tombstone(Record, table=True):
    """A deleted record of a retrospective, kept so that a merge can tell "deleted there"
    from "never had it". `id`, `doc_id` and `created_at` are the deleted record's own;
    `updated_at` is when it was deleted; `kind` is its table name."""

    __tablename__ = "tombstone"

    retro_id: str = Field(foreign_key="retrospective.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=32)


class RetroTombstone(Record, table=True):
    """A deleted retrospective, kept so that importing an older copy of it (a Retro
    Document, `retrotui copy`) does not bring it back unasked. `id`, `doc_id`,
    `created_at` and `title` are the retrospective's own; `updated_at` is when it was
    deleted. No link to the retrospective: it is gone."""

    __tablename__ = "retro_tombstone"

    title: str = ""


class Meeting(SQLModel, table=True):
    """Where a retrospective's meeting is and who drives it: shared by every terminal in it.
    Meeting tooling like `StageClock`: exports leave it out."""

    __tablename__ = "meeting"

    retro_id: str = Field(
        primary_key=True, max_length=64, foreign_key="retrospective.id", ondelete="CASCADE"
    )
    stage: int = 2
    event_id: str | None = Field(default=None, max_length=64)
    # The driving terminal's session (see `MeetingPresence`); None: nobody drives.
    driver_session: str | None = Field(default=None, max_length=64)
    driver_name: str = ""
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MeetingPresence(SQLModel, table=True):
    """One terminal in a meeting: its heartbeat (`last_seen`) says it is still there."""

    __tablename__ = "meeting_presence"

    session_id: str = Field(primary_key=True, max_length=64)
    retro_id: str = Field(foreign_key="retrospective.id", index=True, ondelete="CASCADE")
    name: str
    role: str | None = Field(default=None, sa_type=ENUM_TYPE)
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    typing: bool = False


TABLES: tuple[type[Record], ...] = (
    Retrospective,
    Participant,
    TimelineEvent,
    Note,
    WhyChain,
    Why,
    ActionItem,
    StageClock,
    Tombstone,
    RetroLabel,
    RetroTombstone,
)
