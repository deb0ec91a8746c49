"""The change feed: what changed in a retrospective since a terminal last looked.

`change_log` gets one row per inserted, updated or deleted record of a retrospective,
written by triggers in the same transaction as the change, so every write path (the app,
the CLI, imports, copies, repairs) is in it and a change and its log row commit together.
A terminal remembers where it stopped (a `Cursor`) and reads only newer rows, then only
the records they name.

- SQLite: writers commit one at a time, so `seq` (AUTOINCREMENT: never reused, no gaps
  left by rollbacks) is the commit order and "rows after my last seq" is exact. Before any
  query, `PRAGMA data_version` on a connection of its own tells whether anyone committed
  at all since the last look; idle terminals ask nothing else.
- PostgreSQL: writers commit side by side, so a row with a lower seq can commit after a
  higher one. Each row keeps its transaction id (`xid8`), and the cursor is the snapshot of
  the last read: the new rows are those whose transaction that snapshot could not see
  (`pg_visible_in_snapshot`), whatever order they committed in.

Rows older than an hour are trimmed; a terminal that has not looked for half that long
reads everything again rather than trust a log that may have lost rows.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

import sqlalchemy as sa

from retrotui.models import UTCDateTime

# The tables whose rows a meeting screen shows, and the SQL for a row's retrospective.
LOGGED: dict[str, str] = {
    "retrospective": "id",
    "participant": "retro_id",
    "timeline_event": "retro_id",
    "note": "retro_id",
    "why_chain": "retro_id",
    "why": "retro_id",
    "action_item": "retro_id",
    "retro_label": "retro_id",
}
KEEP_SECONDS = 3600
# A reader that has not looked for this long reads everything again (the log is trimmed).
STALE_SECONDS = KEEP_SECONDS / 2
TRIM_EVERY_SECONDS = 300.0

_md = sa.MetaData()
change_log = sa.Table(
    "change_log",
    _md,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("retro_id", sa.String(64), nullable=False),
    sa.Column("tbl", sa.String(32), nullable=False),
    sa.Column("record_id", sa.String(64), nullable=False),
    sa.Column("op", sa.String(8), nullable=False),
    # The record's updated_at as written (NULL for a delete): a terminal that merged its
    # own save already has that version and need not read it back.
    sa.Column("stamp", UTCDateTime()),
    sa.Column("at", sa.BigInteger, nullable=False),  # Unix seconds, for trimming
    sa.Index("ix_change_log_retro_seq", "retro_id", "seq"),
    sqlite_autoincrement=True,
)


def create_change_log(conn: sa.Connection) -> None:
    """The table and its triggers (migration 12)."""
    change_log.create(conn)
    if conn.dialect.name == "postgresql":
        _create_postgresql_triggers(conn)
    else:
        _create_sqlite_triggers(conn)


_NOW = "CAST(strftime('%s', 'now') AS INTEGER)"


def _sqlite_trigger(table: str, op: str) -> str:
    retro = LOGGED[table]
    row = "old" if op == "delete" else "new"
    stamp = "NULL" if op == "delete" else f"{row}.updated_at"
    when = ""
    if table == "retrospective" and op == "update":
        # Moving the meeting mirrors its stage and event without a new stamp: the meeting
        # feed carries those, not this one.
        when = "WHEN new.updated_at IS NOT old.updated_at "
    elif table != "retrospective" and op == "delete":
        # Rows that go with their deleted retrospective: its own row says it all.
        when = f"WHEN EXISTS (SELECT 1 FROM retrospective WHERE id = old.{retro}) "
    return (
        f"CREATE TRIGGER change_log_{table}_{op} AFTER {op.upper()} ON {table} "
        f"{when}BEGIN INSERT INTO change_log (retro_id, tbl, record_id, op, stamp, at) "
        f"VALUES ({row}.{retro}, '{table}', {row}.id, '{op}', {stamp}, {_NOW}); END"
    )


def _create_sqlite_triggers(conn: sa.Connection) -> None:
    for table in LOGGED:
        for op in ("insert", "update", "delete"):
            conn.exec_driver_sql(_sqlite_trigger(table, op))


@contextmanager
def bulk_logging(conn: sa.Connection, table: str) -> Iterator[None]:
    """Log rows inserted into `table` inside the block with one INSERT ... SELECT at its
    end instead of a trigger firing per row (a bulk import), inside the caller's write
    transaction: the same log rows, in insertion order. Only inserts may happen inside the
    block. Elsewhere than SQLite (or before migration 12) the triggers do it."""
    name = f"change_log_{table}_insert"
    run = conn.exec_driver_sql
    present = (
        conn.dialect.name == "sqlite"
        and table in LOGGED
        and run(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
        ).scalar()
    )
    if not present:
        yield
        return
    rows_before = run(f"SELECT coalesce(max(rowid), 0) FROM {table}").scalar()
    run(f"DROP TRIGGER {name}")
    yield
    run(
        "INSERT INTO change_log (retro_id, tbl, record_id, op, stamp, at) "
        f"SELECT {LOGGED[table]}, '{table}', id, 'insert', updated_at, {_NOW} "
        f"FROM {table} WHERE rowid > ? ORDER BY rowid",
        (rows_before,),
    )
    run(_sqlite_trigger(table, "insert"))


_PG_FUNCTION = """
CREATE FUNCTION retrotui_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rid varchar;
    rec_id varchar;
    stamp timestamp without time zone;  -- sa.DateTime, as UTCDateTime stores it
