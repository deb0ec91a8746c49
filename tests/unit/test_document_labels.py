"""Retro Document v2 carries contributing factors, tags and authors: exact round trips,
tombstones for removed labels, and merges that keep the newer side."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from retrotui.core.import_report import DocumentImportReport
from retrotui.formats.document import dump_document
from retrotui.formats.document_reader import parse_document
from retrotui.formats.timeline_rows import ImportFormatError
from retrotui.models import RetroLabel, Retrospective, Tombstone
from retrotui.services.importing import import_document
from retrotui.services.labels import change_labels, labels_of
from retrotui.services.meeting import update_note
from retrotui.services.retros import load_bundle
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, all_rows

EXAMPLE = Path(__file__).parents[2] / "docs" / "formats" / "examples" / "v2-full.json"


def _import(store: Store, text: str, **kwargs: bool) -> DocumentImportReport:
    return import_document(store, parse_document(text, source="doc.json"), **kwargs)


def _export(store: Store, retro_id: str) -> str:
    return dump_document(load_bundle(store, retro_id))


def _fresh(tmp_path: Path, name: str) -> Store:
    return Store.open(url_for_path(tmp_path / name))


def _labelled(store: Store) -> str:
    """The full example with two factors and two tags, one tag removed again."""
    rid = _import(store, EXAMPLE.read_text()).retro_id
    retro = store.get(Retrospective, rid)
    change_labels(store, retro, add_factors=["capacity", "Network"], add_tags=["DB", "paging"])
    change_labels(store, retro, remove_tags=["paging"])
    return rid


def test_removing_a_label_leaves_a_tombstone(store: Store) -> None:
    """Removing a tag or a factor buries it: a merge can tell removed from never had."""
    rid = _labelled(store)
    retro = store.get(Retrospective, rid)
    change_labels(store, retro, remove_factors=["network"])
    graves = [t for t in all_rows(store, Tombstone) if t.kind == "retro_label"]
    names = {"paging", "network"}
    assert len([g for g in graves if g.retro_id == rid]) >= len(names)
    doc = json.loads(_export(store, rid))
    assert [label.get("name") for label in doc["labels"] if not label.get("deleted")] == [
        "deployment-planning",
        "performance-decay",
        "batch jobs",
        "capacity",
        "db",
    ]
    assert sum(1 for label in doc["labels"] if label.get("deleted")) == 3  # search too


def test_a_label_added_again_is_live_again_under_the_same_id(store: Store) -> None:
    """Removed then added back: one live label, and no tombstone of it in the document."""
    rid = _labelled(store)
    retro = store.get(Retrospective, rid)
    change_labels(store, retro, add_tags=["paging"])
    doc = json.loads(_export(store, rid))
    ids = [label["id"] for label in doc["labels"]]
    assert len(ids) == len(set(ids))
    assert "paging" in [label.get("name") for label in doc["labels"]]


def test_labels_and_authors_round_trip_byte_for_byte(tmp_path: Path) -> None:
    """Export, import into an empty database, export: the same bytes, factors, tags,
    their tombstones and the authors of notes, whys and actions included; importing it
    again reports every record unchanged."""
    first = _fresh(tmp_path, "a.db")
    rid = _labelled(first)
    exported = _export(first, rid)
    doc = json.loads(exported)
    assert {n["author"] for n in doc["notes"] if "author" in n} == {"Ben"}
    assert {w["author"] for w in doc["whys"]} >= {"Ana", "Ben"}
    assert doc["actions"][0]["author"] == "Ben"
    second = _fresh(tmp_path, "b.db")
    copy_id = _import(second, exported).retro_id
    assert _export(second, copy_id) == exported
    assert labels_of(second, copy_id) == labels_of(first, rid)
    for store, retro_id in ((first, rid), (second, copy_id)):
        again = _import(store, exported)
        assert not again.changed and not again.conflicts
        tally = again.tallies["labels"]
        assert (tally.unchanged, tally.added, tally.updated, tally.deleted) == (8, 0, 0, 0)
        assert "labels: 0 added, 0 updated, 8 unchanged" in "\n".join(again.lines())
        assert _records(_export(store, retro_id)) == _records(exported)
    first.close()
    second.close()


class TestMerge:
    """Server and laptop copies of one retrospective change labels, then merge."""

    def setup(self, tmp_path: Path) -> tuple[Store, Store, str, str]:
        server, laptop = _fresh(tmp_path, "server.db"), _fresh(tmp_path, "laptop.db")
        rid = _labelled(server)
        copy_id = _import(laptop, _export(server, rid)).retro_id
        return server, laptop, rid, copy_id

    def test_a_label_removed_on_one_copy_is_removed_after_the_merge(self, tmp_path: Path) -> None:
        """The laptop removes a factor the server left alone: merged back, and merged
        the other way, it is gone on both."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        change_labels(laptop, laptop.get(Retrospective, copy_id), remove_factors=["capacity"])
        report = _import(server, _export(laptop, copy_id))
        assert report.tallies["labels"].deleted == 1
        assert "capacity" not in labels_of(server, rid).factors
        _import(laptop, _export(server, rid))
        assert "capacity" not in labels_of(laptop, copy_id).factors

    def test_a_label_never_had_is_not_removed(self, tmp_path: Path) -> None:
        """A tag the server adds after the copy was made is not in the laptop's document,
        and merging the laptop's copy back keeps it."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        change_labels(server, server.get(Retrospective, rid), add_tags=["new on server"])
        _import(server, _export(laptop, copy_id))
        assert "new on server" in labels_of(server, rid).tags

    def test_the_newer_side_wins(self, tmp_path: Path) -> None:
        """The server removes a tag, then the laptop adds it back later: it stays. The
        laptop removes a factor, then the server adds it back later: it stays too."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        change_labels(server, server.get(Retrospective, rid), remove_tags=["db"])
        change_labels(laptop, laptop.get(Retrospective, copy_id), remove_tags=["db"])
        change_labels(laptop, laptop.get(Retrospective, copy_id), add_tags=["db"])
        change_labels(laptop, laptop.get(Retrospective, copy_id), remove_factors=["network"])
        change_labels(server, server.get(Retrospective, rid), remove_factors=["network"])
        change_labels(server, server.get(Retrospective, rid), add_factors=["network"])
        _import(server, _export(laptop, copy_id))
        _import(laptop, _export(server, rid))
        for store, retro_id in ((server, rid), (laptop, copy_id)):
            labels = labels_of(store, retro_id)
            assert "db" in labels.tags and "network" in labels.factors
        assert _records(_export(server, rid)) == _records(_export(laptop, copy_id))

    def test_the_same_tag_added_on_both_copies_is_one_label(self, tmp_path: Path) -> None:
        """Both copies add "follow-up" on their own: after merging both ways there is one
        label, and removing it on one copy removes it on the other after the next merge."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        change_labels(server, server.get(Retrospective, rid), add_tags=["Follow-up"])
        change_labels(laptop, laptop.get(Retrospective, copy_id), add_tags=["follow-up"])
        _import(server, _export(laptop, copy_id))
        _import(laptop, _export(server, rid))
        assert labels_of(server, rid).tags.count("follow-up") == 1
        change_labels(laptop, laptop.get(Retrospective, copy_id), remove_tags=["follow-up"])
        _import(server, _export(laptop, copy_id))
        assert "follow-up" not in labels_of(server, rid).tags

    def test_one_name_under_two_ids_converges_to_the_smaller(self, tmp_path: Path) -> None:
        """Two copies that hold one tag under two ids (made before label ids came from
        their names) end up with the same one label, merged in either order."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        for store, retro_id, label_id in ((server, rid, "b-id"), (laptop, copy_id, "a-id")):
            _insert_label(store, retro_id, label_id, "legacy")
        _import(server, _export(laptop, copy_id))
        _import(laptop, _export(server, rid))
        _import(server, _export(laptop, copy_id))
        for store, retro_id in ((server, rid), (laptop, copy_id)):
            doc = json.loads(_export(store, retro_id))
            legacy = [x for x in doc["labels"] if x.get("name") == "legacy"]
            assert [x["id"] for x in legacy] == ["a-id"]
            assert _grave(doc, "b-id") == {"id": "b-id", "deleted": True}
        assert _records(_export(server, rid)) == _records(_export(laptop, copy_id))

    def test_authors_survive_the_merge(self, tmp_path: Path) -> None:
        """The laptop re-attributes a note; merged back, the server shows the laptop's
        author, and an untouched author stays."""
        server, laptop, rid, copy_id = self.setup(tmp_path)
        note = load_bundle(laptop, copy_id).notes[0]
        update_note(laptop, note.id, author="Cleo")
        _import(server, _export(laptop, copy_id))
        merged = load_bundle(server, rid)
        assert [n.author for n in merged.notes] == ["Cleo", "Ben"]
        assert merged.actions[0].author == "Ben" and merged.whys[0].author == "Ana"


