"""The trends screen: t on home; factors over time, recurring ones, alike actions, medians."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from retrotui.core.factors import default_taxonomy
from retrotui.core.trends import describe_median
from retrotui.models import ActionItem, Retrospective
from retrotui.services.trends import load_trends
from retrotui.store.repository import Store
from retrotui.ui.screens.home import HomeScreen
from retrotui.ui.screens.trends import NO_FACTORS, NO_RETROS, FactorTable, TrendsScreen
from tests.ui.conftest import TODAY, AppFactory, ready_for_snapshot, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _open(pilot: Pilot[Any]) -> TrendsScreen:
    """From home, as a user: t."""
    await settle(pilot)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TrendsScreen))
    screen = pilot.app.screen
    assert isinstance(screen, TrendsScreen)
    await wait_for(pilot, lambda: screen.trends is not None)
    await settle(pilot)
    return screen


def _text(screen: TrendsScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_factors_with_counts_charts_and_refs(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """One row per factor, most incidents first, with its open and overdue items, its
    chart and which incidents; the demo history has factors."""
    trends = load_trends(db_store, today=TODAY)
    names = default_taxonomy()
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        table = screen.query_one(FactorTable)
        rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[:4] for r in rows] == [
            [names.name_of(f.factor), str(f.count), str(f.open_actions), str(f.overdue_actions)]
            for f in trends.factors
        ]
        assert rows[0][0] == "Software" and rows[0][5] == "INC-4680, INC-4598, INC-4550"
        assert len(rows[0][4]) == len(trends.periods) and "·" in rows[0][4]
        assert "3  Software" in _text(screen, "#trends-recurring")
        times = _text(screen, "#trends-times")
        sev1 = trends.times[0]
        assert f"SEV1              2  {describe_median(sev1.time_to_detect)}" in times


async def test_m_counts_by_quarter(demo_db: str, app_for: AppFactory) -> None:
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert "one cell per month" in _text(screen, "#trends-legend")
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.trends is not None and screen.trends.by == "quarter")
        await settle(pilot)
        assert "one cell per quarter, 2026-Q2 to 2026-Q4" in _text(screen, "#trends-legend")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_alike_actions_are_listed(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """An action proposed again in another retrospective shows both, oldest first."""
    past = db_store.find_retrospectives("INC-4502")[0]
    later = db_store.find_retrospectives("INC-4680")[0]
    db_store.add(ActionItem(retro_id=past.id, title="Alert on consumer lag above five minutes"))
    db_store.add(ActionItem(retro_id=later.id, title="Add an alert on consumer lag"))
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        alike = _text(screen, "#trends-alike").splitlines()
        assert alike[0].startswith("• INC-4502  open") and "five minutes" in alike[0]
        assert alike[1].startswith("  INC-4680  open") and "consumer lag" in alike[1]


async def test_empty_database_is_one_sentence(ui_db: str, app_for: AppFactory) -> None:
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert _text(screen, "#trends-summary") == NO_RETROS
        assert not screen.query_one(FactorTable).display
        assert not screen.query_one("#trends-times").display


async def test_no_factors_is_one_sentence(ui_db: str, app_for: AppFactory, db_store: Store) -> None:
    db_store.add(Retrospective(title="Checkout down", incident_ref="INC-1"))
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert _text(screen, "#trends-legend") == NO_FACTORS
        assert not screen.query_one(FactorTable).display
        assert "None yet." in _text(screen, "#trends-recurring")


def _then_trends() -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open(pilot)
        await ready_for_snapshot(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_trends(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Factors with their charts, recurring factors, alike actions and median times."""
    assert snap_compare(app_for(demo_db), terminal_size=size, run_before=_then_trends())
