"""Retro Document v2: exact round trips, tombstones, and merges that never lose a newer edit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from retrotui.formats.document import dump_document
from retrotui.formats.document_reader import parse_document
from retrotui.models import Retrospective, Tombstone
from retrotui.services.actions import update_action
from retrotui.services.agenda import set_current_stage
from retrotui.services.importing import import_document
from retrotui.services.meeting import delete_event, update_note, update_retro_text
from retrotui.services.retros import load_bundle
from retrotui.services.whys import delete_why, load_chains
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, all_rows
from tests.fixture_paths import document_examples

SHIPPED = sorted((Path(__file__).parents[2] / "docs" / "formats" / "examples").glob("v2-*.json"))
TODAY = date(2026, 5, 20)


def _import(store: Store, text: str, **kwargs: object) -> object:
    return import_document(store, parse_document(text, source="doc.json"), **kwargs)  # type: ignore[arg-type]


def _export(store: Store, retro_id: str) -> str:
    return dump_document(load_bundle(store, retro_id))


def _fresh(tmp_path: Path, name: str) -> Store:
    return Store.open(url_for_path(tmp_path / name))


@pytest.mark.parametrize("example", SHIPPED, ids=lambda p: p.name)
def test_shipped_examples_round_trip_byte_for_byte(tmp_path: Path, example: Path) -> None:
    """A shipped v2 example imported into an empty database exports as the same bytes."""
    store = _fresh(tmp_path, "a.db")
    report = _import(store, example.read_text(encoding="utf-8"))
    assert _export(store, report.retro_id) == example.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    store.close()


def test_shipped_examples_exist() -> None:
    """The spec ships a full and a minimal v2 example."""
    assert [p.name for p in SHIPPED] == ["v2-full.json", "v2-minimal.json"]


@pytest.mark.parametrize("fixture", document_examples(), ids=lambda p: p.name)
def test_fixtures_round_trip_byte_for_byte(tmp_path: Path, fixture: Path) -> None:
    """Every fixture (v1 documents too): import, export v2, import into an empty
    database, export again: the same bytes; importing it again changes nothing."""
    first = _fresh(tmp_path, "a.db")
    exported = _export(first, _import(first, fixture.read_text()).retro_id)  # type: ignore[attr-defined]
    second = _fresh(tmp_path, "b.db")
    copy_id = _import(second, exported).retro_id  # type: ignore[attr-defined]
    assert _export(second, copy_id) == exported
    for store in (first, second):
        again = _import(store, exported)
        assert not again.changed and not again.conflicts  # type: ignore[attr-defined]
    first.close()
    second.close()


def test_unchanged_copy_with_plus_zero_offsets_reports_unchanged(store: Store) -> None:
    """+00:00 where the export wrote Z is the same instant: every record unchanged."""
    rid = _import(store, SHIPPED[0].read_text()).retro_id  # type: ignore[attr-defined]
    respelled = _export(store, rid).replace('Z"', '+00:00"')
    report = _import(store, respelled)
    assert not report.changed  # type: ignore[attr-defined]
    assert all(t.updated == 0 for t in report.tallies.values())  # type: ignore[attr-defined]


def test_deleting_leaves_tombstones_and_keeps_lists_right(store: Store) -> None:
    """Deleting an event and a why leaves tombstones; the lists no longer show them; the
    event's notes are unlinked as an edit (their updated_at moves)."""
    rid = _import(store, SHIPPED[0].read_text()).retro_id  # type: ignore[attr-defined]
    before = load_bundle(store, rid)
    event = next(e for e in before.events if any(n.event_id == e.id for n in before.notes))
    note = next(n for n in before.notes if n.event_id == event.id)
    why = before.whys[0]
    delete_event(store, event.id)
    delete_why(store, why.id)
    after = load_bundle(store, rid)
    assert event.id not in {e.id for e in after.events}
    assert why.id not in {w.id for w in after.whys}
    unlinked = next(n for n in after.notes if n.id == note.id)
    assert unlinked.event_id is None and unlinked.updated_at > note.updated_at
    assert {t.id for t in all_rows(store, Tombstone)} >= {event.id, why.id}
    doc = _export(store, rid)
    assert f'{{"id": "{event.public_id}", "deleted": true' in doc


def test_meeting_position_is_not_an_edit(store: Store) -> None:
    """Stepping stages moves no edit time of the retrospective; editing the summary does."""
    rid = _import(store, SHIPPED[1].read_text()).retro_id  # type: ignore[attr-defined]
    stamp = store.get(Retrospective, rid).edited_at
    set_current_stage(store, rid, 4)
    assert store.get(Retrospective, rid).edited_at == stamp
    update_retro_text(store, rid, "summary", "new")
    assert store.get(Retrospective, rid).edited_at > stamp


