"""The carry-over panel: open items of earlier retrospectives, reviewed one by one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from retrotui.demo import DEMO_ID
from retrotui.models import ActionItem, ActionStatus, Retrospective
from retrotui.services.actions import carry_over
from retrotui.store.repository import Store
from retrotui.ui.widgets.action_table import ActionTable
from retrotui.ui.widgets.carry_over import CarryOverPanel
from tests.ui.conftest import TODAY, AppFactory, ready_for_snapshot, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class Host(Screen[None]):
    """Stands in for stage 1 of the meeting screen, where the panel is mounted."""

    def __init__(self, retro_id: str) -> None:
        super().__init__()
        self.retro_id = retro_id
        self.changes: list[tuple[str, ActionStatus]] = []

    def compose(self) -> Iterable[Widget]:
        yield CarryOverPanel(self.retro_id)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ActionTable).focus()

    def on_carry_over_panel_changed(self, event: CarryOverPanel.Changed) -> None:
        self.changes.append((event.action_id, event.status))


async def _open(pilot: Pilot[Any], retro_id: str = DEMO_ID) -> CarryOverPanel:
    await settle(pilot)
    host = Host(retro_id)
    pilot.app.push_screen(host)
    await wait_for(pilot, lambda: host.is_mounted and host.query_one(CarryOverPanel).loaded)
    await settle(pilot)
    return host.query_one(CarryOverPanel)


def _ids(panel: CarryOverPanel) -> list[str]:
    table = panel.query_one(ActionTable)
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


def _status(store: Store, action_id: str) -> ActionStatus:
    return ActionStatus(store.get(ActionItem, action_id).status)


def _intro(panel: CarryOverPanel) -> str:
    return str(panel.query_one("#carry-intro", Static).render())


async def test_shows_open_items_of_earlier_retros_overdue_first(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """The items earlier retrospectives left open, most overdue first, with a count."""
    expected = carry_over(db_store, db_store.get(Retrospective, DEMO_ID), today=TODAY)
    assert expected and expected[0].overdue
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(pilot)
        assert _ids(panel) == [row.action.id for row in expected]
        overdue = sum(1 for row in expected if row.overdue)
        assert f"{len(expected)} action items" in _intro(panel)
        assert f"({overdue} overdue)" in _intro(panel)
        assert f"{len(expected)} to review" in _intro(panel)


async def test_done_closes_in_place_and_moves_on(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """d saves "done", the row stays (marked done) and the cursor goes to the next item."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(pilot)
        first, second = _ids(panel)[:2]
        await pilot.press("d")
        await settle(pilot)
        assert _status(db_store, first) == ActionStatus.DONE
        assert _ids(panel)[0] == first
        table = panel.query_one(ActionTable)
        assert table.get_row(first)[2].plain == "done"
        assert table.selected_id() == second
        assert panel.screen.changes == [(first, ActionStatus.DONE)]  # type: ignore[attr-defined]


async def test_wont_do_button_closes_with_the_mouse(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Clicking "Won't do" closes the highlighted item as won't do."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(pilot)
        first = _ids(panel)[0]
        await pilot.click("#carry-wont_do")
        await settle(pilot)
        assert _status(db_store, first) == ActionStatus.WONT_DO


async def test_keep_after_a_close_puts_the_old_status_back(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """d then k on the same item: it is open again with the status it had, e.g. in progress."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(pilot)
        first = _ids(panel)[0]
        before = _status(db_store, first)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("up", "k")
        await settle(pilot)
        saved = db_store.get(ActionItem, first)
        assert saved.status == before and saved.closed_at is None
        assert panel.query_one(ActionTable).get_row(first)[2].plain.endswith("· kept")


async def test_keep_leaves_the_database_alone(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """k on an open item marks it reviewed without writing anything."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(pilot)
        first = _ids(panel)[0]
        before = db_store.get(ActionItem, first)
        await pilot.press("k")
        await settle(pilot)
        assert db_store.get(ActionItem, first) == before
        assert f"{len(_ids(panel)) - 1} to review" in _intro(panel)


async def test_refresh_keeps_items_closed_here(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """refresh_data() reloads, but an item closed in the panel stays listed as done."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(pilot)
        ids = _ids(panel)
        await pilot.press("d")
        await settle(pilot)
        panel.refresh_data()
        await settle(pilot)
        assert _ids(panel) == ids
        assert panel.query_one(ActionTable).get_row(ids[0])[2].plain == "done"


async def test_first_retrospective_has_nothing_to_carry(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """The oldest retrospective has no earlier ones: one calm sentence, no table."""
    oldest = min((r for r, _ in db_store.retrospectives()), key=lambda r: r.created_at)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await _open(pilot, oldest.id)
        assert not panel.query_one(ActionTable).display
        assert panel.has_class("-empty")
        assert "Nothing carried over" in _intro(panel)


def _then_panel() -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open(pilot)
        await ready_for_snapshot(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_carry_over(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """The panel as stage 1 shows it: the count, the legend, the items, the buttons."""
    assert snap_compare(app_for(demo_db), terminal_size=size, run_before=_then_panel())
