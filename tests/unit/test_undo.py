"""Deletes that can be taken back (services.undo, store.undo), on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from retrotui.errors import ValidationError
from retrotui.models import ActionItem, Note, TimelineEvent, Tombstone, Why
from retrotui.services.actions import add_action
from retrotui.services.meeting import add_event, add_note, delete_event
from retrotui.services.retros import create_retrospective
from retrotui.services.undo import delete, restore
from retrotui.services.whys import add_chain, add_why, load_chains
from retrotui.store.errors import NotFoundError
from retrotui.store.repository import Store, all_rows

T = datetime(2026, 11, 17, 8, 0, tzinfo=UTC)


def _retro_with_event(store: Store) -> tuple[str, TimelineEvent, list[Note]]:
    retro = create_retrospective(store, "Queue backlog")
    event = add_event(store, retro.id, time=T, text="Queue depth alert")
    notes = [
        add_note(store, retro.id, text=f"note {i}", event_id=event.id, kind="question")
        for i in range(3)
    ]
    return retro.id, event, notes


def test_a_note_comes_back_with_its_id_position_and_fields(store: Store) -> None:
    """Restored as it was stored, and its tombstone is gone again."""
    retro_id, _event, notes = _retro_with_event(store)
    removed = delete(store, "note", notes[1].id)
    assert [n.id for n in store.children(Note, retro_id)] == [notes[0].id, notes[2].id]
    assert any(t.id == notes[1].id for t in all_rows(store, Tombstone))
    assert restore(store, removed) == "Restored the note “note 1”."
    back = store.children(Note, retro_id)
    assert [n.id for n in back] == [n.id for n in notes]
    assert (back[1].text, back[1].kind, back[1].event_id, back[1].position) == (
        "note 1",
        "question",
        notes[1].event_id,
        notes[1].position,
    )
    assert not any(t.id == notes[1].id for t in all_rows(store, Tombstone))


def test_an_event_comes_back_with_its_notes_tied_again(store: Store) -> None:
    retro_id, event, _notes = _retro_with_event(store)
    removed = delete(store, "event", event.id)
    assert all(n.event_id is None for n in store.children(Note, retro_id))
    assert restore(store, removed) == "Restored the event “Queue depth alert” with its 3 notes."
    assert [e.id for e in store.children(TimelineEvent, retro_id)] == [event.id]
    assert all(n.event_id == event.id for n in store.children(Note, retro_id))


def test_a_note_whose_event_is_gone_comes_back_untied(store: Store) -> None:
    retro_id, event, notes = _retro_with_event(store)
    removed = delete(store, "note", notes[0].id)
    delete_event(store, event.id)
    restore(store, removed)
    back = {n.id: n for n in store.children(Note, retro_id)}
    assert back[notes[0].id].event_id is None


def test_a_chain_comes_back_with_its_levels_and_action_links(store: Store) -> None:
    retro = create_retrospective(store, "Cert expiry")
    chain = add_chain(store, retro.id, "Payments failed")
    levels = [add_why(store, chain.id, answer=f"cause {i}") for i in range(3)]
    action = add_action(
        store, retro, "Alert on renewal", today=T.date(), why_id=levels[2].id, owner="Ops"
    )
    removed = delete(store, "chain", chain.id)
    assert load_chains(store, retro.id) == []
    assert store.get(ActionItem, action.id).why_id is None
    sentence = restore(store, removed)
    assert sentence == (
        "Restored the 5 Whys chain “Payments failed” with its 3 levels and the link of "
        "1 action item."
    )
    (back,) = load_chains(store, retro.id)
    assert [(w.id, w.position) for w in back.whys] == [(w.id, w.position) for w in levels]
    assert store.get(ActionItem, action.id).why_id == levels[2].id


def test_a_level_whose_chain_is_gone_cannot_come_back(store: Store) -> None:
    retro = create_retrospective(store, "Cert expiry")
    chain = add_chain(store, retro.id, "Payments failed")
    level = add_why(store, chain.id, answer="cause")
    removed = delete(store, "why", level.id)
    delete(store, "chain", chain.id)
    with pytest.raises(NotFoundError, match="chain has been deleted"):
        restore(store, removed)
    assert store.children(Why, retro.id) == []


def test_deleting_what_is_already_gone_says_so(store: Store) -> None:
    retro_id, _event, notes = _retro_with_event(store)
    delete(store, "note", notes[0].id)
    with pytest.raises(ValidationError, match="already gone"):
        delete(store, "note", notes[0].id)
    assert len(store.children(Note, retro_id)) == 2


def test_restoring_twice_changes_nothing_the_second_time(store: Store) -> None:
    retro_id, _event, notes = _retro_with_event(store)
    removed = delete(store, "note", notes[0].id)
    restore(store, removed)
    restore(store, removed)
    assert [n.id for n in store.children(Note, retro_id)] == [n.id for n in notes]
