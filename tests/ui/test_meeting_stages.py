"""Stages 4-6 and the agenda: 5 Whys, action items, wrap-up, timebox, blameless hints."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Static, TextArea

from retrotui.demo import DEMO_ID
from retrotui.models import ActionItem, Retrospective, Why, WhyChain
from retrotui.services.agenda import load_clocks, save_clocks
from retrotui.store.repository import Store
from retrotui.ui.screens.action_form import ActionFormScreen
from retrotui.ui.screens.confirm import ConfirmScreen
from retrotui.ui.screens.retro import RetroScreen
from retrotui.ui.screens.text_form import TextFormScreen
from retrotui.ui.widgets.blame_hint import BlameHint
from tests.ui.conftest import TODAY, AppFactory, settle, wait_for


async def _open(pilot: object, app: object) -> RetroScreen:
    await settle(pilot)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen) and app.screen.ready)  # type: ignore[arg-type, attr-defined]
    return app.screen  # type: ignore[attr-defined, no-any-return]


async def test_number_keys_jump_between_the_six_stages(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """1-6 switch stages; the stage is remembered for the next time."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        for number in (1, 3, 4, 5, 6):
            await pilot.press(str(number))
            assert screen.query_one("#stage-panes").current == f"stage-{number}"  # type: ignore[attr-defined]
        await settle(pilot)
    assert db_store.get(Retrospective, DEMO_ID).current_stage == 6


async def test_timer_runs_and_turns_red_when_over_time(demo_db: str, app_for: AppFactory) -> None:
    """t starts the stage's timebox; past the timebox the timer is marked over time."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("t")
        assert screen.agenda.timer.running
        timer = screen.agenda.timer
        # Pretend the stage started long ago rather than waiting out a real timebox.
        assert timer.started_at is not None
        screen.agenda = screen.agenda.with_timer(
            type(timer)(timer.timebox, timer.banked, timer.started_at - timer.timebox * 2)
        )
        screen.show_timer()
        assert screen.query_one("#stage-timer").has_class("over-time")
        await pilot.press("t")
        assert not screen.agenda.timer.running
        await pilot.press("T")
        assert screen.agenda.timer.elapsed(timer.started_at) == timedelta(0)


async def test_the_stage_clock_survives_leaving_and_reopening(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """A reopened meeting shows the time its stages had; starting the clock is stored at
    once (a crash keeps it), and leaving the meeting screen pauses it."""
    save_clocks(db_store, DEMO_ID, {2: (timedelta(minutes=12, seconds=5), None)})
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("2")
        assert "12:05" in str(screen.query_one("#stage-timer", Static).render())
        await pilot.press("t")
        await settle(pilot)
        assert load_clocks(db_store, DEMO_ID)[2][1] is not None
        await pilot.press("escape")
        await settle(pilot)
    banked, running_since = load_clocks(db_store, DEMO_ID)[2]
    assert running_since is None and banked >= timedelta(minutes=12, seconds=5)


async def test_quitting_pauses_the_stage_clock(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """q in the middle of a timed stage stores the clock paused, with its time."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("t")
        await pilot.pause(0.3)
        stage = screen.agenda.stage
        await pilot.press("q")
    banked, running_since = load_clocks(db_store, DEMO_ID)[stage]
    assert running_since is None and banked >= timedelta(milliseconds=250)


