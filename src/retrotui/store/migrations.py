"""Numbered schema migrations.

Each migration is a function that takes a Connection inside the migration transaction.
Migration 1 creates the first schema from table definitions frozen here, so that later
changes to `models.py` never change what an old migration did. A later migration appends a
function to MIGRATIONS; `schema_version` in the `retrotui_meta` table records how far a
database has come. Types are generic SQLAlchemy types so the same steps run on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from retrotui.models import UTCDateTime
from retrotui.store.migrations_later import LATER_MIGRATIONS
from retrotui.store.repairs import (
    migration_9_unique_incident_refs,
    parse_schema_version,
    recover_orphans,
)

META_TABLE = "retrotui_meta"

# A migration may return sentences for the user about records it had to change.
Migration = Callable[[sa.Connection], "list[str] | None"]


def _record_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("doc_id", sa.String(200)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def _retro_id_column() -> sa.Column[object]:
    """The reference from a record to its retrospective (deleted with it)."""
    return sa.Column(
        "retro_id",
        sa.String(64),
        sa.ForeignKey("retrospective.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def _child_columns() -> list[sa.Column[object]]:
    return [
        *_record_columns(),
        _retro_id_column(),
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


def migration_3_why_chains(conn: sa.Connection) -> None:
    """Several 5 Whys chains per retrospective, a root-cause mark, and the agenda stage.

    The whys of each retrospective move into one chain whose problem is the
    retrospective's summary. Its last level is marked as the root cause, because the
    Markdown export has always presented the last answer so; old documents keep saying it.

    `why.chain_id` is a NOT NULL foreign key, which SQLite cannot add with ALTER TABLE, so
    the table is rebuilt: renamed aside, created anew with the old columns first (values
    unchanged), filled with INSERT ... SELECT, and the old table dropped. Nothing references
    `why` with a foreign key (action items link to it by plain id), so the rename is safe.
    """
    _add_column(
        conn,
        "retrospective",
        sa.Column("current_stage", sa.Integer, nullable=False, server_default="2"),
    )
    md = sa.MetaData()
    # Only what the new tables reference or read; never created here.
    retro = sa.Table(
        "retrospective",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("summary", sa.String),
    )
    old = sa.Table(
        "why_schema_2",
        md,
        *_child_columns(),
        _text("answer"),
        _text("question", nullable=True),
    )
    chain = sa.Table("why_chain", md, *_child_columns(), _text("problem"))
    why = sa.Table(
        "why",
        md,
        *_child_columns(),
        _text("answer"),
        _text("question", nullable=True),
        sa.Column(
            "chain_id",
            sa.String(64),
            sa.ForeignKey("why_chain.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("is_root_cause", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    conn.exec_driver_sql("ALTER TABLE why RENAME TO why_schema_2")
    # Index names are per schema, not per table: free the name for the new table's index.
    sa.Index("ix_why_retro_id", old.c.retro_id).drop(conn)
    md.create_all(conn, tables=[chain, why])

    spans = conn.execute(
        sa.select(
            old.c.retro_id,
            retro.c.summary,
            sa.func.min(old.c.created_at),
            sa.func.max(old.c.updated_at),
        )
        # Outer: a why whose retrospective is gone (foreign keys were off once) still moves.
        .outerjoin(retro, retro.c.id == old.c.retro_id)
        .group_by(old.c.retro_id, retro.c.summary)
        .order_by(old.c.retro_id)
    ).all()
    now = datetime.now(UTC)
    chains = [
        {
            "id": str(uuid.uuid4()),
            "doc_id": None,
            "created_at": first or now,
            "updated_at": last or now,
            "retro_id": retro_id,
            "position": 0,
            "problem": summary or "",
        }
        for retro_id, summary, first, last in spans
    ]
    if chains:
        conn.execute(sa.insert(chain), chains)
    copied = [c.name for c in old.columns]
    conn.execute(
        sa.insert(why).from_select(
            [*copied, "chain_id", "is_root_cause"],
            sa.select(*old.columns, chain.c.id, sa.false()).join(
                chain, chain.c.retro_id == old.c.retro_id
            ),
        )
    )
    # The last level of each chain in display order (position, then id, as the Store sorts).
    last_ids: list[str] = []
    current: str | None = None
    for retro_id, why_id in conn.execute(
        sa.select(old.c.retro_id, old.c.id).order_by(
            old.c.retro_id, old.c.position.desc(), old.c.id.desc()
        )
    ):
        if retro_id != current:
            last_ids.append(why_id)
            current = retro_id
    for start in range(0, len(last_ids), 500):  # old SQLite allows 999 bound values
        chunk = last_ids[start : start + 500]
        conn.execute(sa.update(why).where(why.c.id.in_(chunk)).values(is_root_cause=True))
    old.drop(conn)


def migration_4_stage_clocks(conn: sa.Connection) -> None:
    """The agenda's stage timers, kept so a reopened meeting keeps its clock."""
    md = sa.MetaData()
    sa.Table("retrospective", md, sa.Column("id", sa.String(64), primary_key=True))
    clock = sa.Table(
        "stage_clock",
        md,
        *_record_columns(),
        _retro_id_column(),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("banked_ms", sa.Integer, nullable=False),
        sa.Column("running_since", UTCDateTime()),
        sa.UniqueConstraint("retro_id", "stage", name="uq_stage_clock_stage"),
    )
    clock.create(conn)


def migration_5_tombstones(conn: sa.Connection) -> None:
    """What merges need: deleted records remembered, and when a retrospective's own fields
    (not its children, not the meeting's position) last changed."""
    _add_column(conn, "retrospective", sa.Column("content_updated_at", UTCDateTime()))
    _add_column(conn, "retrospective", sa.Column("synced_revision", UTCDateTime()))
    conn.exec_driver_sql("UPDATE retrospective SET content_updated_at = updated_at")
    md = sa.MetaData()
    sa.Table("retrospective", md, sa.Column("id", sa.String(64), primary_key=True))
    sa.Table(
        "tombstone",
        md,
        *_record_columns(),
        _retro_id_column(),
        sa.Column("kind", sa.String(32), nullable=False),
    ).create(conn)


def migration_6_shared_meeting(conn: sa.Connection) -> None:
    """The meeting as shared data: where it is and who drives (`meeting`), who is in it
    (`meeting_presence`, heartbeat rows), and who typed each why and action item."""
    for table in ("why", "action_item"):
        _add_column(
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
        _text("driver_name"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    presence = sa.Table(
        "meeting_presence",
        md,
        sa.Column("session_id", sa.String(64), primary_key=True),
        _retro_id_column(),
        _text("name"),
        _enum("role", nullable=True),
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
        *_child_columns(),
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
