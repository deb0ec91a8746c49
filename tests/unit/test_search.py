"""Search: the query language, the index kept in step with every write, results and places."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from retrotui.core.search_query import parse_query
from retrotui.errors import UserError
from retrotui.models import ActionItem, Note, Retrospective, TimelineEvent, Why, WhyChain
from retrotui.services.labels import change_labels
from retrotui.services.search import focus, search
from retrotui.store.repository import Store
from retrotui.store.search import PlainSearch

T0 = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def filled(store: Store) -> Store:
    retro = store.add(
        Retrospective(
            title="Card payments failing",
            incident_ref="INC-4711",
            summary="The gateway certificate expired.",
            impact="Checkout refused cards for 40 minutes.",
        )
    )
    other = store.add(Retrospective(title="Search stale", incident_ref="INC-9"))
    for n in range(12):
        store.add(
            TimelineEvent(
                retro_id=retro.id, time=T0 + timedelta(minutes=n), text=f"Routine check {n}"
            )
        )
    store.add(TimelineEvent(retro_id=retro.id, time=T0 + timedelta(minutes=30), text="Pager fired"))
    store.add(Note(retro_id=retro.id, text="Nobody owned certificate renewal"))
    chain = store.add(WhyChain(retro_id=retro.id, problem="Cards refused"))
    store.add(Why(retro_id=retro.id, chain_id=chain.id, answer="The renewal job was disabled"))
    store.add(ActionItem(retro_id=retro.id, title="Alert 30 days before certificates expire"))
    store.add(TimelineEvent(retro_id=other.id, time=T0, text="Indexer stalled on deploy"))
    change_labels(store, retro, add_tags=["tls"])
    return store


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "Type something to search for."),
        ('"certificate renewal', "unclosed quote"),
        ("*", "A * goes right after a word"),
        ("cert*ificate", "A * goes right after a word"),
        ("OR cache", "OR goes between two words"),
        ("cache OR", "OR goes between two words"),
        ("!!! ???", "no letters or digits"),
        ('"!!"', "has no letters or digits"),
    ],
)
def test_bad_queries_are_one_sentence(text: str, sentence: str) -> None:
    with pytest.raises(UserError, match=sentence.replace("*", r"\*")) as caught:
        parse_query(text)
    assert "\n" not in str(caught.value)


def test_engine_syntax_is_always_literal() -> None:
    query = parse_query('NEAR(a b) col:x "x y"* deploy* ^start AND NOT')
    assert query.fts5() == (
        '"NEAR a" AND "b" AND "col x" AND "x y"* AND "deploy"* AND "start" AND "AND" AND "NOT"'
    )


def test_finds_every_kind_of_text_with_its_place(filled: Store) -> None:
    found = {r.where for r in search(filled, "certificate*")}
    assert found >= {
        "title, summary or impact of INC-4711",
        "a note of INC-4711",
        "an action of INC-4711",
    }
    [event] = search(filled, "pager")
    assert event.where == "event 13 of INC-4711" and event.stage == 2
    assert event.segments() == [("Pager", True), (" fired", False)]
    assert search(filled, "renewal job")[0].where == "a why of INC-4711"
    assert search(filled, "tls")[0].where == "a factor or tag of INC-4711"
    assert [r.kind for r in search(filled, "checkout refused")] == ["retro"]


def test_phrases_prefixes_and_or(filled: Store) -> None:
    assert [r.kind for r in search(filled, '"certificate renewal"')] == ["note"]
    assert search(filled, '"renewal certificate"') == []
    assert {r.retro_ref for r in search(filled, "index*")} == {"INC-9"}
    assert {r.retro_ref for r in search(filled, "pager OR indexer")} == {"INC-4711", "INC-9"}
    assert search(filled, "certificat") == []  # whole words unless asked for a prefix


def test_the_index_follows_edits_deletes_and_cascades(filled: Store) -> None:
    [note] = [r for r in search(filled, "nobody") if r.kind == "note"]
    filled.update(Note, note.record_id, text="Renewal had an owner on leave")
    assert search(filled, "nobody") == []
    assert search(filled, "leave")[0].record_id == note.record_id
    filled.delete(Note, note.record_id)
    assert search(filled, "leave") == []
    retro_id = search(filled, "pager")[0].retro_id
    filled.delete(Retrospective, retro_id)
    assert search(filled, "pager OR certificate OR tls OR renewal") == []
    assert [r.retro_ref for r in search(filled, "indexer")] == ["INC-9"]


def test_limit_and_ranking(filled: Store) -> None:
    assert len(search(filled, "routine", limit=5)) == 5
    with pytest.raises(UserError, match="between 1 and"):
        search(filled, "routine", limit=0)


def test_focus_opens_the_retrospective_on_the_match(filled: Store) -> None:
    [event] = search(filled, "pager")
    focus(filled, event)
    retro = filled.get(Retrospective, event.retro_id)
    assert retro.current_stage == 2 and retro.current_event_id == event.record_id
    focus(filled, search(filled, "alert")[0])
    assert filled.get(Retrospective, event.retro_id).current_stage == 5


def test_the_plain_fallback_finds_the_same_records(filled: Store) -> None:
    """The LIKE engine (databases without a full-text index) answers the same queries."""
    with filled.engine.connect() as conn:
        hits = PlainSearch().search(conn, parse_query("certificate renewal"), 20)
        assert {h.kind for h in hits} == {"note"}
        [hit] = PlainSearch().search(conn, parse_query("pager"), 20)
    assert "\ue000Pager\ue001" in hit.snippet


def test_each_engine_searches_with_its_own_full_text_index(filled: Store) -> None:
    """SQLite answers from FTS5, PostgreSQL from tsvector/tsquery over GIN indexes (one
    per searchable table); only other engines fall back to LIKE."""
    from retrotui.store.search import SOURCES, Fts5Search, engine_for
    from retrotui.store.search_pg import PgSearch

    with filled.engine.connect() as conn:
        engine = engine_for(conn)
        if conn.dialect.name == "sqlite":
            assert isinstance(engine, Fts5Search)
            return
        assert isinstance(engine, PgSearch)
        indexes = conn.exec_driver_sql(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexname LIKE '%%_fts'"
        ).all()
        # The search's own expression is the indexed one: the planner uses the index.
        from retrotui.store.search_pg import _vector

        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plans = {
            s.table: "\n".join(
                row[0]
                for row in conn.exec_driver_sql(
                    f"EXPLAIN SELECT id FROM {s.table} "
                    f"WHERE {_vector(s)} @@ to_tsquery('simple', 'pager')"
                )
            )
            for s in SOURCES
        }
    assert {table for table, _ in indexes} == {s.table for s in SOURCES}
    assert all("USING gin" in sql and "to_tsvector" in sql for _, sql in indexes)
    assert all(f"ix_{table}_fts" in plan for table, plan in plans.items()), plans


def test_the_tsquery_holds_only_quoted_words() -> None:
    """Whatever is typed, PostgreSQL gets lexemes joined by the builder's own operators."""
    from retrotui.store.search_pg import tsquery

    query = parse_query("""'a' & !b "x y"* deploy* OR c:* <-> d""")
    assert tsquery(query) == (
        "(('a')) & (('b')) & (('x' <-> 'y':*)) & (('deploy':*) | ('c':*)) & (('d'))"
    )


