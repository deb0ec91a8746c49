"""Full-text search on PostgreSQL: `tsvector` / `tsquery`, as SQLite uses FTS5.

Each searchable table has an expression GIN index on the `tsvector` of its text
(migration 11), made with the `simple` configuration: words lower-cased, no stemming and
no stop words, so a word matches whole words only ("certificat" does not find
"certificate") as on SQLite. Queries come from `core.search_query.Query`, built into
`to_tsquery` text where every word is a quoted lexeme (the query language lets only
letters and digits through, so nothing the user typed is tsquery syntax): a phrase is
`<->`, a prefix `:*`, OR is `|`, groups are joined with `&`. Ranking is `ts_rank` over the
RANK_WINDOW matches found first; snippets are cut here (`cut_snippet`), as on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa

from retrotui.core.search_query import Query, Term
from retrotui.store.search import SOURCES, Hit, Source, cut_snippet

CONFIG = "simple"
# ts_rank reads each match's text again: only this many matches are ranked (a word in
# every record would otherwise rank them all); fewer matches are all ranked.
RANK_WINDOW = 2000


def _body(source: Source) -> str:
    """The record's text as one string, the same expression the index is built on."""
    return " || chr(10) || ".join(f"coalesce({column}, '')" for column in source.columns)


def _words(text: str) -> str:
    """`text` with its punctuation turned into spaces. PostgreSQL's parser keeps a host
    name, an e-mail address, a URL or a path as one token ("pay-gw.internal"), which only
    the whole string matched; SQLite's FTS5 splits them at punctuation, so "internal" found
    it there. Split first, both engines index the same words."""
    return f"regexp_replace({text}, '[[:punct:]]+', ' ', 'g')"


def _vector(source: Source) -> str:
    return f"to_tsvector('{CONFIG}'::regconfig, {_words(_body(source))})"


def create_pg_index(conn: sa.Connection) -> None:
    """One expression GIN index per searchable table (migrations 11 and 13)."""
    for source in SOURCES:
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_{source.table}_fts ON {source.table} "
            f"USING gin (({_vector(source)}))"
        )


def rebuild_pg_index(conn: sa.Connection) -> None:
    """The indexes again, on the words as split now (migration 13)."""
    for source in SOURCES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{source.table}_fts")
    create_pg_index(conn)


def tsquery(query: Query) -> str:
    """The `to_tsquery` text for `query`: every word a quoted lexeme."""

    def one(term: Term) -> str:
        words = [f"'{word}'" for word in term.words]  # letters and digits only
        if term.prefix:
            words[-1] += ":*"
        return "(" + " <-> ".join(words) + ")"

    groups = ["(" + " | ".join(one(term) for term in group) + ")" for group in query.groups]
    return " & ".join(groups)


class PgSearch:
    def search(self, conn: sa.Connection, query: Query, limit: int) -> list[Hit]:
        found = " UNION ALL ".join(
            f"SELECT '{s.kind}' AS kind, id AS record_id, {s.retro_id} AS retro_id, "
            f"{_body(s)} AS body FROM {s.table}, q WHERE {_vector(s)} @@ q.query"
            for s in SOURCES
        )
        rows = conn.exec_driver_sql(
            f"WITH q AS (SELECT to_tsquery('{CONFIG}'::regconfig, %(query)s) AS query), "
            f"found AS ({found} LIMIT %(window)s) "
            "SELECT kind, record_id, retro_id, body FROM found, q "
            f"ORDER BY ts_rank(to_tsvector('{CONFIG}'::regconfig, {_words('body')}), q.query) "
            "DESC, record_id LIMIT %(limit)s",
            {"query": tsquery(query), "window": RANK_WINDOW, "limit": limit},
        ).all()
        return [
            Hit(kind, record_id, retro_id, cut_snippet(body, query))
            for kind, record_id, retro_id, body in rows
        ]
