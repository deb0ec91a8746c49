"""Opening a database: checks that refuse a wrong file untouched, pragmas, migrations.

SQLite specifics (pragmas, the application id, pre-flight file checks) live here and only
here; everything else works on any SQLAlchemy URL, so a team can point retrotui at
PostgreSQL and share one database.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from retrotui.store import errors
from retrotui.store.migrations import SCHEMA_VERSION, migrate, read_schema_version

# 'RTUI' in the SQLite header (offset 68): marks a file as ours before any table is read.
APPLICATION_ID = 0x52545549
BUSY_TIMEOUT_MS = 5000


def url_for_path(path: Path) -> str:
    # URL.create escapes "#", "?" and "%" that a path may hold; a formatted string would
    # let SQLAlchemy read them as URL syntax and open a different file.
    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def is_writable(path: Path) -> bool:
    """Writable by us, and not marked read-only by its mode bits.

    The mode check matters when running as root, where os.access says yes to a file that
    its owner deliberately made read-only with chmod.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(mode & 0o222)


def preflight_sqlite(path: Path) -> None:
    """Refuse, without writing a byte, any file retrotui must not open for writing."""
    if not path.parent.is_dir():
        raise errors.DatabaseLocationError(
            f"The folder {path.parent} does not exist; create it or choose another --db path."
        )
    if not path.exists():
        if not is_writable(path.parent):
            raise errors.DatabaseLocationError(
                f"Cannot create a database in {path.parent}: the folder is read-only."
            )
        return
    if path.is_dir():
        raise errors.DatabaseLocationError(f"{path} is a folder, not a database file.")
    # Only SQLite ever opens the database file, never a plain open(): closing any file
    # descriptor of a file drops every POSIX lock this process holds on it, so a header
    # read here while a connection of this process is open (`retrotui open REF` opens the
    # store, then the app opens it again) let another process think it was alone,
    # checkpoint and delete the WAL under us, and our later commits went to a deleted
    # file. SQLite's own connections share one descriptor per file within a process.
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise errors.DatabaseLocationError(f"Cannot read {path}: {exc.strerror}.") from exc
    if not os.access(path, os.R_OK):
        raise errors.DatabaseLocationError(f"Cannot read {path}: permission denied.")
    if size == 0:
        return  # an empty file (say, from `touch`) is a database waiting to be made
    _inspect_readonly(path)
    # WAL needs to create -wal/-shm files beside the database, so the folder must be
    # writable too.
    if not is_writable(path) or not is_writable(path.parent):
        raise errors.ReadOnlyDatabaseError(
            f"{path} is read-only; retrotui saves every edit as it is made, so it needs "
            "write access to the file and its folder."
        )


def _inspect_readonly(path: Path) -> None:
    """Look inside with a read-only connection: damaged? foreign? newer than us?"""
    # With no -wal file beside it, nobody is using the database: open it immutable so that
    # not even -wal/-shm files get created next to a file we may be about to refuse. With
    # one, a plain read-only connection sees the latest committed state.
    wal_exists = path.with_name(path.name + "-wal").exists()
    options = "mode=ro" if wal_exists else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?{options}", uri=True)
    except sqlite3.Error as exc:
        raise errors.CorruptDatabaseError(f"{path} cannot be opened: {exc}.") from exc
    try:
        check = conn.execute("PRAGMA quick_check(1)").fetchone()
        if check is None or check[0] != "ok":
            raise errors.CorruptDatabaseError(
                f"{path} is damaged (SQLite integrity check failed); restore it from a "
                "backup. retrotui has not changed it."
            )
        # Read through SQLite, not from the file header: right after a database is made,
        # the new application id may still sit in the WAL rather than in the main file.
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if app_id != APPLICATION_ID and (app_id != 0 or tables):
            raise errors.NotRetrotuiDatabaseError(
                f"{path} is an SQLite database of another program, not retrotui."
            )
        if "retrotui_meta" in tables:
            row = conn.execute(
                "SELECT value FROM retrotui_meta WHERE key = 'schema_version'"
            ).fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise errors.NewerSchemaError(
                    f"{path} was written by a newer retrotui (schema {version}; this version "
                    f"knows up to {SCHEMA_VERSION}); upgrade retrotui to open it."
                )
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise errors.NotRetrotuiDatabaseError(
                f"{path} is not a retrotui database (SQLite cannot read it: it is not an "
                "SQLite file, or its first page is damaged)."
            ) from exc
        raise errors.CorruptDatabaseError(
            f"{path} is damaged ({exc}); restore it from a backup. retrotui has not changed it."
        ) from exc
    finally:
        conn.close()


