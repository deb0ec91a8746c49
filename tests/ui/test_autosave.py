"""Typed text reaches the database while typing goes on, and survives a busy database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from retrotui.demo import DEMO_ID
from retrotui.models import Note
from retrotui.store.repository import Store
from retrotui.ui.widgets.autosave import AutosaveInput
from tests.ui.conftest import AppFactory, settle, wait_for

KEYSTROKE_GAP = 0.15  # a steady typist: one character every 0.15 s


def _note_texts(store: Store) -> list[str]:
    return [n.text for n in store.children(Note, DEMO_ID)]


def _new_note(store: Store, before: list[str]) -> str:
    """The text of the one note added since `before` ("" while there is none)."""
    added = [text for text in _note_texts(store) if text not in before]
    return added[0] if added else ""


@contextmanager
def _write_lock_held(db: str) -> Iterator[None]:
    """Another process's write transaction (an import, say) holding the database."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("COMMIT")
        other.close()


async def test_steady_typing_is_saved_while_it_goes_on(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A typist who never pauses for the debounce still has their words on disk: what was
    in the database between keystrokes grows while they type."""
    app = app_for(demo_db, DEMO_ID)
    typed = "steady typing never pauses"
    seen_while_typing: list[str] = []
    before = _note_texts(db_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        for char in typed:
            await pilot.press(char)
            await pilot.pause(KEYSTROKE_GAP)
            seen_while_typing.append(_new_note(db_store, before))
        saved_while_typing = max(seen_while_typing, key=len, default="")
        # Saves happen every fraction of a second, so by the last keystroke the database
        # held most of the sentence; before the maximum wait it held nothing at all.
        assert typed.startswith(saved_while_typing)
        assert len(saved_while_typing) >= len(typed) // 2, seen_while_typing[-5:]
        await settle(pilot)


async def test_note_typed_while_the_database_is_locked_is_saved_after(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Another process holds the write lock for longer than the busy timeout: the note is
    marked 'not saved yet', kept, and lands once the lock is gone, the app still open."""
    app = app_for(demo_db, DEMO_ID, busy_timeout=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#note-text", AutosaveInput)
        with _write_lock_held(demo_db):
            await pilot.press("a", *"Typed during the import")
            # The save ran into the lock, waited out the busy timeout and failed.
            await wait_for(pilot, lambda: field.has_class("unsaved"), timeout=30)
            assert "not saved yet" in str(field.border_subtitle)
            assert "Typed during the import" not in _note_texts(db_store)
        await wait_for(
            pilot, lambda: "Typed during the import" in _note_texts(db_store), timeout=30
        )
        assert app.is_running
        await wait_for(pilot, lambda: not field.has_class("unsaved"), timeout=30)
        assert not field.border_subtitle


async def test_quitting_with_text_not_yet_saved_asks_first(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """q while a note still waits for the database: the app says so and asks; staying on
    lets the note land once the lock is gone."""
    app = app_for(demo_db, DEMO_ID, busy_timeout=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        field = app.screen.query_one("#note-text", AutosaveInput)
        with _write_lock_held(demo_db):
            await pilot.press("a", *"Do not lose me", "escape")
            await wait_for(pilot, lambda: field.has_class("unsaved"), timeout=30)
            await pilot.press("q")
            await wait_for(pilot, lambda: "not saved yet" in _screen_text(app), timeout=30)
            assert app.is_running
            await pilot.press("escape")  # stay
        await wait_for(pilot, lambda: "Do not lose me" in _note_texts(db_store), timeout=30)
        assert app.is_running


def _screen_text(app: object) -> str:
    from retrotui.ui.app import RetroApp

    assert isinstance(app, RetroApp)
    return " ".join(str(w.render()) for w in app.screen.query("Static"))
