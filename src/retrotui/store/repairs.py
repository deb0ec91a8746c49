"""Repairs a migration makes to old data before it can tighten the schema.

Each repair keeps every record (nothing is deleted) and returns the sentences that tell
the user what was changed; `Store.notices` carries them to the command line and the app.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import sqlalchemy as sa

from retrotui.store.errors import INCIDENT_REF_INDEX, NotRetrotuiDatabaseError

RECOVERED_TITLE = "Recovered records (their retrospective was missing)"

_LABELS = {
    "participant": ("participant", "participants"),
    "timeline_event": ("timeline event", "timeline events"),
    "note": ("note", "notes"),
    "why": ("why level", "why levels"),
    "why_chain": ("5 Whys chain", "5 Whys chains"),
    "action_item": ("action item", "action items"),
    "stage_clock": ("stage clock", "stage clocks"),
    "tombstone": ("deletion record", "deletion records"),
}


def _counted(counts: Counter[str]) -> str:
    parts = []
    for table, n in sorted(counts.items()):
        one, many = _LABELS.get(table, (f"{table} row", f"{table} rows"))
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _violations(conn: sa.Connection) -> list[tuple[str, int, str, str]]:
    """(table, rowid, parent table, column) of every row whose reference points nowhere."""
    found = []
    columns: dict[tuple[str, int], str] = {}
    for table, rowid, parent, fkid in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
        if (table, fkid) not in columns:
            for row in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all():
                columns[(table, row[0])] = row[3]
        found.append((str(table), int(rowid), str(parent), columns[(table, fkid)]))
    return found


def _now() -> str:
    # The text SQLAlchemy's SQLite DateTime stores (models.UTCDateTime reads it back).
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def recover_orphans(conn: sa.Connection) -> list[str]:
    """Keep records whose retrospective (or timeline event, or chain) is gone.

    Such rows exist in databases written while SQLite's foreign keys were off; the
    migrations run with them on and would fail on every attempt. A missing
    retrospective is made again, empty, under the same id and a title that says what
    happened, so its records stay visible in the app; a note that pointed at a missing
    event keeps its text and loses the link; a why level whose chain is missing gets an
    empty chain.
    """
    if conn.dialect.name != "sqlite":
        return []  # other databases enforce foreign keys always: nothing to recover
    notices = []
    lost_retro: Counter[str] = Counter()
    missing: set[str] = set()
    for table, rowid, parent, column in _violations(conn):
        if parent == "retrospective":
            value = conn.exec_driver_sql(
                f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)
            ).scalar()
            missing.add(str(value))
            lost_retro[table] += 1
    now = _now()
    for retro_id in sorted(missing):
        conn.exec_driver_sql(
            "INSERT INTO retrospective (id, created_at, updated_at, title, status, template, "
            "summary, impact) VALUES (?, ?, ?, ?, 'draft', 'standard', '', '')",
            (retro_id, now, now, RECOVERED_TITLE),
        )
    if missing:
        notices.append(
            f"{_counted(lost_retro)} belonged to a retrospective that no longer exists; "
            f"they are kept in {len(missing)} retrospective"
            f"{'' if len(missing) == 1 else 's'} titled {RECOVERED_TITLE!r}."
        )
    unlinked: Counter[str] = Counter()
    for table, rowid, parent, column in _violations(conn):
        if parent == "why_chain":
            conn.exec_driver_sql(
                "INSERT OR IGNORE INTO why_chain (id, created_at, updated_at, retro_id, "
                f"position, problem) SELECT \"{column}\", ?, ?, retro_id, 0, '' "
                f'FROM "{table}" WHERE rowid = ?',
                (now, now, rowid),
            )
        else:
            conn.exec_driver_sql(
                f'UPDATE "{table}" SET "{column}" = NULL WHERE rowid = ?', (rowid,)
            )
        unlinked[table] += 1
    if unlinked:
        notices.append(
            f"{_counted(unlinked)} pointed at a record that no longer exists; they are kept "
            "without that link (or with an empty 5 Whys chain)."
        )
    return notices


def make_incident_refs_unique(conn: sa.Connection) -> list[str]:
    """Rename duplicated incident refs (compared ignoring case) before the unique index is
    made: the oldest retrospective keeps the ref, the others get ' (2)', ' (3)'..."""
    md = sa.MetaData()
    retro = sa.Table(
        "retrospective",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("incident_ref", sa.String),
        sa.Column("created_at", sa.String),
    )
    rows = conn.execute(
        sa.select(retro.c.id, retro.c.incident_ref)
        .where(retro.c.incident_ref.is_not(None), retro.c.incident_ref != "")
        .order_by(retro.c.created_at, retro.c.id)
    ).all()
    taken = {str(ref).lower() for _, ref in rows}
    seen: set[str] = set()
    renamed: dict[str, list[str]] = {}
    for retro_id, ref in rows:
        key = str(ref).lower()
        if key not in seen:
            seen.add(key)
            continue
        n = 2
        while f"{ref} ({n})".lower() in taken:
            n += 1
        new = f"{ref} ({n})"
        taken.add(new.lower())
        conn.execute(sa.update(retro).where(retro.c.id == retro_id).values(incident_ref=new))
        renamed.setdefault(str(ref), []).append(new)
    return [
        f"Incident ref {ref!r} was used by {len(news) + 1} retrospectives; refs are unique "
        f"now, so the later ones are {', '.join(repr(n) for n in news)}."
        for ref, news in renamed.items()
    ]


def migration_9_unique_incident_refs(conn: sa.Connection) -> list[str]:
    """Incident refs unique in the database itself (ignoring case), so that two processes
    creating the same ref at once cannot both succeed. Duplicates that exist already are
    renamed first (every record kept; repairs.make_incident_refs_unique)."""
    notices = make_incident_refs_unique(conn)
    md = sa.MetaData()
    retro = sa.Table(
        "retrospective",
        md,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("incident_ref", sa.String),
    )
    has_ref = sa.and_(retro.c.incident_ref.is_not(None), retro.c.incident_ref != "")
    sa.Index(
        INCIDENT_REF_INDEX,
        sa.func.lower(retro.c.incident_ref),
        unique=True,
        sqlite_where=has_ref,
        postgresql_where=has_ref,
    ).create(conn)
    return notices


def parse_schema_version(value: object, where: str) -> int:
    """The recorded schema version as a number; anything else refuses the database."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise NotRetrotuiDatabaseError(
            f"{where} records the schema version {text[:20]!r}, which is not a number "
            "retrotui writes; it was not made by retrotui or was edited by hand."
        )
    return int(text)
