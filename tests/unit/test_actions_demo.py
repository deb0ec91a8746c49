"""The demo's past retrospectives: created once, every action state, some overdue."""

from __future__ import annotations

from datetime import date, timedelta

from retrotui.demo import DEMO_ID, ensure_demo
from retrotui.demo_history import HISTORY
from retrotui.models import ActionItem, ActionStatus, Retrospective, TimelineEvent
from retrotui.services.actions import carry_over, list_actions
from retrotui.store.repository import Store, all_rows, count_rows

TODAY = date(2026, 11, 24)


def test_demo_is_idempotent_with_fixed_ids(store: Store) -> None:
    """Running the demo twice, on different days, creates nothing the second time."""
    first = ensure_demo(store, TODAY)
    counts = [count_rows(store, m) for m in (Retrospective, ActionItem, TimelineEvent)]
    second = ensure_demo(store, TODAY + timedelta(days=3))
    assert first.id == second.id == DEMO_ID
    assert [count_rows(store, m) for m in (Retrospective, ActionItem, TimelineEvent)] == counts
    ids = {r.id for r, _ in store.retrospectives()}
    assert ids == {DEMO_ID, *(past.id for past in HISTORY)}


def test_history_is_added_to_an_older_demo_database(store: Store) -> None:
    """A database made by the earlier demo (no history yet) gains the history, and the
    original demo retrospective is left as it was."""
    from retrotui.demo import demo_records

    store.add_all(demo_records(TODAY))
    before = store.get(Retrospective, DEMO_ID)
    ensure_demo(store, TODAY)
    assert len(store.retrospectives()) == 1 + len(HISTORY)
    assert store.get(Retrospective, DEMO_ID).updated_at == before.updated_at


def test_short_ids_are_distinct(store: Store) -> None:
    """Every demo retrospective can be named by its 8-character short id."""
    ensure_demo(store, TODAY)
    shorts = [r.id[:8] for r, _ in store.retrospectives()]
    assert len(set(shorts)) == len(shorts)


def test_history_has_every_action_state(store: Store) -> None:
    """Done, won't-do, open, in progress, overdue, not yet due and undated all appear."""
    ensure_demo(store, TODAY)
    actions = list(all_rows(store, ActionItem))
    assert {ActionStatus(a.status) for a in actions} == set(ActionStatus)
    assert any(a.due is None for a in actions)
    assert any(a.due_is_default for a in actions)
    closed = [a for a in actions if ActionStatus(a.status).is_closed]
    assert closed and all(a.closed_at is not None for a in closed)
    overdue = list_actions(store, today=TODAY, scope="overdue")
    assert len(overdue) >= 3
    assert len({row.retro.id for row in overdue}) >= 3


def test_demo_retro_carries_over_the_history(store: Store) -> None:
    """Opening the demo retrospective surfaces earlier incidents' open items first."""
    demo = ensure_demo(store, TODAY)
    rows = carry_over(store, demo, today=TODAY)
    assert rows and rows[0].overdue
    assert DEMO_ID not in {row.retro.id for row in rows}
