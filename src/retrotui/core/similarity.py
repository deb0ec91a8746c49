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

Alike items are grouped transitively (A like B, B like C: one group), and only groups that
span two or more retrospectives are reported. Finding pairs uses prefix filtering: with
each set's words ordered rarest first, two sets with Jaccard >= t must share a word among
the first |s| - ceil(t·|s|) + 1 of each, so only those words are indexed and only
candidates that share one are compared; the result is exactly the all-pairs result (a
property test checks it against the plain double loop).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
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


def words(text: str) -> frozenset[str]:
    """The normalised words of a title: casefolded, stop words out, stemmed."""
    out = set()
    for word in _WORD.findall(text.casefold()):
        if word in STOP_WORDS:
            continue
        out.add(stem(word))
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty."""
    if not a and not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similar_pairs(
    sets: Sequence[frozenset[str]], threshold: float = THRESHOLD
) -> list[tuple[int, int, float]]:
    """Every pair (i, j, similarity), i < j, with jaccard >= threshold, skipping sets of
    fewer than MIN_WORDS words; in (i, j) order."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    frequency: Counter[str] = Counter(word for s in sets for word in s)
    index: dict[str, list[int]] = defaultdict(list)
    pairs: list[tuple[int, int, float]] = []
    for i, current in enumerate(sets):
        if len(current) < MIN_WORDS:
            continue
        ordered = sorted(current, key=lambda w: (frequency[w], w))
        prefix = ordered[: len(ordered) - math.ceil(threshold * len(ordered) - 1e-9) + 1]
        candidates: set[int] = set()
        for word in prefix:
            candidates.update(index[word])
            index[word].append(i)
        for j in sorted(candidates):
            score = jaccard(sets[j], current)
            if score >= threshold:
                pairs.append((j, i, score))
    return sorted(pairs)


def alike_groups(
    items: Sequence[tuple[K, str]], threshold: float = THRESHOLD
) -> list[list[tuple[int, float]]]:
    """Groups of items whose titles look alike, across different owners `K` (for us:
    retrospectives). `items` are (owner, title); each group lists (index into items, the
    best similarity that item has to another in the group), in item order, and spans two
    or more owners. Groups come in the order of their first item."""
    sets = [words(title) for _, title in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best: dict[int, float] = {}
    for i, j, score in similar_pairs(sets, threshold):
        if items[i][0] == items[j][0]:
            continue  # the same retrospective listing one item twice is not a recurrence
        parent[root(j)] = root(i)
        best[i] = max(best.get(i, 0.0), score)
        best[j] = max(best.get(j, 0.0), score)
    members: dict[int, list[int]] = defaultdict(list)
    for i in sorted(best):
        members[root(i)].append(i)
    groups = [
        [(i, best[i]) for i in group]
        for group in members.values()
        if len({items[i][0] for i in group}) >= 2
    ]
    return sorted(groups, key=lambda g: g[0][0])
