"""Opening a database: checks that refuse a wrong file untouched, pragmas, migrations.

SQLite specifics (pragmas, the application id, pre-flight file checks) live here and only
here; everything else works on any SQLAlchemy URL, so a team can point retrotui at
PostgreSQL and share one database.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from retrotui.store import backend, errors
from retrotui.store.migrations import (
    SCHEMA_VERSION,
    migrate,
    read_schema_version,
)
from retrotui.store.repairs import parse_schema_version

# 'RTUI' in the SQLite header (offset 68): marks a file as ours before any table is read.
APPLICATION_ID = 0x52545549
BUSY_TIMEOUT_MS = errors.BUSY_TIMEOUT_MS


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
        found = path.stat()
    except OSError as exc:
        raise errors.DatabaseLocationError(f"Cannot read {path}: {exc.strerror}.") from exc
    if not stat.S_ISREG(found.st_mode):
        # A named pipe would block SQLite (and us) forever; a device is no database.
        kind = "a named pipe" if stat.S_ISFIFO(found.st_mode) else "a device or socket"
        raise errors.DatabaseLocationError(
            f"{path} is {kind}, not a database file; give --db a file path."
        )
    size = found.st_size
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
        raise errors.describe(exc, str(path), path) from exc
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
            version = parse_schema_version(row[0] if row else "0", str(path))
            if version > SCHEMA_VERSION:
                raise errors.NewerSchemaError(
                    f"{path} was written by a newer retrotui (schema {version}; this version "
                    f"knows up to {SCHEMA_VERSION}); upgrade retrotui to open it."
                )
    except sqlite3.DatabaseError as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code == sqlite3.SQLITE_NOTADB:
            raise errors.NotRetrotuiDatabaseError(
                f"{path} is not a retrotui database (SQLite cannot read it: it is not an "
                "SQLite file, or its first page is damaged)."
            ) from exc
        if code == sqlite3.SQLITE_CORRUPT:
            raise errors.CorruptDatabaseError(
                f"{path} is damaged ({exc}); restore it from a backup. retrotui has not changed it."
            ) from exc
        # A full disk, a lock, an I/O error: said as what it is, never as damage.
        raise errors.describe(exc, str(path), path) from exc
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
        # No journal_mode here: switching a database to WAL writes its header, and a
        # database retrotui refuses must be left exactly as it was (see _use_wal).
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the lock at BEGIN (IMMEDIATE) so that busy_timeout applies; a
        # deferred transaction that upgrades to a write can fail at once with
        # "database is locked" when another process writes at the same moment.
        mode = conn.get_execution_options().get("retrotui_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def shown_url(url: str) -> str:
    """The URL as it may be shown in a message: any password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def create_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sa.Engine:
    """An engine with retrotui's settings; performs no I/O for non-SQLite URLs.

    `busy_timeout_ms`: how long a write waits for another process's lock (tests make it
    short to see what happens when it runs out)."""
    shown = shown_url(url)
    try:
        backend_name = make_url(url).get_backend_name()
    except sa.exc.ArgumentError as exc:
        raise errors.StoreError(f"{shown} is not a database URL or file path.") from exc
    is_sqlite = backend_name == "sqlite"
    kwargs: dict[str, Any] = backend.engine_options(backend_name)
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
    elif backend.is_postgresql(engine.dialect):
        backend.check_alive_on_checkout(engine)
    return engine


def _schema_version(conn: sa.Connection, url: str) -> int:
    """The database's schema version (0 for an empty database); refuses foreign ones."""
    current = read_schema_version(conn)
    if current is None:
        if sa.inspect(conn).get_table_names():
            raise errors.NotRetrotuiDatabaseError(
                f"{shown_url(url)} holds tables of another program, not retrotui."
            )
        current = 0
    if current > SCHEMA_VERSION:
        raise errors.NewerSchemaError(
            f"The database was written by a newer retrotui (schema {current}); "
            "upgrade retrotui to open it."
        )
    return current


def _prepare_schema(conn: sa.Connection, url: str, *, is_file: bool) -> list[str]:
    """Create or migrate the schema inside the caller's write transaction; what the
    migrations have to tell the user."""
    backend.lock_schema(conn)  # PostgreSQL: concurrent first users wait here
    current = _schema_version(conn, url)  # again: another process may have migrated it
    notices = migrate(conn, current) if current < SCHEMA_VERSION else []
    if is_file and current == 0:
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    return notices


def _use_wal(engine: sa.Engine, busy_timeout_ms: int) -> None:
    """Switch a file database to WAL once its schema is in place (a no-op, and no lock,
    when it is in WAL already).

    SQLite does not always wait (busy handler) for the switch: with other first users
    opening the same new file at that moment it can answer "database is locked" at
    once. Then look again (someone else may have switched it) and retry, for as long as
    a write would wait."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    pause = 0.005
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        while True:
            (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() == "wal":
                break
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                break
            except sqlite3.OperationalError as exc:
                locked = "locked" in str(exc) or "busy" in str(exc)
                if not locked or time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 0.1)
        cursor.close()
    finally:
        raw.close()


def open_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> tuple[sa.Engine, list[str]]:
    """Check the database, create or migrate its schema; a ready engine, and what the
    migrations have to tell the user (records they set aside or renamed).

    Reading the schema version takes no lock that blocks anyone: a database that is up to
    date opens while another process holds the write lock (a long import, say). Only a
    needed migration waits for the write lock.
    """
    path = sqlite_path(url)
    if path is not None:
        preflight_sqlite(path)
    engine = create_engine(url, busy_timeout_ms=busy_timeout_ms)
    notices: list[str] = []
    try:
        with engine.connect() as conn, conn.begin():
            current = _schema_version(conn, url)
        if current < SCHEMA_VERSION:
            with (
                engine.connect().execution_options(retrotui_begin="IMMEDIATE") as conn,
                conn.begin(),
            ):
                notices = _prepare_schema(conn, url, is_file=path is not None)
        if path is not None:
            _use_wal(engine, busy_timeout_ms)
    except errors.StoreError:
        engine.dispose()
        raise
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        raise translate_db_error(exc, url) from exc
    return engine, notices


def translate_db_error(exc: sa.exc.DBAPIError, where: str) -> errors.StoreError:
    """Turn a driver error into the sentence a user needs (see errors.describe); a lost
    or refused connection to a server is `DatabaseUnreachableError` (worth retrying)."""
    shown = shown_url(where)  # a PostgreSQL URL may carry a password
    if backend.is_unreachable(exc):
        return errors.DatabaseUnreachableError(
            f"Cannot reach the database server of {shown} ({_first_line(exc)}); "
            "check that it is running and reachable, then try again."
        )
    try:
        path = sqlite_path(where)
    except sa.exc.ArgumentError:
        path = None
    return errors.describe(exc.orig if exc.orig is not None else exc, shown, path)


def _first_line(exc: sa.exc.DBAPIError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__
