"""The Store: every read and write of retrospective data, each write committed at once.

It is the only code that opens a Session. Records leave it detached
(`expire_on_commit=False`), as plain objects the UI and CLI can hold without a live
Session behind them.
"""

from __future__ import annotations

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
    Note,
    Participant,
    Record,
    Retrospective,
    TimelineEvent,
    Why,
    utcnow,
)
from retrotui.store import backend, errors, lengths
from retrotui.store.engine import BUSY_TIMEOUT_MS, open_engine, translate_db_error
from retrotui.store.listing import COLUMNS as LIST_COLUMNS
from retrotui.store.listing import RetroListRow, rows_from

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

    @classmethod
    def open(cls, url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        engine, notices = open_engine(url, busy_timeout_ms=busy_timeout_ms)
        return cls(engine, url, notices)

    def close(self) -> None:
        self.engine.dispose()

    # -- sessions ---------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
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
        try:
            with self.engine.connect() as conn:
                result = conn.execute(query)
                return _records(model, list(result.keys()), result)
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc

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
        """A cheap value that changes whenever anything in a retrospective changes, made by
        this process or another one (counts catch deletes, `backend.change_marker` edits)."""
        marker = backend.change_marker
        dialect = self.engine.dialect
        # The retrospective is one row: its own stamp is enough on both engines (the commit
        # order that `change_marker` guards against needs several rows), and a meeting step,
        # which moves current_stage without touching updated_at, must not look like an edit.
        parts: list[Any] = [
            sa.select(
                sa.literal("retrospective"),
                func.count(),
                backend.stamp_marker(dialect, Retrospective),
            ).where(col(Retrospective.id) == retro_id)
        ]
        for model in (Participant, TimelineEvent, Note, Why, ActionItem):
            parts.append(
                sa.select(
                    sa.literal(model.__tablename__), func.count(), marker(dialect, model)
                ).where(col(model.retro_id) == retro_id)
            )
        return self._poll(sa.union_all(*parts))

    def overview_fingerprint(self) -> tuple[object, ...]:
        """Like `fingerprint`, for the lists of all retrospectives and action items: changes
        when any of them is added, edited or deleted, here or in another process."""
        parts = [
            sa.select(
                sa.literal(model.__tablename__),
                func.count(),
                backend.change_marker(self.engine.dialect, model),
            ).select_from(model)
            for model in (Retrospective, ActionItem)
        ]
        return self._poll(sa.union_all(*parts))

    def _poll(self, query: sa.CompoundSelect[Any]) -> tuple[object, ...]:
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
        except sa.exc.DBAPIError as exc:
            raise translate_db_error(exc, self.url) from exc
        return tuple(tuple(row) for row in rows)

    def touch(self, retro_id: str) -> None:
        """Mark a retrospective as changed (a child record was edited)."""
        self.update(Retrospective, retro_id)


def _records(model: type[C], keys: list[str], rows: Iterable[Sequence[Any]]) -> list[C]:
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


def insert_rows(session: Session, model: type[Record], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert with SQLAlchemy Core inside the session's transaction: one executemany,
    no ORM unit of work (21x faster than add_all for 10,000 rows; bench/imports.py)."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    insert_table_rows(session.connection(), table, rows)


def insert_table_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """`insert_rows` for a table, on a connection inside its transaction."""
    if not rows:
        return
    lengths.check_rows(table, rows)
    if conn.dialect.name != "sqlite":
        conn.execute(sa.insert(table), rows)
        return
    # On SQLite, SQLAlchemy's per-value parameter processing costs more than the insert
    # itself (bench/imports.py): hand the driver ready-made tuples through one
    # executemany instead. Datetimes are rendered once per distinct value in the exact text
    # format SQLAlchemy's SQLite DateTime stores, so reads and comparisons see no
    # difference; dates as ISO text, enums as their plain string value.
    # The columns the rows give (server defaults fill the rest, as in a Core insert).
    present = [c for c in table.columns if c.name in rows[0]]
    columns = [c.name for c in present]
    converters = [_sqlite_converter(c.type) for c in present]
    placeholders = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({placeholders})',
        [
            tuple(convert(row.get(name)) for name, convert in zip(columns, converters, strict=True))
            for row in rows
        ],
    )


def _sqlite_converter(column_type: sa.types.TypeEngine[Any]) -> Any:
    """How one column's Python value becomes what SQLAlchemy would have stored in SQLite."""
    from datetime import UTC, datetime

    from retrotui.models import UTCDateTime

    if isinstance(column_type, UTCDateTime):
        rendered: dict[datetime, str] = {}

        def instant(value: datetime | None) -> str | None:
            if value is None:
                return None
            text = rendered.get(value)
            if text is None:
                naive = value.astimezone(UTC).replace(tzinfo=None)
                text = rendered[value] = naive.isoformat(sep=" ", timespec="microseconds")
            return text

        return instant
    if isinstance(column_type, sa.Date):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(column_type, sa.Boolean):
        return lambda value: None if value is None else int(bool(value))
    if isinstance(column_type, sa.String):
        return lambda value: None if value is None else str(value)
    return lambda value: value
