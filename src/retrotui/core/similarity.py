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
compared; items with the same words are looked up once. Each word set is also kept as an
int with one bit per word, so a candidate is checked with `(a & b).bit_count()` against the
fewest shared words its size allows, not by building the intersection. Property tests
check the result against the plain loop over every first item.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from functools import lru_cache
from itertools import chain
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
# ASCII letters and digits kept, every other byte a space: for ASCII text, `split()` then
# gives what _WORD finds (casefold is lower there).
_ASCII_RUNS = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))
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
    if text.isascii():  # the same runs of letters and digits, at a fraction of the cost
        runs = text.encode().translate(_ASCII_RUNS).lower().decode().split()
    else:
        runs = _WORD.findall(text.casefold())
    return frozenset([stem(w) for w in runs if w not in STOP_WORDS])


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty."""
    if not a and not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def alike_groups(
    items: Sequence[tuple[K, str]], threshold: float = THRESHOLD
) -> list[list[tuple[int, float]]]:
    """Groups of alike items, oldest first: `items` are (owner, title) in the order they
    were proposed. Each group lists (index into items, similarity to the group's first
    item), in item order, and spans two or more owners; groups come in the order of their
    first item. Titles with fewer than MIN_WORDS words are never grouped."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    keys = [words(title) for _, title in items]
    distinct = [s for s in dict.fromkeys(keys) if len(s) >= MIN_WORDS]  # first seen first
    frequency: Counter[str] = Counter(chain.from_iterable(distinct))
    # One total order of all words, rarest first (ties by the word): what prefixes use. A
    # word set is also an int with the bits of its words' ranks: `(a & b).bit_count()`
    # is |a ∩ b| without building a set.
    rank = {w: n for n, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    bit = {w: 1 << n for w, n in rank.items()}
    longest = max(map(len, distinct), default=0)
    cut = [size - math.ceil(threshold * size - 1e-9) + 1 for size in range(longest + 1)]
    # need[n]: the fewest shared words that make two sets of n words in all alike, by
    # the test "shared >= t * union" (union = n - shared), with the same tolerance.
    need = [
        next(k for k in range(n + 1) if k >= threshold * (n - k) - 1e-9)
        for n in range(2 * longest + 1)
    ]
    leaders: list[tuple[int, int]] = []  # the first item's words of each group, and size
    postings: dict[int, list[int]] = defaultdict(list)  # prefix word's rank -> groups
    placed: dict[frozenset[str], tuple[int, float]] = {}  # word set -> (group, similarity)
    for current in distinct:
        size = len(current)
        prefix = sorted(map(rank.__getitem__, current))[: cut[size]]
        mask = sum(map(bit.__getitem__, current))
        best, best_score = -1, 0.0
        for g in {g for r in prefix for g in postings.get(r, ())}:
            leader, leader_size = leaders[g]
            shared = (leader & mask).bit_count()
            total = size + leader_size
            if shared >= need[total]:
                score = shared / (total - shared)
                if score > best_score or (score == best_score and g < best):
                    best, best_score = g, score
        if best < 0:
            best, best_score = len(leaders), 1.0
            leaders.append((mask, size))
            for r in prefix:
                postings[r].append(best)
        placed[current] = best, best_score
    groups: list[list[tuple[int, float]]] = [[] for _ in leaders]
    for index, key in enumerate(keys):  # in item order
        where = placed.get(key)
        if where is not None:
            groups[where[0]].append((index, where[1]))
    # A group's first item is its founder's, and groups were founded in item order.
    return [g for g in groups if any(items[i][0] != items[g[0][0]][0] for i, _ in g)]
