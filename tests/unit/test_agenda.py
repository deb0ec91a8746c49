"""The agenda: six stages, a timebox timer driven by the caller's clock, and the wrap-up gaps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrotui.core.agenda import (
    STAGE_TITLES,
    Agenda,
    Stage,
    StageTimer,
    clock,
    meeting_gaps,
    stage_of,
)
from retrotui.core.bundle import RetroBundle
from retrotui.core.whys import group_chains
from retrotui.errors import UserError
from retrotui.formats.templates import load_template
from retrotui.models import ActionItem, ActionStatus, Note, Retrospective, Why, WhyChain
from retrotui.services.agenda import (
    load_clocks,
    load_gaps,
    save_clocks,
    set_current_stage,
)
from retrotui.store.repository import Store

T0 = datetime(2026, 5, 20, 14, 0, tzinfo=UTC)
TODAY = date(2026, 5, 20)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_six_stages_in_order_with_their_titles() -> None:
    """1 Prepare .. 6 Wrap-up."""
    assert [s.value for s in Stage] == [1, 2, 3, 4, 5, 6]
    assert [s.title for s in Stage][:2] == ["Prepare", "Timeline"]
    assert list(STAGE_TITLES.values())[-1] == "Wrap-up"


def test_out_of_range_stage_opens_on_the_timeline() -> None:
    """An odd stored value never stops a meeting from opening."""
    assert stage_of(4) is Stage.WHYS
    assert stage_of(0) is Stage.TIMELINE and stage_of(99) is Stage.TIMELINE


def test_timer_counts_only_while_running() -> None:
    """Start, pause and start again: paused time is not counted."""
    timer = StageTimer(timedelta(minutes=10)).start(at(0)).pause(at(3)).start(at(5))
    assert timer.running
    assert timer.elapsed(at(6)) == timedelta(minutes=4)
    assert timer.remaining(at(6)) == timedelta(minutes=6)
    assert timer.pause(at(6)).elapsed(at(60)) == timedelta(minutes=4)


def test_start_and_pause_twice_change_nothing() -> None:
    """Starting a running timer keeps its start; pausing a paused one keeps its time."""
    running = StageTimer(timedelta(minutes=5)).start(at(0))
    assert running.start(at(2)) is running
    paused = running.pause(at(1))
    assert paused.pause(at(9)) is paused


def test_over_time_after_the_timebox() -> None:
    """Past the timebox the timer is over time and says by how much."""
    timer = StageTimer(timedelta(minutes=10)).start(at(0))
    assert not timer.over_time(at(10))
    assert timer.over_time(at(11.5))
    assert timer.overrun(at(11.5)) == timedelta(minutes=1.5)
    assert timer.remaining(at(11.5)) == timedelta(0)
    assert timer.label(at(4.2)) == "04:12 / 10:00"
    assert timer.label(at(11.5)) == "+01:30 over 10:00"


def test_no_timebox_is_never_over_time() -> None:
    """A stage with no timebox only counts up."""
    timer = StageTimer(timedelta(0)).start(at(0))
    assert not timer.over_time(at(500))
    assert timer.label(at(61)) == "1:01:00"


def test_reset_stops_and_zeroes_but_keeps_the_timebox() -> None:
    """Reset: zero, stopped, same timebox."""
    timer = StageTimer(timedelta(minutes=7)).start(at(0)).reset()
    assert not timer.running and timer.elapsed(at(9)) == timedelta(0)
    assert timer.timebox == timedelta(minutes=7)


def test_toggle_is_the_t_key() -> None:
    """Toggle starts a stopped timer and pauses a running one."""
    timer = StageTimer(timedelta(minutes=1)).toggle(at(0))
    assert timer.running and not timer.toggle(at(1)).running


def test_a_clock_stepping_back_never_gives_negative_time() -> None:
    """If the wall clock goes backwards, elapsed time stays at what it was."""
    timer = StageTimer(timedelta(minutes=1), banked=timedelta(seconds=30)).start(at(5))
    assert timer.elapsed(at(4)) == timedelta(seconds=30)


@settings(max_examples=100, deadline=None)
@given(steps=st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=12))
def test_elapsed_is_the_sum_of_running_spans(steps: list[int]) -> None:
    """Toggling at any instants: elapsed equals the total of the running intervals."""
    timer = StageTimer(timedelta(minutes=5))
    now, expected = T0, timedelta(0)
    for seconds in steps:
        timer = timer.toggle(now)
        later = now + timedelta(seconds=seconds)
        if timer.running:
            expected += later - now
        now = later
    assert timer.elapsed(now) == expected
    assert timer.remaining(now) + timer.elapsed(now) >= timer.timebox


def test_timeboxes_come_from_the_template() -> None:
    """Each stage's timer has the template's minutes."""
    template = load_template("standard")
    agenda = Agenda.for_template(template.stage_timebox_minutes, stage=1)
    assert agenda.stage is Stage.PREPARE
    assert agenda.timer.timebox == timedelta(minutes=template.stage_timebox_minutes[1])
    assert StageTimer.for_stage({}, 3).timebox == timedelta(0)


def test_moving_on_hands_the_running_clock_to_the_next_stage() -> None:
    """A running clock pauses on the stage left and runs on the stage entered."""
    agenda = Agenda.for_template({1: 5, 2: 20}, stage=1)
    agenda = agenda.with_timer(agenda.timer.start(at(0)))
    agenda = agenda.next(at(4))
    assert agenda.stage is Stage.TIMELINE and agenda.timer.running
    assert agenda.timers[Stage.PREPARE].elapsed(at(30)) == timedelta(minutes=4)
    back = agenda.previous(at(6)).go_to(6, at(6))
    assert back.stage is Stage.WRAP_UP
    assert back.timers[Stage.TIMELINE].elapsed(at(30)) == timedelta(minutes=2)


def test_a_stopped_clock_stays_stopped_across_stages() -> None:
    """Jumping with the clock paused starts nothing; the last stage has no next."""
    agenda = Agenda.for_template({}, stage=6)
    assert agenda.next(at(1)) is agenda
    assert not agenda.go_to(2, at(1)).timer.running


def test_a_reopened_meeting_keeps_its_clocks() -> None:
    """The clocks an agenda gives to store come back as they were: banked time and a run
    still going (a restart mid-meeting counts the time since it began)."""
    agenda = Agenda.for_template({1: 5, 2: 20}, stage=1)
    agenda = agenda.with_timer(agenda.timer.start(at(0))).next(at(3))
    reopened = Agenda.for_template({1: 5, 2: 20}, stage=2, clocks=agenda.clock_states())
    assert reopened.timers[Stage.PREPARE].elapsed(at(30)) == timedelta(minutes=3)
    assert reopened.timer.running and reopened.timer.elapsed(at(10)) == timedelta(minutes=7)
    assert reopened.timer.timebox == timedelta(minutes=20)
    paused = reopened.paused(at(10))
    assert not paused.timer.running and paused.timer.elapsed(at(50)) == timedelta(minutes=7)


def test_clock_format() -> None:
    """mm:ss, with hours past an hour; seconds rounded down."""
    assert clock(timedelta(seconds=59.9)) == "00:59"
    assert clock(timedelta(hours=2, seconds=5)) == "2:00:05"


# -- wrap-up ---------------------------------------------------------------------------------


def bundle_with(actions: list[ActionItem], chains_root: list[bool]) -> RetroBundle:
    retro = Retrospective(id="r", title="T")
    chains = [
        WhyChain(id=f"c{n}", retro_id="r", position=n, problem="P") for n in range(len(chains_root))
    ]
    whys = [
        Why(id=f"w{n}", retro_id="r", chain_id=f"c{n}", answer="a", is_root_cause=root)
        for n, root in enumerate(chains_root)
    ]
    notes = [Note(retro_id="r", text="n")]
    return RetroBundle(retro, [], [], notes, whys, actions, group_chains(chains, whys))


def action(owner: str = "Ana", due: date | None = TODAY, **extra: object) -> ActionItem:
    return ActionItem(retro_id="r", title="x", owner=owner, due=due, **extra)


def test_gap_line_names_what_is_missing() -> None:
    """The issue's example: 6 actions, one without owner, two without due date."""
    actions = [action() for _ in range(3)] + [action(owner=" "), action(due=None), action(due=None)]
    gaps = meeting_gaps(bundle_with(actions, [True]), TODAY)
    assert gaps.gap_line == "6 actions · 1 without owner · 2 without due date"
    assert (gaps.notes, gaps.whys, gaps.root_cause_found) == (1, 1, True)
    assert not gaps.complete


