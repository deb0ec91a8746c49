"""Adding and editing action items: validation, the policy's default due date, closing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from retrotui.core.policy import DuePolicy
from retrotui.core.times import TimeParseError
from retrotui.errors import UserError, ValidationError
from retrotui.models import ActionItem, ActionStatus, Priority, Retrospective, Severity
from retrotui.services.actions import (
    MAX_DESCRIPTION,
    add_action,
    delete_action,
    set_action_status,
    update_action,
)
from retrotui.services.whys import add_chain, add_why
from retrotui.store.repository import Store

TODAY = date(2026, 5, 20)
NOW = datetime(2026, 5, 20, 17, 30, tzinfo=timezone(timedelta(hours=2)))
POLICY = DuePolicy()


@pytest.fixture
def retro(store: Store) -> Retrospective:
    return store.add(Retrospective(title="Search outage", severity=Severity.SEV2))


def add(
    store: Store, retro: Retrospective, title: str = "Add an alert", **kw: object
) -> ActionItem:
    return add_action(store, retro, title, today=TODAY, policy=POLICY, **kw)  # type: ignore[arg-type]


def test_no_due_date_gets_the_policy_default(store: Store, retro: Retrospective) -> None:
    """A SEV2 item without a due date is due in 30 days, marked as the policy's default."""
    action = add(store, retro)
    stored = store.get(ActionItem, action.id)
    assert stored.due == TODAY + timedelta(days=30)
    assert stored.due_is_default is True


def test_policy_follows_severity(store: Store) -> None:
    """A SEV1 item gets 15 days; a retrospective with no severity gets 60."""
    sev1 = store.add(Retrospective(title="a", severity=Severity.SEV1))
    unrated = store.add(Retrospective(title="b"))
    assert add(store, sev1).due == TODAY + timedelta(days=15)
    assert add(store, unrated).due == TODAY + timedelta(days=60)


def test_given_due_dates_are_people_s_choice(store: Store, retro: Retrospective) -> None:
    """ISO and relative due dates are read against the injected today, not the policy."""
    relative = add(store, retro, due="+14d")
    iso = add(store, retro, due="2026-06-01")
    assert (relative.due, relative.due_is_default) == (date(2026, 6, 3), False)
    assert (iso.due, iso.due_is_default) == (date(2026, 6, 1), False)


def test_unreadable_due_date_is_refused(store: Store, retro: Retrospective) -> None:
    """'tomorrowish' is not a date: one sentence, and nothing is stored."""
    with pytest.raises(TimeParseError, match="'tomorrowish' is not a date"):
        add(store, retro, due="tomorrowish")
    assert store.children(ActionItem, retro.id) == []


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_empty_title_is_refused(store: Store, retro: Retrospective, title: str) -> None:
    """An action item needs something to do."""
    with pytest.raises(ValidationError, match="title cannot be empty"):
        add(store, retro, title)


def test_title_is_folded_onto_one_line(store: Store, retro: Retrospective) -> None:
    """Line breaks in a title become spaces, so tables and CSV rows stay whole."""
    action = add(store, retro, "  Alert on\nrenewal\r\n failures  ")
    assert action.title == "Alert on renewal failures"


def test_huge_title_is_refused_with_the_limit(store: Store, retro: Retrospective) -> None:
    """A 50,000-character title is refused, naming the length and the tracker limit."""
    with pytest.raises(ValidationError, match=r"50,000 characters long; keep it under 256"):
        add(store, retro, "x" * 50_000)


def test_huge_description_is_refused_but_long_one_kept(store: Store, retro: Retrospective) -> None:
    """Descriptions up to Jira's 32,767 characters are kept exactly; 50,000 is refused."""
    text = "line one\n\n" + "y" * (MAX_DESCRIPTION - 10)
    assert add(store, retro, description=text).description == text
    with pytest.raises(ValidationError, match="description is 50,000 characters"):
        add(store, retro, description="z" * 50_000)


def test_nul_is_refused(store: Store, retro: Retrospective) -> None:
    """NUL cannot be stored safely, so it is refused with a sentence."""
    with pytest.raises(ValidationError, match="NUL"):
        add(store, retro, owner="Ana\x00")


def test_bad_priority_and_status_are_refused(store: Store, retro: Retrospective) -> None:
    """Unknown priorities and statuses list the accepted values."""
    with pytest.raises(ValidationError, match="use high, medium or low"):
        add(store, retro, priority="urgent")
    with pytest.raises(ValidationError, match="use open, in_progress, done or wont_do"):
        add(store, retro, status="finished-ish")


