"""Who is at this terminal: the name notes, whys and actions are written under, and the
name the meeting shows in its presence list.

`--as NAME` wins over $RETROTUI_NAME, which wins over `name = "…"` in config.toml, which
wins over the operating-system user name. Nothing here touches the disk at import time.
"""

from __future__ import annotations

import getpass
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from retrotui.errors import UserError

NAME_ENV = "RETROTUI_NAME"
MAX_NAME = 100
FALLBACK_NAME = "someone"


def check_name(value: str, where: str) -> str:
    """A name as shown to others: trimmed, one line, printable, not too long."""
    name = value.strip()
    if not name:
        raise UserError(f"The name given {where} is empty; give the name others should see.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise UserError(f"The name given {where} contains control characters; use plain text only.")
    if len(name) > MAX_NAME:
        raise UserError(
            f"The name given {where} is {len(name)} characters long; the limit is {MAX_NAME}."
        )
    return name


def os_user_name() -> str:
    """The operating-system user, or a placeholder when the system cannot say."""
    try:
        name = getpass.getuser().strip()
    except (KeyError, OSError):  # no passwd entry (containers) and no $USER
        return FALLBACK_NAME
    return name or FALLBACK_NAME


def resolve_name(
    cli_value: str | None,
    *,
    environ: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> str:
    """The name of the person at this terminal (see the module docstring for the order)."""
    env = os.environ if environ is None else environ
    if cli_value is not None:
        return check_name(cli_value, "with --as")
    if env.get(NAME_ENV):
        return check_name(env[NAME_ENV], f"in ${NAME_ENV}")
    from retrotui.settings import load_config

    configured = load_config(config_path).get("name")
    if configured is not None:
        if not isinstance(configured, str):
            raise UserError('In the config file, name must be text, e.g. name = "Ana".')
        return check_name(configured, "in the config file")
    return os_user_name()
