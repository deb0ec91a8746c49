"""Where retrotui keeps things: the database, the config directory, bundled resources.

Nothing here touches the disk at import time; paths are computed when asked for.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

APP_NAME = "retrotui"
DB_ENV = "RETROTUI_DB"
DB_FILENAME = "retrotui.db"


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return user_data_dir() / DB_FILENAME


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
