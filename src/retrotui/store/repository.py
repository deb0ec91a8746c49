"""The Store: every read and write of retrospective data, each write committed at once.

It is the only code that opens a Session. Records leave it detached
(`expire_on_commit=False`), as plain objects the UI and CLI can hold without a live
Session behind them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from retrotui.models import (
    MEETING_STATE,
    ActionItem,
    ActionStatus,
    ChildRecord,
    Record,
    Retrospective,
    TimelineEvent,
    utcnow,
)
from retrotui.store import backend, errors, lengths
from retrotui.store.bulk import insert_rows, insert_table_rows
from retrotui.store.changes import CommitWatch
from retrotui.store.engine import BUSY_TIMEOUT_MS, open_engine, translate_db_error
from retrotui.store.listing import COLUMNS as LIST_COLUMNS
from retrotui.store.listing import RetroListRow, rows_from

__all__ = ["Store", "insert_rows", "insert_table_rows"]  # bulk inserts live in store/bulk.py

R = TypeVar("R", bound=Record)
C = TypeVar("C", bound=ChildRecord)

OPEN_STATUSES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)


class Store:
    """A retrotui database. `Store.open(url)` checks, migrates and returns one."""

    def __init__(self, engine: sa.Engine, url: str, notices: Sequence[str] = ()) -> None:
        self.engine = engine
        self.url = url
        # What opening it had to tell the user (from migrations), one sentence each.
        self.notices = list(notices)
        self._writer = engine.execution_options(retrotui_begin="IMMEDIATE")
        # The read transaction of `snapshot()`, per thread; reads inside it use it.
        self._local = threading.local()
        self._watch: CommitWatch | None = None

    @classmethod
    def open(cls, url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        engine, notices = open_engine(url, busy_timeout_ms=busy_timeout_ms)
        return cls(engine, url, notices)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
        self.engine.dispose()

    @property
    def commit_watch(self) -> CommitWatch:
        """Whether anyone committed since a reader last asked (store/changes.py)."""
        if self._watch is None:
            from retrotui.store.engine import sqlite_path

            path = sqlite_path(self.url) if self.engine.dialect.name == "sqlite" else None
            self._watch = CommitWatch(str(path) if path is not None else None)
        return self._watch

    @contextmanager
    def snapshot(self) -> Iterator[sa.Connection]:
        """One read transaction: `get` and `read_children` inside it (on this thread) all
        see the database as of its first read, so a view never shows half of someone
        else's change. SQLite: a deferred BEGIN keeps one WAL snapshot until it ends;
        PostgreSQL: REPEATABLE READ."""
        if getattr(self._local, "conn", None) is not None:
            yield self._local.conn
            return
        try:
            with self.engine.connect() as conn:
                if self.engine.dialect.name == "postgresql":
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    self._local.conn = conn
                    try:
                        yield conn
                    finally:
                        self._local.conn = None
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc

    # -- sessions ---------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Session]:
        # Inside snapshot(): on its connection, so the reads share its transaction.
        bind = getattr(self._local, "conn", None) or self.engine
        try:
            with Session(bind, expire_on_commit=False) as session:
                yield session
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction holding the write lock; committed when the block ends."""
        try:
            with Session(self._writer, expire_on_commit=False) as session, session.begin():
                lengths.guard(session)
                yield session
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc

    # -- generic record operations -----------------------------------------------------

    def get(self, model: type[R], record_id: str) -> R:
        conn: sa.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:  # inside snapshot(): a plain record from its transaction
            found = self.read_records(model, [record_id])
            if not found:
                raise errors.NotFoundError(f"No {_label(model)} with id {record_id}.")
            return found[0]
        with self.reading() as session:
            record = session.get(model, record_id)
        if record is None:
            raise errors.NotFoundError(f"No {_label(model)} with id {record_id}.")
        return record

    def add(self, record: R) -> R:
        """Insert one record; a child gets the next entry position in its retrospective."""
        with self.writing() as session:
            if isinstance(record, ChildRecord):
                record.position = next_position(session, type(record), record.retro_id)
            session.add(record)
        return record

    def add_all(self, records: Sequence[Record]) -> None:
        """Insert several records in one transaction: all of them or none."""
        with self.writing() as session:
            lock_retrospectives(
                session, (r.retro_id for r in records if isinstance(r, ChildRecord))
            )
            for record in records:
                if isinstance(record, ChildRecord):
                    session.flush()
                    record.position = next_position(session, type(record), record.retro_id)
                session.add(record)

    def update(self, model: type[R], record_id: str, **changes: Any) -> R:
        """Change fields of one record and return it as stored.

        One Core UPDATE ... RETURNING: no read first and no ORM unit of work, because this
        is the path every debounced keystroke takes (see bench/run.py).
        """
        table = model.__table__  # type: ignore[attr-defined]
        lengths.check_values(table, changes)
        now = utcnow()
        if model is Retrospective and set(changes) - MEETING_STATE:
            changes = {**changes, "content_updated_at": now}
        statement = (
            sa.update(table)
            .where(table.c.id == record_id)
            .values(**changes, updated_at=now)
            .returning(*table.c)
        )
        try:
            with self._writer.begin() as conn:
                row = conn.execute(statement).first()
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc
        if row is None:
            raise errors.NotFoundError(f"No {_label(model)} with id {record_id}.")
        return model(**row._mapping)

    def delete(self, model: type[R], record_id: str) -> None:
        """Delete one record; a record inside a retrospective leaves a tombstone."""
        from retrotui.store.tombstones import bury

        with self.writing() as session:
            record = session.get(model, record_id)
            if record is None:
                raise errors.NotFoundError(f"No {_label(model)} with id {record_id}.")
            if isinstance(record, ChildRecord):
                bury(session, [record])
            else:
                session.delete(record)

    def children(self, model: type[C], retro_id: str) -> list[C]:
        """All records of one kind in a retrospective, in their natural order."""
        order: list[Any] = [col(model.position), col(model.id)]
        if model is TimelineEvent:
            order.insert(0, col(TimelineEvent.time))
        with self.reading() as session:
            rows = session.exec(
                select(model).where(col(model.retro_id) == retro_id).order_by(*order)
            ).all()
        return list(rows)

    def read_children(self, model: type[C], retro_id: str) -> list[C]:
        """`children()` for display: the same records, read with one Core statement and
        made without the ORM's per-object bookkeeping (a 10,000-event timeline loads in a
        fraction of the time). They are detached copies to read: never hand them back to a
        Session, and never set their attributes (make changes through the services)."""
        table: sa.Table = model.__table__  # type: ignore[attr-defined]
        order = [table.c.position, table.c.id]
        if model is TimelineEvent:
            order.insert(0, table.c.time)
        query = sa.select(table).where(table.c.retro_id == retro_id).order_by(*order)
        return self._read(model, [query])

    def read_records(self, model: type[R], ids: Sequence[str]) -> list[R]:
        """Records by id, made like `read_children`'s (in no particular order)."""
        table: sa.Table = model.__table__  # type: ignore[attr-defined]
        ids = list(ids)
        chunks = [ids[start : start + 500] for start in range(0, len(ids), 500)]
        return self._read(model, [sa.select(table).where(table.c.id.in_(c)) for c in chunks])

    def _read(self, model: type[R], queries: Sequence[sa.Select[Any]]) -> list[R]:
        records: list[R] = []
        try:
            with self.snapshot() as conn:
                for query in queries:
                    result = conn.execute(query)
                    records += _records(model, list(result.keys()), result)
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc
        return records

    # -- retrospectives ---------------------------------------------------------------

    def retrospectives(self) -> list[tuple[Retrospective, int]]:
        """Every retrospective, newest first, with its number of open action items."""
        open_actions = (
            select(ActionItem.retro_id, func.count().label("n"))
            .where(col(ActionItem.status).in_(OPEN_STATUSES))
            .group_by(col(ActionItem.retro_id))
            .subquery()
        )
        query = (
            select(Retrospective, func.coalesce(open_actions.c.n, 0))
            .outerjoin(open_actions, open_actions.c.retro_id == Retrospective.id)
            .order_by(col(Retrospective.created_at).desc())
        )
        with self.reading() as session:
            return [(retro, int(count)) for retro, count in session.exec(query).all()]

    def retro_list(self) -> list[RetroListRow]:
        """`retrospectives()` as light rows for the lists (home screen, `retrotui list`):
        one Core statement, no ORM objects. SQLite files are usually read without the
        Store at all (store.listing); this is the way for every other database."""
        retro: sa.Table = Retrospective.__table__  # type: ignore[attr-defined]
        action: sa.Table = ActionItem.__table__  # type: ignore[attr-defined]
        open_actions = (
            sa.select(action.c.retro_id, func.count().label("n"))
            .where(action.c.status.in_(OPEN_STATUSES))
            .group_by(action.c.retro_id)
            .subquery()
        )
        query = (
            sa.select(*(retro.c[name] for name in LIST_COLUMNS), func.coalesce(open_actions.c.n, 0))
            .outerjoin(open_actions, open_actions.c.retro_id == retro.c.id)
            .order_by(retro.c.created_at.desc())
        )
        try:
            with self.engine.connect() as conn:
                return rows_from(conn.execute(query))
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc

    def find_retrospectives(self, ref: str) -> list[Retrospective]:
        """Retrospectives whose id or document id starts with `ref`, or whose incident ref
        equals it (case-insensitively)."""
        prefix = ref.lower().replace("%", r"\%").replace("_", r"\_") + "%"
        query = select(Retrospective).where(
            sa.or_(
                func.lower(Retrospective.id).like(prefix, escape="\\"),
                func.lower(Retrospective.doc_id).like(prefix, escape="\\"),
                func.lower(Retrospective.incident_ref) == ref.lower(),
            )
        )
        with self.reading() as session:
            return list(session.exec(query.order_by(col(Retrospective.created_at))).all())

    def fingerprint(self, retro_id: str) -> tuple[object, ...]:
        """A cheap value that changes whenever anything in a retrospective changes
        (store/fingerprints.py); the meeting screen follows the change feed instead."""
        from retrotui.store.fingerprints import retro_fingerprint

        return self._poll(retro_fingerprint(self.engine.dialect, retro_id))

    def overview_fingerprint(self) -> tuple[object, ...]:
        """Changes when any retrospective or action item is added, edited or deleted, here
        or in another process (the lists of all of them poll it)."""
        from retrotui.store.fingerprints import overview_fingerprint

        return self._poll(overview_fingerprint(self.engine.dialect))

    def _poll(self, query: sa.CompoundSelect[Any]) -> tuple[object, ...]:
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc
        return tuple(tuple(row) for row in rows)

    def trim_changes(self) -> None:
        """Forget change-log rows no reader needs any more (store/changes.py)."""
        from retrotui.store.changes import trim

        try:
            with self._writer.begin() as conn:
                trim(conn)
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc

    def touch(self, retro_id: str) -> None:
        """Mark a retrospective as changed (a child record was edited)."""
        self.update(Retrospective, retro_id)


