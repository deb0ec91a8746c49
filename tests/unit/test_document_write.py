"""Writing Retro Document v1: every field, ids as the document knew them, offsets kept."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from retrotui.formats.document import dump_document
from retrotui.models import (
    ActionItem,
    Note,
    Participant,
    Retrospective,
    Severity,
    TimelineEvent,
    Why,
)
from retrotui.services.retros import RetroBundle

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
    assert doc["format"] == "retro-document" and doc["version"] == 1


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
    """Whys keep their id (object form); a due date is a plain ISO date."""
    doc = json.loads(dump_document(_bundle()))
    assert set(doc["whys"][0]) == {"id", "answer"}
    assert doc["actions"][0]["due"] == "2026-06-01"
    assert doc["actions"][0]["priority"] == "medium"