def test_status_words_people_type_are_understood(store: Store, retro: Retrospective) -> None:
    """'In progress', "won't do" and 'WONT_DO' are read as the statuses they name."""
    action = add(store, retro, status="In progress")
    assert action.status == ActionStatus.IN_PROGRESS
    assert set_action_status(store, action.id, "won't do", now=NOW).status == "wont_do"
    assert set_action_status(store, action.id, "WONT_DO", now=NOW).status == "wont_do"


def test_closing_stamps_and_reopening_clears_closed_at(store: Store, retro: Retrospective) -> None:
    """done sets closed_at with its offset; back to open clears both."""
    action = add(store, retro)
    done = set_action_status(store, action.id, ActionStatus.DONE, now=NOW)
    assert done.closed_at == NOW and done.closed_at_offset == 120
    reopened = set_action_status(store, action.id, "open", now=NOW)
    assert reopened.closed_at is None and reopened.closed_at_offset is None
    assert store.get(ActionItem, action.id).closed_at is None


def test_done_to_wont_do_keeps_the_first_close(store: Store, retro: Retrospective) -> None:
    """Switching between closed states does not move the day it was closed."""
    action = add(store, retro, status="done", now=NOW)
    assert action.closed_at == NOW
    later = NOW + timedelta(days=3)
    assert set_action_status(store, action.id, "wont_do", now=later).closed_at == NOW


def test_update_changes_only_what_is_given(store: Store, retro: Retrospective) -> None:
    """Fields left out of update_action keep their values."""
    action = add(store, retro, owner="Ana", ticket="OPS-1", priority="high")
    updated = update_action(store, action.id, today=TODAY, owner="  Ben ", title="New title")
    assert (updated.owner, updated.title) == ("Ben", "New title")
    assert (updated.ticket, updated.priority) == ("OPS-1", Priority.HIGH)
    assert updated.due_is_default is True


def test_update_due_makes_it_a_choice_and_none_clears(store: Store, retro: Retrospective) -> None:
    """Setting a due date drops the default mark; None removes the due date."""
    action = add(store, retro)
    chosen = update_action(store, action.id, today=TODAY, due="+7d")
    assert (chosen.due, chosen.due_is_default) == (date(2026, 5, 27), False)
    cleared = update_action(store, action.id, today=TODAY, due=None)
    assert cleared.due is None and store.get(ActionItem, action.id).due is None


def test_update_status_goes_through_the_close_rules(store: Store, retro: Retrospective) -> None:
    """update_action(status=...) stamps closed_at like set_action_status."""
    action = add(store, retro)
    assert update_action(store, action.id, today=TODAY, status="done", now=NOW).closed_at == NOW


def test_unknown_action_id_is_a_user_error(store: Store) -> None:
    """Editing an item that is gone is one sentence, not a crash."""
    with pytest.raises(UserError, match="No action item has the id 'nope'"):
        set_action_status(store, "nope", "done")
    with pytest.raises(UserError, match="No action item"):
        update_action(store, "nope", today=TODAY, title="x")
    with pytest.raises(UserError, match="No action item"):
        delete_action(store, "nope")


def test_why_link_must_be_in_the_same_retrospective(store: Store, retro: Retrospective) -> None:
    """An action can address a why of its own retrospective only."""
    own = add_why(store, add_chain(store, retro.id).id, answer="a")
    other_retro = store.add(Retrospective(title="other"))
    foreign = add_why(store, add_chain(store, other_retro.id).id, answer="b")
    assert add(store, retro, why_id=own.id).why_id == own.id
    with pytest.raises(ValidationError, match="another retrospective"):
        add(store, retro, why_id=foreign.id)


def test_edits_mark_the_retrospective_changed(store: Store, retro: Retrospective) -> None:
    """Adding an item bumps the retrospective's updated_at, so lists show recent work."""
    before = store.get(Retrospective, retro.id).updated_at
    add(store, retro)
    assert store.get(Retrospective, retro.id).updated_at > before


def test_closed_at_is_stored_in_utc(store: Store, retro: Retrospective) -> None:
    """The close instant survives the round trip as the same moment in UTC."""
    action = add(store, retro, status="done", now=NOW)
    stored = store.get(ActionItem, action.id)
    assert stored.closed_at == NOW and stored.closed_at is not None
    assert stored.closed_at.tzinfo == UTC
