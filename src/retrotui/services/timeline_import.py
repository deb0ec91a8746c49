"""Getting timeline files in (CSV, JSON Lines, Slack): a preview, then one commit.

The app uses the same two steps as the command line: `preview_timeline` (count, span,
first and last events, warnings, duplicates skipped) and then `commit_timeline`, which
is one transaction of bulk inserts: everything or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from retrotui.core.times import format_short
from retrotui.errors import ValidationError
from retrotui.formats.detect import detect_format, read_timeline
from retrotui.formats.lines import one_line
from retrotui.formats.timeline_rows import EventRow
from retrotui.models import Retrospective
from retrotui.services.retros import clean_text
from retrotui.store.event_import import Progress, existing_event_keys, insert_events
from retrotui.store.repository import Store

# -- timeline files ------------------------------------------------------------------------


class NotATimelineError(ValidationError):
    """A Retro Document given where a timeline was expected; it is imported on its own."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is a Retro Document, not a timeline.")
        self.path = path


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
        raise NotATimelineError(path)
    parsed = read_timeline(path, fmt, zone=zone, channel=channel)
    rows = sorted(parsed.rows, key=lambda row: row.time)  # stable: ties keep file order
    existing: set[tuple[datetime, str]] = set()
    if retro_id is not None:
        if store is None:
            raise ValueError("a preview into a retrospective needs its store")
        store.get(Retrospective, retro_id)
        existing = existing_event_keys(store, retro_id)
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
        raise ValidationError(
            "A timeline import needs a retrospective to go into, or a title for a new one."
        )
    if title is not None:
        title = clean_text(title, "title", required=True).strip()
    retro_id, added = insert_events(
        store,
        [_event_columns(row) for row in preview.events],
        retro_id=preview.retro_id,
        title=title,
        progress=progress,
    )
    return TimelineImportResult(
        retro_id=retro_id,
        created=preview.retro_id is None,
        added=added,
        duplicates_skipped=preview.duplicates_skipped + len(preview.events) - added,
    )


def _event_columns(row: EventRow) -> dict[str, Any]:
    return {
        "time": row.time,
        "time_offset": row.time_offset,
        "text": row.text,
        "kind": row.kind.value,
        "actor": row.actor,
        "source": row.source,
        "key": row.key,
    }


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
