"""Merging a parsed Retro Document v1 into the database: create its retrospective, or merge
into the one with its id (records matched by id, else by content, else added). v2
documents merge record by record in `store.document_merge`. `merge_document` runs either
in one transaction, or, for a dry run, in one that is rolled back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from retrotui.core.import_report import DocumentImportReport, Tally
from retrotui.errors import ValidationError
from retrotui.formats.document_reader import DocRecord, RetroDocument
from retrotui.formats.document_reader_v2 import SyncDocument
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
    utcnow,
)
from retrotui.store.errors import IncidentRefTakenError
from retrotui.store.repository import Store, lock_retrospectives, rehearse
from retrotui.store.tombstones import check_retro_grave


class RefHeldError(IncidentRefTakenError):
    """The document's incident ref names another retrospective (the services word it)."""

    def __init__(self, ref: str, holder: Retrospective) -> None:
        super().__init__(f"Incident ref {ref!r} is already used.")
        # Plain values: the record itself is gone with the rolled-back session.
        self.ref, self.holder_id, self.holder_title = ref, holder.id, holder.title


def merge_document(
    store: Store, doc: RetroDocument | SyncDocument, *, dry_run: bool = False, restore: bool = False
) -> DocumentImportReport:
    """Create the document's retrospective, or merge into the one with its id. One deleted
    here after the document's last edit raises RetroDeletedError unless `restore`."""
    with rehearse(store) if dry_run else store.writing() as session:
        retro = _find_retro(session, doc.doc_id)
        restored = None
        if retro is None and doc.doc_id is not None:
            revision = doc.revision if isinstance(doc, SyncDocument) else None
            restored = check_retro_grave(session, doc.doc_id, revision, restore=restore)
        _check_incident_ref(session, doc.values.get("incident_ref"), retro)
        if isinstance(doc, SyncDocument):
            from retrotui.store.document_merge import merge_v2

            report = merge_v2(session, doc, retro, utcnow())
        else:
            report = _merge_document(session, doc, retro)
        report.restored = restored
        return report


def _merge_document(
    session: Session, doc: RetroDocument, retro: Retrospective | None
) -> DocumentImportReport:
    now = utcnow()
    tallies = {
        kind: Tally()
        for kind in ("retrospective", "participants", "events", "notes", "whys", "actions")
    }
    created = retro is None
    if retro is None:
        retro = Retrospective(doc_id=doc.doc_id, created_at=now, updated_at=now, **doc.values)
        session.add(retro)
        session.flush()
        tallies["retrospective"].added = 1
    elif _apply(retro, doc.values, now):
        retro.content_updated_at = now
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
    query = select(Retrospective).where(func.lower(Retrospective.incident_ref) == ref.lower())
    for other in session.exec(query).all():
        if retro is None or other.id != retro.id:
            raise RefHeldError(ref, other)


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
        lock_retrospectives(self.session, [self.retro_id])  # positions read below stay ours
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