class TestMerge:
    """The offline hand-off: server (A) and laptop (B) both edit, then merge."""

    def setup(self, tmp_path: Path) -> tuple[Store, Store, str, str]:
        server, laptop = _fresh(tmp_path, "server.db"), _fresh(tmp_path, "laptop.db")
        rid = _import(server, SHIPPED[0].read_text()).retro_id  # type: ignore[attr-defined]
        copy_id = _import(laptop, _export(server, rid)).retro_id  # type: ignore[attr-defined]
        return server, laptop, rid, copy_id

    def test_newer_edits_kept_on_both_sides_and_conflict_listed(self, tmp_path: Path) -> None:
        """Laptop edits a note and an action; the server later edits the same action and
        deletes a why. Merging the laptop copy back keeps the note edit, the server's
        action and the deletion; the action is a listed conflict and the laptop's title
        survives as a question note."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        b = load_bundle(laptop, copy_id)
        update_note(laptop, b.notes[0].id, text="Edited offline")
        update_action(laptop, b.actions[0].id, today=TODAY, title="Laptop title")
        a = load_bundle(server, rid)
        update_action(server, a.actions[0].id, today=TODAY, title="Server title")
        doomed = load_chains(server, rid)[1].whys[0]
        delete_why(server, doomed.id)

        report = _import(server, _export(laptop, copy_id))
        merged = load_bundle(server, rid)
        assert merged.notes[0].text == "Edited offline"
        assert merged.actions[0].title == "Server title"
        assert doomed.id not in {w.id for w in merged.whys}
        conflicts = report.conflicts  # type: ignore[attr-defined]
        assert len(conflicts) == 1 and a.actions[0].public_id in conflicts[0]
        kept = [n for n in merged.notes if n.kind == "question" and "Laptop title" in n.text]
        assert len(kept) == 1
        summary = "\n".join(report.lines())  # type: ignore[attr-defined]
        assert "Conflicts (1):" in summary
        # The kept text is a note added here: the report says so, not "Nothing changed".
        assert "notes: 1 added" in summary and "Nothing changed" not in summary

        # Back to the laptop: the two copies now say the same, and nothing new conflicts.
        back = _import(laptop, _export(server, rid))
        assert not back.conflicts  # type: ignore[attr-defined]
        strip = lambda text: text.split('"title"', 1)[1]  # noqa: E731  (ignore ids/bases)
        assert strip(_export(laptop, copy_id)) == strip(_export(server, rid))

    def test_deletion_beats_an_older_edit_and_loses_to_a_newer_one(self, tmp_path: Path) -> None:
        """Laptop edits note 0 then the server deletes it: deleted. Server deletes note 1,
        then the laptop edits it: it comes back with the edit."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        a, b = load_bundle(server, rid), load_bundle(laptop, copy_id)
        from retrotui.services.meeting import delete_note

        update_note(laptop, b.notes[0].id, text="older edit")
        delete_note(server, a.notes[0].id)
        delete_note(server, a.notes[1].id)
        update_note(laptop, b.notes[1].id, text="newer edit")
        _import(server, _export(laptop, copy_id))
        texts = [n.text for n in load_bundle(server, rid).notes]
        assert "older edit" not in texts and "newer edit" in texts

    def test_dry_run_lists_each_change_with_old_and_new_text(self, tmp_path: Path) -> None:
        """A dry run names every record it would change, old and new text, and changes
        nothing."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        b = load_bundle(laptop, copy_id)
        old = b.notes[0].text
        update_note(laptop, b.notes[0].id, text="Edited offline")
        before = _export(server, rid)
        report = _import(server, _export(laptop, copy_id), dry_run=True)
        text = "\n".join(report.lines(detail=True))  # type: ignore[attr-defined]
        assert f"update note {b.notes[0].public_id}: text: {old!r} -> 'Edited offline'" in text
        assert _export(server, rid) == before

    def test_summary_changed_on_both_sides_is_a_conflict(self, tmp_path: Path) -> None:
        """The retrospective's own fields merge as one record: the later summary wins, the
        other is kept as a question note and listed."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        update_retro_text(laptop, copy_id, "summary", "Laptop summary")
        update_retro_text(server, rid, "summary", "Server summary")
        report = _import(server, _export(laptop, copy_id))
        assert store_summary(server, rid) == "Server summary"
        assert any("the retrospective" in c for c in report.conflicts)  # type: ignore[attr-defined]
        assert any("Laptop summary" in n.text for n in load_bundle(server, rid).notes)

    def test_an_action_edit_on_the_server_does_not_beat_an_older_summary_edit(
        self, tmp_path: Path
    ) -> None:
        """Editing a child record is not an edit of the retrospective's fields: the
        laptop's summary arrives although the server changed an action after it."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        update_retro_text(laptop, copy_id, "summary", "Laptop summary")
        action = load_bundle(server, rid).actions[0]
        update_action(server, action.id, today=TODAY, owner="Someone")
        report = _import(server, _export(laptop, copy_id))
        assert store_summary(server, rid) == "Laptop summary" and not report.conflicts  # type: ignore[attr-defined]

    def test_stage_clocks_of_both_copies_converge(self, tmp_path: Path) -> None:
        """A stage clock both copies started (two ids, one stage) ends up the same on both."""
        from datetime import timedelta

        from retrotui.services.agenda import load_clocks, save_clocks

        server, laptop, rid, copy_id = self.setup(tmp_path)
        save_clocks(server, rid, {2: (timedelta(minutes=3), None)})
        save_clocks(laptop, copy_id, {2: (timedelta(minutes=7), None)})
        _import(server, _export(laptop, copy_id))
        _import(laptop, _export(server, rid))
        assert load_clocks(server, rid) == load_clocks(laptop, copy_id)
        assert load_clocks(server, rid)[2][0] == timedelta(minutes=7)


def store_summary(store: Store, retro_id: str) -> str:
    return store.get(Retrospective, retro_id).summary
