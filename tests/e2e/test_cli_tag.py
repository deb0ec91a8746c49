"""`retrotui tag` as a user runs it: add, remove, list, JSON, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrotui.models import Retrospective
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from tests.e2e.conftest import Result, Runner


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    store = Store.open(url_for_path(path))
    store.add(Retrospective(title="Checkout down", incident_ref="INC-4711"))
    store.close()
    return path


def assert_clean_failure(result: Result, phrase: str) -> None:
    assert result.code == 2, result
    assert phrase in result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_tag_adds_removes_and_shows(cli: Runner, db: Path) -> None:
    result = cli(
        "tag", "INC-4711", "--factor", "config push", "software", "--tag", "Payments", db=db
    )
    assert result.code == 0, result
    assert "Contributing factors: Configuration push, Software" in result.out
    assert "Tags: payments" in result.out
    result = cli(
        "tag", "INC-4711", "--remove-factor", "software", "--remove-tag", "payments", db=db
    )
    assert result.code == 0
    shown = json.loads(cli("tag", "INC-4711", "--json", db=db).out)
    assert shown["factors"] == ["config-push"] and shown["tags"] == []
    export = cli("export", "INC-4711", "-o", "-", db=db)
    assert "| Contributing factors | Configuration push |" in export.out


def test_list_factors_needs_no_database(cli: Runner) -> None:
    result = cli("tag", "--list-factors", db=None)
    assert result.code == 0 and "binary-push" in result.out and "[Root cause]" in result.out


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (("INC-4711", "--factor", "cosmic rays"), "No contributing factor 'cosmic rays'"),
        (("INC-4711", "--tag", " "), "A tag cannot be empty."),
        (("INC-404", "--tag", "x"), "No retrospective"),
        ((), "Name the retrospective to tag"),
        (("INC-4711", "--remove-factor", "cosmic"), "has no contributing factor 'cosmic'"),
    ],
)
def test_bad_input_is_one_sentence(
    cli: Runner, db: Path, args: tuple[str, ...], phrase: str
) -> None:
    assert_clean_failure(cli("tag", *args, db=db), phrase)


def test_a_bad_taxonomy_file_is_reported_with_its_line(
    cli: Runner, db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    (config / "retrotui").mkdir(parents=True)
    (config / "retrotui" / "factors.toml").write_text('[[factors]]\nid = "x"\nnme = "X"\n')
    result = cli("tag", "INC-4711", "--factor", "x", db=db, env={"XDG_CONFIG_HOME": str(config)})
    assert_clean_failure(result, "factors.toml, line 3: factor 1: unknown key 'nme'")
