"""The footer while stepping: right about what is greyed out, rebuilt only when that changes,
and no keys kept alive after a rebuild (memory that grew with every step)."""

from __future__ import annotations

import gc

from textual.widgets._footer import FooterKey

from retrotui.demo import DEMO_ID
from tests.ui.conftest import AppFactory, settle, wait_for


def _keys(app: object) -> dict[str, FooterKey]:
    return {key.action: key for key in app.screen.query(FooterKey)}  # type: ignore[attr-defined]


async def test_next_greys_out_on_the_last_event_and_back(demo_db: str, app_for: AppFactory) -> None:
    """The footer's Next is disabled on the last event, and enabled again one step back."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not _keys(app)["step(1)"].has_class("-disabled")
        await pilot.press("end")
        await pilot.pause()
        assert _keys(app)["step(1)"].has_class("-disabled")
        await pilot.press("p")
        await pilot.pause()
        assert not _keys(app)["step(1)"].has_class("-disabled")
        assert not _keys(app)["step(-1)"].has_class("-disabled")


async def test_stepping_mid_timeline_keeps_the_footer(demo_db: str, app_for: AppFactory) -> None:
    """Steps that change nothing the footer shows do not rebuild it."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        before = _keys(app)
        for key in "nnnnpp":
            await pilot.press(key)
            await pilot.pause()
        assert _keys(app) == before
        assert all(a is b for a, b in zip(_keys(app).values(), before.values(), strict=True))


async def test_footer_rebuilds_free_the_old_keys(demo_db: str, app_for: AppFactory) -> None:
    """Going between two stages 20 times (each shows other keys) leaves no replaced key
    alive."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Only keys made during this test count: under xdist the worker process still
        # holds other tests' apps, whose keys are none of this footer's business.
        gc.collect()
        before = {id(obj) for obj in gc.get_objects() if isinstance(obj, FooterKey)}
        for key in "32" * 20:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

        def no_replaced_key_alive() -> bool:
            # A replaced footer's keys are removed on a later turn of the event loop; what
            # must not happen is that they stay alive (+2 for one rebuild in flight).
            gc.collect()
            replaced = [
                obj
                for obj in gc.get_objects()
                if isinstance(obj, FooterKey) and id(obj) not in before and not obj.is_attached
            ]
            return len(replaced) <= 2

        await wait_for(pilot, no_replaced_key_alive)
