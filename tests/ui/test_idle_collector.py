"""Full garbage-collection passes run in a pause between keys, not in the middle of a step."""

from __future__ import annotations

import gc
from typing import Any

from retrotui.ui.idle_collector import SAFETY_NET, full_pass_due
from tests.ui.conftest import AppFactory, settle, wait_for


def test_a_full_pass_waits_for_a_quiet_keyboard() -> None:
    assert not full_pass_due(3, quiet_for=5.0)  # not due yet
    assert not full_pass_due(10, quiet_for=0.05)  # due, but keys are coming
    assert full_pass_due(10, quiet_for=0.3)


async def test_the_app_runs_a_due_full_pass_when_nobody_types(
    demo_db: str, app_for: AppFactory
) -> None:
    before = gc.get_threshold()
    full_passes: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full_passes.append(1)

    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # Python's own full passes are the rare safety net while the app runs.
        assert gc.get_threshold()[2] == SAFETY_NET
        gc.callbacks.append(seen)
        try:
            for _ in range(10):  # ten younger collections: a full pass is due
                gc.collect(1)
            await wait_for(pilot, lambda: bool(full_passes))
        finally:
            gc.callbacks.remove(seen)
    assert gc.get_threshold() == before  # put back when the app closes
