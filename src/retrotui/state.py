"""Things the app remembers between runs (the chosen theme), in the user data directory.

Kept apart from config.toml, which is the user's own hand-edited file and which the app
never rewrites. Written atomically so a crash cannot leave a half-written file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from retrotui.config import user_data_dir
from retrotui.files import write_atomically

STATE_FILENAME = "ui-state.json"


def state_path() -> Path:
    return user_data_dir() / STATE_FILENAME


def load_state(path: Path | None = None) -> dict[str, Any]:
    """The remembered state; {} when there is none or it cannot be read (it is disposable)."""
    try:
        value = json.loads((path or state_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def remember(key: str, value: Any, path: Path | None = None) -> None:
    target = path or state_path()
    state = load_state(target)
    state[key] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, json.dumps(state, indent=2))
