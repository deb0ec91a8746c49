"""Action items that look alike: the same remediation proposed again in another retrospective.

Two titles are compared as sets of normalised words:

- lower case (casefold), split into runs of letters and digits;
- stop words dropped: English glue words ("the", "on", "for") and the verbs that start
  almost every action item ("add", "fix", "make", "ensure"), which say nothing about
  *which* remediation it is;
- a light suffix stemmer, so "alerts", "alerting" and "alerted" are one word and
  "connections" meets "connection" (see `stem`).

Similarity is the Jaccard index of the two sets: shared words over all words. Two items are
alike at `THRESHOLD` = 0.5 or more: at least half of the words they use between them are
the same. On real-looking pairs: "Alert on connection pool saturation above 80%" and "Add an
alert for DB connection pool saturation" score 0.57, "Alert when the connection pool is
saturated" 0.67; "Cap connections per client at the database proxy" and "Limit connections
per client at the proxy" 0.5; "Rotate certificates automatically" and "Automate certificate
rotation" 0.5; items that only share an area stay well under ("Alert on disk usage" and
"Add a runbook for disk full" 0.2, "Alert on queue lag" 0.2). A title with fewer than
`MIN_WORDS` words left is never matched: "Investigate" alone says too little.

Grouping follows the history: items are taken oldest first, and each one joins the group of
the earliest-founded item it is most alike to (ties: the earlier group) among the groups'
first items, else founds a group of its own. So every item of a group is alike to the
group's first proposal, the remediation it repeats; there is no chaining (A like B, B like
C, A unlike C) that would pull unrelated items into one group. Only groups spanning two or
more owners (retrospectives) are reported.

Finding the alike first items uses prefix filtering: with each word set ordered rarest first,
two sets with Jaccard >= t must share a word among the first |s| - ceil(t·|s|) + 1 of each,
so only those words of the first items are indexed and only candidates that share one are
compared; items with the same words are looked up once. A property test checks the result
against the plain loop over every first item.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import TypeVar

THRESHOLD = 0.5
MIN_WORDS = 2

K = TypeVar("K", bound=Hashable)

STOP_WORDS = frozenset(
    """
    a an the and or but nor of to in on at by for from with without into onto over under
    about after before during between than then so as is are was were be been being it its
    this that these those there here we our us they their them i you your he she his her
    not no all any each every some more most less other such only own same too very can
    will just should would could may might must do does did done doing has have had
    add adding added make making made ensure ensuring fix fixing fixed update updating
    updated improve improving improved create creating created use using used set setting
    new also when where which who what how why if up out off via per etc e g ie
    """.split()  # noqa: SIM905 (a list literal of 130 words would be unreadable)
)

_WORD = re.compile(r"[^\W_]+")
# (suffix, replacement), longest first; applied once, only when three letters remain.
_SUFFIXES = (
    ("ations", "at"),
    ("ation", "at"),
    ("ating", "at"),
    ("ments", ""),
    ("sses", "ss"),
    ("ings", ""),
    ("ions", ""),
    ("ated", "at"),
    ("ates", "at"),
    ("ment", ""),
    ("ing", ""),
    ("ion", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ers", ""),
    ("ed", ""),
    ("er", ""),
    ("ly", ""),
    ("s", ""),
)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light, predictable stemmer: one common English suffix off, then a final "e"
    ("connections" -> "connect", "saturated" and "saturation" -> "saturat", "retries" ->
    "retry", "caches" -> "cach"), never below three letters. Both sides of a comparison
    go through it, so a crude stem still meets its kin; "ss" endings are kept ("access")."""
    if word.endswith("ss"):
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


@lru_cache(maxsize=8192)
def words(text: str) -> frozenset[str]:
    """The normalised words of a title: casefolded, stop words out, stemmed."""
    return frozenset([stem(w) for w in _WORD.findall(text.casefold()) if w not in STOP_WORDS])


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty."""
    if not a and not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def _prefix(current: frozenset[str], rank: dict[str, int], threshold: float) -> list[str]:
    """The rarest words of `current` that any set alike to it must share one of."""
    ordered = sorted(current, key=rank.__getitem__)
    return ordered[: len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1]


def alike_groups(
    items: Sequence[tuple[K, str]], threshold: float = THRESHOLD
) -> list[list[tuple[int, float]]]:
    """Groups of alike items, oldest first: `items` are (owner, title) in the order they
    were proposed. Each group lists (index into items, similarity to the group's first
    item), in item order, and spans two or more owners; groups come in the order of their
    first item. Titles with fewer than MIN_WORDS words are never grouped."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    by_words: dict[frozenset[str], list[int]] = {}
    for index, (_, title) in enumerate(items):
        by_words.setdefault(words(title), []).append(index)
    frequency: Counter[str] = Counter(w for s in by_words for w in s)
    # One total order of all words, rarest first (ties by the word): what prefixes use.
    rank = {w: n for n, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    leaders: list[frozenset[str]] = []  # the first item's words of each group
    sizes: list[int] = []  # len(leaders[g]), looked up for every candidate
    postings: dict[str, list[int]] = defaultdict(list)  # prefix word -> groups
    groups: list[list[tuple[int, float]]] = []
    for current, members in by_words.items():  # in the order of first appearance
        if len(current) < MIN_WORDS:
            continue
        prefix = _prefix(current, rank, threshold)
        candidates = {g for word in prefix for g in postings.get(word, ())}
        best, best_score = -1, 0.0
        size = len(current)
        low, high = threshold * size - 1e-9, size / threshold + 1e-9
        for g in candidates:
            leader_size = sizes[g]
            if not low <= leader_size <= high:
                continue  # too short or too long to reach the threshold
            shared = len(leaders[g] & current)
            union = size + leader_size - shared
            # jaccard >= t  <=>  shared >= t * union
            if shared >= threshold * union - 1e-9:
                score = shared / union
                if score > best_score or (score == best_score and g < best):
                    best, best_score = g, score
        if best < 0:
            best, best_score = len(leaders), 1.0
            leaders.append(current)
            sizes.append(size)
            groups.append([])
            for word in prefix:
                postings[word].append(best)
        groups[best].extend((i, best_score) for i in members)
    found = [sorted(group) for group in groups if len({items[i][0] for i, _ in group}) >= 2]
    return sorted(found, key=lambda g: g[0][0])
