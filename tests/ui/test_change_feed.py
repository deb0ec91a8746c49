"""The change feed with two terminals: two apps on one database, in one test.

A change made in Ana's app reaches Ben's screen (every part of a retrospective), Ben reads
only the records it touched, a terminal where nothing changed reads no records, and a save
is shown where it was made without reading anything back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from retrotui.core.bundle import RetroBundle
from retrotui.demo import DEMO_ID
from retrotui.models import Retrospective, TimelineEvent
from retrotui.services.actions import add_action
from retrotui.services.labels import change_labels
from retrotui.services.meeting import add_note, update_event, update_retro_text
from retrotui.services.whys import add_chain, add_why
from retrotui.store.repository import Store
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.widgets.event_notes import notes_text
from retrotui.ui.widgets.note_composer import NoteComposer
from tests.ui.conftest import AppFactory, seat, wait_for

RECORD_TABLES = (
    "retrospective",
    "participant",
    "timeline_event",
    "note",
    "why_chain",
    "why",
    "action_item",
    "retro_label",
)


class Reads:
    """The record tables whose rows a terminal's store reads, statement by statement."""

    def __init__(self, app: Any) -> None:
        assert app.db is not None
        self.tables: list[str] = []
        self.whole: list[str] = []  # tables read whole (every row of the retrospective)
        sa.event.listen(app.db.store.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        text = " ".join(statement.split())
        if text.upper().startswith("SELECT"):
            # Statements that bring rows of a record table (not the home list's counts).
            for t in RECORD_TABLES:
                if f"FROM {t} " in f"{text} " and f"{t}.id" in text:
                    self.tables.append(t)
                    if f"WHERE {t}.retro_id" in text:
                        self.whole.append(t)


def run_in(screen: RetroScreen, job: Callable[[Store], object]) -> None:
    """A change made in that terminal's app, through its own database queue."""
    screen.app.submit(job)


def _retro(store: Store) -> Retrospective:
    return store.get(Retrospective, DEMO_ID)


def _add_why(store: Store) -> object:
    chain = add_chain(store, DEMO_ID, "Why did checkout fail?")
    return add_why(store, chain.id, answer="A feed answer")


CHANGES: dict[str, tuple[int, Callable[[Store], object], Callable[[RetroBundle], bool]]] = {
    "notes": (
        3,
        lambda s: add_note(s, DEMO_ID, text="A feed note"),
        lambda b: any(n.text == "A feed note" for n in b.notes),
    ),
    "events": (
        2,
        lambda s: update_event(s, s.children(TimelineEvent, DEMO_ID)[0].id, text="A feed event"),
        lambda b: any(e.text == "A feed event" for e in b.events),
    ),
    "whys": (4, _add_why, lambda b: any(w.answer == "A feed answer" for w in b.whys)),
    "actions": (
        5,
        lambda s: add_action(s, _retro(s), "A feed action", today=date(2026, 3, 2)),
        lambda b: any(a.title == "A feed action" for a in b.actions),
    ),
    "labels": (
        6,
        lambda s: change_labels(s, _retro(s), add_tags=["feedtag"]),
        lambda b: "feedtag" in b.tags,
    ),
    "retro fields": (
        1,
        lambda s: update_retro_text(s, DEMO_ID, "summary", "A feed summary"),
        lambda b: b.retro.summary == "A feed summary",
    ),
}


@pytest.mark.parametrize("part", list(CHANGES))
async def test_a_change_in_one_terminal_shows_in_the_other(
    part: str, demo_db: str, app_for: AppFactory
) -> None:
    stage, change, shows = CHANGES[part]
    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        await ana_pilot.press(str(stage))
        await wait_for(ben_pilot, lambda: ben.agenda.stage == stage)
        run_in(ana, change)
        await wait_for(ana_pilot, lambda: ana.bundle is not None and shows(ana.bundle))
        await wait_for(ben_pilot, lambda: ben.bundle is not None and shows(ben.bundle))


async def test_a_note_from_another_terminal_reads_and_redraws_only_the_notes(
    demo_db: str, app_for: AppFactory
) -> None:
    """Ben reads the one note Ana added (no events, no other parts) and redraws the notes
    under the event card; the timeline list and the panes not on screen are left alone."""
    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, _ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 2)
        assert ben.bundle is not None
        events = ben.bundle.events
        shown: list[str] = []
        for pane in ben.panes():
            original = pane.show_bundle

            def spy(bundle: RetroBundle, _pane: Any = pane, _show: Any = original) -> None:
                shown.append(str(_pane.id))
                _show(bundle)

            pane.show_bundle = spy  # type: ignore[method-assign]
        timeline = ben.query_one(TimelinePane)
        full_redraws: list[int] = []
        render_all = timeline.render_all
        timeline.render_all = lambda: (full_redraws.append(1), render_all())[1]  # type: ignore[method-assign]
        reads = Reads(ben.app)

        await ana_pilot.press("a", *"Only the notes", "enter")
        await wait_for(
            ben_pilot,
            lambda: "Only the notes" in notes_text(ben),
        )
        assert set(reads.tables) <= {"note"} and reads.whole == []
        assert ben.bundle is not None and ben.bundle.events is events
        assert set(shown) == {"stage-2"}
        assert not full_redraws


