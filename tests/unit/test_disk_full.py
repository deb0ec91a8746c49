"""A full disk is said to be a full disk: never "damaged; restore it from a backup"."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from retrotui.cli import main
from retrotui.models import Retrospective
from retrotui.store import errors
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store


def _healthy(path: Path) -> None:
    store = Store.open(url_for_path(path))
    store.add(Retrospective(title="kept"))
    store.close()


def _failing_reads(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """The pre-flight's read-only look inside fails as SQLite fails on a full disk."""
    real = sqlite3.connect

    def connect(target: str, *args: Any, **kwargs: Any) -> Any:
        conn = real(target, *args, **kwargs)
        if "mode=ro" not in str(target):
            return conn

        class Failing:
            def execute(self, *_: Any) -> Any:
                raise sqlite3.OperationalError(message)

            def close(self) -> None:
                conn.close()

        return Failing()

    monkeypatch.setattr(sqlite3, "connect", connect)


def _no_space(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.statvfs

    def statvfs(path: Any) -> Any:
        found = real(path)
        return os.statvfs_result((*found[:4], 0, *found[5:]))  # f_bavail = 0

    monkeypatch.setattr(os, "statvfs", statvfs)


def _says_full_not_damaged(error: BaseException) -> None:
    text = str(error)
    assert isinstance(error, errors.DiskFullError), text
    assert "is full; free some space" in text
    assert "damaged" not in text.replace("not damaged", "") and "backup" not in text


def test_opening_on_a_full_disk_says_so(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _healthy(db_path)
    _failing_reads(monkeypatch, "database or disk is full")
    with pytest.raises(errors.StoreError) as caught:
        Store.open(url_for_path(db_path))
    _says_full_not_damaged(caught.value)


def test_an_io_error_on_a_full_file_system_says_full(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _healthy(db_path)
    _failing_reads(monkeypatch, "disk I/O error")
    _no_space(monkeypatch)
    with pytest.raises(errors.StoreError) as caught:
        Store.open(url_for_path(db_path))
    _says_full_not_damaged(caught.value)


def test_an_io_error_with_space_left_is_not_called_damage(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _healthy(db_path)
    _failing_reads(monkeypatch, "disk I/O error")
    with pytest.raises(errors.StoreError, match="I/O error") as caught:
        Store.open(url_for_path(db_path))
    assert "damaged" not in str(caught.value) and "backup" not in str(caught.value)


def test_a_write_on_a_full_disk_says_so_and_the_database_stays_usable(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _healthy(db_path)
    store = Store.open(url_for_path(db_path))

    def full(*_: Any) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    sa.event.listen(store.engine, "before_cursor_execute", full)
    with pytest.raises(errors.StoreError) as caught:
        store.add(Retrospective(title="lost to the full disk"))
    _says_full_not_damaged(caught.value)
    sa.event.remove(store.engine, "before_cursor_execute", full)
    store.close()
    again = Store.open(url_for_path(db_path))
    assert [r.title for r, _ in again.retrospectives()] == ["kept"]
    again.close()


def test_no_room_for_the_default_database_folder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "mkdir", mkdir)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("retrotui: Cannot create the folder ")
    assert err.strip().endswith(": the disk is full.")
