"""Pilot and snapshot tests: the app on a private database, a fixed date, UTC, no blink."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from retrotui.demo import ensure_demo
from retrotui.services.retros import open_store
from retrotui.store.repository import Store
from retrotui.ui.app import RetroApp, make_app
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.widgets.footer import Footer, shown_keys

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _utc_and_still_cursor(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC and cursors do not blink, so screens are the same on every run."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)
    yield
    time.tzset()


@pytest.fixture
def ui_db(tmp_path: Path) -> str:
    return str(tmp_path / "ui.db")


@pytest.fixture
def demo_db(ui_db: str) -> str:
    """A database holding the demo retrospective (and its history), made for TODAY."""
    store = open_store(ui_db)
    ensure_demo(store, TODAY)
    store.close()
    return ui_db


@pytest.fixture
def db_store(ui_db: str) -> Iterator[Store]:
    """A second connection to the app's database, to check what was really saved."""
    store = open_store(ui_db)
    yield store
    store.close()


AppFactory = Callable[..., RetroApp]


@pytest.fixture
def app_for() -> AppFactory:
    def build(db: str, retro_id: str | None = None, name: str = "Ben", **options: Any) -> RetroApp:
        app = make_app(db, retro_id=retro_id, today=TODAY, remember=False, name=name, **options)
        _record_notifications(app)
        return app

    return build


def _record_notifications(app: RetroApp) -> None:
    """Keep every notification's message: the app's own list drops a toast once its
    timeout has passed, which on a loaded machine can be before a test looks."""
    messages: list[str] = []
    show = app.notify

    def notify(message: Any, *args: Any, **kwargs: Any) -> None:
        messages.append(str(message))
        show(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.notified = messages  # type: ignore[attr-defined]


def notified(app: Any) -> list[str]:
    """Every notification the app (made by `app_for`) has shown, expired or not."""
    messages: list[str] = app.notified
    return messages


# Generous: a passing test returns as soon as its state holds, so the limit only decides
# how long a loaded machine (CI beside other work, 2 cores) may take before we call it a
# failure. 5 s failed healthy tests under load.
STATE_TIMEOUT_S = 30.0


async def wait_for(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = STATE_TIMEOUT_S
) -> None:
    """Let the app run until `condition()` holds (database work happens on a thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not reach the expected state in time")
        await pilot.pause(0.05)


Seat = tuple[Pilot[None], RetroScreen]


def _in_meeting(app: RetroApp) -> RetroScreen | None:
    """The retrospective screen, once it has joined the meeting and read its state."""
    screen = app.screen
    if isinstance(screen, RetroScreen) and screen.meeting and screen.meeting.state:
        return screen
    return None


@asynccontextmanager
async def seat(app: RetroApp) -> AsyncIterator[Seat]:
    """One terminal in a shared meeting (several apps on one database in one test), once
    it has joined and read the meeting."""
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: _in_meeting(app) is not None)
        screen = _in_meeting(app)
        assert screen is not None
        yield pilot, screen


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every queued database job has run and its result is on screen."""
    app = pilot.app
    assert isinstance(app, RetroApp)
    await wait_for(pilot, lambda: app.db is not None)
    assert app.db is not None
    for _ in range(3):
        await wait_for(pilot, lambda: app.db is not None and app.db.is_idle)
        await pilot.pause(0.05)
    # A DataTable sizes its columns to new rows on its next idle; until then a screenshot
    # shows columns only as wide as their headings.
    await wait_for(pilot, lambda: not any(_table_pending(t) for t in app.screen.query(DataTable)))


async def ready_for_snapshot(pilot: Pilot[None]) -> None:
    """Settled, and without timed toasts: a toast leaves after its timeout, so whether a
    screenshot showed it would depend on how busy the machine is."""
    await settle(pilot)
    # The footer rebuilds its keys after a change of focus or bindings, on a later turn
    # of the loop: a busy machine took screenshots with the keys of the moment before.
    await wait_for(pilot, lambda: _footers_current(pilot.app))
    pilot.app.clear_notifications()
    await pilot.pause()


def _footers_current(app: Any) -> bool:
    # A type query matches by class name: Textual's own Footer (in a test's app) too.
    footers = [footer for footer in app.screen.query(Footer) if isinstance(footer, Footer)]
    return all(footer.composed_keys == shown_keys(app.screen) for footer in footers)


def _table_pending(table: DataTable[Any]) -> bool:
    return bool(table._require_update_dimensions or table._new_rows)
