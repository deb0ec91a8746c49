"""The search screen: f on home, type, matches with their place, Enter opens the place."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from retrotui.demo import DEMO_ID
from retrotui.ui.screens.home import HomeScreen
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.screens.search import SearchScreen
from tests.ui.conftest import AppFactory, settle, wait_for


async def test_search_finds_and_opens_the_event(demo_db: str, app_for: AppFactory) -> None:
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"x509", "enter")
        table = screen.query_one("#search-results", DataTable)
        await wait_for(pilot, lambda: len(screen.results) > 0 and table.has_focus)
        assert screen.results[0].where == "event 9 of INC-4711"
        assert "event 9 of INC-4711" in str(table.get_row_at(0)[0])
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen) and app.screen.ready)
        await settle(pilot)
        retro = app.screen
        assert isinstance(retro, RetroScreen)
        assert retro.query_one("#stage-panes").current == "stage-2"  # type: ignore[attr-defined]
        assert retro.bundle is not None
        assert retro.bundle.retro.current_event_id == screen.results[0].record_id


async def test_bad_syntax_is_one_sentence_on_screen(demo_db: str, app_for: AppFactory) -> None:
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        screen.query_one("#q", Input).value = '"unclosed'
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: "unclosed quote" in str(screen.query_one("#search-status").render())
        )
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_an_action_match_opens_the_actions_stage(demo_db: str, app_for: AppFactory) -> None:
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await pilot.press(*"OPS-812", "enter")
        table = screen.query_one("#search-results", DataTable)
        await wait_for(pilot, lambda: len(screen.results) > 0 and table.has_focus)
        assert screen.results[0].where == "an action of INC-4711"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen) and app.screen.ready)
        assert app.screen.query_one("#stage-panes").current == "stage-5"  # type: ignore[attr-defined]
        assert app.screen.retro_id == DEMO_ID  # type: ignore[attr-defined]
