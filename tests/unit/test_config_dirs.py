"""retrotui's own XDG lookup on Linux gives the directories platformdirs gives."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from retrotui import config

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the XDG lookup is Linux's")

VARIABLES = ("XDG_CONFIG_HOME", "XDG_DATA_HOME")


@pytest.mark.parametrize("home", ["absolute", "absolute/", "relative", None])
@pytest.mark.parametrize(
    "value", [None, "", "   ", "/srv/xdg", "/srv/xdg/", "relative/dir", " /lead", "/with space/x"]
)
def test_the_same_directories_as_platformdirs(
    value: str | None, home: str | None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    elif home == "relative":
        monkeypatch.setenv("HOME", "some/where")
    else:
        monkeypatch.setenv("HOME", str(tmp_path / "home") + home.removeprefix("absolute"))
    for variable in VARIABLES:
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    assert config.user_config_dir() == Path(
        platformdirs.user_config_dir(config.APP_NAME, appauthor=False)
    )
    assert config.user_data_dir() == Path(
        platformdirs.user_data_dir(config.APP_NAME, appauthor=False)
    )
