"""The shared meeting with two terminals: two apps on one database, in one test.

Ana opens the demo retrospective first and drives; Ben opens it second and follows. Every
wait is on state (what a screen shows or holds), never on a timer's period.
"""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from retrotui.core.meeting import Mode
from retrotui.demo import DEMO_ID
from retrotui.models import Note
from retrotui.store.live_meeting import read_state
from retrotui.store.repository import Store
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.widgets.event_notes import notes_text
from tests.ui.conftest import AppFactory, seat, wait_for


def bar(screen: RetroScreen) -> str:
    return str(screen.query_one("#meeting-bar", Static).render())


def event_of(screen: RetroScreen) -> str | None:
    current = screen.query_one(TimelinePane).current
    return current.id if current else None


async def test_the_first_terminal_drives_and_the_second_follows_its_steps(
    demo_db: str, app_for: AppFactory
) -> None:
    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        assert "driving: Ana" in bar(ana)
        await wait_for(ben_pilot, lambda: "following Ana" in bar(ben))
        await ana_pilot.press("3")
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 3)
        await ana_pilot.press("2", "n", "n")
        target = event_of(ana)
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 2 and event_of(ben) == target)
        assert "following Ana" in bar(ben)


async def test_a_follower_who_steps_browses_until_one_key_follows_again(
    demo_db: str, app_for: AppFactory
) -> None:
    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        await ana_pilot.press("2")
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 2)
        await ben_pilot.press("G")  # Ben looks at the last event
        own = event_of(ben)
        assert ben.meeting and ben.meeting.mode is Mode.BROWSING
        assert "browsing" in bar(ben)
        await ana_pilot.press("n")
        await ana_pilot.press("5")  # Ana moves on; Ben stays where he was
        await wait_for(ana_pilot, lambda: read_state_stage(ana) == 5)
        await ben_pilot.pause(0.6)  # two of Ben's reads of the meeting
        assert ben.agenda.stage == 2 and event_of(ben) == own
        await ben_pilot.press("F")
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 5 and "following Ana" in bar(ben))


def read_state_stage(screen: RetroScreen) -> int | None:
    state = screen.meeting.state if screen.meeting else None
    return state.stage if state else None


async def test_one_key_takes_the_lead_and_the_former_driver_sees_it(
    demo_db: str, app_for: AppFactory
) -> None:
    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        await wait_for(ben_pilot, lambda: "following Ana" in bar(ben))
        await ben_pilot.press("l")
        await wait_for(ben_pilot, lambda: "driving: Ben" in bar(ben))
        await wait_for(ana_pilot, lambda: "following Ben" in bar(ana))
        await ben_pilot.press("4")
        await wait_for(ana_pilot, lambda: ana.agenda.stage == 4)


async def test_one_clock_for_both_terminals(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        await ana_pilot.press("2")
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 2)
        await ana_pilot.press("t")  # Ana starts it ...
        await wait_for(ben_pilot, lambda: ben.agenda.timer.running)
        await ben_pilot.press("t")  # ... Ben pauses it
        await wait_for(ana_pilot, lambda: not ana.agenda.timer.running)
        await wait_for(ana_pilot, lambda: ana.agenda.timer.banked == ben.agenda.timer.banked)
        assert ana.agenda.timer.banked > timedelta(0)
        shown = str(ana.query_one("#stage-timer", Static).render())
        assert shown == str(ben.query_one("#stage-timer", Static).render())
        await ben_pilot.press("T")
        await wait_for(ana_pilot, lambda: ana.agenda.timer.banked == timedelta(0))
    assert read_state(db_store, DEMO_ID).clock(2) == timedelta(0)


async def test_who_is_here_and_a_note_carries_the_followers_name(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    async with seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana):
        async with seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben):
            await wait_for(ana_pilot, lambda: "Ben (note taker)" in bar(ana))
            assert "Ana (moderator)" in bar(ben)
            await ben_pilot.press("a", *"Pager was quiet", "enter")
            await wait_for(
                ana_pilot,
                lambda: "Pager was quiet" in notes_text(ana),
            )
            notes = notes_text(ana)
            assert "— Ben" in notes
            await ben_pilot.press("q")
        await wait_for(ana_pilot, lambda: "Ben" not in bar(ana))
        assert "driving: Ana" in bar(ana)
    (note,) = [n for n in db_store.children(Note, DEMO_ID) if n.text == "Pager was quiet"]
    assert note.author == "Ben"


async def test_quitting_a_terminal_changes_nothing_for_the_others(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """The driver's stage and running clock survive a follower quitting, and the driver
    quitting leaves the meeting without a driver, clock still running."""
    async with seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana):
        await ana_pilot.press("3", "t")
        async with seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben):
            await wait_for(ben_pilot, lambda: ben.agenda.stage == 3 and ben.agenda.timer.running)
            await ben_pilot.press("q")
        await wait_for(ana_pilot, lambda: "Ben" not in bar(ana))
        assert ana.agenda.stage == 3 and ana.agenda.timer.running
        assert "driving: Ana" in bar(ana)
        state = read_state(db_store, DEMO_ID)
        assert state.stage == 3 and state.clocks[3][1] is not None
        async with seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben):
            await wait_for(ben_pilot, lambda: "following Ana" in bar(ben))
            await ana_pilot.press("q")
            await wait_for(ben_pilot, lambda: "no driver" in bar(ben))
            assert ben.agenda.timer.running and ben.agenda.stage == 3
            await ben_pilot.press("q")
    state = read_state(db_store, DEMO_ID)
    assert state.clocks[3][1] is None and state.present == []  # the last one out paused it
