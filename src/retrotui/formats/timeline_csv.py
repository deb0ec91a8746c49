"""Timeline CSV: a header row with `time` and `text` (and optionally `kind`, `actor`,
`source`, `key`); comma, semicolon or tab; UTF-8 with or without a BOM."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import tzinfo

from retrotui.formats.timeline_rows import (
    EventRow,
    ImportFormatError,
    ParsedTimeline,
    read_flag,
    read_kind,
    read_time,
    text_problem,
    time_error,
)

COLUMNS = ("time", "text", "kind", "actor", "source", "key")
REQUIRED = ("time", "text")
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def parse_csv(text: str, *, source: str, zone: tzinfo | None) -> ParsedTimeline:
    """Rows of a timeline CSV, or ImportFormatError naming the line and column."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFormatError(f"{source}: line {line}: contains a NUL character.")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _choose_delimiter(header_line, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
        while not any(header):
            header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ImportFormatError(f"{source}: the file is empty; expected a header row.") from None
    except csv.Error as exc:
        raise ImportFormatError(f"{source}: line {reader.line_num}: {exc}.") from None
    index = {name: i for i, name in reversed(list(enumerate(header)))}
    unknown = Counter(name for name in header if name not in COLUMNS)
    warnings = [
        f"{source}: column {name!r} is not a known field (time, text, kind, actor, source, "
        "key) and was ignored."
        for name in unknown
    ]
    rows: list[EventRow] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are layout, not events
            rows.append(_row(cells, header, index, source, reader.line_num, zone))
    except csv.Error as exc:
        raise ImportFormatError(f"{source}: line {reader.line_num}: {exc}.") from None
    return ParsedTimeline(rows=rows, format="csv", warnings=warnings)


def _choose_delimiter(header_line: str, source: str) -> str:
    """The delimiter that splits the header into cells containing `time` and `text`."""
    for delimiter in DELIMITERS:
        names = {cell.strip().strip('"').lower() for cell in header_line.split(delimiter)}
        if set(REQUIRED) <= names:
            return delimiter
    raise ImportFormatError(
        f"{source}: line 1: expected a header row with the columns time and text "
        f"(separated by commas, semicolons or tabs), got {header_line[:80]!r}."
    )


def _row(
    cells: list[str],
    header: list[str],
    index: dict[str, int],
    source: str,
    line: int,
    zone: tzinfo | None,
) -> EventRow:
    if len(cells) != len(header):
        raise ImportFormatError(
            f"{source}: line {line}: expected {len(header)} cells like the header, "
            f"got {len(cells)}."
        )

    def cell(name: str) -> str:
        return cells[index[name]] if name in index else ""

    def where(name: str) -> str:
        return f"{source}: line {line}, column {index[name] + 1} ({name})"

    def fail(name: str, expected: str) -> ImportFormatError:
        return ImportFormatError(f"{where(name)}: {expected}.")

    try:
        time = read_time(cell("time"), zone)
    except ValueError as exc:
        raise time_error(f"{where('time')}: {exc}.", exc) from None
    text = cell("text")
    if not text.strip():
        raise fail("text", "expected the text of the event, got an empty cell")
    for name in ("text", "actor", "source"):
        problem = text_problem(cell(name), name)
        if problem:
            raise fail(name, f"the text {problem}")
    try:
        kind = read_kind(cell("kind"))
    except ValueError as exc:
        raise fail("kind", str(exc)) from None
    try:
        key = read_flag(cell("key"))
    except ValueError as exc:
        raise fail("key", str(exc)) from None
    return EventRow(
        time=time,
        text=text,
        kind=kind,
        actor=cell("actor").strip(),
        source=cell("source").strip() or "csv",
        key=key,
    )
