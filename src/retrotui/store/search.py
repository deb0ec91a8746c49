"""Full-text search over everything a retrospective holds, behind one small interface.

On SQLite: `search_doc` holds one row per searchable record (its text folded into `body`)
and `search_fts` is an FTS5 index with `search_doc` as its external content. Triggers on
the record tables keep `search_doc` in step, and triggers on `search_doc` keep the index in
step, so every edit, delete (cascades included) and bulk import updates it with no code
in the write paths. Ranking is FTS5's bm25; snippets come from FTS5 too.

On PostgreSQL: `tsvector` / `tsquery` over expression GIN indexes (`store/search_pg.py`).
Elsewhere: `PlainSearch`, every term as a case-insensitive LIKE over the same text, then a
whole-word check, snippets cut here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa

from retrotui.core.search_query import Query

# Marks around a match inside a snippet: private-use characters, so user text never
# looks like one and the terminal never sees them (callers split on them).
MATCH_START = "\ue000"
MATCH_END = "\ue001"
ELLIPSIS = "…"


@dataclass(frozen=True)
class Source:
    table: str
    kind: str
    retro_id: str  # SQL for the retrospective's id, in terms of the row
    columns: tuple[str, ...]  # text columns folded into the body, in order


SOURCES: tuple[Source, ...] = (
    Source("retrospective", "retro", "id", ("title", "incident_ref", "summary", "impact")),
    Source("timeline_event", "event", "retro_id", ("text", "actor")),
    Source("note", "note", "retro_id", ("text", "author")),
    Source("why_chain", "chain", "retro_id", ("problem",)),
    Source("why", "why", "retro_id", ("question", "answer")),
    Source("action_item", "action", "retro_id", ("title", "description", "owner", "ticket")),
    Source("retro_label", "label", "retro_id", ("name",)),
)


@dataclass(frozen=True)
class Hit:
    kind: str
    record_id: str
    retro_id: str
    snippet: str  # with MATCH_START / MATCH_END around matches


class SearchEngine(Protocol):
    def search(self, conn: sa.Connection, query: Query, limit: int) -> list[Hit]: ...


def engine_for(conn: sa.Connection) -> SearchEngine:
    if conn.dialect.name == "sqlite" and sa.inspect(conn).has_table("search_doc"):
        return Fts5Search()
    if conn.dialect.name == "postgresql":
        from retrotui.store.search_pg import PgSearch

        return PgSearch()
    return PlainSearch()


def _body(source: Source, row: str) -> str:
    parts = [f"coalesce({row}.{column}, '')" for column in source.columns]
    return " || char(10) || ".join(parts)


_ADD = "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body);"
_DROP = "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);"
DOC_INSERT_TRIGGER = "search_doc_ai"


def _doc_insert_trigger() -> str:
    return f"CREATE TRIGGER {DOC_INSERT_TRIGGER} AFTER INSERT ON search_doc BEGIN {_ADD} END"


def _source_insert_trigger(s: Source) -> str:
    return (
        f"CREATE TRIGGER search_{s.table}_ai AFTER INSERT ON {s.table} BEGIN "
        "INSERT INTO search_doc (record_id, retro_id, kind, body) VALUES "
        f"(new.id, new.{s.retro_id}, '{s.kind}', {_body(s, 'new')}); END"
    )


def create_sqlite_index(conn: sa.Connection) -> None:
    """Tables, triggers and the existing records (migration 6)."""
    run = conn.exec_driver_sql
    run(
        "CREATE TABLE search_doc (id INTEGER PRIMARY KEY, record_id VARCHAR(64) NOT NULL "
        "UNIQUE, retro_id VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, body TEXT NOT NULL)"
    )
    run("CREATE INDEX ix_search_doc_retro_id ON search_doc (retro_id)")
    run(
        "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    run(_doc_insert_trigger())
    run(f"CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN {_DROP} END")
    run(f"CREATE TRIGGER search_doc_au AFTER UPDATE OF body ON search_doc BEGIN {_DROP} {_ADD} END")
    for s in SOURCES:
        watched = ", ".join(s.columns)
        run(_source_insert_trigger(s))
        run(
            f"CREATE TRIGGER search_{s.table}_au AFTER UPDATE OF {watched} ON {s.table} BEGIN "
            f"UPDATE search_doc SET body = {_body(s, 'new')} WHERE record_id = new.id; END"
        )
        run(
            f"CREATE TRIGGER search_{s.table}_ad AFTER DELETE ON {s.table} BEGIN "
            "DELETE FROM search_doc WHERE record_id = old.id; END"
        )
        run(
            "INSERT INTO search_doc (record_id, retro_id, kind, body) "
            f"SELECT id, {s.retro_id}, '{s.kind}', {_body(s, s.table)} FROM {s.table}"
        )


@contextmanager
def bulk_indexing(conn: sa.Connection, table: str) -> Iterator[None]:
    """Index rows inserted into `table` inside the block in two statements at its end,
    instead of two trigger firings per row (which made a 100,000-line import 3.6 times
    slower; bench/search.py `search_index_import_upkeep`).

    Inside the caller's write transaction: the two insert triggers (record -> search_doc,
    search_doc -> search_fts) are dropped, the block inserts, then the new rows (rowids
    above the largest before the block, in insertion order, so they are numbered as the
    triggers would have numbered them) are folded into `search_doc` with one INSERT ...
    SELECT and into the FTS index with another, and the triggers are created again. DDL
    is transactional in SQLite: other connections never see the triggers missing, and an
    error rolls everything back, triggers included, so the index is never out of step.
    Only inserts may happen inside the block. Elsewhere (no FTS5 index, PostgreSQL) it
    does nothing."""
    source = next((s for s in SOURCES if s.table == table), None)
    trigger = f"search_{table}_ai"
    run = conn.exec_driver_sql
    present = (
        conn.dialect.name == "sqlite"
        and source is not None
        and run(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
            (trigger, DOC_INSERT_TRIGGER),
        ).scalar()
        == 2
    )
    if not present or source is None:
        yield
        return
    rows_before = run(f"SELECT coalesce(max(rowid), 0) FROM {table}").scalar()
    docs_before = run("SELECT coalesce(max(id), 0) FROM search_doc").scalar()
    run(f"DROP TRIGGER {trigger}")
    run(f"DROP TRIGGER {DOC_INSERT_TRIGGER}")
    yield
    run(
        "INSERT INTO search_doc (record_id, retro_id, kind, body) "
        f"SELECT id, {source.retro_id}, '{source.kind}', {_body(source, table)} "
        f"FROM {table} WHERE rowid > ? ORDER BY rowid",
        (rows_before,),
    )
    run(
        "INSERT INTO search_fts(rowid, body) SELECT id, body FROM search_doc WHERE id > ?",
        (docs_before,),
    )
    run(_source_insert_trigger(source))
    run(_doc_insert_trigger())


# bm25 costs a lookup per matching record: a word in 30,000 records took 100 ms. Only the
# RANK_WINDOW most recently written matches are ranked (finding where they start walks
# the index in order and costs well under a millisecond); fewer matches are all ranked.
RANK_WINDOW = 2000


class Fts5Search:
    def search(self, conn: sa.Connection, query: Query, limit: int) -> list[Hit]:
        match = query.fts5()
        bound = conn.exec_driver_sql(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, RANK_WINDOW - 1),
        ).scalar()
        ranked = conn.exec_driver_sql(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid >= ? "
            "ORDER BY rank LIMIT ?",
            (match, bound or 0, limit),
        ).all()
        if not ranked:
            return []
        order = {rowid: n for n, (rowid,) in enumerate(ranked)}
        marks = ", ".join("?" for _ in order)
        # Snippets are cut here, from the rows shown: FTS5's snippet() runs the MATCH once
        # more, and a prefix query without a prefix index re-merges every matching word.
        rows = conn.exec_driver_sql(
            f"SELECT id, kind, record_id, retro_id, body FROM search_doc WHERE id IN ({marks})",
            tuple(order),
        ).all()
        rows = sorted(rows, key=lambda row: order[row[0]])
        return [
            Hit(kind, rid, retro, cut_snippet(body, query)) for _, kind, rid, retro, body in rows
        ]


class PlainSearch:
    """Every term as a case-insensitive LIKE: no index, no ranking beyond recency."""

    def search(self, conn: sa.Connection, query: Query, limit: int) -> list[Hit]:
        md = sa.MetaData()
        selects = []
        for s in SOURCES:
            table = sa.Table(
                s.table,
                md,
                sa.Column("id", sa.String),
                *[sa.Column(c, sa.String) for c in {s.retro_id, *s.columns} - {"id"}],
            )
            parts = [sa.func.coalesce(table.c[c], "", type_=sa.String) for c in s.columns]
            body: sa.ColumnElement[str] = parts[0]
            for part in parts[1:]:
                body = body + "\n" + part
            selects.append(
                sa.select(
                    sa.literal(s.kind).label("kind"),
                    table.c.id.label("record_id"),
                    table.c[s.retro_id].label("retro_id"),
                    body.label("body"),
                )
            )
        union = sa.union_all(*selects).subquery()
        condition = sa.and_(
            *[
                sa.or_(*[union.c.body.ilike(_like(term.words), escape="\\") for term in group])
                for group in query.groups
            ]
        )
        # LIKE finds substrings ("certificat" in "certificate"); the query language means
        # whole words unless a prefix is asked for, so candidates are checked word by word.
        candidates = conn.execute(sa.select(union).where(condition).limit(limit * 20)).all()
        hits = [
            Hit(kind, rid, retro, cut_snippet(body, query))
            for kind, rid, retro, body in candidates
            if _matches_words(body, query)
        ]
        return hits[:limit]


def _matches_words(body: str, query: Query) -> bool:
    """Every group has a term whose words appear in `body` as consecutive whole words (the
    last one as a prefix when the term ends with `*`)."""
    tokens = [word.casefold() for word in _WORD.findall(body)]

    def found(words: list[str], prefix: bool) -> bool:
        wanted = [w.casefold() for w in words]
        for start in range(len(tokens) - len(wanted) + 1):
            window = tokens[start : start + len(wanted)]
            if window[:-1] == wanted[:-1] and (
                window[-1].startswith(wanted[-1]) if prefix else window[-1] == wanted[-1]
            ):
                return True
        return False

    return all(any(found(t.words, t.prefix) for t in group) for group in query.groups)


def _like(words: list[str]) -> str:
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return "%" + "%".join(escaped) + "%"


_WORD = re.compile(r"\w+")


def cut_snippet(body: str, query: Query, words: int = 12) -> str:
    """About `words` words of `body` around its first match, each matching word between
    MATCH_START and MATCH_END, with an ellipsis where text was left out."""
    wanted: set[str] = set()
    prefixes: list[str] = []
    for group in query.groups:
        for term in group:
            folded = [w.casefold() for w in term.words]
            if term.prefix:
                prefixes.append(folded.pop())
            wanted.update(folded)
    spans = [(m.start(), m.end(), m.group().casefold()) for m in _WORD.finditer(body)]

    def hit(word: str) -> bool:
        return word in wanted or any(word.startswith(p) for p in prefixes)

    first = next((n for n, (_, _, w) in enumerate(spans) if hit(w)), 0)
    lo = max(0, first - words // 3)
    hi = min(len(spans), lo + words)
    if not spans:
        return body[:80]
    start = 0 if lo == 0 else spans[lo][0]
    end = len(body) if hi == len(spans) else spans[hi - 1][1]
    out, last = [], start
    for begin, finish, word in spans[lo:hi]:
        if hit(word):
            out += [body[last:begin], MATCH_START, body[begin:finish], MATCH_END]
            last = finish
    out.append(body[last:end])
    return (ELLIPSIS if start else "") + "".join(out) + (ELLIPSIS if end < len(body) else "")
