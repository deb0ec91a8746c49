"""Timeline JSON Lines: one event object per line with the CSV's keys (`time` and `text`
required; `kind`, `actor`, `source`, `key` optional)."""

from __future__ import annotations

from collections import Counter
from datetime import tzinfo
from typing import Any

from retrotui.formats.timeline_rows import (
    EventRow,
    ImportFormatError,
    ParsedTimeline,
    read_json,
    read_kind,
    read_time,
    text_problem,
    time_error,
    unknown_keys_warning,
)

KEYS = ("time", "text", "kind", "actor", "source", "key")


def parse_jsonl(text: str, *, source: str, zone: tzinfo | None) -> ParsedTimeline:
    """Rows of a JSON Lines timeline, or ImportFormatError naming the line and column."""
    rows: list[EventRow] = []
    unknown: Counter[str] = Counter()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}: line {number}"
        item = read_json(line, source, line=number)
        if not isinstance(item, dict):
            raise ImportFormatError(f"{where}: expected a JSON object with time and text.")
        unknown.update(key for key in item if key not in KEYS)
        rows.append(_row(item, where, zone))
    return ParsedTimeline(
        rows=rows, format="jsonl", warnings=unknown_keys_warning(unknown, f"{source}: key")
    )


def _row(item: dict[str, Any], where: str, zone: tzinfo | None) -> EventRow:
    def string(key: str, *, required: bool = False) -> str:
        if key not in item:
            if required:
                raise ImportFormatError(f"{where}: .{key}: expected a string; the key is missing.")
            return ""
        value = item[key]
        if not isinstance(value, str):
            raise ImportFormatError(f"{where}: .{key}: expected a string, got {value!r}.")
        problem = text_problem(value, key)
        if problem:
            raise ImportFormatError(f"{where}: .{key}: the text {problem}.")
        return value

    try:
        time = read_time(string("time", required=True), zone)
    except ValueError as exc:
        raise time_error(f"{where}: .time: {exc}.", exc) from None
    text = string("text", required=True)
    if not text.strip():
        raise ImportFormatError(f"{where}: .text: expected the text of the event, got nothing.")
    try:
        kind = read_kind(string("kind"))
    except ValueError as exc:
        raise ImportFormatError(f"{where}: .kind: {exc}.") from None
    key = item.get("key", False)
    if not isinstance(key, bool):
        raise ImportFormatError(f"{where}: .key: expected true or false, got {key!r}.")
    return EventRow(
        time=time,
        text=text,
        kind=kind,
        actor=string("actor").strip(),
        source=string("source").strip() or "jsonl",
        key=key,
    )
