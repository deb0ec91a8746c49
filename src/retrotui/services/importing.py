"""Getting data in: Retro Documents (create or merge) and timeline files (preview, commit).

Every import is one transaction: it commits everything or nothing. Dry runs go through the
same code inside a transaction that is rolled back, so what they report is exactly what a
real import would do.

The app uses the same two steps as the command line: `preview_timeline` (count, span,
first and last events, warnings, duplicates skipped) and then `commit_timeline`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from retrotui.core.times import format_short
from retrotui.errors import ValidationError
from retrotui.formats.detect import detect_format, read_timeline
from retrotui.formats.document_reader import DocRecord, RetroDocument, parse_document
from retrotui.formats.summary import one_line
from retrotui.formats.timeline_rows import EventRow, decode_text, read_bytes
from retrotui.models import (
    ActionItem,
    ChildRecord,
    Note,
    Participant,
    Retrospective,
    TimelineEvent,
    Why,
    WhyChain,
    new_id,
    new_ids,
    utcnow,
)
from retrotui.services.retros import clean_text
from retrotui.store.repository import Store, insert_rows, rehearse

Progress = Callable[[int, int], None]
CHUNK = 5000

# -- Retro Documents -----------------------------------------------------------------------


@dataclass
class Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class DocumentImportReport:
    """What importing one document did (or, for a dry run, would do)."""

    retro_id: str
    title: str
    created: bool
    tallies: dict[str, Tally]
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(t.added or t.updated for t in self.tallies.values())

    def lines(self) -> list[str]:
        verb = "Would create" if self.dry_run else "Created"
        if not self.created:
            verb = "Would merge into" if self.dry_run else "Merged into"
        lines = [f"{verb} {self.title!r} ({self.retro_id[:8]})."]
        for kind, tally in self.tallies.items():
            if tally.added or tally.updated or tally.unchanged:
                lines.append(
                    f"  {kind}: {tally.added} added, {tally.updated} updated, "
                    f"{tally.unchanged} unchanged"
                )
        if not self.created and not self.changed:
            lines.append("Nothing changed: everything in the document was already here.")
        return lines + [f"Warning: {w}" for w in self.warnings]


def read_document(path: Path, *, zone: tzinfo | None = None) -> RetroDocument:
    return parse_document(decode_text(read_bytes(path), str(path)), source=str(path), zone=zone)


def import_document(
    store: Store, doc: RetroDocument, *, dry_run: bool = False
) -> DocumentImportReport:
    """Create the document's retrospective, or merge into the one with its id."""
    with rehearse(store) if dry_run else store.writing() as session:
        report = _merge_document(session, doc)
    report.dry_run = dry_run
    return report


def _merge_document(session: Session, doc: RetroDocument) -> DocumentImportReport:
    now = utcnow()
    tallies = {
        kind: Tally()
        for kind in ("retrospective", "participants", "events", "notes", "whys", "actions")
    }
    retro = _find_retro(session, doc.doc_id)
    created = retro is None
    _check_incident_ref(session, doc.values.get("incident_ref"), retro)
    if retro is None:
        retro = Retrospective(doc_id=doc.doc_id, created_at=now, updated_at=now, **doc.values)
        session.add(retro)
        session.flush()
        tallies["retrospective"].added = 1
    elif _apply(retro, doc.values, now):
        tallies["retrospective"].updated = 1
    else:
        tallies["retrospective"].unchanged = 1

    def by_values(*names: str) -> Callable[[dict[str, Any]], Hashable]:
        return lambda values: tuple(values.get(name) for name in names)

    merge = _ChildMerger(session, retro.id, now)
    merge.run(Participant, doc.participants, by_values("name"), tallies["participants"])
    events = merge.run(TimelineEvent, doc.events, by_values("time", "text"), tallies["events"])
    for note in doc.notes:
        if note.event_ref is None:
            note.values["event_id"] = None
        elif note.event_ref in events:
            note.values["event_id"] = events[note.event_ref]
        else:
            raise ValidationError(
                f"{note.path}.event_id: expected the id of an event in the timeline, "
                f"but there is no event {note.event_ref!r}."
            )
    merge.run(Note, doc.notes, by_values("text"), tallies["notes"])
    if doc.whys:
        # The document's one chain: levels it adds go into the first chain (made if none).
        chain_id = _first_chain(session, retro, now)
        merge.run(Why, doc.whys, by_values("answer"), tallies["whys"], {"chain_id": chain_id})
    merge.run(ActionItem, doc.actions, by_values("title"), tallies["actions"])
    if created is False and any(t.added or t.updated for t in tallies.values()):
        retro.updated_at = now
    session.flush()
    return DocumentImportReport(retro.id, retro.title, created, tallies, list(doc.warnings))


