"""Grouping notes by event keeps the lists of events whose notes did not change."""

from __future__ import annotations

from dataclasses import dataclass

from retrotui.core.timeline import notes_by_event


@dataclass(eq=False)  # compared by identity, as records read from the database are
class _Note:
    event_id: str | None
    text: str


def test_notes_are_grouped_by_event_in_their_order() -> None:
    a1, b1, a2, loose = _Note("a", "a1"), _Note("b", "b1"), _Note("a", "a2"), _Note(None, "x")
    grouped = notes_by_event([a1, b1, a2, loose], {})
    assert grouped == {"a": [a1, a2], "b": [b1], None: [loose]}


def test_an_event_whose_notes_are_the_same_records_keeps_its_list() -> None:
    a1, b1 = _Note("a", "a1"), _Note("b", "b1")
    before = notes_by_event([a1, b1], {})
    b2 = _Note("b", "b2")
    after = notes_by_event([a1, b1, b2], before)
    assert after["a"] is before["a"]  # untouched: the screen redraws nothing for it
    assert after["b"] is not before["b"] and after["b"] == [b1, b2]


def test_a_record_read_again_is_a_change_even_with_the_same_text() -> None:
    a1 = _Note("a", "same")
    before = notes_by_event([a1], {})
    after = notes_by_event([_Note("a", "same")], before)
    assert after["a"] is not before["a"]