def _records(text: str) -> str:
    """A document from its records on (the header says which revision a copy took in)."""
    return text[text.index('  "participants"') :]


def _grave(doc: dict[str, object], label_id: str) -> dict[str, object]:
    labels = doc["labels"]
    assert isinstance(labels, list)
    found = [x for x in labels if x["id"] == label_id]
    assert len(found) == 1
    return {k: v for k, v in found[0].items() if k != "updated_at"}


def _insert_label(store: Store, retro_id: str, label_id: str, name: str) -> None:
    table = RetroLabel.__table__  # type: ignore[attr-defined]
    retro = store.get(Retrospective, retro_id)
    stamp = retro.created_at + timedelta(seconds=1)
    with store.writing() as session:
        session.connection().execute(
            sa.insert(table).values(
                id=label_id,
                retro_id=retro_id,
                kind="tag",
                name=name,
                position=9,
                created_at=stamp,
                updated_at=stamp,
            )
        )


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ({"kind": "tag", "name": "Needs Review"}, "labels[0].name: expected a tag as stored"),
        ({"kind": "factor", "name": "Not an id"}, "labels[0].name: expected a factor id"),
        ({"kind": "mood", "name": "x"}, "labels[0].kind: expected one of factor, tag"),
        ({"name": "x"}, "labels[0].kind: expected one of factor, tag"),
        ({"kind": "tag", "name": "x" * 65}, "labels[0].name: expected at most 64 characters"),
    ],
)
def test_a_bad_label_is_one_sentence_with_its_path(label: dict[str, str], expected: str) -> None:
    """A label the app could not have made is refused, naming where it is."""
    doc = json.loads(EXAMPLE.read_text())
    doc["labels"] = [{"id": "l1", "updated_at": "2026-11-30T10:15:35Z", **label}]
    with pytest.raises(ImportFormatError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        parse_document(json.dumps(doc), source="doc.json")


def test_a_name_twice_is_refused() -> None:
    """One tag twice in one document is an error naming both places."""
    doc = json.loads(EXAMPLE.read_text())
    tag = {"kind": "tag", "name": "db", "updated_at": "2026-11-30T10:15:35Z"}
    doc["labels"] = [{"id": "l1", **tag}, {"id": "l2", **tag}]
    with pytest.raises(ImportFormatError, match=r"labels\[1\]\.name: expected each tag once"):
        parse_document(json.dumps(doc), source="doc.json")