def test_words_an_engine_does_not_index_find_nothing_without_an_error(filled: Store) -> None:
    """Superscripts, lone digits of other scripts, a word repeated: an empty answer."""
    for text in ("²", "٣", "pager pager", '"pager" OR "pager"*'):
        results = search(filled, text)
        assert results == [] or {r.kind for r in results} == {"event"}


def test_hosts_addresses_and_paths_are_found_by_any_of_their_words(store: Store) -> None:
    """Incident text is full of host names, e-mail addresses, URLs and paths: every engine
    finds them by their words as typed ("internal" finds pay-gw.internal). PostgreSQL's
    parser keeps such a string as one token, which only the whole string matched."""
    retro = store.add(Retrospective(title="Hosts and paths"))
    store.add(
        TimelineEvent(
            retro_id=retro.id, time=T0, text="TLS certificate for pay-gw.internal expires"
        )
    )
    store.add(
        Note(
            retro_id=retro.id,
            text="Mail to alice@example.com bounced; runbook at https://wiki.example.com/"
            "runbooks/tls, key in /etc/ssl/certs/gw_2026.pem, client 1.2.3",
        )
    )
    for query, kinds in [
        ("internal", ["event"]),
        ("pay", ["event"]),
        ('"pay-gw.internal"', ["event"]),
        ("alice", ["note"]),
        ("example", ["note"]),
        ("runbooks", ["note"]),
        ("pem", ["note"]),
        ("certs", ["note"]),
        ("wiki*", ["note"]),
        ('"1.2.3"', ["note"]),
        ("gw", ["event", "note"]),
    ]:
        assert sorted(r.kind for r in search(store, query)) == kinds, query
