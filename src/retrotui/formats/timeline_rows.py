"""What every timeline importer shares: the event row, times, zones, text checks, errors.

Each importer turns a file into `EventRow`s or raises `ImportFormatError` naming the file,
the line (and column) or JSON path, and what was expected.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from retrotui.core.limits import too_long
from retrotui.core.times import offset_minutes, range_problem
from retrotui.errors import UserError
from retrotui.models import EventKind

# A date and a clock time at least; fromisoformat alone would also take "2026-05-14".
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_OFFSET = re.compile(r"^[+-]\d{2}:?\d{2}$")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}
KINDS = ", ".join(kind.value for kind in EventKind)


class ImportFormatError(UserError):
    """A file that cannot be imported; `str()` names the place and what was expected."""


class NeedsZoneError(ImportFormatError):
    """A time without a UTC offset, read with no zone to place it in. Each front end says
    how to give one (the CLI's --tz, the import dialog's zone field)."""


class NeedsChannelError(ImportFormatError):
    """A Slack export holding several channels, read without saying which one."""

    def __init__(self, message: str, channels: list[str]) -> None:
        super().__init__(message)
        self.channels = channels


class UnknownZoneError(UserError):
    """A zone name that is no time zone; `name` is what was given."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name.strip()!r} is not a time zone; use a name like Europe/Paris, UTC, or +02:00."
        )
        self.name = name


class MissingOffset(ValueError):
    """`read_time` found no offset and had no zone; `time_error` makes it a NeedsZoneError."""


def time_error(message: str, cause: ValueError) -> ImportFormatError:
    """The error for a time that could not be read, typed by what went wrong."""
    return (
        NeedsZoneError(message) if isinstance(cause, MissingOffset) else ImportFormatError(message)
    )


@dataclass(slots=True)
class EventRow:
    """One timeline event read from a file, before it has a retrospective."""

    time: datetime
    text: str
    kind: EventKind = EventKind.NOTE
    actor: str = ""
    source: str = "manual"
    key: bool = False

    @property
    def time_offset(self) -> int | None:
        return offset_minutes(self.time)


@dataclass
class ParsedTimeline:
    """The rows of one file, in file order, with what the reader wants the user to know."""

    rows: list[EventRow]
    format: str
    warnings: list[str] = field(default_factory=list)


def parse_zone(name: str) -> tzinfo:
    """An IANA zone (Europe/Paris), UTC / Z, or a fixed offset (+02:00)."""
    raw = name.strip()
    if raw.upper() in ("Z", "UTC"):
        return UTC
    if _OFFSET.match(raw):
        digits = raw[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:])
        if hours > 23 or minutes > 59:
            raise UserError(
                f"--tz {name!r} is not a time zone: a UTC offset is at most +23:59 or -23:59."
            )
        total = hours * 60 + minutes
        return timezone(timedelta(minutes=-total if raw[0] == "-" else total))
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZoneError(name) from None


def read_time(raw: str, zone: tzinfo | None) -> datetime:
    """ISO-8601 or `YYYY-MM-DD HH:MM[:SS]`; raises ValueError with what was expected.

    A time without an offset is read in `zone`, and refused when there is none: a guessed
    zone would shift the whole timeline by hours without anyone noticing.
    """
    text = raw.strip()
    if not _DATE_TIME.match(text):
        raise ValueError(f"expected a date-time like 2026-05-14T09:12:00Z, got {raw!r}")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected an ISO-8601 date-time, got {raw!r}") from None
    if value.tzinfo is None:
        if zone is None:
            example = text.replace(" ", "T")
            raise MissingOffset(f"{raw!r} has no UTC offset; add one (e.g. {example}Z)")
        value = value.replace(tzinfo=zone)
    delta = value.utcoffset()
    if delta is not None and delta.total_seconds() % 60:
        raise ValueError(f"the UTC offset of {raw!r} is not a whole number of minutes")
    problem = range_problem(value)
    if problem is not None:
        raise ValueError(f"{raw!r} {problem}")
    return value


def text_problem(value: str, field: str = "text") -> str | None:
    """Why a piece of text cannot be stored as is in `field` (too long for the limits every
    way in shares, core/limits.py; or a NUL; or a lone surrogate), or None when it can."""
    long = too_long(value, field)
    if long is not None:
        return long
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character, which cannot be stored"
    return f"contains a lone surrogate (U+{ord(found.group()):04X}), which is not valid Unicode"


def read_kind(raw: str) -> EventKind:
    value = raw.strip().lower()
    if not value:
        return EventKind.NOTE
    try:
        return EventKind(value)
    except ValueError:
        raise ValueError(f"expected a kind ({KINDS}), got {raw!r}") from None


def read_flag(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 with or without a BOM, or an error naming the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            f"{source}: line {line}: expected UTF-8 text, found byte 0x{data[exc.start]:02X}."
        ) from None
    return text


def read_json(text: str, source: str, *, line: int | None = None) -> Any:
    """Strict JSON (NaN and Infinity are no numbers), or an ImportFormatError naming
    `source`, the line (`line`: the text is that line of the file) and the column."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        at = f"{source}: line {line or exc.lineno}, column {exc.colno}"
        raise ImportFormatError(f"{at}: invalid JSON ({exc.msg}).") from None
    except (ValueError, RecursionError) as exc:
        where = source if line is None else f"{source}: line {line}"
        raise ImportFormatError(f"{where}: invalid JSON ({exc}).") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_bytes(path: Path) -> bytes:
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            # A named pipe or a device would block the import, or never end.
            raise ImportFormatError(f"{path} is not a regular file; import a file.")
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFormatError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise ImportFormatError(
            f"{path} is a folder; only a Slack export can be a folder."
        ) from None
    except OSError as exc:
        raise ImportFormatError(f"{path}: cannot read it ({exc.strerror}).") from None


def unknown_keys_warning(counter: Counter[str], where: str) -> list[str]:
    """One warning per unknown column or key, however many lines carry it."""
    return [
        f"{where} {name!r} is not a known field and was ignored ({count} times)."
        if count > 1
        else f"{where} {name!r} is not a known field and was ignored."
        for name, count in sorted(counter.items())
    ]
