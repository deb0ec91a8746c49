"""Contributing factors and tags from the meeting: F on Whys or Wrap-up opens a small form."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, SelectionList, Static

from retrotui.demo import DEMO_ID
from retrotui.services.labels import labels_of
from retrotui.store.repository import Store
from retrotui.ui.screens.labels_form import LabelsFormScreen
from retrotui.ui.screens.retro import RetroScreen
from tests.ui.conftest import AppFactory, notified, settle, wait_for


async def _open(pilot: object, app: object) -> RetroScreen:
    await settle(pilot)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen) and app.screen.ready)  # type: ignore[arg-type, attr-defined]
    return app.screen  # type: ignore[attr-defined, no-any-return]


async def test_wrap_up_sets_factors_and_tags(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """6, F: tick two factors, type tags, ctrl+s: stored, and the wrap-up lists them."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("6", "F")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelsFormScreen))
        await pilot.press("space", "down", "space")  # binary push, config push
        app.screen.query_one("#labels-tags", Input).value = "Payments, db"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(pilot)
        produced = str(screen.query_one("#wrapup-produced", Static).render())
        assert "Binary push, Configuration push" in produced and "payments, db" in produced
    labels = labels_of(db_store, DEMO_ID)
    assert labels.factors == ("binary-push", "config-push") and labels.tags == ("payments", "db")


async def test_whys_key_opens_the_form_with_what_is_stored(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    from retrotui.models import Retrospective
    from retrotui.services.labels import change_labels

    retro = db_store.get(Retrospective, DEMO_ID)
    change_labels(db_store, retro, add_factors=["software"], add_tags=["cache"])
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("4", "F")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelsFormScreen))
        form = app.screen
        assert form.query_one("#labels-factors", SelectionList).selected == ["software"]
        assert form.query_one("#labels-tags", Input).value == "cache"
        form.query_one("#labels-tags", Input).value = "bad\x07tag"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "control characters" in str(form.query_one("#form-error").render())
        )
        assert app.screen is form  # the form stays open with what was typed


async def test_a_bad_taxonomy_file_is_a_notification_naming_its_line(
    demo_db: str, app_for: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "cfg"
    (config / "retrotui").mkdir(parents=True)
    (config / "retrotui" / "factors.toml").write_text("[[factors]]\nid = 3\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("6", "F")
        await wait_for(pilot, lambda: any("line 2" in m for m in notified(app)))
        assert app.screen is screen
