"""The shared meeting as data: two terminals (sessions) on one database see one meeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from retrotui.core.meeting import (
    DEAD_AFTER,
    Attendee,
    MeetingState,
    Mode,
    clock_value,
    is_dead,
    meeting_label,
    mode_after,
    role_of,
)
from retrotui.errors import UserError
from retrotui.models import Retrospective, Role
from retrotui.services.meeting import add_participant
from retrotui.services.retros import create_retrospective
from retrotui.store import live_meeting as live
from retrotui.store.repository import Store

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def retro(store: Store) -> Retrospective:
    retro = create_retrospective(store, "GitLab 2017 outage")
    add_participant(store, retro.id, "Ana", Role.MODERATOR)
    add_participant(store, retro.id, "Bo", Role.NOTE_TAKER)
    return retro


# -- pure logic ---------------------------------------------------------------------------------


def test_a_terminal_is_dead_after_about_three_missed_beats() -> None:
    assert not is_dead(at(0), at(6))
    assert is_dead(at(0), at(0) + DEAD_AFTER + timedelta(milliseconds=1))
    assert timedelta(seconds=10) > DEAD_AFTER


def test_clock_value_is_computed_from_stored_instants() -> None:
    assert clock_value(None, at(0)) == timedelta(0)
    assert clock_value((timedelta(seconds=30), None), at(500)) == timedelta(seconds=30)
    assert clock_value((timedelta(seconds=30), at(0)), at(90)) == timedelta(seconds=120)


def test_role_matches_a_participant_whatever_the_case() -> None:
    people = [("Ana Lima", "moderator"), ("Bo", "note_taker")]
    assert role_of(people, " ana lima ") == "moderator"
    assert role_of(people, "Cy") is None


def _state(driver: str | None, *sessions: str, now: datetime = T0) -> MeetingState:
    attendees = tuple(Attendee(s, s.title(), None, T0, T0) for s in sessions)
    return MeetingState("r", 2, None, driver, (driver or "").title(), now, {}, attendees)


def test_modes_and_labels() -> None:
    """The driver drives; a driver whose lead was taken follows; browsing stays browsing."""
    state = _state("ana", "ana", "bo")
    assert mode_after(state, "ana", Mode.FOLLOWING) is Mode.DRIVING
    assert mode_after(state, "bo", Mode.DRIVING) is Mode.FOLLOWING
    assert mode_after(state, "bo", Mode.BROWSING) is Mode.BROWSING
    assert meeting_label(state, "ana", Mode.DRIVING) == "driving: Ana"
    assert meeting_label(state, "bo", Mode.FOLLOWING) == "following Ana"
    assert meeting_label(state, "bo", Mode.BROWSING).startswith("browsing")
    dead_driver = _state("ana", "ana", "bo", now=T0 + DEAD_AFTER * 2)
    assert dead_driver.driver is None
    assert meeting_label(dead_driver, "bo", Mode.FOLLOWING).startswith("no driver")


def test_a_driver_whose_own_heartbeat_is_late_still_drives_in_its_own_view() -> None:
    """A starved terminal reads its own stale beat: it must not tell its person that
    someone took the lead (nobody did), nor stop driving, until another terminal does."""
    late = _state("ana", "ana", "bo", now=T0 + DEAD_AFTER * 2)
    assert mode_after(late, "ana", Mode.DRIVING) is Mode.DRIVING
    assert meeting_label(late, "ana", Mode.DRIVING) == "driving: Ana"
    taken = _state("bo", "ana", "bo", now=T0 + DEAD_AFTER * 2)
    assert mode_after(taken, "ana", Mode.DRIVING) is Mode.FOLLOWING


# -- services, two sessions ---------------------------------------------------------------------


def test_first_to_join_drives_and_the_second_follows(store: Store, retro: Retrospective) -> None:
    first = live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    assert first.drives("s-ana")
    second = live.join(store, retro.id, "s-bo", "Bo", now=at(1))
    assert second.driver_name == "Ana" and not second.drives("s-bo")
    assert [a.name for a in second.present] == ["Ana", "Bo"]
    assert [a.role for a in second.present] == ["moderator", "note_taker"]


def test_a_follower_by_choice_never_takes_an_empty_lead(store: Store, retro: Retrospective) -> None:
    """A browser participant (--follow) who arrives first leaves the lead to the moderator."""
    guest = live.join(store, retro.id, "s-web", "Priya", now=at(0), may_lead=False)
    assert guest.driver is None and [a.name for a in guest.present] == ["Priya"]
    moderator = live.join(store, retro.id, "s-ana", "Ana", now=at(1))
    assert moderator.drives("s-ana")


def test_only_the_driver_moves_the_meeting(store: Store, retro: Retrospective) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    live.join(store, retro.id, "s-bo", "Bo", now=at(1))
    moved = live.move(store, retro.id, "s-ana", stage=3, event_id="ev-1", now=at(2))
    assert (moved.stage, moved.event_id) == (3, "ev-1")
    refused = live.move(store, retro.id, "s-bo", stage=5, now=at(3))
    assert refused.stage == 3
    seen_by_bo = live.heartbeat(store, retro.id, "s-bo", "Bo", now=at(3))
    assert (seen_by_bo.stage, seen_by_bo.event_id) == (3, "ev-1")


def test_moving_does_not_mark_the_retrospective_edited(store: Store, retro: Retrospective) -> None:
    """Stepping through the meeting is remembered for reopening, but other terminals must
    not reload the whole retrospective for it."""
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    before = store.fingerprint(retro.id)
    live.move(store, retro.id, "s-ana", stage=4, now=at(1))
    assert store.get(Retrospective, retro.id).current_stage == 4
    assert store.fingerprint(retro.id) == before


def test_taking_the_lead(store: Store, retro: Retrospective) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    live.join(store, retro.id, "s-bo", "Bo", now=at(1))
    taken = live.take_lead(store, retro.id, "s-bo", "Bo", stage=5, now=at(2))
    assert taken.drives("s-bo") and taken.stage == 5
    seen_by_ana = live.heartbeat(store, retro.id, "s-ana", "Ana", now=at(3))
    assert seen_by_ana.driver_name == "Bo"
    assert mode_after(seen_by_ana, "s-ana", Mode.DRIVING) is Mode.FOLLOWING


def test_a_dead_driver_leaves_the_meeting_without_a_driver(
    store: Store, retro: Retrospective
) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    live.join(store, retro.id, "s-bo", "Bo", now=at(1))
    # Ana's terminal is killed: no more beats. Bo keeps beating.
    later = at(1) + DEAD_AFTER
    live.heartbeat(store, retro.id, "s-bo", "Bo", now=later)
    state = live.read_state(store, retro.id, now=later + timedelta(seconds=2))
    assert state.driver is None
    assert [a.name for a in state.present] == ["Bo"]
    # Someone opening it now drives.
    cy = live.join(store, retro.id, "s-cy", "Cy", now=later + timedelta(seconds=2))
    assert cy.drives("s-cy")


def test_the_driver_leaving_leaves_no_driver_and_changes_nothing_else(
    store: Store, retro: Retrospective
) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    live.join(store, retro.id, "s-bo", "Bo", now=at(1))
    live.move(store, retro.id, "s-ana", stage=3, now=at(2))
    live.start_clock(store, retro.id, 3, now=at(2))
    live.heartbeat(store, retro.id, "s-bo", "Bo", now=at(9))
    live.leave(store, retro.id, "s-ana", now=at(10))
    state = live.read_state(store, retro.id, now=at(20))
    assert state.driver is None and state.stage == 3
    assert state.clock(3) == timedelta(seconds=18)  # still running: Bo is still here


def test_one_clock_for_everyone(store: Store, retro: Retrospective) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    live.join(store, retro.id, "s-bo", "Bo", now=at(0))
    live.toggle_clock(store, retro.id, 2, now=at(0))
    assert live.read_state(store, retro.id, now=at(30)).clock(2) == timedelta(seconds=30)
    live.toggle_clock(store, retro.id, 2, now=at(40))  # Bo pauses what Ana started
    assert live.read_state(store, retro.id, now=at(99)).clock(2) == timedelta(seconds=40)
    live.reset_clock(store, retro.id, 2, now=at(100))
    assert live.read_state(store, retro.id, now=at(101)).clock(2) == timedelta(0)


def test_a_running_clock_moves_with_the_drivers_stage(store: Store, retro: Retrospective) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    live.move(store, retro.id, "s-ana", stage=2, now=at(0))
    live.start_clock(store, retro.id, 2, now=at(0))
    live.move(store, retro.id, "s-ana", stage=3, now=at(60))
    state = live.read_state(store, retro.id, now=at(90))
    assert state.clock(2) == timedelta(seconds=60) and state.clocks[2][1] is None
    assert state.clock(3) == timedelta(seconds=30)


def test_only_the_last_one_out_pauses_the_clock(store: Store, retro: Retrospective) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    live.join(store, retro.id, "s-bo", "Bo", now=at(0))
    live.start_clock(store, retro.id, 2, now=at(0))
    live.leave(store, retro.id, "s-bo", now=at(4))
    assert live.read_state(store, retro.id, now=at(5)).clocks[2][1] is not None
    live.leave(store, retro.id, "s-ana", now=at(6))
    state = live.read_state(store, retro.id, now=at(50))
    assert state.clocks[2][1] is None and state.clock(2) == timedelta(seconds=6)
    assert state.present == []


def test_heartbeat_brings_back_a_terminal_taken_for_dead(
    store: Store, retro: Retrospective
) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    back = live.heartbeat(store, retro.id, "s-ana", "Ana", now=at(60))
    assert [a.name for a in back.present] == ["Ana"]
    live.leave(store, retro.id, "s-ana", now=at(61))
    again = live.heartbeat(store, retro.id, "s-ana", "Ana", now=at(62))
    assert [a.name for a in again.present] == ["Ana"] and again.driver is None


def test_a_stage_out_of_range_is_one_sentence(store: Store, retro: Retrospective) -> None:
    live.join(store, retro.id, "s-ana", "Ana", now=at(0))
    with pytest.raises(UserError, match="not a stage"):
        live.move(store, retro.id, "s-ana", stage=9)
    with pytest.raises(UserError, match="not a stage"):
        live.toggle_clock(store, retro.id, 0)


def test_a_person_with_two_terminals_is_listed_once_typing_if_either_is() -> None:
    attendees = (
        Attendee("s1", "Ana", "moderator", T0, T0),
        Attendee("s2", "ana", "moderator", T0, T0, typing=True),
        Attendee("s3", "Ben", None, T0, T0),
    )
    state = MeetingState("r", 2, None, "s1", "Ana", T0, {}, attendees)
    assert [(p.name, p.typing) for p in state.people()] == [("Ana", True), ("Ben", False)]
