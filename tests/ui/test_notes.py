"""Notes: taken on the current event without leaving the timeline, saved as typed."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from retrotui.demo import DEMO_ID
from retrotui.models import Note, NoteKind, TimelineEvent
from retrotui.store.repository import Store
from retrotui.ui.panes.discussion import DiscussionPane
from retrotui.ui.screens.confirm import ConfirmScreen
from retrotui.ui.screens.note_form import NoteEditScreen
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.widgets.event_notes import notes_text
from retrotui.ui.widgets.note_composer import NoteComposer
from tests.ui.conftest import AppFactory, notified, settle, wait_for


def _notes_on(store: Store, event_id: str) -> list[Note]:
    return [n for n in store.children(Note, DEMO_ID) if n.event_id == event_id]


async def test_a_adds_a_note_to_the_current_event(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """a, text, enter: the note belongs to the current event, by whoever is at this
    terminal (`--as Ben`)."""
    app = app_for(demo_db, DEMO_ID, name="Ben")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n", "a", *"Alert was noisy", "enter")
        await settle(pilot)
        second = db_store.children(TimelineEvent, DEMO_ID)[1]
        (note,) = _notes_on(db_store, second.id)
        assert (note.text, note.author, note.kind) == ("Alert was noisy", "Ben", "observation")
        assert "Alert was noisy" in notes_text(app.screen)
        # The timeline has the keys again: n moves on.
        await pilot.press("n")
        assert "3 / 17" in str(app.screen.query_one("#card-position").render())


async def test_note_is_saved_while_typing(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A pause after the last keystroke puts the text in the database, no enter needed."""
    app = app_for(demo_db, DEMO_ID)
    first = db_store.children(TimelineEvent, DEMO_ID)[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", *"Unfinished thought")
        await wait_for(
            pilot, lambda: [n.text for n in _notes_on(db_store, first.id)] == ["Unfinished thought"]
        )


async def test_note_kind_can_be_chosen(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """ctrl+t cycles the kind before (or while) typing."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "ctrl+t", "ctrl+t", *"Rollback was slow", "enter")
        await settle(pilot)
        first = db_store.children(TimelineEvent, DEMO_ID)[0]
        (note,) = _notes_on(db_store, first.id)
        assert note.kind == NoteKind.WENT_WRONG


async def test_escape_on_an_empty_note_leaves_nothing(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Opening the composer and leaving it empty adds no note."""
    before = len(db_store.children(Note, DEMO_ID))
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", "x", "backspace")
        saver = app.screen.query_one(NoteComposer).text_input.autosaver
        # The debounce has fired (under load it may have saved "x" before the backspace).
        await wait_for(pilot, lambda: saver.pending is None)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert len(db_store.children(Note, DEMO_ID)) == before


async def test_too_long_note_is_refused_and_kept_on_screen(
    demo_db: str, app_for: AppFactory
) -> None:
    """A 50,000-character paste gets a notification and stays in the field."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        field = app.screen.query_one("#note-text")
        field.value = "x" * 50_000  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: field.has_class("unsaved"))
        assert any("limit is 10,000" in m for m in notified(app))
        assert len(field.value) == 50_000  # type: ignore[attr-defined]
        assert field.has_class("unsaved")


async def test_notes_view_groups_by_kind_and_edits(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Stage 3 lists every note under its kind; e edits the text, saved as typed."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        pane = app.screen.query_one(DiscussionPane)
        summary = str(pane.query_one("#discussion-summary").render())
        assert "6 notes" in summary and "2 went well" in summary
        await pilot.press("down", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditScreen))
        await pilot.press("end", *" (confirmed)")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
    texts = [n.text for n in db_store.children(Note, DEMO_ID)]
    assert any(t.endswith(" (confirmed)") for t in texts)


async def test_delete_a_note_from_the_notes_view(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """delete asks, then removes the note."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3", "down", "delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot)
    assert len(db_store.children(Note, DEMO_ID)) == 5


async def test_a_note_from_another_process_appears_on_its_own(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """The note-taker in another terminal adds a note; the moderator's screen shows it
    without a key press (the poll; how soon is bench/ business, not a test's)."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first = db_store.children(TimelineEvent, DEMO_ID)[0]
        db_store.add(Note(retro_id=DEMO_ID, event_id=first.id, text="Seen from elsewhere"))
        await wait_for(pilot, lambda: "Seen from elsewhere" in notes_text(app.screen))


async def test_a_finished_note_shows_at_once_while_its_save_is_on_the_way(
    demo_db: str, app_for: AppFactory, db_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter draws the note under the card from what was typed; a slow commit does not keep
    it off the screen, and the saved note replaces it (shown once, not twice)."""
    import retrotui.services.meeting as meeting

    commit_may_finish = threading.Event()
    real_add_note = meeting.add_note

    def slow_add_note(*args: Any, **kwargs: Any) -> Note:
        commit_may_finish.wait(timeout=30)
        return real_add_note(*args, **kwargs)

    monkeypatch.setattr(meeting, "add_note", slow_add_note)
    app = app_for(demo_db, DEMO_ID)
    first = db_store.children(TimelineEvent, DEMO_ID)[0]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        composer = app.screen.query_one(NoteComposer)
        # Typed in one go, then enter: the first save is still held when the note closes.
        composer.text_input.insert_text_at_cursor("Pager went to the old rota")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Pager went to the old rota" in notes_text(app.screen))
        assert _notes_on(db_store, first.id) == []  # really not in the database yet
        commit_may_finish.set()
        await wait_for(
            pilot,
            lambda: (
                [n.text for n in _notes_on(db_store, first.id)] == ["Pager went to the old rota"]
            ),
        )
        await settle(pilot)
        assert notes_text(app.screen).count("Pager went to the old rota") == 1


async def test_the_first_frame_after_enter_shows_the_note(
    demo_db: str, app_for: AppFactory
) -> None:
    """No frame is spent on anything else first: Textual draws at most 60 frames a second,
    so a frame without the note (the field repainted for a border it already had) put the
    note 16 ms later."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        composer = screen.query_one(NoteComposer)
        composer.text_input.insert_text_at_cursor("Dashboards lagged by five minutes")
        await pilot.pause()  # drawn in the field; its save is still waiting (debounced)
        assert composer.text_input.autosaver.pending is not None
        frames: list[bool] = []
        draw = screen._compositor_refresh

        def recorded() -> None:
            frames.append("Dashboards lagged" in notes_text(screen))
            draw()

        screen._compositor_refresh = recorded  # type: ignore[method-assign]
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(frames))
        assert frames[0], f"{frames.index(True)} frame(s) drawn before the note"


async def test_the_timeline_taking_focus_back_restyles_only_itself(
    demo_db: str, app_for: AppFactory
) -> None:
    """Enter hands focus back to the timeline; Textual would restyle everything inside it
    (22 widgets, 10 ms before the note's frame). The pane restyles alone, which is right
    only while no rule styles the inside of a focused pane: that is checked too."""
    from retrotui.ui.panes.timeline import TimelinePane

    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(TimelinePane)
        for rule in app.stylesheet.rules:
            for selector_chain in rule.selector_set:
                for selector in selector_chain.selectors[:-1]:
                    # _check: the selector's type, id or class matches, whatever the state.
                    assert not (
                        selector.pseudo_classes & {"focus", "blur"} and selector._check(pane)
                    ), f"a rule styles the inside of a focused pane: {rule.css}"
        await pilot.press("a", *"Rollback", "enter")
        await settle(pilot)
        await pilot.press("a", *"Paging")
        restyled: list[int] = []
        update_nodes = app.stylesheet.update_nodes

        def counted(nodes: Any, animate: bool = False) -> None:
            nodes = list(nodes)
            restyled.append(len(nodes))
            update_nodes(nodes, animate=animate)

        app.stylesheet.update_nodes = counted  # type: ignore[method-assign]
        await pilot.press("enter")
        await wait_for(pilot, lambda: pane.has_focus)
        await settle(pilot)
        assert restyled and max(restyled) <= 2, restyled
