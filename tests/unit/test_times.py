"""Reading and showing instants and dates as people type them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from retrotui.core.times import (
    TimeParseError,
    format_instant,
    format_short,
    local_zone,
    offset_minutes,
    parse_date,
    parse_event_time,
    parse_instant,
)


def test_offset_is_kept_for_display() -> None:
    """A time typed with +02:00 is shown again with +02:00."""
    value = parse_instant("2026-05-14T09:12:00+02:00")
    assert offset_minutes(value) == 120
    assert format_instant(value.astimezone(UTC), 120) == "2026-05-14T09:12:00+02:00"


def test_z_round_trips_as_z() -> None:
    """UTC written as Z comes back as Z."""
    value = parse_instant("2026-05-14T07:12:00Z")
    assert format_instant(value, offset_minutes(value)) == "2026-05-14T07:12:00Z"


def test_time_without_offset_is_refused() -> None:
    """A missing zone is an error, not a guess that shifts the timeline."""
    with pytest.raises(TimeParseError, match="no UTC offset"):
        parse_instant("2026-05-14T09:12")


def test_time_without_offset_uses_given_zone() -> None:
    """With an explicit zone, a naive time is read in it."""
    zone = timezone(timedelta(hours=-5))
    assert parse_instant("2026-05-14 09:12", default_tz=zone).utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01T00:00Z", "", "12:00"])
def test_garbage_time_is_refused_with_a_sentence(text: str) -> None:
    """Unreadable times raise an error that names the expected form."""
    with pytest.raises(TimeParseError, match=r"ISO-8601|empty"):
        parse_instant(text)


def test_relative_and_iso_dates() -> None:
    """Due dates accept +14d, +2w, today, tomorrow and ISO dates."""
    today = date(2026, 11, 24)
    assert parse_date("+14d", today=today) == date(2026, 12, 8)
    assert parse_date("+2w", today=today) == date(2026, 12, 8)
    assert parse_date("tomorrow", today=today) == date(2026, 11, 25)
    assert parse_date("2026-12-01", today=today) == date(2026, 12, 1)
    with pytest.raises(TimeParseError, match="not a date"):
        parse_date("tomorrowish", today=today)


def test_short_format_shows_zone() -> None:
    """Summaries show the local time and its offset, or UTC."""
    instant = datetime(2026, 5, 14, 7, 12, tzinfo=UTC)
    assert format_short(instant, 120) == "2026-05-14 09:12 +02:00"
    assert format_short(instant, None) == "2026-05-14 07:12 UTC"


@pytest.fixture
def in_paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("in_paris")
@pytest.mark.parametrize(
    ("day", "offset"),
    [(date(2026, 10, 20), 120), (date(2026, 11, 20), 60), (date(2026, 3, 30), 120)],
)
def test_local_zone_gives_each_date_its_own_offset(day: date, offset: int) -> None:
    """09:00 typed for a date in local-time mode carries that date's offset, not today's."""
    typed = parse_event_time("09:00", zone=local_zone(), on_date=day)
    assert offset_minutes(typed) == offset
    assert format_instant(typed, offset_minutes(typed)) == f"{day}T09:00:00+0{offset // 60}:00"
    full = parse_instant(f"{day}T09:00", default_tz=local_zone())
    assert offset_minutes(full) == offset
