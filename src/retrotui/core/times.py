"""Instants as people write them: ISO-8601 parsing, UTC offsets kept for display."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from retrotui.errors import UserError


class TimeParseError(UserError):
    """A time or date that cannot be read; the message is one sentence for the user."""


# Instants are stored in UTC and shown in offsets of less than a day: keeping a day clear
# of both ends of the calendar means no conversion, for storing or showing, can overflow.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)
RANGE_PROBLEM = "is outside the dates retrotui can store (0001-01-02 to 9999-12-30 UTC)"


def range_problem(value: datetime) -> str | None:
    """Why an aware instant cannot be stored, or None when it can."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        return RANGE_PROBLEM
    return None if EARLIEST <= utc <= LATEST else RANGE_PROBLEM


def parse_instant(text: str, *, default_tz: tzinfo | None = None) -> datetime:
    """Read an ISO-8601 date-time with a UTC offset ("Z" or "+02:00").

    A time with no offset is refused unless `default_tz` is given: guessing a zone would
    silently shift an incident timeline by hours.
    """
    raw = text.strip()
    if not raw:
        raise TimeParseError("The time is empty; use ISO-8601, e.g. 2026-05-14T09:12:00Z.")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise TimeParseError(
            f"{text!r} is not an ISO-8601 date-time; use e.g. 2026-05-14T09:12:00+02:00."
        ) from None
    if value.tzinfo is None:
        if default_tz is None:
            raise TimeParseError(
                f"{text!r} has no UTC offset; add one, e.g. {raw}Z or {raw}+02:00."
            )
        value = value.replace(tzinfo=default_tz)
    problem = range_problem(value)
    if problem is not None:
        raise TimeParseError(f"{text!r} {problem}.")
    return value


def parse_date(text: str, *, today: date | None = None) -> date:
    """An ISO date (2026-12-01) or a relative one: +14d, +2w, today, tomorrow."""
    raw = text.strip().lower()
    base = today or datetime.now(UTC).date()
    if raw == "today":
        return base
    if raw == "tomorrow":
        return base + timedelta(days=1)
    if raw.startswith("+") and raw[-1:] in ("d", "w") and raw[1:-1].isdigit():
        amount = int(raw[1:-1])
        return base + timedelta(days=amount * (7 if raw.endswith("w") else 1))
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise TimeParseError(
            f"{text!r} is not a date; use YYYY-MM-DD, or +14d / +2w from today."
        ) from None


def offset_minutes(value: datetime) -> int | None:
    """The UTC offset of an aware datetime in minutes; None for UTC written as "Z"."""
    delta = value.utcoffset()
    if delta is None:
        return None
    if value.tzinfo is UTC:
        return None
    return int(delta.total_seconds() // 60)


def with_offset(value: datetime, minutes: int | None) -> datetime:
    """A stored UTC instant shown in the offset it was entered with."""
    if minutes is None:
        return value.astimezone(UTC)
    return value.astimezone(timezone(timedelta(minutes=minutes)))


def format_instant(value: datetime, minutes: int | None) -> str:
    """ISO-8601 with the original offset; "Z" for UTC entered as such."""
    shown = with_offset(value, minutes)
    text = shown.isoformat()
    if minutes is None:
        text = text.replace("+00:00", "Z")
    return text


def format_short(value: datetime, minutes: int | None) -> str:
    """ "2026-05-14 09:12 +02:00" for tables and summaries."""
    shown = with_offset(value, minutes)
    zone = "UTC" if minutes is None else shown.strftime("%z")
    if zone != "UTC":
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{shown:%Y-%m-%d %H:%M} {zone}"


def parse_event_time(text: str, *, zone: tzinfo, on_date: date | None = None) -> datetime:
    """A time typed in the meeting: full ISO-8601, a date-time without offset (read in the
    retrospective's zone, which the form shows), or just HH:MM[:SS] on `on_date`."""
    raw = text.strip()
    if on_date is not None and 4 <= len(raw) <= 8 and ":" in raw and "-" not in raw:
        try:
            clock = time.fromisoformat(raw if len(raw.split(":")[0]) == 2 else "0" + raw)
        except ValueError:
            raise TimeParseError(f"{text!r} is not a time of day; use HH:MM, e.g. 09:42.") from None
        return datetime.combine(on_date, clock, tzinfo=zone)
    return parse_instant(raw, default_tz=zone)


class LocalZone(tzinfo):
    """The machine's own time zone, with the offset in force on each date.

    `datetime.now().astimezone().tzinfo` is a fixed offset: today's. A time typed for
    another date would get it too, so 09:00 on 20 October typed in Paris in November would
    be stored as 09:00+01:00 when Paris was at +02:00 that day. This zone asks the system
    (the C library's rules, as `time.localtime` does) for the offset of each date.
    """

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return _local(dt).utcoffset() or timedelta(0)

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return _local(dt).tzname()

    def fromutc(self, dt: datetime) -> datetime:
        return dt.replace(tzinfo=UTC).astimezone().replace(tzinfo=self)

    def __repr__(self) -> str:
        return "LocalZone()"


def _local(dt: datetime | None) -> datetime:
    """`dt`'s wall time read as local time: a naive datetime's astimezone() applies the
    system's rules for that date (a time skipped by a DST change gets the offset before)."""
    return (dt or datetime.now()).replace(tzinfo=None).astimezone()


def local_zone() -> tzinfo:
    """Where times typed without an offset land in local-time mode."""
    return LocalZone()


def local_offset_label() -> str:
    """The machine's current UTC offset as "+01:00": where times typed without one land."""
    offset = datetime.now().astimezone().strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def format_duration(value: timedelta | None) -> str:
    """ "1h 35m", "3d 4h", "42m", "0m"; "-" when unknown. Seconds are dropped."""
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{minutes}m"
