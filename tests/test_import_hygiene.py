"""The layers below the UI never import Textual (docs/architecture.md)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import retrotui

# The only modules allowed to import Textual: the UI package, and the entry points that
# start it (which do so lazily, inside a function).
UI_ALLOWED = ("retrotui.ui", "retrotui.__main__")


def _modules() -> list[str]:
    """Every module of the package outside the UI, found by walking it."""
    return [
        info.name
        for info in pkgutil.walk_packages(retrotui.__path__, "retrotui.")
        if not info.name.startswith(UI_ALLOWED)
    ]


def test_non_ui_layers_do_not_import_textual() -> None:
    """Importing every non-UI module leaves textual out of sys.modules."""
    modules = _modules()
    assert {"retrotui.core.times", "retrotui.store.repository", "retrotui.cli"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_subcommands_do_not_load_textual() -> None:
    """Importing the command line (as `retrotui list` does) does not pay for Textual."""
    code = "import sys, retrotui.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
