"""The home screen: listing, filtering, creating, opening and deleting retrospectives."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from retrotui.models import Retrospective
from retrotui.store.repository import Store
from retrotui.ui.screens.confirm import ConfirmScreen
from retrotui.ui.screens.home import HomeScreen
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.screens.retro_form import NewRetroScreen
from tests.ui.conftest import AppFactory, settle, wait_for


def _titles(app: object) -> list[str]:
    table = app.screen.query_one("#retros", DataTable)  # type: ignore[attr-defined]
    return [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]


async def test_empty_database_offers_the_demo(ui_db: str, app_for: AppFactory) -> None:
    """With nothing saved, a welcome offers the demo; D opens it."""
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#welcome").display
        assert "demo" in str(app.screen.query_one("#welcome Static").render()).lower()
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        # The meeting is built (its panes mount while the test would otherwise be closing
        # the app, which made a pane's on_mount find its children gone).
        screen = app.screen
        assert isinstance(screen, RetroScreen)
        await wait_for(pilot, lambda: screen.ready)
        await settle(pilot)


async def test_filter_as_you_type(demo_db: str, app_for: AppFactory) -> None:
    """Typing in the filter narrows the list to matching retrospectives."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(_titles(app)) == 6
        await pilot.press("slash", *"sev1")
        assert len(_titles(app)) == 2
        await pilot.press("escape")
        assert len(_titles(app)) == 6


async def test_retrospectives_made_elsewhere_appear_on_their_own(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """One made by another process (`retrotui new`, an import) shows up without a key
    press, and one deleted there goes away."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        made = db_store.add(Retrospective(title="Made in another terminal"))
        await wait_for(pilot, lambda: "Made in another terminal" in _titles(app))
        db_store.delete(Retrospective, made.id)
        await wait_for(pilot, lambda: "Made in another terminal" not in _titles(app))


async def test_create_a_retrospective_and_open_it(
    ui_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """n opens the form; a title and severity create the retrospective and open it."""
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewRetroScreen))
        await pilot.press(*"DNS outage")
        app.screen.query_one("#incident_ref", Input).value = "INC-77"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
    (retro, _) = db_store.retrospectives()[0]
    assert (retro.title, retro.incident_ref) == ("DNS outage", "INC-77")


async def test_new_form_explains_bad_input(ui_db: str, app_for: AppFactory) -> None:
    """An empty title or an unreadable start time keeps the form open with a message."""
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewRetroScreen))
        await pilot.press("ctrl+s")
        assert "title cannot be empty" in str(app.screen.query_one("#form-error").render())
        await pilot.press(*"Outage")
        app.screen.query_one("#started_at", Input).value = "last night"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "not an ISO-8601" in str(app.screen.query_one("#form-error").render())
        )
        assert isinstance(app.screen, NewRetroScreen)


async def test_delete_asks_first(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """d asks for confirmation; "Keep" keeps it, y deletes it."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert len(db_store.retrospectives()) == 6
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot)
        assert len(db_store.retrospectives()) == 5
        assert len(_titles(app)) == 5


async def test_enter_and_click_open_a_retrospective(demo_db: str, app_for: AppFactory) -> None:
    """Enter on a row opens it, and escape comes back."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_user_text_is_not_read_as_markup(
    ui_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A title with [b] or [link] is shown literally."""
    db_store.add(Retrospective(title="[b]bold[/b] and [link=https://x]x[/link]"))
    app = app_for(ui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _titles(app) == ["[b]bold[/b] and [link=https://x]x[/link]"]
