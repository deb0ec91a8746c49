"""Where retrotui keeps things: the database, the config directory, bundled resources.

Nothing here touches the disk at import time; paths are computed when asked for.
"""

from __future__ import annotations

import os
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

APP_NAME = "retrotui"
DB_ENV = "RETROTUI_DB"
DB_FILENAME = "retrotui.db"


def user_data_dir() -> Path:
    if _plain_xdg():
        return _xdg_dir("XDG_DATA_HOME", "~/.local/share")
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    if _plain_xdg():
        return _xdg_dir("XDG_CONFIG_HOME", "~/.config")
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


# On Linux with an absolute HOME, platformdirs' answer is the XDG variable when it is an
# absolute path, else the XDG default under HOME, plus the app's name. Working that out
# here saves importing platformdirs, which imports tempfile (20 ms of CPU, a seventh of a
# short command such as `retrotui trends`). Everything else (macOS, Windows, Android, the
# BSDs, no or a relative HOME) is left to platformdirs. tests/unit/test_config_dirs.py
# checks that both give the same paths.
def _plain_xdg() -> bool:
    home = os.environ.get("HOME", "")
    return sys.platform == "linux" and "ANDROID_DATA" not in os.environ and home.startswith("/")


def _xdg_dir(variable: str, default: str) -> Path:
    base = os.environ.get(variable, "")
    return Path(base if base.startswith("/") else os.path.expanduser(default)) / APP_NAME


def default_db_path() -> Path:
    return user_data_dir() / DB_FILENAME


def shipped_data(name: str) -> str:
    """The text of a data file shipped inside the package (`retrotui/data/<name>`).

    Read by path next to this module (installed or in a checkout); through
    importlib.resources only when it is not there (a zipped install): `files()` imports
    zipfile and its readers, 10 ms a short command does not need."""
    try:
        return (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return (resources.files("retrotui") / "data" / name).read_text(encoding="utf-8")


def read_user_file(path: Path) -> str | None:
    """The text of a user's own data file in the config directory; None when there is
    none. One that cannot be read is a UserError naming it."""
    from retrotui.errors import UserError

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read {path}: {exc}.") from exc


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """A TOML data file's contents; bad TOML is a UserError naming `source` and the line."""
    import tomllib

    from retrotui.errors import UserError

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "(at end of document)" instead of a line when the file stops short.
        where = "" if "line" in str(exc) else f" (line {text.count(chr(10)) + 1})"
        raise UserError(f"{source} is not valid TOML: {exc}{where}.") from exc


class DataFileLines:
    """The text of a parsed data file, to say on which line a problem is: `fail` raises a
    UserError "<source>, line N: <problem>.". `table` is the name of the file's array of
    tables ("phrases" for [[phrases]]), in which `fail` can look for the n-th table's key."""

    def __init__(self, text: str, source: str, table: str) -> None:
        self.lines = text.splitlines()
        self.source = source
        self.header = f"[[{table}]]"

    def fail(self, key: str, problem: str, table_index: int | None = None) -> NoReturn:
        from retrotui.errors import UserError

        line = self.line_of(key, table_index)
        where = f", line {line}" if line else ""
        raise UserError(f"{self.source}{where}: {problem}.")

    def line_of(self, key: str, table_index: int | None) -> int | None:
        """The line of `key`, looked for inside the n-th table when given (the table's
        header line when the key is missing there)."""
        start, stop = 0, len(self.lines)
        if table_index is not None:
            headers = [n for n, line in enumerate(self.lines) if line.strip() == self.header]
            if table_index >= len(headers):
                return None
            start = headers[table_index]
            following = (
                n for n in range(start + 1, stop) if self.lines[n].lstrip().startswith("[")
            )
            stop = next(following, stop)
        key_at = re.compile(rf"^\s*(?:\[+\s*)?{re.escape(key)}\b")
        for number in range(start, stop):
            if key_at.match(self.lines[number]):
                return number + 1
        return start + 1 if table_index is not None else None


def resource_dir(name: str) -> Path:
    """A bundled resource folder ("styles" or "templates"), installed or in a checkout.

    The wheel carries them as `retrotui/_data/<name>`; in a source checkout they sit at the
    top of the repository, three levels above this file.
    """
    bundled = resources.files("retrotui") / "_data" / name
    if bundled.is_dir():
        return Path(str(bundled))
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"retrotui is installed without its {name} folder")
