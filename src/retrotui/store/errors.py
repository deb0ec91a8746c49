"""Errors the store raises, each carrying one sentence a user can act on."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from retrotui.errors import UserError


class StoreError(UserError):
    """A database problem the user can do something about; `str()` is the sentence to show."""


class DatabaseLocationError(StoreError):
    """The database path cannot be used (missing or read-only directory)."""


class NotRetrotuiDatabaseError(StoreError):
    """The file exists but is not a retrotui database."""


class CorruptDatabaseError(StoreError):
    """The file is a damaged SQLite database."""


class ReadOnlyDatabaseError(StoreError):
    """The database file cannot be written."""


class NewerSchemaError(StoreError):
    """The database was written by a newer retrotui than this one."""


class DatabaseBusyError(StoreError):
    """Another process held the database for longer than the busy timeout."""


class NotFoundError(StoreError):
    """A record that was asked for does not exist (any more)."""


class DiskFullError(StoreError):
    """The disk (or quota) holding the database is full: nothing is damaged."""


class IncidentRefTakenError(StoreError):
    """Another retrospective already has this incident ref (the database refused it)."""


# How long a write waits for another process's write to end before giving up.
BUSY_TIMEOUT_MS = 5000

# The name of the unique index on incident refs (migration 5); a violation names it.
INCIDENT_REF_INDEX = "uq_retrospective_incident_ref"

# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def _disk_is_full(path: Path | None) -> bool:
    """Is the file system of `path` out of space (or of free blocks for us)?"""
    if path is None:
        return False
    try:
        fs = os.statvfs(path.parent)
    except OSError:
        return False
    return fs.f_bavail * fs.f_frsize < 64 * 1024


def disk_full_sentence(where: str) -> str:
    return (
        f"The disk holding {where} is full; free some space and try again. The database is "
        "not damaged; the last change was not saved."
    )


def describe(exc: BaseException, where: str, path: Path | None = None) -> StoreError:
    """The sentence for a failed database operation, from SQLite's error code (or, for
    other databases, its message). Only SQLite's own verdict of corruption ever says
    "damaged": a full disk, a busy lock or an I/O error must never send a user to restore
    a healthy database from a backup."""
    text = str(exc).lower()
    extended = getattr(exc, "sqlite_errorcode", None)
    code = extended & 0xFF if isinstance(extended, int) else None
    io_error = code == _IOERR or "disk i/o error" in text
    if (
        (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT))
        or code == _FULL
        or "disk is full" in text
        or "no space left" in text
        or (io_error and _disk_is_full(path))
    ):
        return DiskFullError(disk_full_sentence(where))
    if INCIDENT_REF_INDEX in text:
        return IncidentRefTakenError(
            "That incident ref is already used by another retrospective; refs must be unique."
        )
    if code in (_BUSY, _LOCKED) or (code is None and ("locked" in text or "busy" in text)):
        return DatabaseBusyError(
            f"The database stayed busy for more than {BUSY_TIMEOUT_MS // 1000} s (another "
            "retrotui is writing); try again."
        )
    if code == _READONLY or "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"{where} is read-only; the change was not saved.")
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return CorruptDatabaseError(f"{where} is damaged ({exc}); restore it from a backup.")
    if io_error:
        return StoreError(
            f"Cannot read or write {where}: the disk reported an I/O error; check the disk "
            "and try again."
        )
    if code == _CANTOPEN:
        return StoreError(f"Cannot open {where}: {exc}.")
    first_line = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else "?"
    if "connection" in text or "could not connect" in text:
        return StoreError(f"Cannot use the database {where}: cannot connect ({first_line}).")
    return StoreError(f"Database error: {first_line}.")


class DatabaseUnreachableError(StoreError):
    """The database server cannot be reached (stopped, restarting, network down); worth
    retrying, as nothing about the data was refused."""
