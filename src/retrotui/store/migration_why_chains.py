"""Migration 3: several 5 Whys chains per retrospective, by rebuilding the `why` table
(kept apart from store/migrations.py, the runner and the other early steps, for its size)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from retrotui.store.migration_columns import add_column, child_columns, text_column


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
    add_column(
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
        *child_columns(),
        text_column("answer"),
        text_column("question", nullable=True),
    )
    chain = sa.Table("why_chain", md, *child_columns(), text_column("problem"))
    why = sa.Table(
        "why",
        md,
        *child_columns(),
        text_column("answer"),
        text_column("question", nullable=True),
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
