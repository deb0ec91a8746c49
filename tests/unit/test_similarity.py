"""Alike action items (core.similarity): normalised words, Jaccard, groups across retros."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from retrotui.core.similarity import (
    MIN_WORDS,
    STOP_WORDS,
    THRESHOLD,
    alike_groups,
    jaccard,
    similar_pairs,
    stem,
    words,
)

VOCAB = ["alert", "pool", "disk", "cache", "proxy", "replica", "cert", "dns", "queue", "lag"]
word_sets = st.frozensets(st.sampled_from(VOCAB), max_size=6)
titles = st.lists(st.sampled_from([*VOCAB, "the", "on", "Add", "ALERTS"]), max_size=8).map(" ".join)


def test_the_documented_pairs_score_as_documented() -> None:
    """The examples the module's docstring gives to justify the threshold."""

    def score(a: str, b: str) -> float:
        return round(jaccard(words(a), words(b)), 2)

    pool = "Alert on connection pool saturation above 80%"
    assert score(pool, "Add an alert for DB connection pool saturation") == 0.57
    assert score(pool, "Alert when the connection pool is saturated") == 0.67
    cap = "Cap connections per client at the database proxy"
    assert score(cap, "Limit connections per client at the proxy") == 0.5
    assert score("Rotate certificates automatically", "Automate certificate rotation") == 0.5
    assert score("Alert on disk usage", "Add a runbook for disk full") < THRESHOLD
    assert score("Alert on disk usage", "Alert on queue lag") < THRESHOLD


def test_words_fold_case_drop_glue_and_stem() -> None:
    """Case, stop words and common suffixes do not make two titles different."""
    assert words("Add ALERTS on the Connection pools") == words("alert connection pool")
    assert stem("retries") == stem("retry") and stem("caches") == stem("cache")
    assert stem("access") == "access" and stem("users") == "user"


@given(word_sets, word_sets)
def test_jaccard_is_symmetric_and_bounded(a: frozenset[str], b: frozenset[str]) -> None:
    assert jaccard(a, b) == jaccard(b, a)
    assert 0.0 <= jaccard(a, b) <= 1.0
    if a:
        assert jaccard(a, a) == 1.0


@given(titles)
def test_word_order_case_and_stop_words_do_not_matter(title: str) -> None:
    shuffled = " ".join(reversed(title.split()))
    assert words(title) == words(shuffled.upper()) == words(f"the {title} for us")
    assert not words(title) & STOP_WORDS


@given(st.lists(word_sets, max_size=14), st.sampled_from([0.3, THRESHOLD, 0.75, 1.0]))
def test_prefix_filtering_finds_exactly_the_pairs_of_the_plain_double_loop(
    sets: list[frozenset[str]], threshold: float
) -> None:
    expected = [
        (i, j, jaccard(sets[i], sets[j]))
        for i, j in combinations(range(len(sets)), 2)
        if len(sets[i]) >= MIN_WORDS
        and len(sets[j]) >= MIN_WORDS
        and jaccard(sets[i], sets[j]) >= threshold
    ]
    assert similar_pairs(sets, threshold) == expected


@given(st.lists(st.tuples(st.sampled_from("ABC"), titles), max_size=12))
def test_groups_span_retros_and_hold_every_alike_pair(items: list[tuple[str, str]]) -> None:
    """Every group has items of two or more retrospectives; any two items of different
    retrospectives that are alike end up in the same group; no item is in two groups."""
    groups = alike_groups(items)
    where = {}
    for n, group in enumerate(groups):
        assert len({items[i][0] for i, _ in group}) >= 2
        for i, score in group:
            assert i not in where and THRESHOLD <= score <= 1.0
            where[i] = n
    for i, j in combinations(range(len(items)), 2):
        a, b = words(items[i][1]), words(items[j][1])
        alike = min(len(a), len(b)) >= MIN_WORDS and jaccard(a, b) >= THRESHOLD
        if items[i][0] != items[j][0] and alike:
            assert where[i] == where[j]


def test_the_same_retro_repeating_itself_is_not_a_recurrence() -> None:
    items = [("r1", "Alert on pool saturation"), ("r1", "Alert on pool saturation")]
    assert alike_groups(items) == []
    items.append(("r2", "Alert on connection pool saturation"))
    assert [[i for i, _ in g] for g in alike_groups(items)] == [[0, 1, 2]]


def test_one_word_titles_are_never_matched() -> None:
    assert alike_groups([("r1", "Investigate"), ("r2", "Investigate")]) == []
