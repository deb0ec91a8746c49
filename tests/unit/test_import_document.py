"""Importing Retro Documents: create, merge, idempotence, all-or-nothing, round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrotui.errors import UserError
from retrotui.formats.document import dump_document
from retrotui.formats.document_reader import parse_document
from retrotui.models import Note, Retrospective, TimelineEvent
from retrotui.services.importing import import_document
from retrotui.services.meeting import add_note, update_note
from retrotui.services.retros import load_bundle
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, count_rows
from tests.fixture_paths import document_examples

EXAMPLES = document_examples()


def _import(store: Store, doc: dict[str, Any] | str, **kwargs: Any) -> Any:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    return import_document(store, parse_document(text, source="doc.json"), **kwargs)


def _export(store: Store, retro_id: str) -> str:
    return dump_document(load_bundle(store, retro_id))


def _fresh(tmp_path: Path, name: str) -> Store:
    return Store.open(url_for_path(tmp_path / name))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_round_trip(store: Store, tmp_path: Path, example: Path) -> None:
    """Example -> export -> import into an empty database -> export gives the same document."""
    first = _export(store, _import(store, example.read_text()).retro_id)
    other = _fresh(tmp_path, "other.db")
    second = _export(other, _import(other, first).retro_id)
    other.close()
    assert json.loads(second) == json.loads(first)
    original = json.loads(example.read_text())
    exported = json.loads(first)
    for key in ("title", "id", "incident_ref", "severity", "status", "started_at"):
        if key in original:
            assert exported[key] == original[key]
    assert [e["text"] for e in exported["timeline"]] == [e["text"] for e in original["timeline"]]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_second_import_changes_nothing(store: Store, example: Path) -> None:
    """Importing the same document again (the example if it has an id, and its export)
    reports nothing added or updated, and no row appears."""
    rid = _import(store, example.read_text()).retro_id
    again = [_export(store, rid)]
    if "id" in json.loads(example.read_text()):
        again.append(example.read_text())
    before = {model: count_rows(store, model) for model in (Retrospective, TimelineEvent, Note)}
    for text in again:
        report = _import(store, text)
        assert not report.changed and not report.created and report.retro_id == rid
        assert "Nothing changed" in "\n".join(report.lines())
    assert {m: count_rows(store, m) for m in (Retrospective, TimelineEvent, Note)} == before


def test_offline_notes_merge_back_once(store: Store, tmp_path: Path) -> None:
    """A note added on the note-taker's copy arrives once, and an edit is taken over."""
    doc = {
        "id": "r-1",
        "title": "T",
        "timeline": [{"id": "e1", "time": "2026-05-14T07:12:00Z", "text": "Start"}],
        "notes": [{"id": "n1", "text": "first", "event_id": "e1"}],
    }
    rid = _import(store, doc).retro_id
    laptop = _fresh(tmp_path, "laptop.db")
    copy_id = _import(laptop, _export(store, rid)).retro_id
    on_laptop = load_bundle(laptop, copy_id)
    add_note(laptop, copy_id, text="added offline", event_id=on_laptop.events[0].id)
    update_note(laptop, on_laptop.notes[0].id, text="first, edited")
    handed_back = _export(laptop, copy_id)
    laptop.close()

    report = _import(store, handed_back)
    assert report.retro_id == rid
    assert (report.tallies["notes"].added, report.tallies["notes"].updated) == (1, 1)
    assert report.tallies["timeline"].unchanged == 1 and not report.conflicts
    again = _import(store, handed_back)
    assert not again.changed
    notes = load_bundle(store, rid).notes
    assert [n.text for n in notes] == ["first, edited", "added offline"]
    assert all(n.event_id == load_bundle(store, rid).events[0].id for n in notes)


def test_records_without_ids_match_by_content(store: Store) -> None:
    """Id-less records match by content; two identical id-less whys stay two."""
    doc = {"id": "r", "title": "T", "whys": ["same", "same"], "actions": [{"title": "A"}]}
    _import(store, doc)
    report = _import(store, doc)
    assert report.tallies["whys"].unchanged == 2 and report.tallies["whys"].added == 0
    assert report.tallies["actions"].unchanged == 1


def test_dry_run_changes_nothing(store: Store) -> None:
    """A dry run reports what it would add and leaves the database as it was."""
    report = _import(
        store,
        {"title": "T", "timeline": [{"time": "2026-05-14T07:12:00Z", "text": "x"}]},
        dry_run=True,
    )
    assert report.dry_run and report.tallies["events"].added == 1
    assert count_rows(store, Retrospective) == 0


def test_failure_imports_nothing(store: Store) -> None:
    """A note pointing at a missing event fails the whole import: no retrospective is left."""
    doc = {
        "title": "T",
        "timeline": [{"id": "e1", "time": "2026-05-14T07:12:00Z", "text": "x"}],
        "notes": [{"text": "n", "event_id": "missing"}],
    }
    with pytest.raises(UserError, match=r"notes\[0\]\.event_id"):
        _import(store, doc)
    assert count_rows(store, Retrospective) == 0 and count_rows(store, TimelineEvent) == 0


def test_incident_ref_clash_is_refused(store: Store) -> None:
    """A new document cannot take an incident ref another retrospective already uses."""
    _import(store, {"id": "a", "title": "A", "incident_ref": "INC-1"})
    with pytest.raises(UserError, match="INC-1"):
        _import(store, {"id": "b", "title": "B", "incident_ref": "INC-1"})


# -- property: any valid document survives export -> import -> export ------------------

TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30)
NONEMPTY = TEXT.filter(bool)
TIMES = st.sampled_from(
    ["2026-05-14T07:12:00Z", "2026-05-14T09:12:00+02:00", "2026-05-13T22:00:30.5-05:30"]
)
EVENTS = st.fixed_dictionaries(
    {"time": TIMES, "text": TEXT},
    optional={
        "kind": st.sampled_from(["trigger", "detection", "note"]),
        "actor": TEXT,
        "key": st.booleans(),
    },
)
DOCS = st.fixed_dictionaries(
    {"title": NONEMPTY},
    optional={
        "summary": TEXT,
        "severity": st.sampled_from(["SEV1", "SEV3"]),
        "started_at": TIMES,
        "timeline": st.lists(EVENTS, max_size=4),
        "notes": st.lists(st.fixed_dictionaries({"text": TEXT}), max_size=3),
        "whys": st.lists(NONEMPTY, max_size=3),
        "actions": st.lists(
            st.fixed_dictionaries({"title": NONEMPTY}, optional={"owner": TEXT}), max_size=3
        ),
    },
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=DOCS)
def test_any_document_round_trips(
    tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any]
) -> None:
    """Export -> import into an empty database -> export is unchanged, text byte for byte."""
    folder = tmp_path_factory.mktemp("rt")
    first_store, second_store = _fresh(folder, "a.db"), _fresh(folder, "b.db")
    try:
        first = _export(first_store, _import(first_store, doc).retro_id)
        second = _export(second_store, _import(second_store, first).retro_id)
        assert second == first
        assert json.loads(first)["title"] == doc["title"]
        texts = sorted(e["text"] for e in doc.get("timeline", []))
        assert sorted(e["text"] for e in json.loads(first)["timeline"]) == texts
        assert not _import(second_store, first).changed
    finally:
        first_store.close()
        second_store.close()
