"""Reading Retro Document v1: what is accepted, and errors that name the JSON path."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrotui.formats.document_reader import parse_document
from retrotui.formats.timeline_rows import ImportFormatError, parse_zone
from tests.fixture_paths import DOCUMENT_EXAMPLES

EXAMPLES = DOCUMENT_EXAMPLES
EVENT = {"time": "2026-05-14T07:12:00Z", "text": "Rebuild starts"}


def _parse(doc: Any, **kwargs: Any) -> Any:
    return parse_document(json.dumps(doc), source="doc.json", **kwargs)


def _error(doc: Any, **kwargs: Any) -> str:
    with pytest.raises(ImportFormatError) as caught:
        _parse(doc, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize("name", ["minimal.json", "full.json"])
def test_examples_are_valid(name: str) -> None:
    """Both published examples parse without warnings."""
    doc = parse_document((EXAMPLES / name).read_text(), source=name)
    assert doc.values["title"] and doc.events and not doc.warnings


def test_error_names_file_and_json_path() -> None:
    """A bad event time is reported as doc.json: timeline[1].time with what was expected."""
    message = _error({"title": "T", "timeline": [EVENT, {"time": "soon", "text": "x"}]})
    assert message.startswith("doc.json: timeline[1].time: expected a date-time")


def test_missing_title_is_an_error() -> None:
    """`title` is required and must not be empty."""
    assert "title: expected a string, but the key is missing" in _error({})
    assert "title: expected a non-empty string" in _error({"title": ""})


def test_time_without_offset_needs_a_zone() -> None:
    """A time without offset is refused, unless a zone is given, and then read in it."""
    naive = {"title": "T", "timeline": [{"time": "2026-05-14T09:12:00", "text": "x"}]}
    assert "has no UTC offset" in _error(naive)
    doc = _parse(naive, zone=parse_zone("+02:00"))
    assert doc.events[0].values["time"].astimezone(UTC).hour == 7
    assert doc.events[0].values["time_offset"] == 120


def test_higher_major_version_is_refused() -> None:
    """Version 3 is refused with one sentence that says to upgrade."""
    message = _error({"title": "T", "version": 3})
    assert "version 3, newer than the version 2 this retrotui reads" in message
    assert message.endswith("upgrade retrotui to import it.") and message.count(". ") == 0


def test_wrong_format_marker_is_refused() -> None:
    """A file that says it is something else is not read as a retro document."""
    assert 'format: expected "retro-document"' in _error({"title": "T", "format": "other"})


def test_unknown_keys_are_warnings() -> None:
    """Unknown keys at any level are ignored with a warning naming where they were."""
    doc = _parse({"title": "T", "mood": 1, "timeline": [{**EVENT, "color": "red"}]})
    assert any("mood" in w for w in doc.warnings)
    assert any("timeline[0].color" in w for w in doc.warnings)


def test_nul_is_rejected() -> None:
    """A NUL character in any text is an error naming its path."""
    message = _error({"title": "T", "notes": [{"text": "a\x00b"}]})
    assert "notes[0].text" in message and "NUL" in message


def test_lone_surrogate_is_rejected() -> None:
    """Text that is not valid Unicode (a lone surrogate escape) is refused, not stored."""
    message = parse_document_error('{"title": "\\ud800"}')
    assert "title" in message and "surrogate" in message


def parse_document_error(text: str) -> str:
    with pytest.raises(ImportFormatError) as caught:
        parse_document(text, source="doc.json")
    return str(caught.value)


def test_invalid_json_names_line_and_column() -> None:
    """Broken JSON is reported with its line and column."""
    assert "doc.json: line 2, column" in parse_document_error('{"title": "T",\n}')


def test_bad_enum_lists_allowed_values() -> None:
    """A wrong kind names the allowed values."""
    message = _error({"title": "T", "timeline": [{**EVENT, "kind": "boom"}]})
    assert "timeline[0].kind" in message and "trigger" in message


def test_duplicate_ids_are_refused() -> None:
    """Two events with the same id in one document are an error naming both places."""
    message = _error({"title": "T", "timeline": [{**EVENT, "id": "e"}, {**EVENT, "id": "e"}]})
    assert "timeline[1].id" in message and "timeline[0]" in message


def test_why_shorthand_string() -> None:
    """A bare string in `whys` is the answer, with no question."""
    doc = _parse({"title": "T", "whys": ["Because"]})
    assert doc.whys[0].values == {"answer": "Because", "question": None}


def test_due_must_be_a_date() -> None:
    """`due` takes YYYY-MM-DD only."""
    assert "actions[0].due" in _error({"title": "T", "actions": [{"title": "a", "due": "soon"}]})


def test_non_object_document() -> None:
    """A JSON array is not a document."""
    assert "expected a JSON object" in _error([1, 2])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
FIELDS = st.sampled_from(
    ["title", "id", "version", "timeline", "notes", "whys", "actions", "participants", "severity"]
)


@settings(max_examples=200, deadline=None)
@given(doc=st.dictionaries(FIELDS, JSON_VALUES, max_size=5), title=st.booleans())
def test_malformed_documents_fail_cleanly(doc: dict[str, Any], title: bool) -> None:
    """Any JSON value in any field either validates or raises ImportFormatError."""
    if title:
        doc.setdefault("title", "T")
    try:
        _parse(doc)
    except ImportFormatError as exc:
        assert str(exc).startswith("doc.json")