async def test_add_a_why_level_with_a_blame_hint(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """w asks one more why; blaming words get a hint but still save, by whoever is at this
    terminal."""
    app = app_for(demo_db, DEMO_ID, name="Cy")
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("4", "end", "w")
        await wait_for(pilot, lambda: isinstance(app.screen, TextFormScreen))
        answer = app.screen.query_one("#answer", TextArea)
        answer.focus()
        await pilot.press(*"Chidi forgot to renew it")
        hint = app.screen.query_one("#answer-hint", BlameHint)
        await wait_for(pilot, lambda: hint.display and "Blameless check" in str(hint.render()))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
    whys = db_store.children(Why, DEMO_ID)
    answers = [w.answer for w in whys]
    assert answers[-1] == "Chidi forgot to renew it" and whys[-1].author == "Cy"
    assert len(answers) == 6


async def test_root_cause_and_reorder(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """r marks the selected level as root cause (only one per chain); shift+up reorders."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("4", "home", "down", "down")  # chain heading, why 1, why 2
        await pilot.press("r")
        await settle(pilot)
        roots = [w.answer for w in db_store.children(Why, DEMO_ID) if w.is_root_cause]
        assert roots == ["The automatic renewal job failed for 12 days"]
        await pilot.press("shift+up")
        await settle(pilot)
    ordered = [w.answer for w in sorted(db_store.children(Why, DEMO_ID), key=lambda w: w.position)]
    assert ordered[0] == "The automatic renewal job failed for 12 days"


async def test_a_second_chain_has_its_own_problem(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """c starts another chain with its own problem statement."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("4", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, TextFormScreen))
        await pilot.press(*"Rollback was tried first")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
    problems = [c.problem for c in db_store.children(WhyChain, DEMO_ID)]
    assert problems[-1] == "Rollback was tried first" and len(problems) == 2


async def test_add_an_action_gets_a_policy_due_date(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """i adds an action; with no due date the severity policy fills one in, marked so. It
    is recorded as typed by the person at this terminal."""
    app = app_for(demo_db, DEMO_ID, name="Cy")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionFormScreen))
        await pilot.press(*"Page on renewal failures")
        app.screen.query_one("#owner", Input).value = "Platform team"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await settle(pilot)
        gaps = str(screen.query_one("#actions-gaps").render())
        assert "5 actions" in gaps and "suggested due date" in gaps
    added = [a for a in db_store.children(ActionItem, DEMO_ID) if a.title.startswith("Page on")]
    assert added[0].due == TODAY + timedelta(days=30) and added[0].due_is_default
    assert added[0].author == "Cy"


async def test_bad_due_date_and_empty_title_are_explained(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """'tomorrowish' and an empty title keep the form open with a message; nothing saved."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ActionFormScreen))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "title" in str(app.screen.query_one("#form-error").render()).lower()
        await pilot.press(*"Fix it")
        app.screen.query_one("#due", Input).value = "tomorrowish"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionFormScreen)
        assert "tomorrowish" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#title", Input).value == "Fix it"
    assert len(db_store.children(ActionItem, DEMO_ID)) == 4


async def test_overdue_action_stands_out_and_status_cycles(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """An overdue open item says so; space moves an item to its next status."""
    retro = db_store.get(Retrospective, DEMO_ID)
    late = db_store.add(
        ActionItem(retro_id=retro.id, title="Late one", owner="Ana", due=TODAY - timedelta(days=3))
    )
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("5")
        table = screen.query_one("#actions-table")
        rows = [table.get_row_at(i) for i in range(table.row_count)]  # type: ignore[attr-defined]
        late_row = next(r for r in rows if str(r[4]) == "Late one")
        assert "overdue 3d" in str(late_row[2])
        assert "1 overdue" in str(screen.query_one("#actions-gaps").render())
        index = [str(r[4]) for r in rows].index("Late one")
        table.move_cursor(row=index)  # type: ignore[attr-defined]
        await pilot.press("space")
        await settle(pilot)
    assert db_store.get(ActionItem, late.id).status == "in_progress"


async def test_wrap_up_shows_gaps_and_sets_status(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """Stage 6 lists what is missing and publishes the retrospective."""
    db_store.add(ActionItem(retro_id=DEMO_ID, title="Nobody's yet"))
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("6")
        gaps = str(screen.query_one("#wrapup-gaps").render())
        assert "without an owner" in gaps and "without a due date" in gaps
        await pilot.press("P")  # gaps are open, so it asks first
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot)
    assert db_store.get(Retrospective, DEMO_ID).status == "published"


async def test_note_composer_flags_blame(demo_db: str, app_for: AppFactory) -> None:
    """Typing "should have" in a note shows the blameless hint."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("2", "a", *"Ops should have checked")
        hint = screen.query_one("#note-hint", BlameHint)
        assert hint.display


async def test_export_and_import_open_from_the_meeting(demo_db: str, app_for: AppFactory) -> None:
    """x opens the export preview and I the timeline import, from any stage."""
    from retrotui.ui.screens.export_preview import ExportScreen
    from retrotui.ui.screens.import_timeline import ImportTimelineScreen

    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RetroScreen))
        await pilot.press("I")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportTimelineScreen))


async def test_cycling_status_stays_on_the_same_item(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """space re-sorts the list; the cursor follows the item, so the next space hits it too."""
    app = app_for(demo_db, DEMO_ID)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("5")
        table = screen.query_one("#actions-table")
        first_title = str(table.get_row_at(0)[4])  # type: ignore[attr-defined]
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
    statuses = {a.title: a.status for a in db_store.children(ActionItem, DEMO_ID)}
    assert statuses[first_title] == "done"
    assert sorted(statuses.values()).count("done") == 2  # that one and the demo's own
