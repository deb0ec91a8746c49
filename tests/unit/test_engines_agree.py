"""The same records on SQLite and on PostgreSQL export to the same bytes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from retrotui.demo import DEMO_ID, demo_records
from retrotui.models import Note, Record, TimelineEvent
from retrotui.services.export import export_bundle
from retrotui.services.retros import load_bundle
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from tests.pg_server import PgServer

pytestmark = pytest.mark.postgresql
TODAY = date(2026, 11, 24)


def _records() -> list[Record]:
    """The demo retrospective plus awkward values: unicode, microseconds, odd offsets,
    events at one instant, a very long text."""
    records = demo_records(TODAY)
    odd = timezone(timedelta(hours=5, minutes=45))
    when = datetime(2026, 11, 17, 9, 0, 0, 123456, tzinfo=odd)
    for index, text in enumerate(["Ünïcode ✓ 日本語", "same instant", "x" * 5000]):
        records.append(
            TimelineEvent(
                retro_id=DEMO_ID, time=when, time_offset=345, text=text, actor=f"a{index}"
            )
        )
    records.append(Note(retro_id=DEMO_ID, text="tab\tand\nnewline", author="Zoë"))
    return records


def _copy(records: list[Record]) -> list[Record]:
    return [type(r)(**r.model_dump()) for r in records]


@pytest.fixture
def both(pg: PgServer, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    url = pg.create_database()
    lite, server = Store.open(url_for_path(tmp_path / "lite.db")), Store.open(url)
    records = _records()
    for store in (lite, server):
        store.add_all(_copy(records))
    yield lite, server
    lite.close()
    server.close()
    pg.drop_database(url)


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_exports_are_byte_identical_on_both_engines(both: tuple[Store, Store], fmt: str) -> None:
    lite, server = both
    texts = [export_bundle(load_bundle(s, DEMO_ID), fmt=fmt).text for s in (lite, server)]
    assert texts[0].encode() == texts[1].encode()
    assert "日本語" in texts[0]


def test_instants_keep_microseconds_and_come_back_in_utc(both: tuple[Store, Store]) -> None:
    lite, server = both
    times = [[e.time for e in s.children(TimelineEvent, DEMO_ID)] for s in (lite, server)]
    assert times[0] == times[1]
    assert all(t.tzinfo is UTC for t in times[1])
    assert any(t.microsecond == 123456 for t in times[1])
