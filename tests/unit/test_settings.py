"""The hand-edited config file: read when present, a clear error when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrotui.errors import UserError
from retrotui.settings import load_config, section


def test_missing_config_is_empty(tmp_path: Path) -> None:
    """No config file means defaults everywhere."""
    assert load_config(tmp_path / "config.toml") == {}


def test_sections_are_read(tmp_path: Path) -> None:
    """A [section] comes back as a dict."""
    path = tmp_path / "config.toml"
    path.write_text('[due_policy]\nSEV1 = 10\n[keys]\nnext_event = "space"\n')
    assert section("due_policy", path) == {"SEV1": 10}
    assert section("absent", path) == {}


def test_broken_toml_names_the_file_and_line(tmp_path: Path) -> None:
    """A typo in the config file is reported with where it is."""
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nnext_event = "space\n')
    with pytest.raises(UserError, match=r"config\.toml is not valid TOML.*line 2"):
        load_config(path)
