"""The search box's small language, checked before any engine sees it.

Words are all required (AND); `"two words"` is a phrase; a `*` right after a word or a
closing quote makes it a prefix (`deploy*`); `OR` between two terms makes either one do.
Anything else is literal text: no engine syntax gets through, so a bad query is one of
the sentences below, never an error from SQLite or PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrotui.errors import UserError

MAX_QUERY = 500


@dataclass(frozen=True)
class Term:
    text: str  # one or more words
    phrase: bool = False
    prefix: bool = False

    @property
    def words(self) -> list[str]:
        return _words(self.text)


@dataclass(frozen=True)
class Query:
    """Groups are ANDed; the terms of one group are ORed."""

    groups: tuple[tuple[Term, ...], ...]

    def fts5(self) -> str:
        """The SQLite FTS5 MATCH expression: every term a quoted string, so nothing the
        user typed is read as FTS5 syntax."""

        def one(term: Term) -> str:
            quoted = '"' + " ".join(term.words) + '"'
            return quoted + ("*" if term.prefix else "")

        parts = []
        for group in self.groups:
            ors = " OR ".join(one(term) for term in group)
            parts.append(f"({ors})" if len(group) > 1 else ors)
        return " AND ".join(parts)


def _words(text: str) -> list[str]:
    """Runs of letters and digits: what the engines' tokenizers index."""
    out, current = [], []
    for ch in text:
        if ch.isalnum():
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def parse_query(text: str) -> Query:
    """The query, or a UserError saying in one sentence what is wrong with it."""
    text = " ".join(text.split())
    if not text:
        raise UserError("Type something to search for.")
    if len(text) > MAX_QUERY:
        raise UserError(f"A search can be at most {MAX_QUERY} characters long.")
    if text.count('"') % 2:
        raise UserError('The search has an unclosed quote: close the phrase with ".')
    terms: list[Term | str] = []  # "OR" kept as a marker between terms
    position = 0
    while position < len(text):
        ch = text[position]
        if ch == " ":
            position += 1
            continue
        if ch == '"':
            end = text.index('"', position + 1)
            body, position = text[position + 1 : end], end + 1
            phrase = True
        else:
            end = position
            while end < len(text) and text[end] not in ' "':
                end += 1
            body, position = text[position:end], end
            phrase = False
        prefix = False
        if not phrase and body.endswith("*"):
            body, prefix = body.rstrip("*"), True
        elif phrase and position < len(text) and text[position] == "*":
            position, prefix = position + 1, True
        if "*" in body or (prefix and not _words(body)):
            raise UserError("A * goes right after a word, as in deploy*, to match its start.")
        if not phrase and body == "OR":
            terms.append("OR")
            continue
        if not _words(body):
            if phrase:
                raise UserError(f'The phrase "{body}" has no letters or digits to search for.')
            continue  # stray punctuation between words
        terms.append(Term(body, phrase=phrase, prefix=prefix))
    groups: list[list[Term]] = []
    joining = False
    for item in terms:
        if item == "OR":
            if not groups or joining:
                raise UserError("OR goes between two words or phrases, as in cache OR redis.")
            joining = True
            continue
        assert isinstance(item, Term)
        if joining:
            groups[-1].append(item)
        else:
            groups.append([item])
        joining = False
    if joining:
        raise UserError("OR goes between two words or phrases, as in cache OR redis.")
    if not groups:
        raise UserError("The search has no letters or digits to look for.")
    return Query(tuple(tuple(group) for group in groups))
