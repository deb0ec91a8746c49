"""Deleting in the meeting (issue #12, item 6): the selection moves to the neighbour of
what was deleted, and ctrl+z puts back the last delete made in this terminal, with its id,
its place and its children."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from retrotui.demo import DEMO_ID
from retrotui.models import ActionItem, Note, TimelineEvent, Why
from retrotui.services.whys import load_chains
from retrotui.store.repository import Store
from retrotui.ui.app import RetroApp
from retrotui.ui.panes.discussion import DiscussionPane
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.panes.whys import WhysPane
from retrotui.ui.screens.confirm import ConfirmScreen
from retrotui.ui.screens.retro import RetroScreen
from tests.ui.conftest import AppFactory, notified, settle, wait_for
from tests.ui.test_meeting_walk import _open, screen_text


def _highlighted(pane: DiscussionPane | WhysPane, list_id: str) -> str | None:
    option = pane.query_one(list_id, OptionList).highlighted_option
    return option.id if option else None


def _note_ids_in_list(pane: DiscussionPane) -> list[str]:
    listing = pane.query_one("#notes-list", OptionList)
    ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
    return [i for i in ids if i]


async def _delete(pilot: object, app: RetroApp, key: str = "delete") -> None:
    await pilot.press(key)  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # type: ignore[arg-type]
    await pilot.press("y")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))  # type: ignore[arg-type]
    await settle(pilot)  # type: ignore[arg-type]


async def test_deleting_notes_one_after_another_deletes_the_neighbours(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """After a delete the next note is highlighted, so three more deletes remove the three
    notes that followed, not the first of the list."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("3")
        pane = screen.query_one(DiscussionPane)
        order = _note_ids_in_list(pane)
        await pilot.press("down")
        assert _highlighted(pane, "#notes-list") == order[1]
        for _ in range(4):
            await _delete(pilot, app)
        assert _highlighted(pane, "#notes-list") == order[5]
    left = {n.id for n in db_store.children(Note, DEMO_ID)}
    assert left == {order[0], order[5]}