BEGIN
    IF TG_OP = 'DELETE' THEN
        rec_id := OLD.id;
        IF TG_TABLE_NAME = 'retrospective' THEN
            rid := OLD.id;
        ELSE
            rid := OLD.retro_id;
            IF NOT EXISTS (SELECT 1 FROM retrospective WHERE id = rid) THEN
                RETURN NULL;
            END IF;
        END IF;
    ELSE
        IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'retrospective'
           AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
            RETURN NULL;
        END IF;
        rec_id := NEW.id;
        IF TG_TABLE_NAME = 'retrospective' THEN
            rid := NEW.id;
        ELSE
            rid := NEW.retro_id;
        END IF;
        stamp := NEW.updated_at;
    END IF;
    INSERT INTO change_log (retro_id, tbl, record_id, op, stamp, at)
    VALUES (rid, TG_TABLE_NAME, rec_id, lower(TG_OP), stamp,
            CAST(extract(epoch FROM now()) AS bigint));
    RETURN NULL;
END $$
"""


def _create_postgresql_triggers(conn: sa.Connection) -> None:
    run = conn.exec_driver_sql
    run("ALTER TABLE change_log ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()")
    run(_PG_FUNCTION)
    for table in LOGGED:
        run(
            f"CREATE TRIGGER change_log_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION retrotui_log_change()"
        )


@dataclass(frozen=True)
class Change:
    table: str
    record_id: str
    op: str  # insert, update, delete
    stamp: datetime | None


@dataclass(frozen=True)
class Cursor:
    """Where a terminal stopped reading the log: the last seq (SQLite) or the snapshot of
    the last read (PostgreSQL), and when (Unix seconds: a machine that slept counts the sleep)."""

    seq: int
    snapshot: str | None
    read_at: float

    @property
    def stale(self) -> bool:
        return time.time() - self.read_at > STALE_SECONDS


def cursor_now(conn: sa.Connection) -> Cursor:
    """The cursor for everything this transaction sees (call inside the read transaction)."""
    if conn.dialect.name == "postgresql":
        snapshot = conn.exec_driver_sql("SELECT CAST(pg_current_snapshot() AS text)").scalar()
        return Cursor(0, str(snapshot), time.time())
    seq = conn.execute(sa.select(sa.func.max(change_log.c.seq))).scalar()
    return Cursor(int(seq or 0), None, time.time())


def changes_since(conn: sa.Connection, retro_id: str, cursor: Cursor) -> list[Change]:
    """The log rows of a retrospective after `cursor`, oldest first, inside the caller's
    read transaction (take `cursor_now` in the same one)."""
    c = change_log.c
    query = sa.select(c.tbl, c.record_id, c.op, c.stamp).where(c.retro_id == retro_id)
    if cursor.snapshot is not None:
        query = query.where(
            sa.text(
                "xid >= pg_snapshot_xmin(CAST(:snap AS pg_snapshot)) "
                "AND NOT pg_visible_in_snapshot(xid, CAST(:snap AS pg_snapshot))"
            ).bindparams(snap=cursor.snapshot)
        )
    else:
        query = query.where(c.seq > cursor.seq)
    return [Change(*row) for row in conn.execute(query.order_by(c.seq))]


def trim(conn: sa.Connection, now: float | None = None) -> None:
    """Forget log rows older than KEEP_SECONDS (inside a write transaction)."""
    cutoff = int((time.time() if now is None else now) - KEEP_SECONDS)
    conn.execute(sa.delete(change_log).where(change_log.c.at < cutoff))


class CommitWatch:
    """`PRAGMA data_version` on a connection of its own: it changes when any other
    connection (of this process or another) commits to the database file, and asking costs
    no lock and no read of a table. Not for other engines: `changed()` is always True."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._last: dict[str, int] = {}

    def changed(self, key: str) -> bool:
        """Whether anything was committed since the last call with this key (the first
        call says True). Keys let several readers (the feed, the meeting) share it."""
        if self.path is None:
            return True
        with self._lock:
            try:
                if self._conn is None:
                    # Read-only: it never writes, and never creates a file that is not there.
                    uri = f"file:{quote(self.path)}?mode=ro"
                    self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                version = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                # Cannot tell (the file moved, a lock): say yes, and the reader reads.
                self._last.pop(key, None)
                return True
            before = self._last.get(key)
            self._last[key] = version
        return before != version

    def forget(self, key: str) -> None:
        """The next `changed(key)` says True (a read failed and must be tried again)."""
        with self._lock:
            self._last.pop(key, None)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def group_by_table(changes: Sequence[Change]) -> dict[str, dict[str, Change]]:
    """The last change of each record, by table (a record changed twice is read once)."""
    grouped: dict[str, dict[str, Change]] = {}
    for change in changes:
        grouped.setdefault(change.table, {})[change.record_id] = change
    return grouped
