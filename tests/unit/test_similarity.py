"""Alike action items (core.similarity): normalised words, Jaccard, groups across retros."""

from __future__ import annotations

import re
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from retrotui.core.similarity import (
    MIN_WORDS,
    STOP_WORDS,
    THRESHOLD,
    alike_groups,
    jaccard,
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


def _reference_groups(
    items: list[tuple[str, str]], threshold: float = THRESHOLD
) -> list[list[tuple[int, float]]]:
    """Item by item against every group's first item: what alike_groups must give,
    however it gets there."""
    firsts: list[frozenset[str]] = []
    groups: list[list[tuple[int, float]]] = []
    seen: dict[frozenset[str], tuple[int, float]] = {}  # the same words go the same way
    for i, (_, title) in enumerate(items):
        mine = words(title)
        if len(mine) < MIN_WORDS:
            continue
        if mine in seen:
            group, score = seen[mine]
            groups[group].append((i, score))
            continue
        scores = [jaccard(mine, first) for first in firsts]
        best = max(range(len(scores)), key=lambda g: (scores[g], -g), default=None)
        if best is None or scores[best] < threshold:
            firsts.append(mine)
            groups.append([(i, 1.0)])
            seen[mine] = (len(groups) - 1, 1.0)
        else:
            groups[best].append((i, scores[best]))
            seen[mine] = (best, scores[best])
    return [g for g in groups if len({items[i][0] for i, _ in g}) >= 2]


@given(
    st.lists(st.tuples(st.sampled_from("ABC"), titles), max_size=16),
    st.sampled_from([0.3, THRESHOLD, 0.75, 1.0]),
)
def test_prefix_filtering_groups_exactly_as_the_plain_loop(
    items: list[tuple[str, str]], threshold: float
) -> None:
    """Looking up only candidates that share a rare word, and each distinct word set once,
    gives exactly the groups and scores of comparing each item with every first item."""
    got = alike_groups(items, threshold)
    expected = _reference_groups(items, threshold)
    assert [[i for i, _ in g] for g in got] == [[i for i, _ in g] for g in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert [round(s, 9) for _, s in mine] == [round(s, 9) for _, s in theirs]


# Longer titles over more words (some rare, some common, some not ASCII), at thresholds
# whose prefixes and share counts round differently: the filters' edge cases.
WIDE_VOCAB = [*VOCAB, "lb", "tls", "cron", "flag", "quota", "oom", "rollback", "naïve", "Straße"]
long_titles = st.lists(st.sampled_from([*WIDE_VOCAB, "the", "on"]), max_size=14).map(" ".join)


@given(
    st.lists(st.tuples(st.sampled_from("ABCD"), long_titles | titles), max_size=30),
    st.sampled_from([0.2, 0.4, THRESHOLD, 0.6, 2 / 3, 0.7, 0.9, 1.0]),
)
def test_filters_group_long_titles_exactly_as_the_plain_loop(
    items: list[tuple[str, str]], threshold: float
) -> None:
    """Ties between groups, repeated titles, titles of one word and long word sets all
    group exactly as comparing each item with every first item."""
    got = alike_groups(items, threshold)
    expected = _reference_groups(items, threshold)
    assert [[i for i, _ in g] for g in got] == [[i for i, _ in g] for g in expected]
    for mine, theirs in zip(got, expected, strict=True):
        assert [s for _, s in mine] == [s for _, s in theirs]


@given(st.text(st.characters(max_codepoint=127), max_size=40))
def test_ascii_titles_split_as_runs_of_letters_and_digits(title: str) -> None:
    """The quick split of ASCII titles finds the runs a Unicode-aware regex finds."""
    runs = re.findall(r"[^\W_]+", title.casefold())
    assert words(title) == {stem(w) for w in runs if w not in STOP_WORDS}


def test_ascii_and_unicode_titles_split_into_the_same_words() -> None:
    """The quick path for ASCII titles finds the words the general one finds."""
    title = "Add_retries: TLS-handshake\terrors (x2) on api/v1 @ 80%"
    assert words(title) == words(title + " é") - {"é"}
    assert words(title) == {"retry", "tls", "handshak", "error", "x2", "api", "v1", "80"}
    assert words("Réduire la latence") == {"réduir", "la", "latenc"}


@given(st.lists(st.tuples(st.sampled_from("ABC"), titles), max_size=12))
def test_every_item_is_alike_its_groups_first_proposal(items: list[tuple[str, str]]) -> None:
    """Groups span two or more retrospectives; each item is alike the group's first item
    (no chaining); no item is in two groups; items with the same words stay together."""
    groups = alike_groups(items)
    where: dict[int, int] = {}
    for n, group in enumerate(groups):
        assert len({items[i][0] for i, _ in group}) >= 2
        first = words(items[group[0][0]][1])
        for i, score in group:
            assert i not in where
            where[i] = n
            assert score == jaccard(words(items[i][1]), first) >= THRESHOLD
    for i, j in combinations(range(len(items)), 2):
        if words(items[i][1]) == words(items[j][1]):
            assert where.get(i) == where.get(j)


def test_the_same_retro_repeating_itself_is_not_a_recurrence() -> None:
    items = [("r1", "Alert on pool saturation"), ("r1", "Alert on pool saturation")]
    assert alike_groups(items) == []
    items.append(("r2", "Alert on connection pool saturation"))
    assert [[i for i, _ in g] for g in alike_groups(items)] == [[0, 1, 2]]


def test_no_chaining_through_a_middle_item() -> None:
    """A like B and B like C, but C unlike A: C does not join A's group."""
    items = [
        ("r1", "Alert on disk usage database"),
        ("r2", "Alert on disk usage database hosts"),
        ("r3", "Page on disk usage database hosts nightly"),
    ]
    a, b, c = (words(t) for _, t in items)
    assert jaccard(a, b) >= THRESHOLD and jaccard(b, c) >= THRESHOLD > jaccard(a, c)
    assert [[i for i, _ in g] for g in alike_groups(items)] == [[0, 1]]


def test_one_word_titles_are_never_matched() -> None:
    assert alike_groups([("r1", "Investigate"), ("r2", "Investigate")]) == []


def test_an_item_alike_two_groups_equally_joins_the_earlier() -> None:
    """A tie between two first proposals goes to the one proposed first."""
    items = [
        ("r1", "alpha bravo papa quebec"),
        ("r2", "alpha bravo romeo sierra"),  # 2 of 6 words shared: a group of its own
        ("r3", "alpha bravo papa romeo"),  # 3 of 5 with each
        ("r4", "alpha bravo romeo sierra"),
    ]
    assert [[(i, round(s, 2)) for i, s in g] for g in alike_groups(items)] == [
        [(0, 1.0), (2, 0.6)],
        [(1, 1.0), (3, 1.0)],
    ]


def test_long_titles_exactly_at_the_threshold_are_alike() -> None:
    """Sets of 8 and 10 words sharing 6 score exactly 0.5 (6 of 12): alike; sharing 5
    (5 of 13) they are not."""
    eight = "alpha bravo delta echo foxtrot golf hotel india"
    ten_sharing_six = "alpha bravo delta echo foxtrot golf oscar papa quebec romeo"
    ten_sharing_five = "alpha bravo delta echo foxtrot oscar papa quebec romeo sierra"
    assert alike_groups([("r1", eight), ("r2", ten_sharing_six)]) == [[(0, 1.0), (1, 0.5)]]
    assert alike_groups([("r1", eight), ("r2", ten_sharing_five)]) == []
