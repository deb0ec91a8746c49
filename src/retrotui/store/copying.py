"""Copying retrospectives between two databases (a laptop's SQLite file and the team's
PostgreSQL), merging by id as a document import does.

Every record keeps its id, so a copy made twice matches itself: a record already in the
destination is updated where the source differs and otherwise left alone; records only the
destination has are kept. Unlike a Retro Document, a copy carries everything the database
holds (every 5 Whys chain, the meeting's place, stage clocks). The whole copy is one
transaction in the destination: all of it lands, or none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from retrotui.errors import UserError
from retrotui.models import Retrospective, RetroTombstone, utcnow
from retrotui.store.backend import lock_retrospectives
from retrotui.store.repository import Store, insert_table_rows

# Never compared: what a merge sets itself.
_MERGE_OWNED = ("id", "updated_at", "position")


@dataclass
class CopyReport:
    retros_added: int = 0
    retros_merged: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    retro_ids: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # titles of deleted ones brought back

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.deleted)

    def lines(self) -> list[str]:
        total = self.retros_added + self.retros_merged
        lines = [
            f"Copied {total} retrospective{'' if total == 1 else 's'} "
            f"({self.retros_added} new, {self.retros_merged} merged): {self.added} records "
            f"added, {self.updated} updated, {self.deleted} deleted, {self.unchanged} unchanged."
        ]
        for title in self.restored:
            lines.append(f"This restores {title!r}, which had been deleted from the destination.")
        if not self.changed:
            lines.append("Nothing changed: the destination already held all of it.")
        return lines


def _tables() -> list[sa.Table]:
    """The retrospective and every table of records that belong to one, parents first."""
    retro_table = Retrospective.__table__  # type: ignore[attr-defined]
    return [
        t
        for t in SQLModel.metadata.sorted_tables
        if t is retro_table or ("retro_id" in t.c and t.name != retro_table.name)
    ]


def _owner(table: sa.Table) -> sa.Column[Any]:
    return table.c.id if table.name == "retrospective" else table.c.retro_id


def _rows(conn: sa.Connection, table: sa.Table, retro_ids: Sequence[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for start in range(0, len(retro_ids), 500):  # old SQLite allows 999 bound values
        chunk = retro_ids[start : start + 500]
        query = sa.select(table).where(_owner(table).in_(chunk))
        if "position" in table.c:
            query = query.order_by(table.c.position, table.c.id)
        rows.extend(dict(row._mapping) for row in conn.execute(query))
    return rows


def copy_retrospectives(
    source: Store,
    destination: Store,
    retro_ids: Sequence[str] | None = None,
    *,
    restore: bool = False,
) -> CopyReport:
    """Copy the named retrospectives (all when None) from `source` into `destination`.
    One the destination deleted after its last edit in `source` is refused (nothing is
    copied) unless `restore`; one edited after its deletion comes back, and the report
    says so."""
    tables = _tables()
    with source.engine.connect() as src:
        if retro_ids is None:
            retro_ids = list(src.execute(sa.select(tables[0].c.id)).scalars())
        ids = list(dict.fromkeys(retro_ids))
        wanted = {table.name: _rows(src, table, ids) for table in tables}
    report = CopyReport()
    if not ids:
        return report
    now = utcnow()
    with destination.writing() as session:
        conn = session.connection()
        lock_retrospectives(conn, ids)
        existing = {table.name: _rows(conn, table, ids) for table in tables}
        present = {row["id"] for row in existing["retrospective"]}
        _check_retrospectives(conn, wanted["retrospective"], present)
        report.restored = _check_deleted(conn, wanted, present, restore)
        report.retros_merged = sum(1 for r in wanted["retrospective"] if r["id"] in present)
        report.retros_added = len(wanted["retrospective"]) - report.retros_merged
        report.retro_ids = [row["id"] for row in wanted["retrospective"]]
        touched: set[str] = set()
        for table in tables:
            _merge_table(
                conn, table, wanted[table.name], existing[table.name], present, now, report, touched
            )
        _apply_deletions(conn, tables, wanted, existing, report, touched)
        if touched:
            retro = tables[0]
            conn.execute(
                sa.update(retro).where(retro.c.id.in_(sorted(touched))).values(updated_at=now)
            )
    return report


def _apply_deletions(
    conn: sa.Connection,
    tables: list[sa.Table],
    wanted: dict[str, list[dict[str, Any]]],
    existing: dict[str, list[dict[str, Any]]],
    report: CopyReport,
    touched: set[str],
) -> None:
    """A record the source deleted (its tombstone is new here) goes here too, unless it
    was edited here after that deletion."""
    known = {row["id"] for row in existing.get("tombstone", [])}
    by_name = {table.name: table for table in tables}
    for tomb in wanted.get("tombstone", []):
        table = by_name.get(tomb["kind"])
        if tomb["id"] in known or table is None:
            continue
        gone = conn.execute(
            sa.delete(table).where(
                table.c.id == tomb["id"], table.c.updated_at <= tomb["updated_at"]
            )
        )
        if gone.rowcount:
            report.deleted += gone.rowcount
            touched.add(tomb["retro_id"])


def _check_retrospectives(
    conn: sa.Connection, incoming: Iterable[dict[str, Any]], present: set[str]
) -> None:
    """Refuse what would make two retrospectives out of one incident or one document."""
    table = Retrospective.__table__  # type: ignore[attr-defined]
    new = [row for row in incoming if row["id"] not in present]
    publics = [row["doc_id"] or row["id"] for row in new]
    refs = [row["incident_ref"].lower() for row in new if row.get("incident_ref")]
    others: list[sa.Row[Any]] = []
    for start in range(0, max(len(publics), len(refs)), 300):
        others += conn.execute(
            sa.select(table.c.id, table.c.doc_id, table.c.title, table.c.incident_ref).where(
                sa.or_(
                    table.c.doc_id.in_(publics[start : start + 300]),
                    table.c.id.in_(publics[start : start + 300]),
                    sa.func.lower(table.c.incident_ref).in_(refs[start : start + 300]),
                )
            )
        ).all()
    by_public = {(o.doc_id or o.id): o.title for o in others}
    by_ref = {o.incident_ref.lower(): o.title for o in others if o.incident_ref}
    for row in new:
        public = row["doc_id"] or row["id"]
        if public in by_public:
            raise UserError(
                f"The destination holds {by_public[public]!r}, imported separately from the "
                f"same document as {row['title']!r} ({row['id'][:8]}); merge them with "
                "export --format json and import instead."
            )
        ref = row.get("incident_ref")
        if ref and ref.lower() in by_ref:
            raise UserError(
                f"The destination already has a retrospective for incident {ref} "
                f"({by_ref[ref.lower()]!r}); nothing was copied."
            )


def _check_deleted(
    conn: sa.Connection, wanted: dict[str, list[dict[str, Any]]], present: set[str], restore: bool
) -> list[str]:
    """Deleted here: refuse a copy whose last edit (of it or anything in it) is older than
    the deletion, unless `restore`; a copy that comes back forgets its deletion. The
    titles of the ones that come back."""
    graves = RetroTombstone.__table__  # type: ignore[attr-defined]
    incoming = wanted["retrospective"]
    new = {row["doc_id"] or row["id"]: row for row in incoming if row["id"] not in present}
    if not new:
        return []
    edited = {row["id"]: row["updated_at"] for row in incoming}
    for name, rows in wanted.items():
        for row in rows if name != "retrospective" else ():
            owner, stamp = row["retro_id"], row.get("updated_at")
            if stamp is not None and stamp > edited[owner]:
                edited[owner] = stamp
    found: list[sa.Row[Any]] = []
    publics = list(new)
    for start in range(0, len(publics), 300):
        public = sa.func.coalesce(graves.c.doc_id, graves.c.id)
        found += conn.execute(
            sa.select(public.label("public"), graves.c.updated_at).where(
                public.in_(publics[start : start + 300])
            )
        ).all()
    deleted = {row.public: row.updated_at for row in found}
    restored = []
    for public, when in sorted(deleted.items()):
        row = new[public]
        last = edited[row["id"]]
        if when >= last and not restore:
            raise UserError(
                f"{row['title']!r} was deleted from the destination on {when:%Y-%m-%d %H:%M:%S} "
                f"UTC, after its last edit in the source ({last:%Y-%m-%d %H:%M:%S} UTC); nothing "
                "was copied (copy it with --restore to bring it back)."
            )
        restored.append(row["title"])
    if deleted:
        public = sa.func.coalesce(graves.c.doc_id, graves.c.id)
        conn.execute(sa.delete(graves).where(public.in_(list(deleted))))
    return restored


def _merge_table(
    conn: sa.Connection,
    table: sa.Table,
    incoming: list[dict[str, Any]],
    existing: list[dict[str, Any]],
    present: set[str],
    now: Any,
    report: CopyReport,
    touched: set[str],
) -> None:
    by_id = {row["id"]: row for row in existing}
    # A unique key other than the id (one stage clock per stage) also matches a record.
    unique_keys = [
        tuple(c.name for c in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    ]
    by_key = {
        (names, tuple(row[n] for n in names)): row for names in unique_keys for row in existing
    }
    next_position: dict[str, int] = defaultdict(lambda: -1)
    for row in existing:
        if "position" in row:
            owner = row["retro_id"]
            next_position[owner] = max(next_position[owner], row["position"])
    compared = [c.name for c in table.columns if c.name not in _MERGE_OWNED]
    added: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in incoming:
        match = by_id.get(row["id"])
        if match is None:
            match = next(
                (
                    found
                    for names in unique_keys
                    if (found := by_key.get((names, tuple(row[n] for n in names)))) is not None
                ),
                None,
            )
        owner = row["id"] if table.name == "retrospective" else row["retro_id"]
        if match is None:
            fresh = dict(row)
            if "position" in row and owner in present:
                # Into a retrospective the destination has: after its own records, as an
                # import adds them.
                next_position[owner] += 1
                fresh["position"] = next_position[owner]
            added.append(fresh)
            if owner in present:
                touched.add(owner)
            continue
        changes = {name: row[name] for name in compared if row[name] != match[name]}
        if changes:
            updates.append({"_id": match["id"], **changes, "updated_at": now})
            touched.add(owner)
        else:
            report.unchanged += 1
    insert_table_rows(conn, table, added)
    for change in updates:
        values = {k: v for k, v in change.items() if k != "_id"}
        conn.execute(sa.update(table).where(table.c.id == change["_id"]).values(**values))
    if table.name != "retrospective":
        report.added += len(added)
        report.updated += len(updates)
    else:
        report.updated += len(updates)
