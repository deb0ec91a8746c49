"""What the meeting screen reads again after a change: only what changed."""

from __future__ import annotations

from retrotui.demo import DEMO_ID
from retrotui.models import Retrospective, TimelineEvent
from retrotui.services.meeting import add_note
from retrotui.store.repository import Store
from retrotui.ui.screens.retro import RetroScreen
from tests.ui.conftest import AppFactory, settle, wait_for


async def test_a_position_save_reads_no_events_or_notes(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Stepping saves where the meeting is; no terminal re-reads the timeline or its notes
    for it (a step is not an edit)."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetroScreen) and screen.bundle is not None
        events, notes = screen.bundle.events, screen.bundle.notes
        await pilot.press("n")
        second = db_store.children(TimelineEvent, DEMO_ID)[1].id
        await wait_for(
            pilot, lambda: db_store.get(Retrospective, DEMO_ID).current_event_id == second
        )
        # The shared meeting reads the step back (a meeting read, not a reload)...
        await wait_for(
            pilot,
            lambda: (
                screen.meeting is not None
                and screen.meeting.state is not None
                and screen.meeting.state.event_id == second
            ),
        )
        await settle(pilot)  # ...and a fingerprint poll after it finds nothing to reload.
        assert screen.bundle is not None
        assert screen.bundle.events is events
        assert screen.bundle.notes is notes


async def test_notes_from_elsewhere_reach_a_stage_entered_later(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A note added by another process while the timeline is shown is in the notes
    view when the meeting moves there."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RetroScreen) and screen.bundle is not None
        before = len(screen.bundle.notes)
        add_note(db_store, DEMO_ID, text="Written in another terminal")
        await wait_for(
            pilot, lambda: screen.bundle is not None and len(screen.bundle.notes) > before
        )
        await pilot.press("3")
        await pilot.pause()
        listing = app.screen.query_one("#notes-list")
        texts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]  # type: ignore[attr-defined]
        assert any("Written in another terminal" in text for text in texts)


async def test_the_records_of_an_open_retrospective_are_kept_out_of_full_collections(
    demo_db: str, app_for: AppFactory
) -> None:
    """The loaded records are frozen out of the cyclic collector's passes while the meeting
    screen is open (its full passes over them were the slowest steps at 10,000 events), and
    handed back when the screen is left, so nothing stays pinned after it."""
    import gc

    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RetroScreen)
        assert gc.get_freeze_count() > 0
        await pilot.press("escape")
        await wait_for(pilot, lambda: gc.get_freeze_count() == 0)
        assert not isinstance(app.screen, RetroScreen)