def _install_sqlite_pragmas(engine: sa.Engine, busy_timeout_ms: int) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (see _on_begin); the driver's own implicit
        # transactions cannot take the write lock up front.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the lock at BEGIN (IMMEDIATE) so that busy_timeout applies; a
        # deferred transaction that upgrades to a write can fail at once with
        # "database is locked" when another process writes at the same moment.
        mode = conn.get_execution_options().get("retrotui_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _without_password(url: str) -> str:
    """The URL as it may be shown in a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def create_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sa.Engine:
    """An engine with retrotui's settings; performs no I/O for non-SQLite URLs.

    `busy_timeout_ms`: how long a write waits for another process's lock (tests make it
    short to see what happens when it runs out)."""
    shown = _without_password(url)
    try:
        is_sqlite = make_url(url).get_backend_name() == "sqlite"
    except sa.exc.ArgumentError as exc:
        raise errors.StoreError(f"{shown} is not a database URL or file path.") from exc
    kwargs: dict[str, Any] = {}
    if is_sqlite:
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
    try:
        engine = sa.create_engine(url, **kwargs)
    except sa.exc.NoSuchModuleError as exc:
        raise errors.StoreError(
            f"Cannot use the database {shown}: {make_url(url).drivername!r} is not a database "
            "it knows (use a file path, or a sqlite:// or postgresql:// URL)."
        ) from exc
    except ImportError as exc:
        raise errors.StoreError(
            f"Cannot use the database {shown}: its database driver ({exc.name}) is not installed."
        ) from exc
    if is_sqlite:
        _install_sqlite_pragmas(engine, busy_timeout_ms)
    return engine


def _prepare_schema(conn: sa.Connection, url: str, *, is_file: bool) -> None:
    """Create or migrate the schema inside the caller's write transaction."""
    current = read_schema_version(conn)
    if current is None:
        if sa.inspect(conn).get_table_names():
            raise errors.NotRetrotuiDatabaseError(
                f"{url} holds tables of another program, not retrotui."
            )
        current = 0
    if current > SCHEMA_VERSION:
        raise errors.NewerSchemaError(
            f"The database was written by a newer retrotui (schema {current}); "
            "upgrade retrotui to open it."
        )
    if current < SCHEMA_VERSION:
        migrate(conn, current)
    if is_file and current == 0:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def open_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sa.Engine:
    """Check the database, create or migrate its schema, and return a ready engine."""
    path = sqlite_path(url)
    if path is not None:
        preflight_sqlite(path)
    engine = create_engine(url, busy_timeout_ms=busy_timeout_ms)
    try:
        with (
            engine.connect().execution_options(retrotui_begin="IMMEDIATE") as conn,
            conn.begin(),
        ):
            _prepare_schema(conn, url, is_file=path is not None)
    except errors.StoreError:
        engine.dispose()
        raise
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise translate_db_error(exc, url) from exc
    return engine


def translate_db_error(exc: sa.exc.DBAPIError, where: str) -> errors.StoreError:
    """Turn a driver error into the sentence a user needs."""
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "locked" in text or "busy" in text:
        return errors.DatabaseBusyError(
            "The database stayed busy for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s (another retrotui is writing); try again."
        )
    if "readonly" in text or "read-only" in text:
        return errors.ReadOnlyDatabaseError(f"{where} is read-only; the change was not saved.")
    if "malformed" in text or "not a database" in text:
        return errors.CorruptDatabaseError(
            f"{where} is damaged ({exc.orig}); restore it from a backup."
        )
    if "disk" in text and ("full" in text or "i/o" in text):
        return errors.StoreError(f"Cannot write to {where}: {exc.orig}.")
    return errors.StoreError(f"Database error: {exc.orig}.")
