"""Live updates on each engine: the fingerprint the app polls once a second changes with
every change another process commits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from retrotui.models import ActionItem, Note, Retrospective
from retrotui.store.repository import Store


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Store, Store]]:
    mine, theirs = Store.open(db_url), Store.open(db_url)
    yield mine, theirs
    mine.close()
    theirs.close()


def test_another_persons_changes_move_the_fingerprints(two: tuple[Store, Store]) -> None:
    mine, theirs = two
    retro = theirs.add(Retrospective(title="shared"))
    seen, overview = mine.fingerprint(retro.id), mine.overview_fingerprint()
    note = theirs.add(Note(retro_id=retro.id, text="added"))
    assert mine.fingerprint(retro.id) != seen
    seen = mine.fingerprint(retro.id)
    theirs.update(Note, note.id, text="edited")
    assert mine.fingerprint(retro.id) != seen
    seen = mine.fingerprint(retro.id)
    theirs.delete(Note, note.id)
    assert mine.fingerprint(retro.id) != seen
    action = theirs.add(ActionItem(retro_id=retro.id, title="fix it"))
    assert mine.overview_fingerprint() != overview
    overview = mine.overview_fingerprint()
    theirs.update(ActionItem, action.id, title="fix it properly")
    assert mine.overview_fingerprint() != overview


def test_an_edit_stamped_earlier_but_committed_later_still_shows(
    two: tuple[Store, Store], db_url: str
) -> None:
    """On PostgreSQL writers commit side by side: an edit whose updated_at is older than
    the newest one (stamped before another writer's, committed after it) must still be
    seen."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite commits writers one at a time, in the order they stamp")
    mine, theirs = two
    older = theirs.add(Retrospective(title="older"))
    retro = theirs.add(Retrospective(title="shared"))
    note = theirs.add(Note(retro_id=retro.id, text="first"))
    theirs.add(Note(retro_id=retro.id, text="newer"))
    seen, overview = mine.fingerprint(retro.id), mine.overview_fingerprint()
    engine = sa.create_engine(db_url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        stamp_old = "updated_at = '2000-01-01'"
        conn.execute(
            sa.text(f"UPDATE note SET text = 'late', {stamp_old} WHERE id = :i"), {"i": note.id}
        )
    assert mine.fingerprint(retro.id) != seen
    with engine.begin() as conn:
        conn.execute(
            sa.text(f"UPDATE retrospective SET title = 'late', {stamp_old} WHERE id = :i"),
            {"i": older.id},
        )
    engine.dispose()
    assert mine.overview_fingerprint() != overview
