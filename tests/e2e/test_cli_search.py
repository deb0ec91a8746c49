"""`retrotui search` as a user runs it: text and JSON, limits, and bad queries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from retrotui.demo import ensure_demo
from retrotui.services.retros import open_store
from tests.e2e.conftest import Runner


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    store = open_store(str(path))
    ensure_demo(store, date(2026, 11, 24))
    store.close()
    return path


def test_text_output_names_the_place_and_marks_matches(cli: Runner, db: Path) -> None:
    result = cli("search", "cert-manager", db=db)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert any(line.startswith("event 11 of INC-4711 ") for line in lines)
    assert all("[cert]-[manager]" in line for line in lines)


def test_json_and_limit(cli: Runner, db: Path) -> None:
    result = cli("search", "certificate*", "--json", "--limit", "3", db=db)
    assert result.code == 0, result
    rows = json.loads(result.out)
    assert len(rows) == 3
    assert all(row["retro"]["incident_ref"] == "INC-4711" for row in rows)
    assert all(m.lower().startswith("certificate") for row in rows for m in row["matches"])


def test_no_match_is_not_an_error(cli: Runner, db: Path) -> None:
    result = cli("search", '"renewal stuck gateway"', db=db)
    assert result.code == 0 and result.out == "" and "No matches" in result.err


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (('"unclosed',), "unclosed quote"),
        (("*",), "A * goes right after a word"),
        (("x", "--limit", "0"), "limit must be between 1 and"),
        (("x", "--limit", "many"), "invalid int value"),
        (("NEAR(", "x"), ""),
    ],
)
def test_bad_queries_are_one_sentence(
    cli: Runner, db: Path, args: tuple[str, ...], phrase: str
) -> None:
    result = cli("search", *args, db=db)
    if not phrase:  # engine syntax is plain text: no error at all
        assert result.code == 0 and "Traceback" not in result.err
        return
    assert result.code == 2, result
    assert phrase in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