def _first_chain(session: Session, retro: Retrospective, now: datetime) -> str:
    query = select(WhyChain.id).where(col(WhyChain.retro_id) == retro.id)
    found = session.exec(query.order_by(col(WhyChain.position), col(WhyChain.id))).first()
    if found is not None:
        return found
    chain = WhyChain(
        retro_id=retro.id, position=0, problem=retro.summary, created_at=now, updated_at=now
    )
    session.add(chain)
    session.flush()
    return chain.id


def _find_retro(session: Session, doc_id: str | None) -> Retrospective | None:
    if doc_id is None:
        return None  # a document without an id is always a new retrospective
    query = select(Retrospective).where(
        sa.or_(
            col(Retrospective.doc_id) == doc_id,
            sa.and_(col(Retrospective.doc_id).is_(None), col(Retrospective.id) == doc_id),
        )
    )
    return session.exec(query.order_by(col(Retrospective.created_at))).first()


def _check_incident_ref(session: Session, ref: str | None, retro: Retrospective | None) -> None:
    """Incident refs name one retrospective (they are REFs on the command line)."""
    if not ref:
        return
    query = select(Retrospective).where(col(Retrospective.incident_ref) == ref)
    for other in session.exec(query).all():
        if retro is None or other.id != retro.id:
            raise ValidationError(
                f"incident_ref {ref!r} is already used by retrospective {other.id[:8]} "
                f"({other.title!r}); refs must be unique."
            )


def _apply(record: Any, values: dict[str, Any], now: datetime) -> bool:
    """Give a matched record the imported values; True when anything changed."""
    changed = {name: v for name, v in values.items() if getattr(record, name) != v}
    for name, value in changed.items():
        setattr(record, name, value)
    if changed:
        record.updated_at = now
    return bool(changed)


class _ChildMerger:
    """Merges one kind of child record: matched by id, else by content, else added."""

    def __init__(self, session: Session, retro_id: str, now: datetime) -> None:
        self.session = session
        self.retro_id = retro_id
        self.now = now

    def run(
        self,
        model: type[ChildRecord],
        records: Sequence[DocRecord],
        content: Callable[[dict[str, Any]], Hashable],
        tally: Tally,
        new_values: dict[str, Any] | None = None,
    ) -> dict[str, str]:
        """Merge `records`; returns public id -> our id for every record of this kind.
        `new_values` go into added records only (a matched record keeps its place)."""
        local = list(
            self.session.exec(
                select(model)
                .where(col(model.retro_id) == self.retro_id)
                .order_by(col(model.position))
            ).all()
        )
        by_id = {record.public_id: record for record in local}
        by_content: dict[Hashable, list[ChildRecord]] = defaultdict(list)
        for record in local:
            by_content[content(_values_of(record))].append(record)
        used: set[str] = set()
        position = max((r.position for r in local), default=-1) + 1
        for item in records:
            match: ChildRecord | None = None
            if item.doc_id is not None:
                match = by_id.get(item.doc_id)
            else:
                # Each stored record answers for one document record, so two identical
                # id-less whys stay two whys.
                match = next(
                    (r for r in by_content[content(item.values)] if r.id not in used), None
                )
            if match is not None:
                used.add(match.id)
                if _apply(match, item.values, self.now):
                    tally.updated += 1
                else:
                    tally.unchanged += 1
                continue
            fresh = model(
                id=new_id(),
                doc_id=item.doc_id,
                retro_id=self.retro_id,
                position=position,
                **{
                    "created_at": self.now,
                    "updated_at": self.now,
                    **(new_values or {}),
                    **item.values,
                },
            )
            position += 1
            self.session.add(fresh)
            used.add(fresh.id)
            by_id[fresh.public_id] = fresh
            by_content[content(item.values)].append(fresh)
            tally.added += 1
        self.session.flush()
        return {public: record.id for public, record in by_id.items()}


def _values_of(record: ChildRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in type(record).model_fields}


# -- timeline files ------------------------------------------------------------------------


@dataclass
class TimelinePreview:
    """What a timeline import would add: the dry run the CLI prints and the app shows."""

    source: str
    format: str
    events: list[EventRow]  # to be added, in time order (ties keep file order)
    warnings: list[str] = field(default_factory=list)
    duplicates_skipped: int = 0
    retro_id: str | None = None  # None: the import creates a new retrospective

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def first(self) -> EventRow | None:
        return self.events[0] if self.events else None

    @property
    def last(self) -> EventRow | None:
        return self.events[-1] if self.events else None

    @property
    def span(self) -> timedelta | None:
        if not self.events:
            return None
        return self.events[-1].time - self.events[0].time

    def lines(self) -> list[str]:
        lines = [f"{self.count} events from {self.source} ({self.format})."]
        if self.duplicates_skipped:
            lines.append(f"{self.duplicates_skipped} already in the timeline; skipped.")
        if self.first and self.last:
            lines.append(f"Span: {_describe_span(self.span)}.")
            lines.append(f"First: {_describe_event(self.first)}")
            lines.append(f"Last:  {_describe_event(self.last)}")
        return lines + [f"Warning: {w}" for w in self.warnings]