def _records(model: type[R], keys: list[str], rows: Iterable[Sequence[Any]]) -> list[R]:
    """Instances of a table model straight from column values, as they were stored: no
    validation (the values came out of our own columns) and no Session state."""
    new, put = object.__new__, object.__setattr__
    fields = set(keys)
    records = []
    for row in rows:
        record = new(model)
        record.__dict__.update(zip(keys, row, strict=True))
        put(record, "__pydantic_fields_set__", set(fields))
        put(record, "__pydantic_extra__", None)
        put(record, "__pydantic_private__", None)
        records.append(record)
    return records


def lock_retrospectives(session: Session, retro_ids: Iterable[str]) -> None:
    """Before reading positions to hand out: no other writer may hand them out until this
    transaction ends (a row lock on PostgreSQL; SQLite's write lock is held already)."""
    backend.lock_retrospectives(session.connection(), retro_ids)


def next_position(session: Session, model: type[ChildRecord], retro_id: str) -> int:
    """The position after the last one of `model` in a retrospective, safe against other
    writers for the rest of the transaction."""
    lock_retrospectives(session, [retro_id])
    current = session.exec(
        select(func.max(model.position)).where(col(model.retro_id) == retro_id)
    ).one()
    return 0 if current is None else int(current) + 1


def _label(model: type[Record]) -> str:
    return {
        "timeline_event": "timeline event",
        "action_item": "action item",
        "why": "why level",
    }.get(str(model.__tablename__), str(model.__tablename__))


def count_rows(store: Store, model: type[Record]) -> int:
    with store.reading() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def all_rows(store: Store, model: type[R]) -> Sequence[R]:
    with store.reading() as session:
        return session.exec(select(model)).all()


@contextmanager
def rehearse(store: Store) -> Iterator[Session]:
    """A write transaction that is always rolled back: dry runs go through the same code as
    real imports (so they report exactly what would happen) and change nothing."""
    try:
        # The writer engine (BEGIN IMMEDIATE), so the busy timeout applies to its writes too.
        with Session(store._writer, expire_on_commit=False) as session:
            lengths.guard(session)
            session.begin()
            try:
                yield session
            finally:
                session.rollback()
    except sa.exc.DBAPIError as exc:
        raise translate_db_error(exc, store.url) from exc