async def test_a_terminal_where_nothing_changed_reads_no_records(
    demo_db: str, app_for: AppFactory
) -> None:
    """Both terminals sit in the meeting (heartbeats and meeting reads go on); neither
    reads a single record of the retrospective."""
    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (_ben_pilot, ben),
    ):
        reads = Reads(ben.app)
        assert ben.feed is not None
        looked = ben.feed.looked
        # Ana's heartbeats commit; Ben's feed looks at the log after each, and finds
        # nothing about the retrospective's records.
        await wait_for(ana_pilot, lambda: ben.feed is not None and ben.feed.looked >= looked + 2)
        assert reads.tables == []
        assert ana.feed is not None and ana.feed.reads == 0 and ben.feed.reads == 0


async def test_a_save_is_shown_where_it_was_made_without_reading_it_back(
    demo_db: str, app_for: AppFactory
) -> None:
    async with seat(app_for(demo_db, DEMO_ID, name="Ana")) as (pilot, ana):
        await wait_for(pilot, lambda: ana.agenda.stage == 2)
        reads = Reads(ana.app)
        # Typed in one go, so the note is saved once (key by key under load it was saved
        # two or three times, and each save has its own window for the feed to read it).
        await pilot.press("a")
        ana.query_one(NoteComposer).text_input.insert_text_at_cursor("Typed here")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Typed here" in notes_text(ana))
        assert ana.app.db is not None
        await wait_for(pilot, lambda: ana.app.db is not None and ana.app.db.is_idle)
        assert ana.feed is not None
        looked = ana.feed.looked
        # The feed looks at the log after the save (and after heartbeats): the note is in
        # it. The notes are never read again (at most the one note, when the feed asked
        # between the save's commit and the screen taking in what it returned).
        await wait_for(pilot, lambda: ana.feed is not None and ana.feed.looked >= looked + 1)
        assert reads.whole == []
        assert set(reads.tables) <= {"note"} and len(reads.tables) <= 1


async def test_a_note_on_another_event_leaves_the_notes_under_this_card_alone(
    demo_db: str, app_for: AppFactory
) -> None:
    """Ben types on the event he was on; Ana has moved on. His saves reach Ana's bundle
    and nothing on her screen is redrawn for them (each redraw took the frame her next step
    was due in)."""
    from retrotui.ui.widgets.event_notes import EventNotes

    async with (
        seat(app_for(demo_db, DEMO_ID, name="Ana")) as (ana_pilot, ana),
        seat(app_for(demo_db, DEMO_ID, name="Ben")) as (ben_pilot, ben),
    ):
        await wait_for(ben_pilot, lambda: ben.agenda.stage == 2)
        await ana_pilot.press("n", "n")
        notes = ana.query_one(EventNotes)
        shown_lists: list[object] = []
        set_options = notes.set_options

        def spy(options: Any) -> EventNotes:
            shown_lists.append(options)
            return set_options(options)

        notes.set_options = spy  # type: ignore[method-assign]
        first = ana.query_one(TimelinePane).events[0]
        run_in(ben, lambda s: add_note(s, DEMO_ID, text="On the first event", event_id=first.id))
        await wait_for(
            ana_pilot,
            lambda: (
                ana.bundle is not None
                and any(n.text == "On the first event" for n in ana.bundle.notes)
            ),
        )
        await ana_pilot.pause()
        assert ana.query_one(TimelinePane).current is not first
        assert shown_lists == []
