"""The blameless guard: what it points out, what it must leave alone, and team phrase files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrotui.core.blameless import (
    _QUOTED,
    DATA_FILE,
    default_rules,
    find_blame,
    hint_summary,
    load_rules,
    parse_rules,
)
from retrotui.errors import UserError

RULES = load_rules(include_user=False)
PEOPLE = ("Ana Lima", "Ben", "Platform on-call")


def flagged(text: str, names: tuple[str, ...] = PEOPLE) -> list[str]:
    return [hint.phrase for hint in find_blame(text, names, RULES)]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("It was his fault.", "fault"),
        ("Whose fault was it?", "Whose fault"),
        ("Nobody is to blame", "to blame"),
        ("We blamed the network", "blamed"),
        ("We should have checked the expiry", "should have"),
        ("They should've known", "should've"),
        ("They should’ve known", "should’ve"),
        ("A careless change", "careless"),
        ("That was a stupid config", "stupid"),
        ("Root cause: human error", "human error"),
        ("HUMAN   ERROR again", "HUMAN   ERROR"),
        ("We forgot to renew it", "forgot to"),
        ("Someone messed up the rollout", "Someone messed up"),
        ("Sloppy review", "Sloppy"),
        ("Who broke the build?", "Who broke"),
        ("Operator error, closed", "Operator error"),
    ],
)
def test_blaming_words_are_pointed_out(text: str, phrase: str) -> None:
    """Each of these gets exactly one hint, on the words as typed."""
    assert flagged(text) == [phrase]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Ana broke prod", "Ana broke"),
        ("Ben forgot to rotate the token", "Ben forgot to"),
        ("Ana Lima accidentally deleted the index", "Ana Lima accidentally deleted"),
        ("Then Ben also missed the page", "Ben also missed"),
        ("Platform on-call ignored the alert", "Platform on-call ignored"),
        ("she didn't test it", "she didn't test"),
    ],
)
def test_a_person_as_the_subject_of_a_failure_is_pointed_out(text: str, phrase: str) -> None:
    """A participant (or he, she, someone) failing is one hint, covering name and verb."""
    assert flagged(text) == [phrase]


def test_hint_spans_point_at_the_typed_words() -> None:
    """`text[start:end]` is the phrase, and the suggestion is a sentence about what/how."""
    text = "Honestly, Ben forgot to renew; human error."
    hints = find_blame(text, PEOPLE, RULES)
    assert [text[h.start : h.end] for h in hints] == [h.phrase for h in hints]
    assert [h.span for h in hints] == [(10, 23), (31, 42)]
    assert all(h.suggestion.endswith(".") for h in hints)


@pytest.mark.parametrize(
    "text",
    [
        "A fault-tolerant design",
        "The default timeout is 30 s",
        "Defaults were wrong",
        "A faulty disk in rack 4",  # hardware is faulty; nobody is at fault
        "The node hit a page fault",
        "Segmentation fault in the worker",
        "We run fault injection tests weekly",
        "Fault tolerance worked as designed",
        "Our blameless format",
        "A blame-free review",
        'The log said "Fatal: fault in module"',
        "The log said “human error detected”",
        "Log line: `ERROR careless mode fault`",
        "```\nfault: blame stupid\n```",
        "See https://wiki.example.com/blame/fault-of-the-day",
        "Rotated /var/log/fault.log",
        "The app.fault_handler crashed",
        "The service should have a timeout",
        "The runbook should have more detail",
        "Ana found the expired certificate",  # a name with no failure is fine
        "Benjamin missed the bus",  # not a participant: "Ben" is a whole word only
        "Lima missed it",  # a last name alone is not used
        "Platform failed over",  # a team's first word alone is not a name
        "The job failed to renew",
        "It's not Ana's call",
    ],
)
def test_ordinary_language_and_quoted_text_are_left_alone(text: str) -> None:
    """Technical words, compounds, quotes, code, URLs and paths give no hint."""
    assert flagged(text) == []


def test_names_are_matched_as_written() -> None:
    """Names are proper nouns: "ben" lower-case is not Ben (subjects like "she" are any case)."""
    assert flagged("ben forgot") == ["forgot"]
    assert flagged("She forgot") == ["She forgot"]


def test_no_participants_still_finds_phrases() -> None:
    """Without names, the phrase list still works."""
    assert flagged("Ana broke prod and it was her fault", names=()) == ["fault"]


def test_an_unclosed_quote_does_not_hide_the_rest() -> None:
    """A stray quote mark is not a quotation."""
    assert flagged('He said "ok. It was his fault') == ["fault"]


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=200), names=st.lists(st.text(max_size=12), max_size=3))
def test_any_text_gives_well_formed_hints(text: str, names: list[str]) -> None:
    """Whatever is typed: no error, spans in order, not overlapping, matching the text."""
    hints = find_blame(text, names, RULES)
    previous_end = 0
    for hint in hints:
        assert previous_end <= hint.start < hint.end <= len(text)
        assert text[hint.start : hint.end] == hint.phrase
        previous_end = hint.end


PHRASES = st.sampled_from(
    ["fault", "blame", "should have", "careless", "human error", "Ben forgot"]
)


@settings(max_examples=60, deadline=None)
@given(
    phrase=PHRASES,
    before=st.sampled_from(["", "x ", "The "]),
    after=st.sampled_from(["", " now", "."]),
)
def test_quoting_any_flagged_phrase_silences_it(phrase: str, before: str, after: str) -> None:
    """The same words in backticks or double quotes are someone else's words: no hint."""
    assert flagged(f"{before}{phrase}{after}")
    assert flagged(f"{before}`{phrase}`{after}") == []
    assert flagged(f'{before}"{phrase}"{after}') == []


