"""Importing Retro Document v2: create the retrospective, or merge into the one with its id
so that no newer edit is ever lost (the rule is `core.merge`).

Records are matched by public id (stage clocks also by stage). Per record the later
`updated_at` wins; a deletion beats an older edit and loses to a newer one. When both
sides changed a record since the revision they last shared, the newer still wins and the
other version is kept as a `question` note (on the same event where there is one) and
named in the report. A record only one side has is added, or, if it is a tombstone,
remembered. Applied versions keep their own times, so two copies that exchange documents
converge.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.core.import_report import DocumentImportReport, Tally
from retrotui.core.merge import Decision, Version, decide
from retrotui.formats.document_fields import (
    MERGE_ORDER,
    RETRO_FIELDS,
    Collection,
    canonical,
    record_values,
    same_values,
    values_of,
)
from retrotui.formats.document_reader_v2 import SyncDocument, SyncRecord
from retrotui.models import Note, NoteKind, Retrospective, Tombstone, new_id
from retrotui.store.merge_text import (
    LABELS,
    Loser,
    change_line,
    loser_text,
    note_id,
    summary,
)
from retrotui.store.repository import insert_rows, lock_retrospectives
from retrotui.store.tombstones import bury


def merge_v2(
    session: Session,
    doc: SyncDocument,
    retro: Retrospective | None,
    now: datetime,
) -> DocumentImportReport:
    """Create or merge; the caller found `retro` by the document's id (None: create)."""
    created = retro is None
    tallies = {kind: Tally() for kind in ("retrospective", *(c.key for c in MERGE_ORDER))}
    report = DocumentImportReport("", doc.title, created, tallies, list(doc.warnings))
    merger = _Merger(session, report)
    if retro is None:
        retro = Retrospective(
            doc_id=doc.doc_id,
            created_at=doc.created_at,
            updated_at=now,
            content_updated_at=doc.updated_at,
            synced_revision=doc.base_revision,
            **doc.values,
        )
        session.add(retro)
        session.flush()
        tallies["retrospective"].added = 1
        merger.retro = retro
    else:
        bases = [b for b in (doc.base_revision, retro.synced_revision) if b is not None]
        merger.retro, merger.base = retro, min(bases) if bases else None
        merger.retro_fields(doc)
        retro.synced_revision = max(retro.synced_revision or doc.revision, doc.revision)
    report.retro_id, report.title = retro.id, retro.title
    for collection in MERGE_ORDER:
        merger.run(collection, doc.records[collection.key])
    merger.keep_losers()
    if not created and report.changed:
        retro.updated_at = now
    session.flush()
    return report


