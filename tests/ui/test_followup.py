"""The follow-up screen: every action item, filters, status changes in place, overdue rows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Select, Static

from retrotui.demo import DEMO_ID
from retrotui.models import ActionItem, ActionStatus, Retrospective
from retrotui.services.actions import Scope, add_action, list_actions
from retrotui.store.repository import Store
from retrotui.ui.app import RetroApp
from retrotui.ui.screens.followup import FollowUpScreen
from retrotui.ui.screens.home import HomeScreen
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.widgets.action_table import ActionTable
from tests.ui.conftest import TODAY, AppFactory, ready_for_snapshot, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _open(pilot: Pilot[Any], screen: FollowUpScreen | None = None) -> FollowUpScreen:
    await settle(pilot)
    follow_up = screen or FollowUpScreen()
    pilot.app.push_screen(follow_up)
    await wait_for(pilot, lambda: follow_up.loaded)
    await settle(pilot)
    return follow_up


def _table(screen: FollowUpScreen) -> ActionTable:
    return screen.query_one(ActionTable)


def _ids(screen: FollowUpScreen) -> list[str]:
    table = _table(screen)
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


def _cells(screen: FollowUpScreen, action_id: str) -> list[str]:
    return [cell.plain for cell in _table(screen).get_row(action_id)]


def _first_status(store: Store, screen: FollowUpScreen) -> ActionStatus:
    return ActionStatus(store.get(ActionItem, _ids(screen)[0]).status)


async def test_lists_open_items_soonest_due_first(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """By default the open items of every retrospective, in the order of their due dates."""
    expected = [row.action.id for row in list_actions(db_store, today=TODAY, scope=Scope.OPEN)]
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert _ids(screen) == expected
        assert len({r.retro.id for r in screen.rows}) > 1


async def test_overdue_rows_stand_out_with_days_late(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """An overdue row shows "!Nd" (and P past policy) in the overdue colour; others do not."""
    rows = list_actions(db_store, today=TODAY, scope=Scope.OPEN)
    late = next(row for row in rows if row.overdue)
    on_time = next(row for row in rows if not row.overdue and row.action.due is not None)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        table = _table(screen)
        warning = table.get_component_rich_style("action-table--overdue", partial=True)
        assert warning.color is not None
        cells = table.get_row(late.action.id)
        assert cells[1].plain.startswith(f"!{late.days_overdue}d")
        assert cells[5].style == warning
        assert table.get_row(on_time.action.id)[5].style != warning
        assert _ids(screen)[0] == late.action.id
        assert screen.query_one("#followup-detail").has_class("-overdue")
        detail = str(screen.query_one("#followup-detail", Static).render())
        assert f"{late.days_overdue} days overdue" in detail


async def test_f_cycles_open_overdue_all(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """f shows overdue items only, then all of them, then the open ones again."""
    app = app_for(demo_db)
    counts = {s: len(list_actions(db_store, today=TODAY, scope=s)) for s in Scope}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert len(_ids(screen)) == counts[Scope.OPEN]
        await pilot.press("f")
        assert len(_ids(screen)) == counts[Scope.OVERDUE]
        assert all(screen.query_one(ActionTable).rows_by_id[i].overdue for i in _ids(screen))
        assert screen.query_one("#scope", Select).value == "overdue"
        await pilot.press("f")
        assert len(_ids(screen)) == counts[Scope.ALL]
        await pilot.press("f")
        assert len(_ids(screen)) == counts[Scope.OPEN]


async def test_owner_picker_filters_by_owner(demo_db: str, app_for: AppFactory) -> None:
    """Choosing an owner in the picker (type to search, enter) leaves only their items."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.click("#owner")
        await pilot.press(*"Search", "enter")
        await wait_for(pilot, lambda: screen.owner == "Search team")
        await settle(pilot)
        owners = {_cells(screen, i)[3] for i in _ids(screen)}
        assert owners == {"Search team"}