def test_closed_items_need_no_owner_and_overdue_counts_open_ones() -> None:
    """Done items are not gaps; open items past due are overdue; suggested dates show."""
    actions = [
        action(owner="", due=None, status=ActionStatus.DONE),
        action(due=TODAY - timedelta(days=1)),
        action(due=TODAY - timedelta(days=9), status=ActionStatus.WONT_DO),
        action(due=TODAY + timedelta(days=30), due_is_default=True),
    ]
    gaps = meeting_gaps(bundle_with(actions, []), TODAY)
    assert gaps.gap_line == "4 actions · 1 with a suggested due date · 1 overdue"
    assert (gaps.without_owner, gaps.without_due, gaps.open_actions) == (0, 0, 2)


def test_no_actions_and_missing_root_causes() -> None:
    """Nothing decided yet says so; chains without a root cause are counted."""
    gaps = meeting_gaps(bundle_with([], [True, False]), TODAY)
    assert gaps.gap_line == "No actions yet"
    assert gaps.chains == 2 and gaps.chains_without_root_cause == 1
    one = meeting_gaps(bundle_with([action()], []), TODAY)
    assert one.gap_line == "1 action" and one.complete


def test_stage_is_stored_and_checked(store: Store) -> None:
    """The meeting reopens on the stored stage (2 by default); 7 is refused."""
    retro = store.add(Retrospective(title="T"))
    assert store.get(Retrospective, retro.id).current_stage == 2
    assert set_current_stage(store, retro.id, 4).current_stage == 4
    assert store.get(Retrospective, retro.id).current_stage == 4
    with pytest.raises(UserError, match="7 is not a stage; use 1 to 6"):
        set_current_stage(store, retro.id, 7)
    assert load_gaps(store, retro.id, TODAY).gap_line == "No actions yet"


def test_stage_clocks_are_stored_per_retrospective(store: Store) -> None:
    """Saved clocks load back to the millisecond; saving again updates them; a deleted
    retrospective takes its clocks with it."""
    retro = store.add(Retrospective(title="T"))
    other = store.add(Retrospective(title="U"))
    assert load_clocks(store, retro.id) == {}
    save_clocks(store, retro.id, {1: (timedelta(minutes=4, milliseconds=250), None)})
    save_clocks(store, retro.id, {2: (timedelta(seconds=30), at(0))})
    assert load_clocks(store, retro.id) == {
        1: (timedelta(minutes=4, milliseconds=250), None),
        2: (timedelta(seconds=30), at(0)),
    }
    save_clocks(store, retro.id, {2: (timedelta(minutes=1), None)})
    assert load_clocks(store, retro.id)[2] == (timedelta(minutes=1), None)
    assert load_clocks(store, other.id) == {}
    store.delete(Retrospective, retro.id)
    assert load_clocks(store, retro.id) == {}
