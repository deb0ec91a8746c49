"""Column builders the numbered migrations share (store/migrations.py,
store/migration_why_chains.py, store/migrations_later.py).

Each call returns new Column objects, since a Column belongs to one Table. They describe
the columns as the migrations wrote them, never as the models say today."""

from __future__ import annotations

import sqlalchemy as sa

from retrotui.models import UTCDateTime


def record_columns() -> list[sa.Column[object]]:
    """The identity and time stamps every record starts with."""
    return [
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("doc_id", sa.String(200)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def retro_id_column() -> sa.Column[object]:
    """The reference from a record to its retrospective (deleted with it)."""
    return sa.Column(
        "retro_id",
        sa.String(64),
        sa.ForeignKey("retrospective.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def child_columns() -> list[sa.Column[object]]:
    """A record that belongs to a retrospective, kept in an order."""
    return [
        *record_columns(),
        retro_id_column(),
        sa.Column("position", sa.Integer, nullable=False),
    ]


def enum_column(name: str, nullable: bool = False) -> sa.Column[object]:
    """An enum stored as its value's text."""
    return sa.Column(name, sa.String(32), nullable=nullable)


def text_column(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String, nullable=nullable)


def instant_columns(name: str, nullable: bool = True) -> list[sa.Column[object]]:
    """An instant in UTC and the offset (minutes) it was typed with."""
    return [
        sa.Column(name, UTCDateTime(), nullable=nullable),
        sa.Column(f"{name}_offset", sa.Integer),
    ]


def add_column(conn: sa.Connection, table: str, column: sa.Column[object]) -> None:
    """ALTER TABLE ... ADD COLUMN, compiled for the connection's dialect."""
    spec = column.type.compile(dialect=conn.dialect)
    default = ""
    if column.server_default is not None:
        default = f" DEFAULT {column.server_default.arg}"  # type: ignore[attr-defined]
    null = "" if column.nullable else " NOT NULL"
    conn.exec_driver_sql(f'ALTER TABLE {table} ADD COLUMN "{column.name}" {spec}{default}{null}')
