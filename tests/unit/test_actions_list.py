"""Action items across retrospectives: filters, order, overdue, past policy, carry-over."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from retrotui.core.policy import DuePolicy
from retrotui.errors import ValidationError
from retrotui.models import ActionItem, ActionStatus, Retrospective, Severity
from retrotui.services.actions import ActionRow, carry_over, list_actions, owners
from retrotui.store.repository import Store

TODAY = date(2026, 5, 20)
POLICY = DuePolicy()


def retro_on(
    store: Store, title: str, day: date, severity: Severity | None = None
) -> Retrospective:
    at = datetime.combine(day, datetime.min.time(), UTC)
    return store.add(Retrospective(title=title, severity=severity, created_at=at))


def item(
    store: Store,
    retro: Retrospective,
    title: str,
    due: date | None,
    status: ActionStatus = ActionStatus.OPEN,
    owner: str = "",
    created: date | None = None,
) -> ActionItem:
    at = datetime.combine(created or TODAY, datetime.min.time(), UTC)
    return store.add(
        ActionItem(
            retro_id=retro.id, title=title, due=due, status=status, owner=owner, created_at=at
        )
    )


def titles(rows: list[ActionRow]) -> list[str]:
    return [row.action.title for row in rows]


@pytest.fixture
def populated(store: Store) -> Store:
    old = retro_on(store, "old", date(2026, 1, 10), Severity.SEV1)
    new = retro_on(store, "new", date(2026, 5, 1))
    item(store, old, "late", TODAY - timedelta(days=3), owner="Ana", created=date(2026, 1, 10))
    item(store, old, "due today", TODAY, ActionStatus.IN_PROGRESS, owner="ana")
    item(store, old, "done late", TODAY - timedelta(days=30), ActionStatus.DONE, owner="Ben")
    item(store, new, "dropped", TODAY - timedelta(days=1), ActionStatus.WONT_DO)
    item(store, new, "someday", None, owner="Ben")
    item(store, new, "next week", TODAY + timedelta(days=7), owner="Chidi")
    return store


def test_open_is_the_default_sorted_by_due_no_date_last(populated: Store) -> None:
    """Open and in-progress items, soonest due first; an item with no due date comes last."""
    rows = list_actions(populated, today=TODAY, policy=POLICY)
    assert titles(rows) == ["late", "due today", "next week", "someday"]


def test_all_includes_closed_items(populated: Store) -> None:
    """--all lists done and won't-do items as well, still by due date."""
    rows = list_actions(populated, today=TODAY, scope="all", policy=POLICY)
    assert titles(rows) == ["done late", "late", "dropped", "due today", "next week", "someday"]


def test_overdue_means_past_due_and_still_open(populated: Store) -> None:
    """Due today is not overdue; closed items past their due date are not overdue."""
    rows = list_actions(populated, today=TODAY, scope="overdue", policy=POLICY)
    assert titles(rows) == ["late"]
    assert rows[0].overdue and rows[0].days_overdue == 3


def test_today_is_injected(populated: Store) -> None:
    """The same data read a week later has more overdue items."""
    later = TODAY + timedelta(days=8)
    rows = list_actions(populated, today=later, scope="overdue", policy=POLICY)
    assert titles(rows) == ["late", "due today", "next week"]


def test_owner_filter_is_case_insensitive(populated: Store) -> None:
    """'ANA' finds Ana's and ana's items; an owner nobody has gives an empty list."""
    rows = list_actions(populated, today=TODAY, owner=" ANA ", policy=POLICY)
    assert titles(rows) == ["late", "due today"]
    assert list_actions(populated, today=TODAY, owner="Zoe", policy=POLICY) == []


def test_unassigned_filter(populated: Store) -> None:
    """'(unassigned)' matches items with no owner."""
    rows = list_actions(populated, today=TODAY, scope="all", owner="(unassigned)", policy=POLICY)
    assert titles(rows) == ["dropped"]


def test_retro_filter(populated: Store) -> None:
    """Only the given retrospective's items are listed."""
    new = next(r for r in populated.find_retrospectives("") if r.title == "new")
    rows = list_actions(populated, today=TODAY, scope="all", retro=new, policy=POLICY)
    assert titles(rows) == ["dropped", "next week", "someday"]
    assert all(row.retro.id == new.id for row in rows)


def test_bad_scope_is_refused(store: Store) -> None:
    """A scope that is not open/overdue/all is one sentence."""
    with pytest.raises(ValidationError, match="use open, overdue or all"):
        list_actions(store, today=TODAY, scope="later", policy=POLICY)


def test_past_policy_flag(populated: Store) -> None:
    """A SEV1 item created in January is past its 15-day policy in May, even with a later
    due date; an item created today is not."""
    rows = {row.action.title: row for row in list_actions(populated, today=TODAY, policy=POLICY)}
    assert rows["late"].past_policy
    assert not rows["due today"].past_policy


def test_empty_database_lists_nothing(store: Store) -> None:
    """No retrospectives and no actions: empty lists, no errors."""
    assert list_actions(store, today=TODAY, scope="all", policy=POLICY) == []
    assert owners(store) == []


def test_carry_over_shows_earlier_open_items_overdue_first(store: Store) -> None:
    """A new retro sees earlier retros' open items, overdue first, and not its own or
    closed ones."""
    first = retro_on(store, "first", date(2026, 2, 1))
    second = retro_on(store, "second", date(2026, 3, 1))
    current = retro_on(store, "current", date(2026, 5, 19))
    item(store, second, "not due yet", TODAY + timedelta(days=2))
    item(store, first, "very late", TODAY - timedelta(days=40))
    item(store, second, "a bit late", TODAY - timedelta(days=1), ActionStatus.IN_PROGRESS)
    item(store, first, "finished", TODAY - timedelta(days=50), ActionStatus.DONE)
    item(store, first, "no date", None)
    item(store, current, "made today", None)
    rows = carry_over(store, current, today=TODAY, policy=POLICY)
    assert titles(rows) == ["very late", "a bit late", "not due yet", "no date"]
    assert carry_over(store, first, today=TODAY, policy=POLICY) == []


def test_carry_over_with_no_actions_is_empty(store: Store) -> None:
    """Earlier retrospectives with no action items leave nothing to carry over."""
    retro_on(store, "quiet", date(2026, 1, 1))
    current = retro_on(store, "current", date(2026, 5, 1))
    assert carry_over(store, current, today=TODAY, policy=POLICY) == []


def test_owners_for_filter_pickers(populated: Store) -> None:
    """Owners are listed once each (first spelling wins), unassigned last."""
    names = owners(populated)
    assert names[-1] == "(unassigned)"
    assert sorted(n.casefold() for n in names[:-1]) == ["ana", "ben", "chidi"]
