"""An incident ref names one retrospective: the database enforces it, not only a check
that another process can slip past."""

from __future__ import annotations

import pytest

from retrotui.errors import ValidationError
from retrotui.formats.document_reader import parse_document
from retrotui.models import Retrospective
from retrotui.services.importing import import_document
from retrotui.services.retros import create_retrospective
from retrotui.store.repository import Store


def _check_misses_once(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The uniqueness check runs before another process's insert commits: it sees nothing."""
    real = store.find_retrospectives
    missed: list[str] = []

    def stale(ref: str) -> list[Retrospective]:
        if not missed:
            missed.append(ref)
            return []
        return real(ref)

    monkeypatch.setattr(store, "find_retrospectives", stale)


def test_a_ref_taken_after_the_check_is_refused_in_one_sentence(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = create_retrospective(store, "First", incident_ref="INC-R")
    _check_misses_once(store, monkeypatch)
    with pytest.raises(ValidationError) as caught:
        create_retrospective(store, "Second", incident_ref="INC-R")
    assert str(caught.value) == (
        f"Incident ref 'INC-R' is already used by retrospective {first.id[:8]} ('First'); "
        "refs must be unique."
    )
    assert [r.title for r, _ in store.retrospectives()] == ["First"]


def test_refs_differing_only_in_case_are_the_same_ref(store: Store) -> None:
    """`open inc-r` finds INC-R, so inc-r cannot name a second retrospective."""
    create_retrospective(store, "First", incident_ref="INC-R")
    with pytest.raises(ValidationError, match="already used"):
        create_retrospective(store, "Second", incident_ref="inc-r")


def test_an_import_racing_for_a_ref_gets_the_same_sentence(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = create_retrospective(store, "First", incident_ref="INC-R")
    doc = parse_document('{"title": "Imported", "incident_ref": "INC-R"}', source="doc.json")
    monkeypatch.setattr(
        "retrotui.store.document_merge_v1._check_incident_ref", lambda *args, **kwargs: None
    )
    with pytest.raises(ValidationError) as caught:
        import_document(store, doc)
    assert str(caught.value).startswith(
        f"Incident ref 'INC-R' is already used by retrospective {first.id[:8]}"
    )
