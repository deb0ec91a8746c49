"""Notes on the timeline, where they are typed (issue #12, item 6): tab selects the notes
of the current event; e edits, delete removes (ctrl+z puts back), v moves one to another
event; at 80x24 the note just typed stays in view."""

from __future__ import annotations

from retrotui.demo import DEMO_ID
from retrotui.models import Note, TimelineEvent
from retrotui.store.repository import Store
from retrotui.ui.panes.discussion import DiscussionPane
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.screens.confirm import ConfirmScreen
from retrotui.ui.screens.event_picker import EventPickerScreen
from retrotui.ui.screens.note_form import NoteEditScreen
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.widgets.event_notes import EventNotes
from tests.ui.conftest import AppFactory, notified, settle, wait_for
from tests.ui.test_meeting_walk import _open, screen_text


def _add_notes(store: Store, event: TimelineEvent, *texts: str) -> list[Note]:
    return [store.add(Note(retro_id=DEMO_ID, event_id=event.id, text=t)) for t in texts]


async def test_tab_selects_a_note_and_e_edits_it(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    first = db_store.children(TimelineEvent, DEMO_ID)[0]
    one, two = _add_notes(db_store, first, "Cert expiry was known", "Nobody owned renewals")
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        notes = screen.query_one(EventNotes)
        await pilot.press("tab")
        assert app.focused is notes
        assert notes.selected() is not None and notes.selected().id == two.id  # type: ignore[union-attr]
        assert "e Edit note" in screen_text(app).splitlines()[-1]
        await pilot.press("up", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditScreen))
        await pilot.press("end", *" (and ignored)", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
        await wait_for(pilot, lambda: "(and ignored)" in notes.text)
        # escape goes back to stepping the timeline
        await pilot.press("escape", "n")
        assert screen.query_one(TimelinePane).cursor.index == 1
    assert db_store.get(Note, one.id).text == "Cert expiry was known (and ignored)"


async def test_delete_on_the_timeline_selects_the_next_note_and_ctrl_z_restores(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    first = db_store.children(TimelineEvent, DEMO_ID)[0]
    notes = _add_notes(db_store, first, "one", "two", "three")
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        listing = screen.query_one(EventNotes)
        await pilot.press("tab", "up")
        assert listing.selected().id == notes[1].id  # type: ignore[union-attr]
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot)
        await wait_for(pilot, lambda: "two" not in listing.text)
        assert listing.selected() is not None and listing.selected().id == notes[2].id  # type: ignore[union-attr]
        await pilot.press("ctrl+z")
        await settle(pilot)
        await wait_for(pilot, lambda: "two" in [line[-3:] for line in listing.text.splitlines()])
        assert any("Restored the note “two”" in m for m in notified(app))
    assert [n.id for n in db_store.children(Note, DEMO_ID) if n.event_id == first.id] == [
        n.id for n in notes
    ]


async def test_v_moves_a_note_to_the_event_typed_in_the_picker(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    events = db_store.children(TimelineEvent, DEMO_ID)
    (note,) = _add_notes(db_store, events[0], "Typed on the wrong event")
    target = next(e for e in events if "degraded card payments" in e.text)
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        listing = screen.query_one(EventNotes)
        await pilot.press("tab", "v")
        await wait_for(pilot, lambda: isinstance(app.screen, EventPickerScreen))
        await pilot.press(*"degraded", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
        await wait_for(pilot, lambda: "Typed on the wrong event" not in listing.text)
        assert any("Moved the note to" in m for m in notified(app))
        # The note is under its new event now.
        pane = screen.query_one(TimelinePane)
        pane.follow_event(target.id)
        await wait_for(pilot, lambda: "Typed on the wrong event" in listing.text)
    assert db_store.get(Note, note.id).event_id == target.id


async def test_v_in_discussion_moves_a_note_off_the_timeline(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    events = db_store.children(TimelineEvent, DEMO_ID)
    (note,) = _add_notes(db_store, events[0], "Belongs to no event")
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("3")
        listing = screen.query_one(DiscussionPane).query_one("#notes-list")
        listing.highlighted = listing.get_option_index(note.id)  # type: ignore[attr-defined]
        await pilot.press("v")
        await wait_for(pilot, lambda: isinstance(app.screen, EventPickerScreen))
        await pilot.press("up", "enter")  # above the note's own event: no event
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
    assert db_store.get(Note, note.id).event_id is None


async def test_at_80x24_the_note_just_typed_is_on_screen(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Several notes on one event: the newest stays in view while it is typed and after."""
    events = db_store.children(TimelineEvent, DEMO_ID)
    _add_notes(db_store, events[0], *(f"Earlier note number {i}" for i in range(4)))
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await pilot.press("a", *"The newest thought")
        await settle(pilot)
        await wait_for(pilot, lambda: "The newest thought" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, lambda: "The newest thought" in screen_text(app))


async def test_a_step_to_an_event_with_fewer_notes_leaves_no_old_note_behind(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A step repaints only the rows that held or now hold a note; the rows the longer list
    used are painted blank, not left showing its notes."""
    first, second = db_store.children(TimelineEvent, DEMO_ID)[:2]
    _add_notes(db_store, first, "Alpha was paged", "Bravo acked", "Charlie escalated")
    _add_notes(db_store, second, "Delta rolled back")
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        notes = screen.query_one(EventNotes)
        await wait_for(pilot, lambda: "Charlie escalated" in notes.text)
        await pilot.press("n")
        await wait_for(pilot, lambda: "Delta rolled back" in notes.text)
        await settle(pilot)
        # What the terminal shows: the rows painted by this frame and those kept from before.
        painted = [strip.text for strip in notes.render_lines(notes.size.region)]
        shown = "\n".join(painted)
        assert "Delta rolled back" in shown
        for old in ("Alpha was paged", "Bravo acked", "Charlie escalated"):
            assert old not in shown


async def test_a_note_restored_from_another_event_is_not_highlighted_later(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """ctrl+z after stepping away puts the note back on its event; stepping back there
    shows it as a plain list (nothing highlighted while the list is not focused)."""
    first = db_store.children(TimelineEvent, DEMO_ID)[0]
    _add_notes(db_store, first, "Alpha paged", "Bravo acked")
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        listing = screen.query_one(EventNotes)
        await pilot.press("tab", "delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Bravo acked" not in listing.text)
        await pilot.press("escape", "n")
        await wait_for(pilot, lambda: "Alpha paged" not in listing.text)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: any("Restored the note" in m for m in notified(app)))
        await settle(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: "Bravo acked" in listing.text)
        await settle(pilot)
        assert listing.highlighted is None
