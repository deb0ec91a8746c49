"""What differs between the database engines, behind one small interface.

SQLite lets one process write at a time: every write transaction takes the write lock at
BEGIN IMMEDIATE (engine.py), so schema changes and position allocation are serial by
construction. PostgreSQL runs writers side by side, so the same guarantees need explicit
locks, taken here and only here:

- `lock_schema`: a transaction-level advisory lock around schema creation and migrations,
  so twenty processes opening an empty database at once wait for the first instead of
  racing it into duplicate-key errors on the system catalogue;
- `lock_retrospectives`: a row lock on the parent retrospective before a child's next
  position is read, so concurrent writers never hand out the same position;
- `change_marker`: what the live-update fingerprint sums up to notice an edit (below);
- `is_unreachable`: whether a driver error means the server is gone (restart, network,
  sleep): such failures are worth retrying, unlike a refused value.
"""

from __future__ import annotations

import select
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

# 'RTUI', as in SQLite's application id: the key of the schema advisory lock.
SCHEMA_LOCK_KEY = 0x52545549
# Seconds a connection attempt to a server may take before it counts as unreachable.
CONNECT_TIMEOUT_S = 5

_retrospective = sa.table("retrospective", sa.column("id"))


def is_postgresql(dialect: sa.Dialect) -> bool:
    return dialect.name == "postgresql"


def engine_options(backend: str) -> dict[str, Any]:
    """Extra `create_engine` arguments for a server database."""
    if backend != "postgresql":
        return {}
    # A pooled connection that died with a server restart is replaced on checkout
    # (`check_alive_on_checkout`) instead of failing the next save.
    return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}


def check_alive_on_checkout(engine: sa.Engine) -> None:
    """Replace a pooled connection the server has closed before it is used.

    A server that stops or restarts closes its connections, which leaves their sockets
    readable (the termination message, then end of file), while a healthy idle connection
    has nothing to read (we never LISTEN). So a zero-timeout `select` on the socket tells
    them apart without a round trip; SQLAlchemy's `pool_pre_ping` sent a `SELECT 1` on
    every checkout, a third of the time of each committed edit (bench `pg_edit_commit`).
    A connection lost without a word (network gone) fails its statement instead, which
    reads as unreachable, is retried by the app, and invalidates the pool."""

    @sa.event.listens_for(engine, "checkout")
    def _alive(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        try:
            readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
        except (OSError, ValueError) as exc:  # closed: no descriptor any more
            raise sa.exc.DisconnectionError() from exc
        if readable or getattr(dbapi_connection, "broken", False):
            raise sa.exc.DisconnectionError()


def lock_schema(conn: sa.Connection) -> None:
    """Serialise schema creation and migrations; released when the transaction ends."""
    if is_postgresql(conn.dialect):
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK_KEY)))


def lock_retrospectives(conn: sa.Connection, retro_ids: Iterable[str]) -> None:
    """Hold the parent rows until the transaction ends, so positions read after this are
    not being handed out by another writer. NO KEY UPDATE does not block the foreign-key
    checks of inserts into the same retrospective, only other allocators; ids are locked
    in sorted order so two writers never wait on each other in a circle."""
    if not is_postgresql(conn.dialect):
        return  # the SQLite write lock, held since BEGIN IMMEDIATE, already serialises
    ids = sorted(set(retro_ids))
    if ids:
        conn.execute(
            sa.select(_retrospective.c.id)
            .where(_retrospective.c.id.in_(ids))
            .order_by(_retrospective.c.id)
            .with_for_update(key_share=True)
        )


def change_marker(dialect: sa.Dialect, model: Any) -> sa.ColumnElement[Any]:
    """An aggregate over a table's rows that changes when any of them is edited.

    SQLite: max(updated_at); its writers commit one at a time, in the order they stamp.
    PostgreSQL: writers commit side by side, so an edit stamped earlier can commit after
    a later one and leave max(updated_at) where it was; the sum of the rows' xmin (the
    transaction that last wrote each row) changes with every committed write, whatever
    the order. Polling this once a second is how another person's change appears within
    a second on both engines (docs/architecture.md says why not LISTEN/NOTIFY).
    """
    if is_postgresql(dialect):
        xmin = sa.cast(
            sa.cast(sa.literal_column(f"{model.__tablename__}.xmin"), sa.Text), sa.BigInteger
        )
        return sa.func.sum(xmin)
    return sa.func.max(model.updated_at)


def stamp_marker(dialect: sa.Dialect, model: Any) -> sa.ColumnElement[Any]:
    """max(updated_at), typed to sit beside `change_marker` in one UNION on either engine."""
    if is_postgresql(dialect):
        return sa.func.extract("epoch", sa.func.max(model.updated_at))
    return sa.func.max(model.updated_at)


# SQLSTATE classes and codes that mean "the server is not there (right now)".
_GONE_STATES = ("08", "57P01", "57P02", "57P03")


def is_unreachable(exc: sa.exc.DBAPIError) -> bool:
    """A lost or refused connection to a database server, not a problem with the data."""
    if exc.connection_invalidated:
        return True
    orig = exc.orig
    module = type(orig).__module__ if orig is not None else ""
    if not module.startswith("psycopg"):
        return False
    state = getattr(orig, "sqlstate", None)
    if state is None:
        # psycopg raises OperationalError without SQLSTATE when it cannot connect at all.
        return isinstance(exc, sa.exc.OperationalError)
    return str(state).startswith(_GONE_STATES)
