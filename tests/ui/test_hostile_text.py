"""Stored text never reaches the terminal as control sequences, on any screen.

Every text column of the demo gets a payload that would rename the terminal window, clear
the screen and move the cursor if it were written raw. The test looks at what the app
would send to the terminal (the compositor's output, exactly what the driver writes):
only the app's own colour and cursor sequences, and the payload as visible symbols.
"""

from __future__ import annotations

import re
import sqlite3

from textual import events

from retrotui.demo import DEMO_ID
from retrotui.models import Retrospective
from retrotui.store.repository import Store
from retrotui.ui.app import RetroApp
from tests.ui.conftest import AppFactory, settle, wait_for

OSC_TITLE = "\x1b]0;PWNED\x07"
PAYLOAD = f" {OSC_TITLE}\x1b[2J\x9b6n\x7f\rX"
SHOWN = "␛]0;PWNED␇"

TEXT_COLUMNS = {
    "retrospective": ("title", "incident_ref", "summary", "impact", "source_url"),
    "participant": ("name",),
    "timeline_event": ("text", "actor"),
    "note": ("text", "author"),
    "why_chain": ("problem",),
    "why": ("answer", "question"),
    "action_item": ("title", "description", "owner", "ticket"),
}
# What the app itself sends: colours (SGR) and cursor positions (CUP), nothing else.
APP_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H")


def _poison(db: str) -> None:
    """Append the payload to every text of every record, as an import could have."""
    conn = sqlite3.connect(db)
    with conn:
        for table, columns in TEXT_COLUMNS.items():
            sets = ", ".join(f"{c} = coalesce({c}, '') || ?" for c in columns)
            conn.execute(f"UPDATE {table} SET {sets}", (PAYLOAD,) * len(columns))
    conn.close()


def terminal_output(app: RetroApp) -> str:
    """What the app writes to the terminal for its current screen."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def _visible(app: RetroApp) -> str:
    return APP_SEQUENCES.sub("", terminal_output(app))


def stray_controls(output: str) -> list[str]:
    """Control characters in the output other than the app's own sequences."""
    rest = APP_SEQUENCES.sub("", output)
    return [c for c in rest if (ord(c) < 0x20 and c not in "\n") or 0x7F <= ord(c) <= 0x9F]


async def _assert_inert(pilot: object, app: RetroApp, where: str, *, shows: bool = False) -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    output = terminal_output(app)
    assert stray_controls(output) == [], f"{where}: {stray_controls(output)[:10]}"
    if shows:
        assert SHOWN in APP_SEQUENCES.sub("", output), f"{where}: the payload is not shown"


async def test_hostile_titles_stay_inert_on_home_and_every_stage(
    demo_db: str, app_for: AppFactory
) -> None:
    _poison(demo_db)
    app = app_for(demo_db)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await _assert_inert(pilot, app, "home", shows=True)
        for key, where in (("o", "follow-up"), ("s", "stats")):
            await pilot.press(key)
            await settle(pilot)
            await _assert_inert(pilot, app, where)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("enter")  # the demo, first in the list
        await settle(pilot)
        await _assert_inert(pilot, app, "timeline", shows=True)
        for stage in "123456":
            await pilot.press(stage)
            await settle(pilot)
            await _assert_inert(pilot, app, f"stage {stage}", shows=stage == "1")
        app.notify(f"Saved {PAYLOAD}")
        await pilot.press("x")
        # The preview shows the title once the export is built (a worker of its own).
        await wait_for(pilot, lambda: SHOWN in _visible(app), timeout=30)
        await _assert_inert(pilot, app, "export preview and a notification")


async def test_pasted_control_sequences_are_stored_inert(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A paste (bracketed paste) into the summary goes in with its controls as symbols."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        summary = app.screen.query_one("#summary")
        summary.focus()
        await pilot.press("ctrl+a")
        app.post_message(events.Paste(f"pasted{OSC_TITLE}\r\nnext line"))
        await wait_for(
            pilot, lambda: "pasted" in db_store.get(Retrospective, DEMO_ID).summary, timeout=30
        )
        await _assert_inert(pilot, app, "prepare after paste", shows=True)
    stored = db_store.get(Retrospective, DEMO_ID).summary
    assert "\x1b" not in stored and "\x07" not in stored
    assert f"pasted{SHOWN}\nnext line" in stored