@dataclass
class TimelineImportResult:
    retro_id: str
    created: bool
    added: int
    duplicates_skipped: int


def preview_timeline(
    store: Store | None,
    path: Path,
    *,
    fmt: str = "auto",
    zone: tzinfo | None = None,
    channel: str | None = None,
    retro_id: str | None = None,
) -> TimelinePreview:
    """Read a CSV, JSON Lines or Slack file and say what importing it would add.

    `store` is only needed with `retro_id` (to find duplicates), so a dry run into a new
    retrospective never opens, let alone creates, a database."""
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt == "retro-json":
        raise ValidationError(
            f"{path} is a Retro Document, not a timeline; import it without --into or --title."
        )
    parsed = read_timeline(path, fmt, zone=zone, channel=channel)
    rows = sorted(parsed.rows, key=lambda row: row.time)  # stable: ties keep file order
    existing: set[tuple[datetime, str]] = set()
    if retro_id is not None:
        if store is None:
            raise ValueError("a preview into a retrospective needs its store")
        store.get(Retrospective, retro_id)
        with store.reading() as session:
            existing = _existing_keys(session, retro_id)
    fresh = [row for row in rows if (row.time, row.text) not in existing]
    return TimelinePreview(
        source=str(path),
        format=parsed.format,
        events=fresh,
        warnings=parsed.warnings,
        duplicates_skipped=len(rows) - len(fresh),
        retro_id=retro_id,
    )


def commit_timeline(
    store: Store,
    preview: TimelinePreview,
    *,
    title: str | None = None,
    progress: Progress | None = None,
) -> TimelineImportResult:
    """Add the previewed events in one transaction: into `preview.retro_id`, or into a new
    retrospective called `title`. Duplicates are checked again, inside the transaction."""
    if preview.retro_id is None and title is None:
        raise ValidationError("Give --into REF or --title TITLE to say where the events go.")
    if title is not None:
        title = clean_text(title, "title", required=True).strip()
    now = utcnow()
    with store.writing() as session:
        if preview.retro_id is None:
            assert title is not None
            retro = Retrospective(title=title, created_at=now, updated_at=now)
            session.add(retro)
            session.flush()
            retro_id, existing = retro.id, set()
        else:
            retro_id = preview.retro_id
            if session.get(Retrospective, retro_id) is None:
                raise ValidationError("The retrospective was deleted while importing.")
            existing = _existing_keys(session, retro_id)
        rows = [row for row in preview.events if (row.time, row.text) not in existing]
        position = _next_position(session, retro_id)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            insert_rows(session, TimelineEvent, _event_dicts(chunk, retro_id, position, now))
            position += len(chunk)
            if progress:
                progress(start + len(chunk), len(rows))
        if preview.retro_id is not None and rows:
            session.execute(
                sa.update(Retrospective).where(col(Retrospective.id) == retro_id),
                {"updated_at": now},
            )
    return TimelineImportResult(
        retro_id=retro_id,
        created=preview.retro_id is None,
        added=len(rows),
        duplicates_skipped=preview.duplicates_skipped + len(preview.events) - len(rows),
    )


def _existing_keys(session: Session, retro_id: str) -> set[tuple[datetime, str]]:
    query = select(TimelineEvent.time, TimelineEvent.text).where(
        col(TimelineEvent.retro_id) == retro_id
    )
    return {(time, text) for time, text in session.exec(query).all()}


def _next_position(session: Session, retro_id: str) -> int:
    current = session.exec(
        select(func.max(TimelineEvent.position)).where(col(TimelineEvent.retro_id) == retro_id)
    ).one()
    return 0 if current is None else int(current) + 1


def _event_dicts(
    rows: Sequence[EventRow], retro_id: str, position: int, now: datetime
) -> list[dict[str, Any]]:
    ids = new_ids(len(rows))
    return [
        {
            "id": ids[offset],
            "doc_id": None,
            "created_at": now,
            "updated_at": now,
            "retro_id": retro_id,
            "position": position + offset,
            "time": row.time,
            "time_offset": row.time_offset,
            "text": row.text,
            "kind": row.kind.value,
            "actor": row.actor,
            "source": row.source,
            "key": row.key,
        }
        for offset, row in enumerate(rows)
    ]


def _describe_event(row: EventRow) -> str:
    actor = f"{row.actor}: " if row.actor else ""
    text = " ".join(one_line(row.text).split())
    if len(text) > 70:
        text = text[:69] + "…"
    return f"{format_short(row.time, row.time_offset)}  {actor}{text}"


def _describe_span(span: timedelta | None) -> str:
    seconds = int(span.total_seconds()) if span else 0
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} d"] if days else []
    return " ".join([*parts, f"{hours} h {minutes:02d} min"])
