"""Who is at this terminal: --as, then $RETROTUI_NAME, then config.toml, then the OS user."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrotui.errors import UserError
from retrotui.identity import os_user_name, resolve_name


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('name = "Ana from config"\n')
    return path


def test_as_wins_over_everything(config: Path) -> None:
    env = {"RETROTUI_NAME": "Ana from env"}
    assert resolve_name(" Bo ", environ=env, config_path=config) == "Bo"


def test_environment_wins_over_the_config_file(config: Path) -> None:
    env = {"RETROTUI_NAME": "Ana from env"}
    assert resolve_name(None, environ=env, config_path=config) == "Ana from env"


def test_config_file_wins_over_the_os_user(config: Path) -> None:
    assert resolve_name(None, environ={}, config_path=config) == "Ana from config"


def test_the_os_user_is_the_default(tmp_path: Path) -> None:
    assert resolve_name(None, environ={}, config_path=tmp_path / "none.toml") == os_user_name()
    assert os_user_name()


@pytest.mark.parametrize(
    ("value", "phrase"),
    [("  ", "is empty"), ("Ana\x1b[31m", "control characters"), ("x" * 101, "limit is 100")],
)
def test_a_bad_name_is_one_sentence(value: str, phrase: str) -> None:
    with pytest.raises(UserError, match=phrase):
        resolve_name(value, environ={})


def test_a_name_in_the_config_file_must_be_text(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("name = 3\n")
    with pytest.raises(UserError, match="name must be text"):
        resolve_name(None, environ={}, config_path=path)