class _Merger:
    def __init__(self, session: Session, report: DocumentImportReport) -> None:
        self.session = session
        self.report = report
        self.retro = Retrospective(title="")
        self.base: datetime | None = None
        # Per collection: our id -> public id, and back, for live records after merging.
        self.public: dict[str, dict[str, str]] = {}
        self.ours: dict[str, dict[str, str]] = {}
        self.losers: list[Loser] = []
        self.pending: list[dict[str, Any]] = []  # new records of the collection being merged

    def retro_fields(self, doc: SyncDocument) -> None:
        retro = self.retro
        local = values_of(RETRO_FIELDS, retro, {})
        mine = Version(retro.edited_at, content=canonical(RETRO_FIELDS, local))
        theirs = Version(doc.updated_at, content=canonical(RETRO_FIELDS, doc.values))
        decision = decide(mine, theirs, self.base, same=same_values(local, doc.values))
        tally = self.report.tallies["retrospective"]
        if decision.take:
            for name, value in doc.values.items():
                setattr(retro, name, value)
            retro.content_updated_at = doc.updated_at
        if decision.changed:
            tally.updated += 1
            self.report.changes.append(
                change_line("retrospective", RETRO_FIELDS, local, doc.values)
            )
        else:
            tally.unchanged += 1
        if decision.conflict:
            loser, winner = (local, doc.values) if decision.take else (doc.values, local)
            stamp = max(mine, theirs, key=Version.key)
            self._conflict(Loser("retrospective", "", RETRO_FIELDS, loser, winner, stamp))

    def run(self, collection: Collection, incoming: list[SyncRecord]) -> None:
        model: Any = collection.model
        live = list(self.session.exec(select(model).where(model.retro_id == self.retro.id)))
        buried = self.session.exec(
            select(Tombstone).where(
                col(Tombstone.retro_id) == self.retro.id, col(Tombstone.kind) == collection.kind
            )
        ).all()
        by_id: dict[str, Any] = {r.public_id: r for r in live}
        by_stage = {r.stage: r for r in live} if collection.key == "stage_clocks" else {}
        graves = {t.public_id: t for t in buried}
        by_name = {(r.kind, r.name): r for r in live} if collection.key == "labels" else {}
        tally = self.report.tallies[collection.key]
        for item in incoming:
            record = by_id.get(item.public_id)
            if record is None and by_stage and not item.deleted:
                record = by_stage.get(item.values["stage"])
            if record is None and by_name and not item.deleted:
                twin = by_name.get((item.values["kind"], item.values["name"]))
                if twin is not None and self._one_label(item, twin, by_id, graves):
                    tally.unchanged += 1
                    continue
            grave = graves.get(item.public_id) if record is None else None
            self._one(collection, item, record, grave, tally)
        self.session.flush()
        insert_rows(self.session, collection.model, self.pending)
        self.pending = []
        # Only ids: building thousands of model objects again would double the import.
        ids = self.session.execute(
            sa.select(model.id, model.doc_id).where(model.retro_id == self.retro.id)
        ).all()
        self.public[collection.key] = {our: doc or our for our, doc in ids}
        self.ours[collection.key] = {doc or our: our for our, doc in ids}

    def _one_label(
        self, item: SyncRecord, twin: Any, by_id: dict[str, Any], graves: dict[str, Tombstone]
    ) -> bool:
        """A label this copy holds under another id (both copies added it before labels had
        ids made from their name): the smaller id stays on both copies, and the other is
        buried at its own time, so merges in any order agree. True: `item` is done."""
        grave = graves.get(item.public_id)
        if grave is not None and grave.updated_at >= item.updated_at:
            return True  # removed here later than the other copy had it: stays removed
        if twin.public_id < item.public_id:
            if grave is None:
                graves[item.public_id] = self._grave(item.public_id, item.updated_at, "retro_label")
            elif item.updated_at > grave.updated_at:
                grave.updated_at = item.updated_at
            return True
        bury(self.session, [twin], twin.updated_at)
        self.session.flush()
        by_id.pop(twin.public_id, None)
        buried = self.session.get(Tombstone, twin.id)
        if buried is not None:
            graves[twin.public_id] = buried
        return False

    def _grave(self, public_id: str, when: datetime, kind: str) -> Tombstone:
        """A tombstone for a record this copy never had."""
        grave = Tombstone(
            id=new_id(),
            doc_id=public_id,
            created_at=when,
            updated_at=when,
            retro_id=self.retro.id,
            kind=kind,
        )
        self.session.add(grave)
        return grave

    def _one(
        self,
        collection: Collection,
        item: SyncRecord,
        record: Any,
        grave: Tombstone | None,
        tally: Tally,
    ) -> None:
        theirs_public, theirs_ours = self._refs(collection, item.values)
        # Content only matters against a version here (it orders versions of one time).
        compare = not item.deleted and (record is not None or grave is not None)
        content = canonical(collection.fields, theirs_public) if compare else ""
        theirs = Version(item.updated_at, item.deleted, content)
        local: dict[str, Any] = {}
        mine: Version | None = None
        same = False
        if record is not None:
            local = record_values(collection, record, self.public)
            mine = Version(record.updated_at, False, canonical(collection.fields, local))
            same = not item.deleted and same_values(local, theirs_public)
        elif grave is not None:
            mine, same = Version(grave.updated_at, True), item.deleted
        decision = decide(mine, theirs, self.base, same=same)
        if decision.take:
            self._take(collection, item, theirs_ours, record, grave)
        label = f"{LABELS[collection.key]} {item.public_id}"
        self._count(decision, tally, mine, item.deleted, label, collection, local, theirs_public)
        if decision.conflict and mine is not None and not (mine.deleted and item.deleted):
            loser, winner = (local, theirs_public) if decision.take else (theirs_public, local)
            stamp = max(mine, theirs, key=Version.key)
            self._conflict(
                Loser(collection.key, item.public_id, collection.fields, loser, winner, stamp)
            )

    def _conflict(self, loser: Loser) -> None:
        if loser.values and note_id(loser) in self._known_notes():
            return  # found and kept before (on this copy or the other): not new
        what = (
            "the retrospective"
            if loser.kind == "retrospective"
            else (f"{LABELS[loser.kind]} {loser.public_id}")
        )
        if not loser.values:
            line = f"{what}: deleted in one copy, changed later in the other; the change is kept"
        elif not loser.winner:
            line = f"{what}: changed in one copy, deleted later in the other; kept as a note"
        else:
            line = f"{what}: changed in both copies; the newer is kept, the other as a note"
        self.report.conflicts.append(line)
        if loser.values:
            self.losers.append(loser)

    def _count(
        self,
        decision: Decision,
        tally: Tally,
        mine: Version | None,
        deleted: bool,
        label: str,
        collection: Collection,
        local: dict[str, Any],
        theirs: dict[str, Any],
    ) -> None:
        if not decision.changed:
            if mine is not None:
                tally.unchanged += 1
            return
        if deleted:
            tally.deleted += 1
            self.report.changes.append(f"delete {label}")
        elif mine is None or mine.deleted:
            tally.added += 1
            self.report.changes.append(f"add {label}: {summary(collection.fields, theirs)}")
        else:
            tally.updated += 1
            self.report.changes.append(change_line(label, collection.fields, local, theirs))

    def _take(
        self,
        collection: Collection,
        item: SyncRecord,
        values: dict[str, Any],
        record: Any,
        grave: Tombstone | None,
    ) -> None:
        if item.deleted:
            if record is not None:
                bury(self.session, [record], item.updated_at)
            elif grave is not None:
                grave.updated_at = item.updated_at
            else:
                self._grave(item.public_id, item.updated_at, collection.kind)
            return
        if record is not None:
            for name, value in values.items():
                setattr(record, name, value)
            record.updated_at = item.updated_at
            if record.public_id != item.public_id:  # a stage clock matched by its stage
                record.doc_id = item.public_id
            return
        identity: dict[str, str | None] = {"id": new_id(), "doc_id": item.public_id}
        if grave is not None:  # back from the dead, under its old identity
            identity = {"id": grave.id, "doc_id": grave.doc_id}
            self.session.delete(grave)
            self.session.flush()
        # Inserted with the rest of the collection in one batch (see `run`).
        self.pending.append(
            {**identity, "retro_id": self.retro.id, "updated_at": item.updated_at, **values}
        )

    def _refs(
        self, collection: Collection, values: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Incoming values with links as public ids and as our ids; a link to a record
        that is not here (deleted) is no link in both."""
        public, ours = dict(values), dict(values)
        for spec in collection.fields:
            if spec.kind == "ref" and values.get(spec.column) is not None:
                assert spec.ref is not None
                found = self.ours[spec.ref].get(values[spec.column])
                ours[spec.column] = found
                public[spec.column] = None if found is None else values[spec.column]
        return public, ours

    def _known_notes(self) -> set[str]:
        """Public ids of this retrospective's notes, live or deleted."""
        retro_id = self.retro.id
        notes = self.session.exec(select(Note).where(col(Note.retro_id) == retro_id)).all()
        graves = self.session.exec(
            select(Tombstone).where(
                col(Tombstone.retro_id) == retro_id, col(Tombstone.kind) == "note"
            )
        ).all()
        return {n.public_id for n in notes} | {t.public_id for t in graves}

    def keep_losers(self) -> None:
        """Each conflict's losing version becomes a `question` note (once, ever: the note's
        id is made from what it keeps, and a deleted one is not made again)."""
        if not self.losers:
            return
        retro_id = self.retro.id
        lock_retrospectives(self.session, [retro_id])  # the positions read below stay ours
        notes = self.session.exec(select(Note).where(col(Note.retro_id) == retro_id)).all()
        taken = {n.public_id for n in notes}
        taken |= {
            t.public_id
            for t in self.session.exec(
                select(Tombstone).where(col(Tombstone.retro_id) == retro_id)
            ).all()
        }
        position = 1 + max((n.position for n in notes), default=-1)
        events = self.ours.get("timeline", {})
        for loser in self.losers:
            kept_id, text = note_id(loser), loser_text(loser)
            if kept_id in taken:
                continue
            event = None
            if loser.kind == "notes":
                event = events.get(loser.values.get("event_id") or "")
            elif loser.kind == "timeline":
                event = events.get(loser.public_id)
            self.session.add(
                Note(
                    id=kept_id,
                    retro_id=retro_id,
                    position=position,
                    kind=NoteKind.QUESTION,
                    event_id=event,
                    text=text,
                    created_at=loser.stamp.updated_at,
                    updated_at=loser.stamp.updated_at,
                )
            )
            taken.add(kept_id)
            position += 1
            # The report counts it: a merge that only kept a conflict did change something.
            self.report.tallies["notes"].added += 1
            self.report.changes.append(f"add note {kept_id}: the other side of a conflict")
        self.session.flush()