async def test_deleting_the_last_note_highlights_the_one_before(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("3")
        pane = screen.query_one(DiscussionPane)
        order = _note_ids_in_list(pane)
        await pilot.press("end")
        assert _highlighted(pane, "#notes-list") == order[-1]
        await _delete(pilot, app)
        assert _highlighted(pane, "#notes-list") == order[-2]


async def test_ctrl_z_puts_a_deleted_note_back_in_its_place(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    before = {n.id: n for n in db_store.children(Note, DEMO_ID)}
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("3")
        pane = screen.query_one(DiscussionPane)
        footer_before = screen_text(app).splitlines()[-1]
        assert "Undo delete" not in footer_before
        await pilot.press("down")
        gone = _highlighted(pane, "#notes-list")
        assert gone is not None
        await _delete(pilot, app)
        assert gone not in {n.id for n in db_store.children(Note, DEMO_ID)}
        assert "^z Undo delete" in screen_text(app).splitlines()[-1]
        await pilot.press("ctrl+z")
        await settle(pilot)
        await wait_for(pilot, lambda: _highlighted(pane, "#notes-list") == gone)
        messages = notified(app)
        assert any(m.startswith("Restored the note “" + before[gone].text[:20]) for m in messages)
        assert "Undo delete" not in screen_text(app).splitlines()[-1]
    back = {n.id: n for n in db_store.children(Note, DEMO_ID)}
    assert back.keys() == before.keys()
    restored, original = back[gone], before[gone]
    assert (restored.text, restored.kind, restored.event_id, restored.position) == (
        original.text,
        original.kind,
        original.event_id,
        original.position,
    )


async def test_deleting_an_event_moves_to_the_next_and_undo_reties_its_notes(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    events = db_store.children(TimelineEvent, DEMO_ID)
    target = events[5]  # "Rolled back the deploy": it has a note
    notes_on = [n.id for n in db_store.children(Note, DEMO_ID) if n.event_id == target.id]
    assert notes_on
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        pane = screen.query_one(TimelinePane)
        await pilot.press(*["n"] * 5)
        assert pane.current is not None and pane.current.id == target.id
        await _delete(pilot, app)
        assert pane.current is not None and pane.current.id == events[6].id
        assert "6 / 16" in screen_text(app)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: pane.current is not None and pane.current.id == target.id)
        await settle(pilot)
        assert "6 / 17" in screen_text(app)
        messages = notified(app)
        assert any("Restored the event" in m and "with its 1 note" in m for m in messages)
    assert [e.id for e in db_store.children(TimelineEvent, DEMO_ID)] == [e.id for e in events]
    assert {n.id for n in db_store.children(Note, DEMO_ID) if n.event_id == target.id} == set(
        notes_on
    )


async def test_deleting_the_last_event_moves_to_the_one_before(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    events = db_store.children(TimelineEvent, DEMO_ID)
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        pane = screen.query_one(TimelinePane)
        await pilot.press("G")
        await _delete(pilot, app)
        assert pane.current is not None and pane.current.id == events[-2].id


async def test_deleting_a_why_level_moves_to_the_next_and_undo_restores_it(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    (chain,) = load_chains(db_store, DEMO_ID)
    levels = [w.id for w in chain.whys]
    action = db_store.children(ActionItem, DEMO_ID)[0]
    db_store.update(ActionItem, action.id, why_id=levels[1])
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("4")
        pane = screen.query_one(WhysPane)
        await pilot.press("down", "down")  # the chain heading, level 1, level 2
        assert _highlighted(pane, "#whys-list") == levels[1]
        await _delete(pilot, app)
        assert _highlighted(pane, "#whys-list") == levels[2]
        assert db_store.get(ActionItem, action.id).why_id is None
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: _highlighted(pane, "#whys-list") == levels[1])
    (chain,) = load_chains(db_store, DEMO_ID)
    assert [w.id for w in chain.whys] == levels
    assert db_store.get(ActionItem, action.id).why_id == levels[1]


async def test_deleting_a_whole_chain_and_putting_it_back(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    (chain,) = load_chains(db_store, DEMO_ID)
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("4", "home")
        await _delete(pilot, app)
        assert load_chains(db_store, DEMO_ID) == []
        await pilot.press("ctrl+z")
        await settle(pilot)
        messages = notified(app)
        assert any("with its 5 levels" in m for m in messages)
    (back,) = load_chains(db_store, DEMO_ID)
    assert back.id == chain.id
    assert [(w.id, w.position, w.answer) for w in back.whys] == [
        (w.id, w.position, w.answer) for w in chain.whys
    ]


async def test_deleting_an_action_moves_to_the_next_row_and_undo_restores_it(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    before = {a.id: a for a in db_store.children(ActionItem, DEMO_ID)}
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("5")
        table = screen.query_one("#actions-table", DataTable)
        titles = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        table.move_cursor(row=1)
        await _delete(pilot, app)
        assert table.cursor_row == 1 and str(table.get_row_at(1)[4]) == titles[2]
        await pilot.press("ctrl+z")
        await settle(pilot)
        await wait_for(pilot, lambda: str(table.get_row_at(table.cursor_row)[4]) == titles[1])
        assert [str(table.get_row_at(i)[4]) for i in range(table.row_count)] == titles
    after = {a.id: a for a in db_store.children(ActionItem, DEMO_ID)}
    assert after.keys() == before.keys()


async def test_undo_takes_back_the_deletes_of_this_terminal_newest_first(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    before = {n.id for n in db_store.children(Note, DEMO_ID)}
    why_ids = [w.id for w in db_store.children(Why, DEMO_ID)]
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("3", "down")
        await _delete(pilot, app)
        await pilot.press("4", "down")
        await _delete(pilot, app)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [w.id for w in db_store.children(Why, DEMO_ID)] == why_ids
        assert len(db_store.children(Note, DEMO_ID)) == len(before) - 1
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert {n.id for n in db_store.children(Note, DEMO_ID)} == before


async def test_a_delete_and_its_undo_reach_the_other_terminal_and_only_one_can_undo(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Ana deletes a note and takes it back; Ben sees both. ctrl+z is Ana's: Ben's footer
    offers no undo, and his ctrl+z puts nothing back."""
    from tests.ui.test_shared_meeting import seat

    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        await ana_pilot.press("3")
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 3)
        ana_pane, ben_pane = ana.query_one(DiscussionPane), ben.query_one(DiscussionPane)
        await ana_pilot.press("down")
        gone = _highlighted(ana_pane, "#notes-list")
        assert gone in _note_ids_in_list(ben_pane)
        await _delete(ana_pilot, ana_pilot.app)  # type: ignore[arg-type]
        await wait_for(ben_pilot, lambda: gone not in _note_ids_in_list(ben_pane))
        assert "Undo delete" not in screen_text(ben_pilot.app).splitlines()[-1]  # type: ignore[arg-type]
        await ben_pilot.press("ctrl+z")
        await settle(ben_pilot)
        assert gone not in {n.id for n in db_store.children(Note, DEMO_ID)}
        await ana_pilot.press("ctrl+z")
        await wait_for(ben_pilot, lambda: gone in _note_ids_in_list(ben_pane))
