"""Presenter mode, help, the command palette and themes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette

from retrotui.demo import DEMO_ID
from retrotui.ui.app import make_app
from retrotui.ui.screens.help import HelpScreen
from tests.ui.conftest import TODAY, AppFactory, settle, wait_for


async def test_presenter_mode_hides_the_chrome(demo_db: str, app_for: AppFactory) -> None:
    """f hides the list, tabs and footer and keeps the current event; f again restores."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        screen = app.screen
        assert screen.has_class("presenter")
        assert not screen.query_one("#event-list").display
        assert not screen.query_one("Footer").display
        assert screen.query_one("#card-text").display
        await pilot.press("n")
        assert "2 / 17" in str(screen.query_one("#card-position").render())
        await pilot.press("f")
        assert screen.query_one("#event-list").display


async def test_help_lists_the_keys_of_the_screen(demo_db: str, app_for: AppFactory) -> None:
    """? shows the timeline keys with their binding ids (for remapping)."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        for expected in ("Add note", "timeline.next", "Presenter", "n / ↓ / j"):
            assert expected in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


def _highlighted(results: CommandList) -> str:
    if results.highlighted is None:
        return ""
    return str(results.get_option_at_index(results.highlighted).prompt)


async def test_palette_finds_screen_actions_by_name(demo_db: str, app_for: AppFactory) -> None:
    """ctrl+p, "presenter", enter: runs the action like its key would."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"presenter")
        results = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: "Presenter" in _highlighted(results))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.has_class("presenter"))


async def test_theme_choice_is_remembered(
    demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A theme picked in one session is the theme of the next."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = make_app(demo_db, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    state = json.loads((tmp_path / "data" / "retrotui" / "ui-state.json").read_text())
    assert state["theme"] == "nord"
    again = make_app(demo_db, today=TODAY)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_keys_can_be_remapped_in_the_config_file(
    demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[keys] timeline.next = "space" makes space step the timeline."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    config = tmp_path / "config" / "retrotui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[keys]\n"timeline.next" = "space"\n')
    app = make_app(demo_db, retro_id=DEMO_ID, today=TODAY, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        assert "2 / 17" in str(app.screen.query_one("#card-position").render())


async def test_tiny_terminal_gets_a_notice(demo_db: str, app_for: AppFactory) -> None:
    """Below the minimum size the app says how much room it needs."""
    app = app_for(demo_db, DEMO_ID)
    told: list[str] = []
    notify = app.notify
    # Recorded as they are sent: the toast itself leaves after its timeout, which a busy
    # machine can reach before the app has settled.

    def record(message: str, *args: Any, **kwargs: Any) -> None:
        told.append(message)
        notify(message, *args, **kwargs)

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(50, 15)) as pilot:
        await settle(pilot)
        assert any("at least" in message for message in told)
