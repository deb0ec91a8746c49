"""The user's config file: `config.toml` in the config directory, edited by hand.

Sections are read by the parts that need them (`[keys]` by the app, `[due_policy]` by the
action-item policy, ...). A file that is not valid TOML is a UserError naming the file and
line, never a traceback and never silently ignored.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from retrotui.config import user_config_dir
from retrotui.errors import UserError

CONFIG_FILENAME = "config.toml"


def config_path() -> Path:
    return user_config_dir() / CONFIG_FILENAME


def load_config(path: Path | None = None) -> dict[str, Any]:
    """The parsed config file, or {} when there is none."""
    target = path or config_path()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read the config file {target}: {exc}.") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"The config file {target} is not valid TOML: {exc}.") from exc


def section(name: str, path: Path | None = None) -> dict[str, Any]:
    """One `[name]` table of the config file ({} when absent); a non-table is an error."""
    value = load_config(path).get(name, {})
    if not isinstance(value, dict):
        raise UserError(f"In the config file, [{name}] must be a table of settings.")
    return value
