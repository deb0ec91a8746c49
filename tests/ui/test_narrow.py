"""At 80x24 every key and button a user needs is on screen: the footer fits its keys (Quit
and Help always, Help counting the keys it lists that the footer leaves out) and the
Wrap-up stage keeps its buttons above the fold."""

from __future__ import annotations

import itertools

import pytest
from textual.widget import Widget
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from retrotui.demo import DEMO_ID
from retrotui.models import Retrospective
from retrotui.store.repository import Store
from retrotui.ui.panes.wrapup import WrapUpPane
from retrotui.ui.screens.retro import RetroScreen
from tests.ui.conftest import AppFactory, settle, wait_for


def _visible(widget: Widget) -> bool:
    """Drawn whole where a user can see it: the screen shows this widget at both ends."""
    app = widget.app
    region = widget.region
    if not widget.display or region.width == 0 or region.height == 0:
        return False
    if region.right > app.size.width or region.bottom > app.size.height:
        return False
    ends = ((region.x, region.y), (region.right - 1, region.bottom - 1))
    return all(app.screen.get_widget_at(x, y)[0] is widget for x, y in ends)


def _footer_labels(app: object) -> list[str]:
    keys = app.screen.query(FooterKey)  # type: ignore[attr-defined]
    return [f"{k.key_display} {k.description}" for k in keys if _visible(k)]


async def _meeting(pilot: object, app: object) -> RetroScreen:
    await settle(pilot)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen) and app.screen.ready)  # type: ignore[arg-type, attr-defined]
    return app.screen  # type: ignore[attr-defined, no-any-return]


async def test_home_footer_at_80_columns_keeps_quit_and_help(
    demo_db: str, app_for: AppFactory
) -> None:
    """The home footer at 80 columns shows whole keys only, Quit and Help among them, and
    Help says how many more keys it lists."""
    app = app_for(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "q Quit" in _footer_labels(app))
        labels = _footer_labels(app)
        assert labels[:2] == ["n New retro", "d Delete"]
        assert "? Help · 4 more" in labels and "^p palette" in labels
        every_key = [k for k in app.screen.query(FooterKey) if k.display]
        assert all(_visible(key) for key in every_key)


async def test_home_footer_at_120_columns_shows_every_key(
    demo_db: str, app_for: AppFactory
) -> None:
    """Wide enough, the footer shows every key with its full spacing and a plain Help."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "? Help" in _footer_labels(app))
        assert len(_footer_labels(app)) == 11  # ten keys and the palette


@pytest.mark.parametrize("stage", ["1", "2", "3", "4", "5", "6"])
async def test_every_stage_footer_at_80_columns_keeps_quit_and_help(
    demo_db: str, app_for: AppFactory, stage: str
) -> None:
    """No stage's footer cuts a key in half, and Quit and Help are always there."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        await _meeting(pilot, app)
        await pilot.press(stage)
        await settle(pilot)
        await wait_for(pilot, lambda: "q Quit" in _footer_labels(app))
        assert any(label.startswith("? Help") for label in _footer_labels(app))
        assert all(_visible(key) for key in app.screen.query(FooterKey) if key.display)


async def test_wrap_up_buttons_are_on_screen_at_80x24(demo_db: str, app_for: AppFactory) -> None:
    """Stage 6 at 80x24: the three buttons are drawn, above the footer, without scrolling."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _meeting(pilot, app)
        await pilot.press("6")
        await settle(pilot)
        buttons = list(screen.query("#wrapup-buttons Button").results(Button))
        assert [str(b.label) for b in buttons] == [
            "Factors & tags (F)",
            "Mark in review (v)",
            "Publish (P)",
        ]
        await wait_for(pilot, lambda: all(_visible(b) for b in buttons))
        gaps = screen.query_one("#wrapup-gaps")
        assert _visible(gaps)  # what is still missing is not pushed out by the buttons


async def test_wrap_up_lines_wrap_under_their_values_at_80_columns(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A summary line too long for 80 columns goes on under its value, not at column 1
    (where it read like a heading of its own)."""
    from retrotui.services.labels import change_labels

    change_labels(
        db_store,
        db_store.get(Retrospective, DEMO_ID),
        add_tags=["payments", "certificates", "cert-manager", "renewals", "pager-rota", "tls"],
    )
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _meeting(pilot, app)
        await pilot.press("6")
        await settle(pilot)
        width = screen.query_one(WrapUpPane).scrollable_content_region.width
        produced = str(screen.query_one("#wrapup-produced").render())
        gaps = str(screen.query_one("#wrapup-gaps").render())
        for text in (produced, gaps):
            lines = text.splitlines()
            assert all(len(line) <= width for line in lines), lines
            for above, line in itertools.pairwise(lines):
                if above.startswith("  ") and line.strip() and not line.startswith("  "):
                    raise AssertionError(f"{line!r} wrapped back to column 1 under {above!r}")
        assert "1 question," in produced  # one, not "1 questions"
