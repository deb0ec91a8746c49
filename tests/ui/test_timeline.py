"""Walking the timeline in the meeting: moving, key events, adding and editing events."""

from __future__ import annotations

import itertools
import time

import pytest
from textual.widgets import Input

from retrotui.core.times import format_instant
from retrotui.demo import DEMO_ID
from retrotui.models import Retrospective, TimelineEvent
from retrotui.store.repository import Store
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.screens.event_form import EventFormScreen
from retrotui.ui.screens.retro import RetroScreen
from tests.ui.conftest import AppFactory, settle, wait_for


def _pane(app: object) -> TimelinePane:
    return app.screen.query_one(TimelinePane)  # type: ignore[attr-defined]


def _position(app: object) -> str:
    return str(app.screen.query_one("#card-position").render())  # type: ignore[attr-defined]


async def test_keys_step_through_events(demo_db: str, app_for: AppFactory) -> None:
    """n/down/j go forward, p/up/k go back, and the position label follows."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RetroScreen)
        assert _position(app) == "Event 1 / 17"
        for key in ("n", "down", "j"):
            await pilot.press(key)
        assert _position(app) == "Event 4 / 17"
        for key in ("p", "up"):
            await pilot.press(key)
        assert _position(app) == "Event 2 / 17"
        await pilot.press("end")
        assert _position(app) == "Event 17 / 17"
        await pilot.press("home")
        assert _position(app) == "Event 1 / 17"


async def test_next_is_greyed_out_on_the_last_event(demo_db: str, app_for: AppFactory) -> None:
    """On the last event "next" is disabled, on the first "previous" is."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = _pane(app)
        assert pane.check_action("step", (-1,)) is None
        assert pane.check_action("step", (1,)) is True
        await pilot.press("end")
        assert pane.check_action("step", (1,)) is None
        await pilot.press("n")
        assert _position(app) == "Event 17 / 17"


async def test_next_key_event_skips_ordinary_ones(demo_db: str, app_for: AppFactory) -> None:
    """] jumps to the next key event."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        assert _position(app) == "Event 3 / 17"
        assert _pane(app).current is not None and _pane(app).current.key


async def test_mark_key_event_is_saved(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """m toggles the key flag of the current event, in the database."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", "m")
        await settle(pilot)
        second = db_store.children(TimelineEvent, DEMO_ID)[1]
        assert second.key is True
        assert "key event" in str(app.screen.query_one("#card-key").render())


async def test_position_is_remembered_after_reopening(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Leave the retrospective on event 5; reopening it starts on event 5."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "n", "n")
        await app.action_quit()
    fifth = db_store.children(TimelineEvent, DEMO_ID)[4]
    assert db_store.get(Retrospective, DEMO_ID).current_event_id == fifth.id
    again = app_for(demo_db, DEMO_ID)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _position(again) == "Event 5 / 17"


async def test_add_event_lands_in_time_order(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A new event typed as HH:MM goes between the events around it, and becomes current."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, EventFormScreen))
        await pilot.click("#time")
        await pilot.press(*"07:53")
        await pilot.click("#text")
        await pilot.press(*"Pager fired twice")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
        texts = [e.text for e in db_store.children(TimelineEvent, DEMO_ID)]
        assert texts.index("Pager fired twice") == 1
        assert _position(app) == "Event 2 / 18"


async def test_bad_time_keeps_the_form_open_with_a_message(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A time that cannot be read is explained, and nothing typed is lost or saved."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, EventFormScreen))
        await pilot.click("#time")
        await pilot.press(*"half past nine")
        await pilot.click("#text")
        await pilot.press(*"Something")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: "not an ISO-8601" in str(app.screen.query_one("#form-error").render())
        )
        assert isinstance(app.screen, EventFormScreen)
        assert app.screen.query_one("#text").value == "Something"  # type: ignore[attr-defined]
    assert len(db_store.children(TimelineEvent, DEMO_ID)) == 17


async def test_utc_toggle_changes_the_shown_time(demo_db: str, app_for: AppFactory) -> None:
    """u switches between local time and UTC (the machine here is on UTC, so the label)."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "local" in str(app.screen.query_one("#card-meta").render())
        await pilot.press("u")
        assert "UTC" in str(app.screen.query_one("#card-meta").render())


@pytest.mark.parametrize(
    ("typed", "offset"),
    [
        pytest.param("2026-10-20 09:00", 120, id="summer-time-date"),
        pytest.param("2026-01-20 09:00", 60, id="winter-time-date"),
    ],
)
async def test_a_local_time_for_another_date_gets_that_dates_offset(
    demo_db: str,
    app_for: AppFactory,
    db_store: Store,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    offset: int,
) -> None:
    """In local-time mode, in Paris, 09:00 on 20 October is 09:00+02:00 and on 20 January
    09:00+01:00, whatever the offset is on the day it is typed (one of the two differs)."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, EventFormScreen))
        app.screen.query_one("#time", Input).value = typed
        app.screen.query_one("#text", Input).value = "Typed in local time"
        app.screen.query_one("#text", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
    (event,) = [e for e in db_store.children(TimelineEvent, DEMO_ID) if e.text.startswith("Typed")]
    assert event.time_offset == offset
    assert (
        format_instant(event.time, event.time_offset)
        == f"{typed.replace(' ', 'T')}:00+0{offset // 60}:00"
    )


async def test_stepping_keeps_the_events_ahead_in_view(
    ui_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """On a long timeline the current event never goes out of view nor to the list's
    edge while there are events beyond it; at an edge the list moves on by most of a page
    (the next events come into view together), not a line per step."""
    from datetime import UTC, datetime, timedelta

    from retrotui.store.event_import import insert_events
    from retrotui.ui.widgets.event_list import EventList

    start = datetime(2026, 5, 14, 9, tzinfo=UTC)
    columns = {"id", "retro_id", "position", "created_at", "updated_at"}
    events = [
        TimelineEvent(retro_id="", time=start + timedelta(minutes=n), text=f"step {n}").model_dump(
            exclude=columns
        )
        for n in range(120)
    ]
    retro_id, _ = insert_events(db_store, events, retro_id=None, title="Long night")
    db_store.update(Retrospective, retro_id, current_stage=2)
    app = app_for(ui_db, retro_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one(EventList)
        height = listing.scrollable_content_region.height
        tops = []
        for key in ["n"] * 119 + ["p"] * 119:
            await pilot.press(key)
            top, current = int(listing.scroll_y), listing.current
            tops.append(top)
            assert top <= current < top + height  # in view
            if 3 <= current <= 116:  # events on both sides: never at the very edge
                assert top + 3 <= current < top + height - 3
        assert listing.current == 0
        moves = sum(1 for before, after in itertools.pairwise(tops) if before != after)
        assert 4 <= moves <= 2 * 120 // (height // 2)  # a page part at a time, both ways
