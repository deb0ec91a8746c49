"""The stats screen: the figures of `retrotui stats`, owners, and time to resolve by severity."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from retrotui.services.stats import load_team_stats
from retrotui.store.repository import Store
from retrotui.ui.screens.followup import FollowUpScreen
from retrotui.ui.screens.stats import OwnerTable, ResolveChart, StatsScreen, bar, chart_lines
from tests.ui.conftest import TODAY, AppFactory, ready_for_snapshot, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _open(pilot: Pilot[Any]) -> StatsScreen:
    await settle(pilot)
    screen = StatsScreen()
    pilot.app.push_screen(screen)
    await wait_for(pilot, lambda: screen.stats is not None)
    await settle(pilot)
    return screen


def _figures(screen: StatsScreen) -> str:
    return str(screen.query_one("#stats-figures", Static).render())


def test_bars_start_from_zero() -> None:
    """Half the longest time is a half-height bar, not the empty bar a sparkline would draw."""
    assert chart_lines([60.0, 30.0], rows=1) == ["████████  ▄▄▄▄▄▄▄▄"]
    assert chart_lines([60.0, 30.0], rows=2) == ["████████          ", "████████  ████████"]


def test_follow_through_gauge() -> None:
    """The gauge fills in proportion to the rate and never overflows."""
    assert bar(0.5, 10) == "█████░░░░░"
    assert bar(1.5, 4) == "████"


async def test_figures_match_the_stats_command(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Follow-through, median days to close and the open/overdue counts, as computed."""
    stats = load_team_stats(db_store, today=TODAY)
    assert stats.follow_through.rate is not None and stats.median_days_to_close is not None
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        text = _figures(screen)
        ft = stats.follow_through
        assert f"{ft.rate:.0%}" in text
        assert f"{ft.on_time} of {ft.measured} done by their due date" in text
        assert f"{stats.median_days_to_close:.1f} days" in text
        assert f"{stats.open} open · {stats.overdue} overdue" in text


async def test_owner_table_and_trend_charts(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """One row per owner with open and overdue counts, one chart per severity."""
    stats = load_team_stats(db_store, today=TODAY)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(OwnerTable)
        rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [[o.owner, str(o.open), str(o.overdue)] for o in stats.by_owner]
        charts = list(screen.query(ResolveChart))
        assert [c.points for c in charts] == list(stats.resolve_by_severity.values())
        rendered = str(charts[0].render())
        first = next(iter(stats.resolve_by_severity.values()))[0]
        assert f"{first.started:%b %d}" in rendered


async def test_enter_on_an_owner_lists_their_items(demo_db: str, app_for: AppFactory) -> None:
    """enter on an owner opens the follow-up list filtered to that owner's open items."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        owner = screen.query_one(OwnerTable).get_row_at(1)[0].plain
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        follow_up = app.screen
        assert isinstance(follow_up, FollowUpScreen)
        await wait_for(pilot, lambda: follow_up.loaded)
        assert follow_up.owner == owner
        assert {r.action.owner for r in follow_up.visible_rows()} == {owner}


async def test_closing_an_item_updates_the_figures_on_return(
    demo_db: str, app_for: AppFactory
) -> None:
    """o opens the follow-up list; an item closed there is counted when back on stats."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert screen.stats is not None
        open_before = screen.stats.open
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await wait_for(pilot, lambda: screen.stats is not None and screen.stats.open < open_before)


async def test_empty_database_explains_each_figure(ui_db: str, app_for: AppFactory) -> None:
    """With nothing recorded, every figure says why it is missing instead of showing 0%."""
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert "no action item has reached its due date yet" in _figures(screen)
        assert screen.query_one(OwnerTable).get_row_at(0)[0].plain == "nothing open"
        trends = screen.query_one("#stats-trends")
        assert "No retrospective" in str(trends.query_one(Static).render())


def _then_stats() -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open(pilot)
        await ready_for_snapshot(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_stats(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Figures, owners and the time-to-resolve charts (stacked below 100 columns)."""
    assert snap_compare(app_for(demo_db), terminal_size=size, run_before=_then_stats())
