"""Numbered schema migrations.

Each migration is a function that takes a Connection inside the migration transaction.
Migration 3 (a table rebuild) lives in store/migration_why_chains.py, those from 10 on in
store/migrations_later.py, the column builders they share in store/migration_columns.py.
Migration 1 creates the first schema from table definitions frozen here, so that later
changes to `models.py` never change what an old migration did. A later migration appends a
function to MIGRATIONS; `schema_version` in the `retrotui_meta` table records how far a
database has come. Types are generic SQLAlchemy types so the same steps run on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from retrotui.models import UTCDateTime
from retrotui.store.migration_columns import (
    add_column,
    child_columns,
    enum_column,
    instant_columns,
    record_columns,
    retro_id_column,
    text_column,
)
from retrotui.store.migration_why_chains import migration_3_why_chains
from retrotui.store.migrations_later import LATER_MIGRATIONS
from retrotui.store.repairs import (
    migration_9_unique_incident_refs,
    parse_schema_version,
    recover_orphans,
)

META_TABLE = "retrotui_meta"

# A migration may return sentences for the user about records it had to change.
Migration = Callable[[sa.Connection], "list[str] | None"]


def migration_1_initial_schema(conn: sa.Connection) -> None:
    md = sa.MetaData()
    sa.Table(
        "retrospective",
        md,
        *record_columns(),
        text_column("title"),
        sa.Column("incident_ref", sa.String, index=True),
        enum_column("severity", nullable=True),
        enum_column("status"),
        text_column("template"),
        text_column("source_url", nullable=True),
        *instant_columns("started_at"),
        *instant_columns("detected_at"),
        *instant_columns("mitigated_at"),
        *instant_columns("resolved_at"),
        text_column("summary"),
        text_column("impact"),
    )
    sa.Table("participant", md, *child_columns(), text_column("name"), enum_column("role"))
    sa.Table(
        "timeline_event",
        md,
        *child_columns(),
        *instant_columns("time", nullable=False),
        text_column("text"),
        enum_column("kind"),
        text_column("actor"),
        text_column("source"),
        sa.Column("key", sa.Boolean, nullable=False),
    )
    sa.Table(
        "note",
        md,
        *child_columns(),
        text_column("text"),
        enum_column("kind"),
        sa.Column(
            "event_id",
            sa.String(64),
            sa.ForeignKey("timeline_event.id", ondelete="SET NULL"),
            index=True,
        ),
        text_column("author"),
        sa.Column("created_at_offset", sa.Integer),
    )
    sa.Table(
        "why", md, *child_columns(), text_column("answer"), text_column("question", nullable=True)
    )
    sa.Table(
        "action_item",
        md,
        *child_columns(),
        text_column("title"),
        text_column("description"),
        text_column("owner"),
        sa.Column("due", sa.Date),
        enum_column("priority"),
        enum_column("status"),
        text_column("ticket"),
        sa.Column("created_at_offset", sa.Integer),
        *instant_columns("closed_at"),
    )
    md.create_all(conn)


def migration_2_meeting_state(conn: sa.Connection) -> None:
    """Where the meeting stands, and action-item links and due-date provenance."""
    add_column(conn, "retrospective", sa.Column("current_event_id", sa.String(64)))
    add_column(conn, "action_item", sa.Column("why_id", sa.String(64)))
    add_column(
        conn,
        "action_item",
        sa.Column("due_is_default", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def migration_4_stage_clocks(conn: sa.Connection) -> None:
    """The agenda's stage timers, kept so a reopened meeting keeps its clock."""
    md = sa.MetaData()
    sa.Table("retrospective", md, sa.Column("id", sa.String(64), primary_key=True))
    clock = sa.Table(
        "stage_clock",
        md,
        *record_columns(),
        retro_id_column(),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("banked_ms", sa.Integer, nullable=False),
        sa.Column("running_since", UTCDateTime()),
        sa.UniqueConstraint("retro_id", "stage", name="uq_stage_clock_stage"),
    )
    clock.create(conn)


