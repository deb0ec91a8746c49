"""Column sizes enforced the same way on every engine, before the database sees a value.

PostgreSQL refuses a value longer than its column (`varchar(200)`) with a driver error;
SQLite stores it. The Store checks every written value against the column's declared
length, so both engines accept and refuse the same things, with one sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from retrotui.errors import ValidationError

_LABELS = {"doc_id": "id", "id": "id"}


def _limit(column: sa.Column[Any]) -> int | None:
    # SQLModel's AutoString is a TypeDecorator over String: it carries the length too.
    length = getattr(column.type, "length", None)
    return length if isinstance(length, int) and length > 0 else None


def check_values(table: sa.Table, values: Mapping[str, Any]) -> None:
    """Refuse a value longer than its column allows."""
    for name, value in values.items():
        column = table.c.get(name)
        if column is None or not isinstance(value, str):
            continue
        limit = _limit(column)
        if limit is not None and len(value) > limit:
            what = _LABELS.get(name, name.replace("_", " "))
            kind = table.name.replace("_", " ")
            shown = value[:20] + "…"
            raise ValidationError(
                f"The {kind} {what} {shown!r} is {len(value)} characters long; "
                f"the most retrotui keeps is {limit}."
            )


def check_rows(table: sa.Table, rows: Iterable[Mapping[str, Any]]) -> None:
    names = [c.name for c in table.columns if _limit(c) is not None]
    if not names:
        return
    for row in rows:
        check_values(table, {n: row.get(n) for n in names})


def guard(session: Session) -> None:
    """Check every record `session` is about to write."""

    @sa.event.listens_for(session, "before_flush")
    def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
        for record in (*session.new, *session.dirty):
            table = getattr(type(record), "__table__", None)
            if isinstance(table, sa.Table):
                check_rows(table, [{c.name: getattr(record, c.name, None) for c in table.columns}])
