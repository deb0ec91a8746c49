"""Writing Retro Document v2: every field, ids as the document knew them, offsets kept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from retrotui.core.bundle import RetroBundle
from retrotui.formats.document import dump_document
from retrotui.models import (
    ActionItem,
    Note,
    Participant,
    Retrospective,
    Severity,
    TimelineEvent,
    Tombstone,
    Why,
)

PLUS_TWO = timezone(timedelta(hours=2))


def _bundle() -> RetroBundle:
    retro = Retrospective(
        title="Search latency",
        doc_id="doc-1",
        severity=Severity.SEV2,
        incident_ref="INC-1",
        started_at=datetime(2026, 5, 14, 7, 12, tzinfo=UTC),
        started_at_offset=120,
    )
    event = TimelineEvent(
        retro_id=retro.id,
        doc_id="ev-1",
        time=datetime(2026, 5, 14, 7, 12, tzinfo=UTC),
        text="Rebuild starts | `late`",
        key=True,
    )
    note = Note(retro_id=retro.id, event_id=event.id, text="note", author="Ben")
    why = Why(retro_id=retro.id, answer="Because")
    action = ActionItem(retro_id=retro.id, title="Fix it", due=date(2026, 6, 1))
    return RetroBundle(
        retro=retro,
        participants=[Participant(retro_id=retro.id, name="Ana")],
        events=[event],
        notes=[note],
        whys=[why],
        actions=[action],
    )


def test_dump_marks_format_and_version() -> None:
    """The document says what it is and which version it follows."""
    doc = json.loads(dump_document(_bundle()))
    assert doc["format"] == "retro-document" and doc["version"] == 2


def test_dump_uses_document_ids() -> None:
    """Records imported with a document id are written with that id, and notes point at it."""
    doc = json.loads(dump_document(_bundle()))
    assert doc["id"] == "doc-1"
    assert doc["timeline"][0]["id"] == "ev-1"
    assert doc["notes"][0]["event_id"] == "ev-1"


def test_dump_keeps_the_offset_typed() -> None:
    """A milestone entered at +02:00 is written at +02:00; a UTC event ends in Z."""
    doc = json.loads(dump_document(_bundle()))
    assert doc["started_at"] == "2026-05-14T09:12:00+02:00"
    assert doc["timeline"][0]["time"] == "2026-05-14T07:12:00Z"


def test_dump_keeps_text_as_typed() -> None:
    """Markdown-looking text is written unchanged, non-ASCII unescaped."""
    bundle = _bundle()
    bundle.events[0].text = "# héllo | `x` <script>\r\n日本"
    text = dump_document(bundle)
    assert "日本" in text
    assert json.loads(text)["timeline"][0]["text"] == "# héllo | `x` <script>\r\n日本"


def test_dump_writes_whys_as_objects_and_due_as_date() -> None:
    """Whys are whole records (id, chain, place, root-cause mark, times); a due date is a
    plain ISO date."""
    doc = json.loads(dump_document(_bundle()))
    assert list(doc["whys"][0]) == [
        "id", "chain_id", "position", "root_cause", "author", "question", "answer",
        "created_at", "updated_at",
    ]  # fmt: skip
    assert doc["actions"][0]["due"] == "2026-06-01"
    assert doc["actions"][0]["priority"] == "medium"


def test_same_data_gives_the_same_bytes_one_record_per_line() -> None:
    """Two dumps of the same data are identical; each record is one line, keys in order."""
    bundle = _bundle()
    text = dump_document(bundle)
    assert dump_document(bundle) == text
    lines = text.splitlines()
    assert lines[1:3] == ['  "format": "retro-document",', '  "version": 2,']
    event_lines = [line for line in lines if '"Rebuild starts' in line]
    assert len(event_lines) == 1 and event_lines[0].startswith('    {"id": "ev-1", "position"')


def test_deleted_records_are_tombstones_after_the_live_ones() -> None:
    """A deleted record is written as id + deleted + updated_at, after the live records."""
    bundle = _bundle()
    gone = Tombstone(
        id="x",
        doc_id="ev-0",
        retro_id=bundle.retro.id,
        kind="timeline_event",
        updated_at=datetime(2026, 5, 15, 8, 0, tzinfo=UTC),
    )
    bundle.tombstones = [gone]
    doc = json.loads(dump_document(bundle))
    assert doc["timeline"][-1] == {
        "id": "ev-0",
        "deleted": True,
        "updated_at": "2026-05-15T08:00:00Z",
    }
    assert doc["revision"] >= "2026-05-15T08:00:00Z"


def test_every_column_of_every_record_is_in_the_document() -> None:
    """Lossless by construction: each column of each exported table is a document field
    (or its offset), apart from bookkeeping and the meeting's position. A new column makes
    this fail until the format carries it."""
    from retrotui.formats.document_fields import COLLECTIONS, RETRO_FIELDS

    bookkeeping = {"id", "doc_id", "created_at", "updated_at", "retro_id"}
    meeting_state = {"current_event_id", "current_stage", "synced_revision"}
    tables = [(Retrospective, RETRO_FIELDS, {"content_updated_at", *meeting_state})]
    tables += [(c.model, c.fields, {"created_at_offset"}) for c in COLLECTIONS]
    for model, fields, extra in tables:
        carried = {f.column for f in fields} | {f"{f.column}_offset" for f in fields}
        columns = set(model.__table__.columns.keys())  # type: ignore[attr-defined]
        assert columns - bookkeeping - extra - carried == set(), model.__name__
