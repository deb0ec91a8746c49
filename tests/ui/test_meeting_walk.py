"""The meeting as users ran it (issue #12, item 6): what the walk-through found, each
checked on what the screen shows or what the database holds."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TextArea

from retrotui.demo import DEMO_ID
from retrotui.models import ActionItem, Note, NoteKind, Retrospective, TimelineEvent
from retrotui.services.retros import create_retrospective
from retrotui.services.whys import load_chains
from retrotui.store.repository import Store
from retrotui.ui.app import RetroApp
from retrotui.ui.panes.discussion import DiscussionPane
from retrotui.ui.screens.action_form import ActionFormScreen
from retrotui.ui.screens.note_form import NoteEditScreen
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.screens.text_form import TextFormScreen
from retrotui.ui.widgets.blame_hint import BlameHint
from tests.ui.conftest import AppFactory, settle, wait_for


def screen_text(app: RetroApp) -> str:
    """The characters on the terminal, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _open(pilot: Pilot[None], app: RetroApp) -> RetroScreen:
    await settle(pilot)
    await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen) and app.screen.ready)
    assert isinstance(app.screen, RetroScreen)
    return app.screen


async def test_a_new_note_starts_as_an_observation(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """The kind chosen for one note does not carry over to the next one."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("a", *["ctrl+t"] * 4, *"Who approved this?", "enter")
        await settle(pilot)
        await pilot.press("a")
        assert screen.query_one("#note-kind", Select).value == NoteKind.OBSERVATION
        await pilot.press(*"Alert fired late", "enter")
        await settle(pilot)
    kinds = {n.text: n.kind for n in db_store.children(Note, DEMO_ID)}
    assert kinds["Who approved this?"] == NoteKind.QUESTION
    assert kinds["Alert fired late"] == NoteKind.OBSERVATION


async def test_editing_a_note_shows_the_blameless_hint(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A note that blames someone gets the hint when it is opened for editing."""
    event = db_store.children(TimelineEvent, DEMO_ID)[0]
    note = db_store.add(
        Note(retro_id=DEMO_ID, event_id=event.id, text="Ops should have checked the expiry")
    )
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("3")
        listing = screen.query_one(DiscussionPane).query_one("#notes-list")
        listing.highlighted = listing.get_option_index(note.id)  # type: ignore[attr-defined]
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditScreen))
        await pilot.pause()
        assert app.screen.query_one(BlameHint).display
        assert "should have" in screen_text(app)


async def test_editing_an_action_shows_the_blameless_hint(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    db_store.add(ActionItem(retro_id=DEMO_ID, title="Ops should have renewed it", owner="Ops"))
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("5")
        table = screen.query_one("#actions-table", DataTable)
        titles = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        table.move_cursor(row=titles.index("Ops should have renewed it"))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionFormScreen))
        await pilot.pause()
        assert app.screen.query_one("#title-hint", BlameHint).display


async def test_editing_a_why_opens_on_the_answer_with_nothing_selected(
    demo_db: str, app_for: AppFactory
) -> None:
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("4", "down", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, TextFormScreen))
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, TextArea) and focused.id == "answer"
        assert focused.selected_text == ""
        assert not app.screen.query_one("#question", Input).selected_text
        # Typing adds to the answer; it does not replace anything.
        before = focused.text
        await pilot.press("!")
        assert focused.text == before + "!"
        await pilot.press("escape")  # cancels, as from any field
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))


async def test_a_new_why_offers_the_previous_answer_as_its_question(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    (chain,) = load_chains(db_store, DEMO_ID)
    last = chain.whys[-1].answer
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("4", "down", "w")
        await wait_for(pilot, lambda: isinstance(app.screen, TextFormScreen))
        await pilot.pause()
        question = app.screen.query_one("#question", Input).value
        assert question.startswith("Why ") and question.endswith("?")
        assert last.rstrip(".")[1:] in question
        assert isinstance(app.focused, TextArea) and app.focused.id == "answer"
        await pilot.press(*"Nobody owned the job", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
    (chain,) = load_chains(db_store, DEMO_ID)
    assert (chain.whys[-1].question, chain.whys[-1].answer) == (question, "Nobody owned the job")


async def test_a_done_action_shows_its_box(demo_db: str, app_for: AppFactory) -> None:
    """[x] is text, not a markup tag that swallows it."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("5")
        await settle(pilot)
        done_row = next(line for line in screen_text(app).splitlines() if "checkout 5xx" in line)
        assert "[x]" in done_row


async def test_a_status_change_leaves_every_row_where_it_was(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """space on the first item: the rows keep their order and the cursor its row."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("5")
        table = screen.query_one("#actions-table", DataTable)
        before = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        await pilot.press("space")
        await settle(pilot)
        after = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert after == before
        assert table.cursor_row == 0
        assert "[~]" in screen_text(app).splitlines()[table.region.y + 1]
        # Entering the stage again sorts open work first.
        await pilot.press("4", "5")
        await settle(pilot)
        resorted = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert resorted[0] != before[0]
    statuses = {a.title: a.status for a in db_store.children(ActionItem, DEMO_ID)}
    assert statuses[before[0]] == "in_progress"


async def test_the_ticket_column_fits_at_120_columns(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A long title is cut with an ellipsis; the ticket stays on screen."""
    title = "Replace the certificate renewal job " + "and its alerting " * 8
    db_store.add(ActionItem(retro_id=DEMO_ID, title=title, owner="Platform", ticket="OPS-9999"))
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("5")
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if "Replace the cert" in line)
        assert "OPS-9999" in row and "…" in row


async def test_opening_a_draft_starts_its_meeting(
    ui_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """The status moves from draft to in meeting when the meeting screen opens it."""
    retro = create_retrospective(db_store, "Queue backlog", incident_ref="INC-9")
    assert retro.status == "draft"
    app = app_for(ui_db, retro.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await wait_for(pilot, lambda: "in meeting" in screen_text(app).splitlines()[0])
    assert db_store.get(Retrospective, retro.id).status == "in_meeting"


async def test_at_80x24_a_form_keeps_its_labels_and_save_in_view(
    demo_db: str, app_for: AppFactory
) -> None:
    """The new-action form is taller than the terminal: it opens at its title, a field
    reached with tab comes with its label, and Save is on screen all along."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, app)
        await pilot.press("5", "i")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionFormScreen))
        await settle(pilot)
        text = screen_text(app)
        assert "New action item" in text and "Title: what will change" in text
        assert "Save (ctrl+s)" in text
        for _ in range(12):  # to the description, at the end of the form
            if app.focused is not None and app.focused.id == "description":
                break
            await pilot.press("tab")
            await pilot.pause()
        assert isinstance(app.focused, TextArea) and app.focused.id == "description"
        await settle(pilot)
        text = screen_text(app)
        assert "Description" in text and "Save (ctrl+s)" in text
        for _ in range(12):
            if app.focused is not None and app.focused.id == "title":
                break
            await pilot.press("shift+tab")
            await pilot.pause()
        await settle(pilot)
        assert "Title: what will change" in screen_text(app)