async def test_retro_picker_filters_by_retrospective(demo_db: str, app_for: AppFactory) -> None:
    """Choosing a retrospective in the picker leaves only its items."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("f", "f")  # all items, so every retrospective has some
        await pilot.click("#retro")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: screen.retro_id != "*")
        await settle(pilot)
        assert _ids(screen)
        assert {screen.query_one(ActionTable).rows_by_id[i].retro.id for i in _ids(screen)} == {
            screen.retro_id
        }


async def test_unassigned_owner_filter(demo_db: str, app_for: AppFactory) -> None:
    """Opened for "(unassigned)" (as from the stats screen), only items with no owner show."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, FollowUpScreen(owner="(unassigned)"))
        assert _ids(screen)
        assert all(_table(screen).rows_by_id[i].action.owner == "" for i in _ids(screen))
        assert screen.query_one("#owner", Select).value == "(unassigned)"


async def test_done_is_saved_and_the_row_stays_until_the_filter_changes(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """d marks the item done in the database; it stays, struck through, until f is pressed."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        first = _ids(screen)[0]
        await pilot.press("d")
        await settle(pilot)
        saved = db_store.get(ActionItem, first)
        assert saved.status == ActionStatus.DONE and saved.closed_at is not None
        assert _ids(screen)[0] == first
        assert _cells(screen, first)[2] == "done"
        assert _cells(screen, first)[1] == ""  # no longer overdue
        await pilot.press("f", "f", "f")
        assert first not in _ids(screen)


async def test_space_cycles_the_status(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """space moves an item on: open → in progress → done → won't do → open."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("down", "down", "down")  # an open one
        action_id = _table(screen).selected_id()
        assert action_id is not None
        seen = []
        for _ in range(4):
            await pilot.press("space")
            await settle(pilot)
            seen.append(ActionStatus(db_store.get(ActionItem, action_id).status))
        assert seen == [
            ActionStatus.IN_PROGRESS,
            ActionStatus.DONE,
            ActionStatus.WONT_DO,
            ActionStatus.OPEN,
        ]


async def test_status_buttons_work_with_the_mouse(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Clicking "Won't do" then "In progress" changes the highlighted item each time."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.click("#set-wont_do")
        await settle(pilot)
        assert _first_status(db_store, screen) == ActionStatus.WONT_DO
        await pilot.click("#set-in_progress")
        await settle(pilot)
        assert _first_status(db_store, screen) == ActionStatus.IN_PROGRESS
        assert isinstance(screen.focused, ActionTable)


async def test_status_keys_wait_while_a_picker_has_focus(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """With the owner picker focused, d does not close whatever row is highlighted."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        before = _first_status(db_store, screen)
        screen.query_one("#owner", Select).focus()
        await pilot.press("d")
        await settle(pilot)
        assert _first_status(db_store, screen) == before


async def test_enter_opens_the_retrospective_and_escape_comes_back(
    demo_db: str, app_for: AppFactory
) -> None:
    """enter opens the item's retrospective; escape returns to the list, then home."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("down")
        row = _table(screen).selected()
        assert row is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        assert isinstance(app.screen, RetroScreen) and app.screen.retro_id == row.retro.id
        await settle(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_user_text_is_shown_literally(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Markup typed into a title or owner shows as typed, brackets and all."""
    retro = db_store.get(Retrospective, DEMO_ID)
    add_action(db_store, retro, "[b]Fix[/b] the [red]thing", today=TODAY, owner="[i]Ops")
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        row = next(r for r in screen.rows if r.action.owner == "[i]Ops")
        assert _cells(screen, row.action.id)[3] == "[i]Ops"
        assert _cells(screen, row.action.id)[5] == "[b]Fix[/b] the [red]thing"


async def test_empty_database_says_so(ui_db: str, app_for: AppFactory) -> None:
    """With no action items anywhere, one sentence instead of an empty table."""
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert not _table(screen).display
        assert "No action items yet" in str(screen.query_one("#followup-empty", Static).render())


def _then_follow_up(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open(pilot)
        if keys:
            await pilot.press(*keys)
        await ready_for_snapshot(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_follow_up(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """The open items, overdue first, the first one described under the list."""
    app: RetroApp = app_for(demo_db)
    assert snap_compare(app, terminal_size=size, run_before=_then_follow_up())


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_follow_up_all(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Every item, closed ones struck through."""
    app: RetroApp = app_for(demo_db)
    assert snap_compare(app, terminal_size=size, run_before=_then_follow_up("f", "f"))
