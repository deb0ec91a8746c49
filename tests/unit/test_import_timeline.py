"""Timeline files: CSV and JSON Lines parsing, preview, duplicates, all-or-nothing, fuzzing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrotui.errors import UserError
from retrotui.formats.detect import detect_format
from retrotui.formats.timeline_csv import parse_csv
from retrotui.formats.timeline_jsonl import parse_jsonl
from retrotui.formats.timeline_rows import ImportFormatError, parse_zone
from retrotui.models import EventKind, Retrospective, TimelineEvent
from retrotui.services.timeline_import import commit_timeline, preview_timeline
from retrotui.store.repository import Store, count_rows

FIXTURES = Path(__file__).parent.parent / "fixtures" / "timeline"


@pytest.mark.parametrize("name", ["comma.csv", "semicolon-bom.csv", "tab.csv"])
def test_csv_delimiters_and_bom(name: str) -> None:
    """Comma, semicolon (with a BOM) and tab files all give two events with their text."""
    preview = preview_timeline(None, FIXTURES / name, zone=parse_zone("UTC"))
    assert preview.count == 2 and preview.format == "csv"
    assert all(row.text and "\ufeff" not in row.text for row in preview.events)


def test_csv_optional_columns() -> None:
    """kind, actor and key are read; a quoted comma stays in the text."""
    rows = parse_csv(
        (FIXTURES / "comma.csv").read_text(), source="f.csv", zone=parse_zone("Europe/Paris")
    ).rows
    assert rows[0].text == "Deploy of search, v2" and rows[0].kind is EventKind.TRIGGER
    assert rows[1].key and rows[1].actor == "Monitoring" and rows[1].time_offset == 120


def test_csv_time_without_zone_is_an_error_naming_line_and_column() -> None:
    """`2026-05-14 09:20` with no --tz fails at line 3, column 1."""
    with pytest.raises(ImportFormatError, match=r"line 3, column 1 \(time\).*no UTC offset"):
        parse_csv((FIXTURES / "comma.csv").read_text(), source="f.csv", zone=None)


def test_csv_missing_required_column() -> None:
    """A header without `text` says which columns are expected."""
    with pytest.raises(ImportFormatError, match="time and text"):
        parse_csv("time,what\n2026-05-14T07:12:00Z,x\n", source="f.csv", zone=None)


def test_csv_wrong_cell_count() -> None:
    """A row with too many cells names its line."""
    with pytest.raises(ImportFormatError, match="line 3: expected 2 cells"):
        parse_csv(
            "time,text\n2026-05-14T07:12:00Z,a\n2026-05-14T07:12:00Z,b,c\n", source="f", zone=None
        )


def test_csv_unknown_column_is_a_warning() -> None:
    """An extra column is ignored with a warning."""
    parsed = parse_csv("time,text,mood\n2026-05-14T07:12:00Z,a,ok\n", source="f", zone=None)
    assert len(parsed.rows) == 1 and "mood" in parsed.warnings[0]


def test_csv_nul_is_rejected() -> None:
    """A NUL byte is refused with its line."""
    with pytest.raises(ImportFormatError, match="line 2: contains a NUL"):
        parse_csv("time,text\n2026-05-14T07:12:00Z,a\x00\n", source="f", zone=None)


def test_jsonl_bad_line_in_the_middle() -> None:
    """A broken line 2 of 3 fails with line and column; nothing is returned."""
    text = (FIXTURES / "bad-line.jsonl").read_text()
    with pytest.raises(ImportFormatError, match=r"line 2, column \d+: invalid JSON"):
        parse_jsonl(text, source="f.jsonl", zone=None)


def test_jsonl_reads_keys_and_warns_on_unknown() -> None:
    """Blank lines are skipped, `key` is read, an unknown key is one warning."""
    parsed = parse_jsonl((FIXTURES / "events.jsonl").read_text(), source="f", zone=None)
    assert [r.kind for r in parsed.rows][:2] == [EventKind.TRIGGER, EventKind.DETECTION]
    assert parsed.rows[1].key and "extra" in parsed.warnings[0]


def test_jsonl_wrong_type() -> None:
    """`key` must be a boolean."""
    with pytest.raises(ImportFormatError, match=r"line 1: \.key: expected true or false"):
        parse_jsonl(
            '{"time": "2026-05-14T07:12:00Z", "text": "a", "key": "yes"}', source="f", zone=None
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [("comma.csv", "csv"), ("events.jsonl", "jsonl"), ("semicolon-bom.csv", "csv")],
)
def test_detect_by_content(tmp_path: Path, name: str, expected: str) -> None:
    """The format is told by content: a CSV renamed .txt is still CSV."""
    copy = tmp_path / "data.txt"
    copy.write_bytes((FIXTURES / name).read_bytes())
    assert detect_format(copy) == expected


def test_commit_into_new_retrospective_then_duplicates_skipped(store: Store) -> None:
    """A first import adds every event; the same file again adds none and counts them."""
    path = FIXTURES / "events.jsonl"
    result = commit_timeline(store, preview_timeline(store, path), title="Imported")
    assert result.created and result.added == 3
    again = preview_timeline(store, path, retro_id=result.retro_id)
    assert again.count == 0 and again.duplicates_skipped == 3
    second = commit_timeline(store, again)
    assert second.added == 0 and second.duplicates_skipped == 3
    assert count_rows(store, TimelineEvent) == 3


def test_preview_describes_span_and_ends(store: Store) -> None:
    """The preview knows first and last events, the span, and prints them."""
    preview = preview_timeline(None, FIXTURES / "events.jsonl")
    assert preview.first is not None and preview.first.text == "Rebuild starts"
    assert preview.last is not None and preview.last.text == "Paused the rebuild"
    assert preview.span is not None and preview.span.total_seconds() == 50 * 60
    assert "0 h 50 min" in "\n".join(preview.lines())


def test_failed_file_imports_nothing(store: Store) -> None:
    """A file with a bad line leaves no retrospective and no events behind."""
    with pytest.raises(UserError):
        preview_timeline(store, FIXTURES / "bad-line.jsonl")
    assert count_rows(store, Retrospective) == 0 and count_rows(store, TimelineEvent) == 0


def test_commit_needs_a_target(store: Store) -> None:
    """Without a retrospective or a title, nothing is imported."""
    with pytest.raises(UserError, match="needs a retrospective to go into, or a title"):
        commit_timeline(store, preview_timeline(None, FIXTURES / "events.jsonl"))


# -- fuzzing: every importer either imports or raises one clear UserError -------------------

LINES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            ["2026-05-14T07:12:00Z,ok", "2026-05-14 07:12,x", '"a,b', "time,text", ",,,", "\x00"]
        ),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(lines=LINES, header=st.sampled_from(["time,text", "time;text;key", "text\ttime\tkind"]))
def test_csv_fuzz(lines: list[str], header: str) -> None:
    """Malformed CSV either parses or raises ImportFormatError, never anything else."""
    try:
        parse_csv("\n".join([header, *lines]), source="f", zone=None)
    except ImportFormatError as exc:
        assert str(exc).startswith("f")


JSONL_LINES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                '{"time": "2026-05-14T07:12:00Z", "text": "a"}',
                '{"time": 5, "text": "a"}',
                '{"time": "2026-05-14T07:12:00Z"}',
                "[1]",
                "NaN",
                '{"time": "2026-05-14T07:12:00Z", "text": "\\ud800"}',
                "[" * 5000,
            ]
        ),
    ),
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(lines=JSONL_LINES)
def test_jsonl_fuzz(lines: list[str]) -> None:
    """Malformed JSON Lines either parse or raise ImportFormatError, never anything else."""
    try:
        parse_jsonl("\n".join(lines), source="f", zone=None)
    except ImportFormatError as exc:
        assert str(exc).startswith("f")