def test_summary_line_names_the_first_hint_and_counts_the_rest() -> None:
    """One line for a status bar."""
    hints = find_blame("his fault, human error", (), RULES)
    assert hint_summary(hints).startswith("'fault': ") and hint_summary(hints).endswith("(+1 more)")
    assert hint_summary([]) == ""


# -- phrase files -------------------------------------------------------------------------


def test_shipped_file_is_inside_the_package() -> None:
    """The list ships with the code (so it is in the wheel), and it parses."""
    from importlib import resources

    assert (resources.files("retrotui") / "data" / DATA_FILE).is_file()
    assert len(RULES.phrases) >= 8 and RULES.person_hint


def test_a_team_file_adds_phrases_subjects_and_verbs(tmp_path: Path) -> None:
    """Team phrases join the shipped ones; `disable` drops a shipped phrase."""
    path = tmp_path / DATA_FILE
    path.write_text(
        'disable = ["should have"]\n'
        "[[phrases]]\n"
        'match = ["cowboy"]\n'
        'hint = "Describe the change process instead."\n'
        "[person_failures]\n"
        'subjects = ["the intern"]\n'
        'verbs = ["fat-fingered"]\n',
        encoding="utf-8",
    )
    rules = load_rules(path)
    names = ["Ben"]
    assert [h.phrase for h in find_blame("a cowboy deploy", names, rules)] == ["cowboy"]
    assert [h.phrase for h in find_blame("Ben fat-fingered it", names, rules)] == [
        "Ben fat-fingered"
    ]
    assert [h.phrase for h in find_blame("The intern broke it", names, rules)] == [
        "The intern broke"
    ]
    assert find_blame("we should have checked", names, rules) == []
    assert [h.phrase for h in find_blame("we should've checked", names, rules)] == ["should've"]
    assert [h.phrase for h in find_blame("his fault", names, rules)] == ["fault"]


def test_default_rules_read_the_config_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no rules given, find_blame uses the shipped list plus the user's file."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "retrotui").mkdir()
    (tmp_path / "retrotui" / DATA_FILE).write_text(
        '[[phrases]]\nmatch = "yolo"\nhint = "Say what the process allowed."\n', encoding="utf-8"
    )
    assert [h.phrase for h in find_blame("yolo deploy, his fault")] == ["yolo", "fault"]
    assert default_rules() is default_rules()


def test_a_missing_team_file_is_fine(tmp_path: Path) -> None:
    """No file in the config directory: the shipped rules alone."""
    assert load_rules(tmp_path / "none.toml") == RULES


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[phrases]]\nmatch = [\n", r"not valid TOML: .*line 3"),
        (
            '[[phrases]]\nhint = "x"\n\n[[phrases]]\nmatch = ["a"]\n',
            r"line 1: phrase 1 needs match",
        ),
        (
            '[[phrases]]\nmatch = ["a"]\nhint = "x"\n[[phrases]]\nmatch = [1]\nhint = "y"\n',
            r"line 5: phrase 2: match must be",
        ),
        ('[[phrases]]\nmatch = ["a"]\n', r"line 1: phrase 1 needs a hint"),
        (
            '[[phrases]]\nmatch = ["a"]\nhint = "x"\nlevel = 2\n',
            r"line 4: phrase 1: unknown key 'level'",
        ),
        ('words = ["a"]\n', r"line 1: unknown key 'words'"),
        ('[person_failures]\nverbs = "broke"\n', r"line 2: verbs must be a list"),
    ],
)
def test_a_broken_team_file_names_the_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    """Every problem is a UserError with the file's path and the line to fix."""
    path = tmp_path / DATA_FILE
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=message) as caught:
        load_rules(path)
    assert str(path) in str(caught.value)


def test_parse_rules_needs_a_person_hint_without_a_base() -> None:
    """A complete rules file (not an extension) must say what to suggest for names."""
    with pytest.raises(UserError, match="person_failures needs a hint"):
        parse_rules('[person_failures]\nverbs = ["broke"]\n', source="x.toml")


# What is quoted or technical, as the pattern was before paths and dotted names were only
# tried where a token starts (it took 48 s on a 50,000-character paste without spaces).
_REFERENCE_QUOTED = re.compile(
    r"```.*?(?:```|\Z)"
    r"|(`+)[^`]*?\1"
    r'|"[^"\n]*"'
    r"|“[^”\n]*”|‘[^’\n]*’|«[^»\n]*»|„[^“”\n]*[“”]"
    r"|(?<![\w'])'[^'\n]+'(?![\w])"
    r"|\b(?:https?|ftp)://\S+|\bwww\.\S+"
    r"|\S*[/\\]\S*"
    r"|\w+(?:[.:]\w+)+",
    re.DOTALL,
)
_TRICKY = st.lists(
    st.sampled_from([*"ab .:/\\`'\"“”‘’«»„\n-_", "http://", "www.", "```", "fault", "Ana"]),
    max_size=24,
).map("".join)


@settings(max_examples=3000)
@given(_TRICKY)
def test_quoted_text_is_found_exactly_as_before(text: str) -> None:
    """Trying paths and dotted names only where a token starts changes no match."""
    assert [m.span() for m in _QUOTED.finditer(text)] == [
        m.span() for m in _REFERENCE_QUOTED.finditer(text)
    ]


def test_a_long_paste_without_spaces_is_checked_and_its_hints_found() -> None:
    """A pasted 50,000-character token (the note limit is 10,000: it is refused, but the
    hint runs on every change) gets its hints like any other text."""
    pasted = "x" * 50_000 + " Ana forgot to restart it"
    hints = find_blame(pasted, ["Ana Lima"])
    assert [hint.phrase for hint in hints] == ["Ana forgot to"]