def migration_5_tombstones(conn: sa.Connection) -> None:
    """What merges need: deleted records remembered, and when a retrospective's own fields
    (not its children, not the meeting's position) last changed."""
    add_column(conn, "retrospective", sa.Column("content_updated_at", UTCDateTime()))
    add_column(conn, "retrospective", sa.Column("synced_revision", UTCDateTime()))
    conn.exec_driver_sql("UPDATE retrospective SET content_updated_at = updated_at")
    md = sa.MetaData()
    sa.Table("retrospective", md, sa.Column("id", sa.String(64), primary_key=True))
    sa.Table(
        "tombstone",
        md,
        *record_columns(),
        retro_id_column(),
        sa.Column("kind", sa.String(32), nullable=False),
    ).create(conn)


def migration_6_shared_meeting(conn: sa.Connection) -> None:
    """The meeting as shared data: where it is and who drives (`meeting`), who is in it
    (`meeting_presence`, heartbeat rows), and who typed each why and action item."""
    for table in ("why", "action_item"):
        add_column(
            conn,
            table,
            sa.Column("author", sa.String, nullable=False, server_default=sa.text("''")),
        )
    md = sa.MetaData()
    sa.Table("retrospective", md, sa.Column("id", sa.String(64), primary_key=True))
    meeting = sa.Table(
        "meeting",
        md,
        sa.Column(
            "retro_id",
            sa.String(64),
            sa.ForeignKey("retrospective.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("event_id", sa.String(64)),
        sa.Column("driver_session", sa.String(64)),
        text_column("driver_name"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    presence = sa.Table(
        "meeting_presence",
        md,
        sa.Column("session_id", sa.String(64), primary_key=True),
        retro_id_column(),
        text_column("name"),
        enum_column("role", nullable=True),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("typing", sa.Boolean, nullable=False),
    )
    md.create_all(conn, tables=[meeting, presence])


def migration_7_labels(conn: sa.Connection) -> None:
    """Contributing factors and free tags of a retrospective."""
    md = sa.MetaData()
    sa.Table("retrospective", md, sa.Column("id", sa.String(64), primary_key=True))
    sa.Table(
        "retro_label",
        md,
        *child_columns(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.UniqueConstraint("retro_id", "kind", "name", name="uq_retro_label"),
    ).create(conn)


def migration_8_search_index(conn: sa.Connection) -> None:
    """The full-text index of every record (store/search.py); SQLite only for now:
    elsewhere search reads the tables themselves."""
    if conn.dialect.name == "sqlite":
        from retrotui.store.search import create_sqlite_index

        create_sqlite_index(conn)


MIGRATIONS: tuple[Migration, ...] = (
    migration_1_initial_schema,
    migration_2_meeting_state,
    migration_3_why_chains,
    migration_4_stage_clocks,
    migration_5_tombstones,
    migration_6_shared_meeting,
    migration_7_labels,
    migration_8_search_index,
    migration_9_unique_incident_refs,
    *LATER_MIGRATIONS,
)

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
    return parse_schema_version(value, "The database") if value is not None else None


def migrate(conn: sa.Connection, current: int) -> list[str]:
    """Bring the schema from `current` to SCHEMA_VERSION inside the caller's transaction;
    returns what the user must be told about records that had to change."""
    return migrate_to(conn, current, SCHEMA_VERSION)


def migrate_to(conn: sa.Connection, current: int, target: int) -> list[str]:
    """Bring the schema from `current` to `target` (tests stop at old versions)."""
    notices: list[str] = []
    if current == 0:
        _meta.create_all(conn)
        conn.execute(sa.insert(meta_table).values(key="schema_version", value="0"))
    else:
        notices += recover_orphans(conn)
    for number in range(current + 1, target + 1):
        notices += MIGRATIONS[number - 1](conn) or []
        conn.execute(
            sa.update(meta_table)
            .where(meta_table.c.key == "schema_version")
            .values(value=str(number))
        )
    return notices
