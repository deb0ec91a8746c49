"""Property tests: any edits on two copies, merged in either order, converge and never
drop the newer version of a record (the rule in core.merge, and the whole import path)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrotui.core.merge import Version, merged
from retrotui.formats.document import dump_document
from retrotui.formats.document_reader import parse_document
from retrotui.services.importing import import_document
from retrotui.services.meeting import delete_note, update_note
from retrotui.services.retros import load_bundle
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store

T0 = datetime(2026, 5, 14, tzinfo=UTC)
IDS = ("n1", "n2", "n3")

# (side, record, text or None for a deletion, clock ticks since the last edit)
edits = st.lists(
    st.tuples(
        st.sampled_from("AB"),
        st.sampled_from(IDS),
        st.one_of(st.none(), st.sampled_from(["x", "y", "z"])),
        st.integers(0, 2),
    ),
    max_size=12,
)

Replica = dict[str, Version]


def _merge(into: Replica, other: Replica) -> Replica:
    out = dict(into)
    for key, theirs in other.items():
        mine = out.get(key)
        same = mine is not None and (mine.deleted, mine.content) == (theirs.deleted, theirs.content)
        out[key] = merged(mine, theirs, same=same)
    return out


@given(edits)
def test_core_merge_converges_in_either_order_and_keeps_the_newest(
    script: list[tuple[str, str, str | None, int]],
) -> None:
    """Sync A<-B then B<-A, or B<-A then A<-B: both copies agree, both orders agree, and
    every record holds its newest version (ties in time: a fixed order, deletion first)."""
    start = {key: Version(T0, content="start") for key in IDS}
    copies = {"A": dict(start), "B": dict(start)}
    every: dict[str, list[Version]] = {key: [start[key]] for key in IDS}
    now = T0
    for side, key, text, ticks in script:
        now += timedelta(seconds=ticks)  # 0 ticks: two edits at the same instant
        version = Version(now, deleted=text is None, content=text or "")
        copies[side][key] = version
        every[key].append(version)
    a, b = copies["A"], copies["B"]
    first_a = _merge(a, b)
    first_b = _merge(b, first_a)
    second_b = _merge(b, a)
    second_a = _merge(a, second_b)
    assert first_a == first_b == second_a == second_b
    for key in IDS:
        newest = max((a[key], b[key]), key=Version.key)
        assert first_a[key] == newest
        assert first_a[key].updated_at == max(v.updated_at for v in (a[key], b[key]))


def _fresh(tmp_path: Path, name: str) -> Store:
    path = tmp_path / name
    path.unlink(missing_ok=True)
    return Store.open(url_for_path(path))


def _records(store: Store, retro_id: str) -> str:
    """The export from the records on (the header says which revision each copy took in)."""
    text = dump_document(load_bundle(store, retro_id))
    return text[text.index('  "participants"') :]


def _sync(into: Store, into_id: str, source: Store, source_id: str) -> None:
    text = dump_document(load_bundle(source, source_id))
    import_document(into, parse_document(text, source="doc.json"))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits, st.booleans())
def test_two_databases_converge_and_keep_every_newer_edit(
    tmp_path: Path, script: list[tuple[str, str, str | None, int]], laptop_first: bool
) -> None:
    """Edit notes on a server and a laptop copy (edits and deletions, in any interleaving),
    then sync both ways starting from either side: the copies end up with the same
    records, and each note says what its newest edit said (or is gone if that was a
    deletion)."""
    seed = {
        "version": 1,
        "id": "r",
        "title": "T",
        "notes": [{"id": key, "text": "start"} for key in IDS],
    }
    server, laptop = _fresh(tmp_path, "server.db"), _fresh(tmp_path, "laptop.db")
    try:
        rid = import_document(server, parse_document(json.dumps(seed), source="s")).retro_id
        _sync(laptop, "", server, rid)
        lid = _only_retro(laptop)
        stores = {"A": (server, rid), "B": (laptop, lid)}
        newest: dict[str, str | None] = {key: "start" for key in IDS}
        gone: set[tuple[str, str]] = set()
        for side, key, text, _ in script:
            store, retro_id = stores[side]
            note = next((n for n in load_bundle(store, retro_id).notes if n.public_id == key), None)
            if note is None or (side, key) in gone:
                continue  # deleted on this copy: nothing to edit here
            if text is None:
                delete_note(store, note.id)
                gone.add((side, key))
            else:
                update_note(store, note.id, text=text)
            newest[key] = text
        order = [("A", "B"), ("B", "A")] if not laptop_first else [("B", "A"), ("A", "B")]
        for into, source in order:
            _sync(*stores[into], *stores[source])
        assert _records(server, rid) == _records(laptop, lid)
        notes = {n.public_id: n.text for n in load_bundle(server, rid).notes}
        for key in IDS:
            assert notes.get(key) == newest[key]
    finally:
        server.close()
        laptop.close()


def _only_retro(store: Store) -> str:
    (row,) = store.retrospectives()
    return row[0].id


TAGS = ("t1", "t2", "t3")
AUTHORS = {"A": "Ana", "B": "Ben"}

# (side, note edit or label change): a note gets new text (or is deleted) by that side's
# person; a tag is added (True) or removed (False).
mixed_edits = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from("AB"),
            st.just("note"),
            st.sampled_from(IDS),
            st.one_of(st.none(), st.sampled_from(["x", "y"])),
        ),
        st.tuples(st.sampled_from("AB"), st.just("tag"), st.sampled_from(TAGS), st.booleans()),
    ),
    max_size=12,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mixed_edits, st.booleans())
def test_labels_and_authors_converge_and_keep_every_newer_change(
    tmp_path: Path, script: list[tuple[str, str, str, str | bool | None]], laptop_first: bool
) -> None:
    """Add and remove tags and edit notes (text and author) on a server and a laptop copy,
    in any interleaving, then sync both ways from either side: the copies hold the same
    records; each tag is there exactly when its last change on either copy added it; each
    note says what its newest edit said, by whom."""
    from retrotui.models import Retrospective
    from retrotui.services.labels import change_labels, labels_of

    seed = {
        "version": 1,
        "id": "r",
        "title": "T",
        "notes": [{"id": key, "text": "start", "author": "Cleo"} for key in IDS],
    }
    server, laptop = _fresh(tmp_path, "server.db"), _fresh(tmp_path, "laptop.db")
    try:
        rid = import_document(server, parse_document(json.dumps(seed), source="s")).retro_id
        change_labels(server, server.get(Retrospective, rid), add_tags=["t1", "t2"])
        _sync(laptop, "", server, rid)
        lid = _only_retro(laptop)
        stores = {"A": (server, rid), "B": (laptop, lid)}
        tagged = {tag: tag in ("t1", "t2") for tag in TAGS}
        newest: dict[str, tuple[str, str] | None] = {key: ("start", "Cleo") for key in IDS}
        for side, what, key, change in script:
            store, retro_id = stores[side]
            if what == "tag":
                present = key in labels_of(store, retro_id).tags
                if present != change:  # a change that changes nothing leaves no trace
                    retro = store.get(Retrospective, retro_id)
                    added, removed = ([key], []) if change else ([], [key])
                    change_labels(store, retro, add_tags=added, remove_tags=removed)
                    tagged[key] = bool(change)
                continue
            notes = load_bundle(store, retro_id).notes
            note = next((n for n in notes if n.public_id == key), None)
            if note is None:
                continue  # deleted on this copy: nothing to edit here
            if change is None:
                delete_note(store, note.id)
                newest[key] = None
            else:
                update_note(store, note.id, text=change, author=AUTHORS[side])
                newest[key] = (str(change), AUTHORS[side])
        order = [("A", "B"), ("B", "A")] if not laptop_first else [("B", "A"), ("A", "B")]
        for into, source in order:
            _sync(*stores[into], *stores[source])
        assert _records(server, rid) == _records(laptop, lid)
        for store, retro_id in stores.values():
            assert set(labels_of(store, retro_id).tags) == {t for t in TAGS if tagged[t]}
            notes = {n.public_id: (n.text, n.author) for n in load_bundle(store, retro_id).notes}
            for key in IDS:
                assert notes.get(key) == newest[key]
    finally:
        server.close()
        laptop.close()
