"""SVG snapshots of each screen at 80×24 and 120×40 (pytest-textual-snapshot).

Update deliberately with `pytest tests/ui/test_snapshots.py --snapshot-update` and look at
the report before committing new baselines.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from retrotui.demo import DEMO_ID
from retrotui.ui.screens.action_form import ActionFormScreen
from retrotui.ui.screens.event_form import EventFormScreen
from retrotui.ui.screens.help import HelpScreen
from retrotui.ui.screens.retro_form import NewRetroScreen
from tests.ui.conftest import AppFactory, ready_for_snapshot, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def _then(*keys: str, until: type | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
        if until is not None:
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, until))
        await ready_for_snapshot(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]) -> None:
    """The list of retrospectives."""
    assert snap_compare(app_for(demo_db), terminal_size=size, run_before=_then())


@pytest.mark.parametrize("size", SIZES)
def test_home_empty(
    snap_compare: Any, ui_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """The welcome on an empty database."""
    assert snap_compare(app_for(ui_db), terminal_size=size, run_before=_then())


@pytest.mark.parametrize("size", SIZES)
def test_new_retro_form(
    snap_compare: Any, ui_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """The new-retrospective form."""
    assert snap_compare(
        app_for(ui_db), terminal_size=size, run_before=_then("n", until=NewRetroScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_timeline(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Stage 2: the current event with its note, the list following it."""
    assert snap_compare(app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("n", "n"))


@pytest.mark.parametrize("size", SIZES)
def test_note_composer(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """The note composer open under the current event."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("a", *"Pager was quiet")
        # The presence line marks Ben as typing once the meeting has heard of it (a
        # heartbeat): wait for that state, or the frame depends on when the beat went out.
        screen = pilot.app.screen
        await wait_for(
            pilot,
            lambda: (
                getattr(screen, "meeting", None) is not None
                and screen.meeting.state is not None
                and any(a.typing for a in screen.meeting.state.present)
            ),
        )
        await ready_for_snapshot(pilot)

    assert snap_compare(app_for(demo_db, DEMO_ID), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_presenter(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Presenter mode: only the current event and its notes."""
    assert snap_compare(
        app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("n", "n", "f")
    )


@pytest.mark.parametrize("size", SIZES)
def test_prepare(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Stage 1: summary, impact, milestones, participants."""
    assert snap_compare(app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("1"))


@pytest.mark.parametrize("size", SIZES)
def test_discussion(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Stage 3: notes grouped by kind."""
    assert snap_compare(app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("3"))


@pytest.mark.parametrize("size", SIZES)
def test_event_form(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Editing the current event."""
    assert snap_compare(
        app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("e", until=EventFormScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]) -> None:
    """The help screen over the timeline."""
    assert snap_compare(
        app_for(demo_db, DEMO_ID),
        terminal_size=size,
        run_before=_then("question_mark", until=HelpScreen),
    )


@pytest.mark.parametrize("size", SIZES)
def test_whys(snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]) -> None:
    """Stage 4: the 5 Whys chain with its root cause."""
    assert snap_compare(app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("4"))


@pytest.mark.parametrize("size", SIZES)
def test_actions(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Stage 5: action items with the gap line."""
    assert snap_compare(app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("5"))


@pytest.mark.parametrize("size", SIZES)
def test_action_form(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """The new-action form."""
    assert snap_compare(
        app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("i", until=ActionFormScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_wrap_up(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """Stage 6: what the meeting produced and what is missing."""
    assert snap_compare(app_for(demo_db, DEMO_ID), terminal_size=size, run_before=_then("6"))


@pytest.mark.parametrize("size", SIZES)
def test_labels_form(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """F on the Wrap-up stage: the contributing factors and tags form."""
    from retrotui.ui.screens.labels_form import LabelsFormScreen

    assert snap_compare(
        app_for(demo_db, DEMO_ID),
        terminal_size=size,
        run_before=_then("6", "F", "space", until=LabelsFormScreen),
    )


@pytest.mark.parametrize("size", SIZES)
def test_search(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """f on home, a query typed and sent: ranked matches with their place and snippet."""
    from retrotui.ui.screens.search import SearchScreen

    assert snap_compare(
        app_for(demo_db),
        terminal_size=size,
        run_before=_then("f", *"certificate", "enter", until=SearchScreen),
    )
