"""The blameless guard: wording that puts a person, not the system, at the centre.

`find_blame(text, participant_names)` returns hints (span, the words as typed, a gentle
suggestion toward what and how instead of who). It only returns hints: the UI shows them
next to the field, and saving never waits for or depends on them.

The phrases live in `retrotui/data/blame-phrases.toml` (its comments describe the layout);
a team adds its own in `blame-phrases.toml` in the config directory. Text the team quotes
rather than says is left alone: anything in quotes or backticks (a pasted log line
"Fatal: fault in module"), fenced code, URLs, paths and dotted names (`fault.log`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from retrotui.config import DataFileLines

DATA_FILE = "blame-phrases.toml"

# Word characters and hyphens: a phrase inside "fault-tolerant" or "blameless" is part of
# another word, not the phrase.
_BEFORE = r"(?<![\w-])"
_AFTER = r"(?![\w-])"
# Up to two words between a name and its verb: "Ana accidentally deleted", "Ben also forgot".
_FILLER = (
    r"(?:(?i:\w+ly|also|just|then|again|still|never|already|had|has|have|must|might|"
    r"may|somehow|probably|apparently)\s+){0,2}"
)
_PREVIOUS_WORD = re.compile(r"([\w'’-]+)\s+$")
_NEXT_WORD = re.compile(r"^\s+([\w'’-]+)")
# Text that is quoted or technical, not the team's own words.
_QUOTED = re.compile(
    r"```.*?(?:```|\Z)"  # fenced code, to its end (or the end of the text)
    r"|(`+)[^`]*?\1"  # inline code, any number of backticks
    r'|"[^"\n]*"'  # "straight double quotes" on one line
    r"|“[^”\n]*”|‘[^’\n]*’|«[^»\n]*»|„[^“”\n]*[“”]"  # typographic quotes
    r"|(?<![\w'])'[^'\n]+'(?![\w])"  # 'single quotes', but not apostrophes (Ana's, don't)
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"  # URLs
    # Paths and dotted names are tried only where a token (or a word) starts, or right after
    # a quote that ended a match: tried from every position, `\S*` ran to the end of a long
    # token each time (a 50,000-character paste without spaces took 48 s on the UI thread).
    # A path found mid-token is also found from the token's start: the matches are the same.
    r"|(?<![^\s\"'`“”‘’«»„])\S*[/\\]\S*"  # paths: /var/log/fault.log, C:\logs
    r"|(?<!\w)\w+(?:[.:]\w+)+",  # dotted and namespaced names: fault.log, app.fault_handler
    re.DOTALL,
)


@dataclass(frozen=True)
class Hint:
    """One piece of wording worth a second look; `text[start:end] == phrase`."""

    start: int
    end: int
    phrase: str
    suggestion: str

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class PhraseRule:
    match: tuple[str, ...]
    hint: str
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BlameRules:
    """The phrases and the person-as-subject rule, compiled once."""

    phrases: tuple[PhraseRule, ...]
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    person_hint: str
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_patterns", tuple(_words_pattern(rule.match) for rule in self.phrases)
        )

    def phrase_hints(self, text: str) -> Iterable[Hint]:
        for rule, pattern in zip(self.phrases, self._patterns, strict=True):
            for found in pattern.finditer(text):
                if _word_before(text, found.start()) in rule.not_after:
                    continue
                if _word_after(text, found.end()) in rule.not_before:
                    continue
                yield Hint(found.start(), found.end(), found.group(), rule.hint)


# -- finding ---------------------------------------------------------------------------------


def find_blame(
    text: str, participant_names: Iterable[str] = (), rules: BlameRules | None = None
) -> list[Hint]:
    """Hints for wording that assigns blame, in text order, never overlapping.

    `rules` defaults to the shipped phrases plus the user's file (read once per process);
    the app loads them with `load_rules()` up front so a broken user file is reported once.
    """
    rules = rules or default_rules()
    hints = list(rules.phrase_hints(text))
    person = _person_pattern(tuple(participant_names), rules.subjects, rules.verbs)
    if person is not None:
        hints += (
            Hint(m.start(), m.end(), m.group(), rules.person_hint) for m in person.finditer(text)
        )
    masked = [m.span() for m in _QUOTED.finditer(text)]
    kept: list[Hint] = []
    # Earliest first, then longest: "Ben forgot to" wins over the "forgot to" inside it.
    for hint in sorted(hints, key=lambda h: (h.start, -h.end)):
        if any(start < hint.end and hint.start < end for start, end in masked):
            continue
        if kept and hint.start < kept[-1].end:
            continue
        kept.append(hint)
    return kept


def _words_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Whole words, any case, any whitespace between words; longest phrases first."""
    alternatives = [
        r"\s+".join(_apostrophes(re.escape(word)) for word in phrase.split())
        for phrase in sorted(set(phrases), key=len, reverse=True)
    ]
    return re.compile(_BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER, re.IGNORECASE)


def _apostrophes(escaped: str) -> str:
    # People type ' and ’ alike ("should've", "should’ve").
    return escaped.replace("'", "['’]")


@lru_cache(maxsize=64)
def _person_pattern(
    names: tuple[str, ...], subjects: tuple[str, ...], verbs: tuple[str, ...]
) -> re.Pattern[str] | None:
    people = sorted(_name_forms(names), key=len, reverse=True)
    who = [re.escape(name) for name in people]
    who += [f"(?i:{re.escape(subject)})" for subject in subjects]
    if not who or not verbs:
        return None
    did = _words_pattern(verbs).pattern
    return re.compile(f"{_BEFORE}(?:{'|'.join(who)}){_AFTER}\\s+{_FILLER}(?i:{did})")


