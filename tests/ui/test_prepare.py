"""Stage 1, Prepare: summary, impact, milestones and roles, all saved as typed."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from retrotui.demo import DEMO_ID
from retrotui.models import Participant, Retrospective
from retrotui.store.repository import Store
from retrotui.ui.screens.participant_form import ParticipantFormScreen
from retrotui.ui.screens.retro import RetroScreen
from tests.ui.conftest import AppFactory, notified, settle, wait_for


async def test_summary_is_saved_as_typed(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Typing in the summary reaches the database without any save key."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        summary = app.screen.query_one("#summary", TextArea)
        summary.focus()
        summary.cursor_location = summary.document.end
        await pilot.press(*" Renewal alerts were missing.")
        await wait_for(
            pilot,
            lambda: db_store.get(Retrospective, DEMO_ID).summary.endswith(
                "Renewal alerts were missing."
            ),
        )


async def test_milestone_with_a_bad_time_is_flagged_not_saved(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A milestone that is not a time gets a notification; the stored one is unchanged."""
    before = db_store.get(Retrospective, DEMO_ID).detected_at
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        field = app.screen.query_one("#milestone-detected", Input)
        field.focus()
        field.value = "around nine"
        await pilot.press("enter")
        await settle(pilot)
        assert any("not an ISO-8601" in m for m in notified(app))
        assert field.has_class("unsaved") and field.value == "around nine"
    assert db_store.get(Retrospective, DEMO_ID).detected_at == before


async def test_milestone_is_saved_on_enter(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A valid milestone with an offset is stored as that instant."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        field = app.screen.query_one("#milestone-resolved", Input)
        field.focus()
        field.value = "2026-11-17T11:00:00+01:00"
        await pilot.press("enter")
        await settle(pilot)
    retro = db_store.get(Retrospective, DEMO_ID)
    assert retro.resolved_at is not None and retro.resolved_at.hour == 10
    assert retro.resolved_at_offset == 60


async def test_add_a_participant_with_a_role(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """+ opens the participant form; the new person appears with their role."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        app.screen.query_one("#participants").focus()
        await pilot.press("plus")
        await wait_for(pilot, lambda: isinstance(app.screen, ParticipantFormScreen))
        await pilot.press(*"Eve")
        app.screen.query_one("#role", Select).value = "observer"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
    people = {p.name: p.role for p in db_store.children(Participant, DEMO_ID)}
    assert people["Eve"] == "observer"
