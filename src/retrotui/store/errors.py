"""Errors the store raises, each carrying one sentence a user can act on."""

from __future__ import annotations

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