def _name_forms(names: Iterable[str]) -> set[str]:
    """Each name as written and, for a person's full name ("Ana Lima"), the first name;
    team names such as "Platform on-call" only whole."""
    forms = set()
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        forms.add(name)
        parts = name.split(" ")
        if len(parts) > 1 and all(part[:1].isupper() for part in parts) and len(parts[0]) > 1:
            forms.add(parts[0])
    return forms


def _word_before(text: str, start: int) -> str:
    found = _PREVIOUS_WORD.search(text, max(0, start - 60), start)
    return found.group(1).casefold() if found else ""


def _word_after(text: str, end: int) -> str:
    found = _NEXT_WORD.match(text[end : end + 60])
    return found.group(1).casefold() if found else ""


# -- the phrase files -----------------------------------------------------------------------


def default_rules() -> BlameRules:
    """The shipped phrases plus the user's file, read once per process."""
    return _cached_rules(str(user_rules_path()))


@lru_cache(maxsize=4)
def _cached_rules(user_file: str) -> BlameRules:
    return load_rules(Path(user_file))


def user_rules_path() -> Path:
    from retrotui.config import user_config_dir

    return user_config_dir() / DATA_FILE


def load_rules(user_file: Path | None = None, *, include_user: bool = True) -> BlameRules:
    """The shipped rules, extended by `user_file` (default: the config directory's) when it
    exists. A file that cannot be used is a UserError naming the file and the line."""
    from retrotui.config import read_user_file, shipped_data

    rules = parse_rules(shipped_data(DATA_FILE), source=DATA_FILE)
    if not include_user:
        return rules
    path = user_file or user_rules_path()
    text = read_user_file(path)
    if text is None:
        return rules
    return parse_rules(text, source=str(path), base=rules)


def parse_rules(text: str, *, source: str, base: BlameRules | None = None) -> BlameRules:
    """Rules from the text of a phrases file; with `base`, the file extends those."""
    from retrotui.config import parse_toml

    data = parse_toml(text, source)
    reader = _Reader(text, source)
    unknown = set(data) - {"phrases", "person_failures", "disable"}
    if unknown:
        key = sorted(unknown)[0]
        reader.fail(key, f"unknown key {key!r}; use phrases, person_failures or disable")
    phrases = [reader.phrase(n, item) for n, item in enumerate(reader.tables(data, "phrases"))]
    disabled = {p.casefold() for p in reader.strings(data, "disable", "disable")}
    person = data.get("person_failures", {})
    if not isinstance(person, dict):
        reader.fail("person_failures", "[person_failures] must be a table")
    subjects = reader.strings(person, "subjects", "subjects")
    verbs = reader.strings(person, "verbs", "verbs")
    person_hint = reader.hint(person, "person_failures", required=base is None)
    if base is not None:
        kept = []
        for rule in base.phrases:  # `disable` drops single phrases, not their whole rule
            remaining = tuple(m for m in rule.match if m.casefold() not in disabled)
            if remaining:
                kept.append(replace(rule, match=remaining))
        phrases = kept + phrases
        subjects = [*base.subjects, *subjects]
        verbs = [*base.verbs, *verbs]
        person_hint = person_hint or base.person_hint
    return BlameRules(tuple(phrases), tuple(subjects), tuple(verbs), person_hint)


class _Reader(DataFileLines):
    """Checks the parsed file; `fail` names the line of what is wrong."""

    def __init__(self, text: str, source: str) -> None:
        super().__init__(text, source, table="phrases")

    def tables(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, f"{key} must be written as [[{key}]] tables")
        return value

    def strings(
        self, data: dict[str, Any], key: str, where: str, index: int | None = None
    ) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"{where} must be a list of non-empty strings", index)
        return [" ".join(v.split()) for v in value]

    def hint(
        self, data: dict[str, Any], where: str, *, required: bool, index: int | None = None
    ) -> str:
        value = data.get("hint", "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail("hint", f"{where} needs a hint: a short suggestion to show", index)
        return value.strip()

    def phrase(self, index: int, item: Any) -> PhraseRule:
        where = f"phrase {index + 1}"
        if not isinstance(item, dict):
            self.fail("phrases", f"{where} must be a table", index)
        unknown = set(item) - {"match", "hint", "not_after", "not_before"}
        if unknown:
            key = sorted(unknown)[0]
            self.fail(
                key, f"{where}: unknown key {key!r}; use match, hint, not_after, not_before", index
            )
        match = item.get("match")
        if isinstance(match, str):
            match = [match]
        if not match:
            self.fail("match", f"{where} needs match: the words to point out", index)
        words = self.strings({"match": match}, "match", f"{where}: match", index)
        return PhraseRule(
            match=tuple(words),
            hint=self.hint(item, where, required=True, index=index),
            not_after=frozenset(
                w.casefold() for w in self.strings(item, "not_after", f"{where}: not_after", index)
            ),
            not_before=frozenset(
                w.casefold()
                for w in self.strings(item, "not_before", f"{where}: not_before", index)
            ),
        )


def hint_summary(hints: Sequence[Hint]) -> str:
    """One line for a status bar: the first suggestion, and how many more there are."""
    if not hints:
        return ""
    first = f"'{hints[0].phrase}': {hints[0].suggestion}"
    return first if len(hints) == 1 else f"{first} (+{len(hints) - 1} more)"
