"""Numbered schema migrations.

Each migration is a function that takes a Connection inside the migration transaction.
Migration 1 creates the first schema from table definitions frozen here, so that later
changes to `models.py` never change what an old migration did. A later migration appends a
function to MIGRATIONS; `schema_version` in the `retrotui_meta` table records how far a
database has come. Types are generic SQLAlchemy types so the same steps run on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from retrotui.models import UTCDateTime

META_TABLE = "retrotui_meta"

Migration = Callable[[sa.Connection], None]


def _record_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("doc_id", sa.String(200)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def _child_columns() -> list[sa.Column[object]]:
    return [
        *_record_columns(),
        sa.Column(
            "retro_id",
            sa.String(64),
            sa.ForeignKey("retrospective.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
    ]


def _enum(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String(32), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String, nullable=nullable)


def _instant(name: str, nullable: bool = True) -> list[sa.Column[object]]:
    return [
        sa.Column(name, UTCDateTime(), nullable=nullable),
        sa.Column(f"{name}_offset", sa.Integer),
    ]


def migration_1_initial_schema(conn: sa.Connection) -> None:
    md = sa.MetaData()
    sa.Table(
        "retrospective",
        md,
        *_record_columns(),
        _text("title"),
        sa.Column("incident_ref", sa.String, index=True),
        _enum("severity", nullable=True),
        _enum("status"),
        _text("template"),
        _text("source_url", nullable=True),
        *_instant("started_at"),
        *_instant("detected_at"),
        *_instant("mitigated_at"),
        *_instant("resolved_at"),
        _text("summary"),
        _text("impact"),
    )
    sa.Table("participant", md, *_child_columns(), _text("name"), _enum("role"))
    sa.Table(
        "timeline_event",
        md,
        *_child_columns(),
        *_instant("time", nullable=False),
        _text("text"),
        _enum("kind"),
        _text("actor"),
        _text("source"),
        sa.Column("key", sa.Boolean, nullable=False),
    )
    sa.Table(
        "note",
        md,
        *_child_columns(),
        _text("text"),
        _enum("kind"),
        sa.Column(
            "event_id",
            sa.String(64),
            sa.ForeignKey("timeline_event.id", ondelete="SET NULL"),
            index=True,
        ),
        _text("author"),
        sa.Column("created_at_offset", sa.Integer),
    )
    sa.Table("why", md, *_child_columns(), _text("answer"), _text("question", nullable=True))
    sa.Table(
        "action_item",
        md,
        *_child_columns(),
        _text("title"),
        _text("description"),
        _text("owner"),
        sa.Column("due", sa.Date),
        _enum("priority"),
        _enum("status"),
        _text("ticket"),
        sa.Column("created_at_offset", sa.Integer),
        *_instant("closed_at"),
    )
    md.create_all(conn)


def _add_column(conn: sa.Connection, table: str, column: sa.Column[object]) -> None:
    """ALTER TABLE ... ADD COLUMN, compiled for the connection's dialect."""
    spec = column.type.compile(dialect=conn.dialect)
    default = ""
    if column.server_default is not None:
        default = f" DEFAULT {column.server_default.arg}"  # type: ignore[attr-defined]
    null = "" if column.nullable else " NOT NULL"
    conn.exec_driver_sql(f'ALTER TABLE {table} ADD COLUMN "{column.name}" {spec}{default}{null}')


def migration_2_meeting_state(conn: sa.Connection) -> None:
    """Where the meeting stands, and action-item links and due-date provenance."""
    _add_column(conn, "retrospective", sa.Column("current_event_id", sa.String(64)))
    _add_column(conn, "action_item", sa.Column("why_id", sa.String(64)))
    _add_column(
        conn,
        "action_item",
        sa.Column("due_is_default", sa.Boolean, nullable=False, server_default=sa.false()),
    )


MIGRATIONS: tuple[Migration, ...] = (migration_1_initial_schema, migration_2_meeting_state)

SCHEMA_VERSION = len(MIGRATIONS)

_meta = sa.MetaData()
meta_table = sa.Table(
    META_TABLE,
    _meta,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String, nullable=False),
)


def read_schema_version(conn: sa.Connection) -> int | None:
    """The schema version recorded in the database, or None when it has no meta table."""
    if not sa.inspect(conn).has_table(META_TABLE):
        return None
    value = conn.execute(
        sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
    ).scalar_one_or_none()
    return int(value) if value is not None else None


def migrate(conn: sa.Connection, current: int) -> int:
    """Bring the schema from `current` to SCHEMA_VERSION inside the caller's transaction."""
    if current == 0:
        _meta.create_all(conn)
        conn.execute(sa.insert(meta_table).values(key="schema_version", value="0"))
    for number in range(current + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(
            sa.update(meta_table)
            .where(meta_table.c.key == "schema_version")
            .values(value=str(number))
        )
    return SCHEMA_VERSION
