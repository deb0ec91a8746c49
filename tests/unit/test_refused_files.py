"""Files retrotui must refuse: one clear sentence, and the file left byte for byte as it was."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from retrotui.models import Retrospective
from retrotui.store import errors
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _real_db(path: Path) -> None:
    store = Store.open(url_for_path(path))
    for n in range(40):
        store.add(Retrospective(title=f"retro {n}", summary="x" * 500))
    store.close()


def _text_file(path: Path) -> None:
    path.write_text("meeting notes, not a database\n")


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")


def _corrupt(path: Path) -> None:
    _real_db(path)
    data = bytearray(path.read_bytes())
    # Scribble over the middle pages, keeping the header intact so it still looks like ours.
    data[4096 : 4096 * 3] = b"\xde\xad\xbe\xef" * 2048
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    _real_db(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _newer_schema(path: Path) -> None:
    _real_db(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE retrotui_meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _read_only(path: Path) -> None:
    _real_db(path)
    path.chmod(0o444)


CASES: list[tuple[str, Callable[[Path], None], type[errors.StoreError], str]] = [
    ("text file", _text_file, errors.NotRetrotuiDatabaseError, "not a retrotui database"),
    ("foreign sqlite", _foreign_sqlite, errors.NotRetrotuiDatabaseError, "another program"),
    ("corrupt", _corrupt, errors.CorruptDatabaseError, "damaged"),
    ("truncated", _truncated, errors.CorruptDatabaseError, "damaged"),
    ("newer schema", _newer_schema, errors.NewerSchemaError, "newer retrotui"),
    ("read-only", _read_only, errors.ReadOnlyDatabaseError, "read-only"),
]


@pytest.mark.parametrize(
    ("make", "error", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_and_untouched(
    tmp_path: Path, make: Callable[[Path], None], error: type[errors.StoreError], phrase: str
) -> None:
    """The store refuses the file with a sentence naming the problem and changes nothing."""
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "retro.db"
    make(path)
    before = _snapshot(folder)
    with pytest.raises(error, match=phrase) as caught:
        Store.open(url_for_path(path))
    assert str(caught.value).endswith(".")
    assert "\n" not in str(caught.value)
    assert _snapshot(folder) == before
    path.chmod(0o644)


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    """A --db in a folder that does not exist is an error, not a silent mkdir."""
    with pytest.raises(errors.DatabaseLocationError, match="does not exist"):
        Store.open(url_for_path(tmp_path / "nope" / "retro.db"))
    assert not (tmp_path / "nope").exists()


def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    """A new database cannot be made in a read-only folder."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(errors.DatabaseLocationError, match="read-only"):
            Store.open(url_for_path(folder / "retro.db"))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    """A zero-byte file (from touch) is initialised rather than refused."""
    path = tmp_path / "touched.db"
    path.touch()
    store = Store.open(url_for_path(path))
    store.add(Retrospective(title="ok"))
    assert len(store.retrospectives()) == 1
    assert os.path.getsize(path) > 0 or (tmp_path / "touched.db-wal").exists()
