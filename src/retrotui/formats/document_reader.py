"""Reading Retro Documents: JSON text in, validated model values out. Version 1 is read
here, version 2 in `document_reader_v2` (which uses this module's value checks).

Validation follows retro-document-v1.schema.json by hand (no jsonschema dependency) and
stops at the first problem with the file, the JSON path (`timeline[3].time`) and what was
expected. Unknown keys are warnings, never errors, so later versions stay readable.

A record in a document is the whole record: a key left out takes the model's default. The
only exception is `created_at`, which keeps the stored value when the document has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from retrotui.core.times import offset_minutes
from retrotui.formats.document import FORMAT_NAME, FORMAT_VERSION, MILESTONES
from retrotui.formats.timeline_rows import (
    ImportFormatError,
    read_json,
    read_time,
    text_problem,
    time_error,
)
from retrotui.models import (
    ActionStatus,
    EventKind,
    NoteKind,
    Priority,
    RetroStatus,
    Role,
    Severity,
)

if TYPE_CHECKING:
    from retrotui.formats.document_reader_v2 import SyncDocument

E = TypeVar("E", bound=StrEnum)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ZERO_OFFSET = re.compile(r"[+-]00:?00$")

TOP_KEYS = {
    "$schema", "format", "version", "id", "title", "incident_ref", "severity", "status",
    "template", "source_url", *MILESTONES, "summary", "impact", "participants", "timeline",
    "notes", "whys", "actions",
}  # fmt: skip
EVENT_KEYS = {"id", "time", "text", "kind", "actor", "source", "key"}
NOTE_KEYS = {"id", "text", "kind", "event_id", "author", "created_at"}
WHY_KEYS = {"id", "answer", "question"}
ACTION_KEYS = {
    "id", "title", "description", "owner", "due", "priority", "status", "ticket",
    "created_at", "closed_at",
}  # fmt: skip
PARTICIPANT_KEYS = {"name", "role"}


@dataclass
class DocRecord:
    """One child record: its document id (if any), model column values, where it was."""

    doc_id: str | None
    values: dict[str, Any]
    path: str
    # Notes only: the document id of the event the note is about.
    event_ref: str | None = None


@dataclass
class RetroDocument:
    doc_id: str | None
    values: dict[str, Any]
    participants: list[DocRecord] = field(default_factory=list)
    events: list[DocRecord] = field(default_factory=list)
    notes: list[DocRecord] = field(default_factory=list)
    whys: list[DocRecord] = field(default_factory=list)
    actions: list[DocRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_document(
    text: str, *, source: str, zone: tzinfo | None = None
) -> RetroDocument | SyncDocument:
    """Validate a Retro Document and return its values, or raise ImportFormatError."""
    return _Reader(source, zone).document(read_json(text, source))


class _Reader:
    def __init__(self, source: str, zone: tzinfo | None) -> None:
        self.source = source
        self.zone = zone
        self.warnings: list[str] = []

    def where(self, path: str) -> str:
        return f"{self.source}: {path}" if path else self.source

    def fail(self, path: str, expected: str) -> NoReturn:
        raise ImportFormatError(f"{self.where(path)}: {expected}.")

    # -- whole document ------------------------------------------------------------------

    def document(self, data: Any) -> RetroDocument | SyncDocument:
        if not isinstance(data, dict):
            self.fail("", "expected a JSON object (a Retro Document), got " + _kind(data))
        fmt = data.get("format", FORMAT_NAME)
        if fmt != FORMAT_NAME:
            self.fail("format", f'expected "{FORMAT_NAME}", got {fmt!r}')
        # A document that does not say is version 1 (the key was optional there).
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.fail("version", f"expected the number 1 or {FORMAT_VERSION}, got {version!r}")
        if version > FORMAT_VERSION:
            self.fail(
                "version",
                f"this is Retro Document version {version}, newer than the version "
                f"{FORMAT_VERSION} this retrotui reads; upgrade retrotui to import it",
            )
        if version == 2:
            from retrotui.formats.document_reader_v2 import read_v2

            return read_v2(self, data)
        self.unknown(data, TOP_KEYS, "")
        values: dict[str, Any] = {
            "title": self.string(data, "title", "", required=True, nonempty=True),
            "incident_ref": self.string(data, "incident_ref", "", default=None),
            "severity": self.enum(data, "severity", "", Severity, None),
            "status": self.enum(data, "status", "", RetroStatus, RetroStatus.DRAFT),
            "template": self.string(data, "template", "", default="standard"),
            "source_url": self.string(data, "source_url", "", default=None),
            "summary": self.string(data, "summary", "", default=""),
            "impact": self.string(data, "impact", "", default=""),
        }
        for name in MILESTONES:
            values[name], values[f"{name}_offset"] = self.instant(data, name, "")
        doc = RetroDocument(doc_id=self.string(data, "id", "", nonempty=True), values=values)
        doc.participants = [self.participant(i, p) for i, p in self.items(data, "participants")]
        doc.events = [self.event(i, e) for i, e in self.items(data, "timeline")]
        doc.notes = [self.note(i, n) for i, n in self.items(data, "notes")]
        doc.whys = [self.why(i, w) for i, w in self.items(data, "whys")]
        doc.actions = [self.action(i, a) for i, a in self.items(data, "actions")]
        for records in (doc.events, doc.notes, doc.whys, doc.actions):
            self.unique_ids(records)
        doc.warnings = self.warnings
        return doc

    def items(self, data: dict[str, Any], key: str) -> list[tuple[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"expected an array, got {_kind(value)}")
        return [(f"{key}[{index}]", item) for index, item in enumerate(value)]

    def unique_ids(self, records: list[DocRecord]) -> None:
        seen: dict[str, str] = {}
        for record in records:
            if record.doc_id is None:
                continue
            if record.doc_id in seen:
                self.fail(
                    f"{record.path}.id",
                    f"expected a unique id, but {record.doc_id!r} is also at {seen[record.doc_id]}",
                )
            seen[record.doc_id] = record.path

    # -- records -------------------------------------------------------------------------

    def participant(self, path: str, item: Any) -> DocRecord:
        obj = self.object(item, path, PARTICIPANT_KEYS)
        values = {
            "name": self.string(obj, "name", path, required=True, nonempty=True),
            "role": self.enum(obj, "role", path, Role, Role.OBSERVER),
        }
        return DocRecord(None, values, path)

    def event(self, path: str, item: Any) -> DocRecord:
        obj = self.object(item, path, EVENT_KEYS)
        time, offset = self.instant(obj, "time", path, required=True)
        key = obj.get("key", False)
        if not isinstance(key, bool):
            self.fail(f"{path}.key", f"expected true or false, got {_kind(key)}")
        values = {
            "time": time,
            "time_offset": offset,
            "text": self.string(obj, "text", path, required=True),
            "kind": self.enum(obj, "kind", path, EventKind, EventKind.NOTE),
            "actor": self.string(obj, "actor", path, default=""),
            "source": self.string(obj, "source", path, default="manual"),
            "key": key,
        }
        return DocRecord(self.string(obj, "id", path), values, path)

    def note(self, path: str, item: Any) -> DocRecord:
        obj = self.object(item, path, NOTE_KEYS)
        values: dict[str, Any] = {
            "text": self.string(obj, "text", path, required=True),
            "kind": self.enum(obj, "kind", path, NoteKind, NoteKind.OBSERVATION),
            "author": self.string(obj, "author", path, default=""),
        }
        created, offset = self.instant(obj, "created_at", path)
        if created is not None:
            values["created_at"], values["created_at_offset"] = created, offset
        event_ref = self.string(obj, "event_id", path)
        return DocRecord(self.string(obj, "id", path), values, path, event_ref=event_ref)

    def why(self, path: str, item: Any) -> DocRecord:
        if isinstance(item, str):
            # The shorthand: a bare string is the answer.
            self.check_text(item, path)
            if not item:
                self.fail(path, "expected a non-empty answer")
            return DocRecord(None, {"answer": item, "question": None}, path)
        obj = self.object(item, path, WHY_KEYS)
        values = {
            "answer": self.string(obj, "answer", path, required=True, nonempty=True),
            "question": self.string(obj, "question", path, default=None),
        }
        return DocRecord(self.string(obj, "id", path), values, path)

    def action(self, path: str, item: Any) -> DocRecord:
        obj = self.object(item, path, ACTION_KEYS)
        values: dict[str, Any] = {
            "title": self.string(obj, "title", path, required=True, nonempty=True),
            "description": self.string(obj, "description", path, default=""),
            "owner": self.string(obj, "owner", path, default=""),
            "due": self.due(obj, path),
            "priority": self.enum(obj, "priority", path, Priority, Priority.MEDIUM),
            "status": self.enum(obj, "status", path, ActionStatus, ActionStatus.OPEN),
            "ticket": self.string(obj, "ticket", path, default=""),
        }
        values["closed_at"], values["closed_at_offset"] = self.instant(obj, "closed_at", path)
        created, offset = self.instant(obj, "created_at", path)
        if created is not None:
            values["created_at"], values["created_at_offset"] = created, offset
        return DocRecord(self.string(obj, "id", path), values, path)

    # -- values --------------------------------------------------------------------------

    def object(self, item: Any, path: str, known: set[str]) -> dict[str, Any]:
        if not isinstance(item, dict):
            self.fail(path, f"expected an object, got {_kind(item)}")
        self.unknown(item, known, path)
        return item

    def unknown(self, obj: dict[str, Any], known: set[str], path: str) -> None:
        for key in obj:
            if key not in known:
                where = f"{path}.{key}" if path else key
                self.warnings.append(f"{self.source}: {where} is not a known key; ignored.")

    def string(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        nonempty: bool = False,
        default: Any = None,
    ) -> Any:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if required:
                self.fail(where, "expected a string, but the key is missing")
            return default
        value = obj[key]
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {_kind(value)}")
        if nonempty and not value:
            self.fail(where, "expected a non-empty string")
        self.check_text(value, where)
        return value

    def check_text(self, value: str, where: str) -> None:
        field = where.rsplit(".", 1)[-1].split("[", 1)[0]
        if field == "title" and where.startswith("actions["):
            field = "action_title"
        problem = text_problem(value, field)
        if problem:
            self.fail(where, f"the text {problem}")

    def enum(
        self, obj: dict[str, Any], key: str, path: str, enum: type[E], default: E | None
    ) -> E | None:
        raw = self.string(obj, key, path)
        if raw is None:
            return default
        try:
            return enum(raw)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            where = f"{path}.{key}" if path else key
            self.fail(where, f"expected one of {allowed}; got {raw!r}")

    def instant(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> tuple[Any, int | None]:
        raw = self.string(obj, key, path, required=required)
        if raw is None:
            return None, None
        try:
            value = read_time(raw, self.zone)
        except ValueError as exc:
            place = self.where(f"{path}.{key}" if path else key)
            raise time_error(f"{place}: {exc}.", exc) from None
        # "+00:00" is kept as typed (offset 0); "Z" is UTC as such (no offset).
        explicit_zero = _ZERO_OFFSET.search(raw.strip()) is not None
        return value, 0 if explicit_zero else offset_minutes(value)

    def due(self, obj: dict[str, Any], path: str) -> date | None:
        raw = self.string(obj, "due", path)
        if raw is None:
            return None
        try:
            if not _ISO_DATE.match(raw):
                raise ValueError
            return date.fromisoformat(raw)
        except ValueError:
            self.fail(f"{path}.due", f"expected a date like 2026-12-01, got {raw!r}")


def _kind(value: Any) -> str:
    """How a JSON value is named in an error: "a number", "null"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    if isinstance(value, list):
        return "an array"
    return "an object"
