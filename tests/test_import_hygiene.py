"""The layers below the UI never import Textual (DESIGN.md: core, store, formats, services)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import retrotui

LAYERS = ("retrotui.core", "retrotui.store", "retrotui.formats", "retrotui.commands")
SINGLE = ("retrotui.services", "retrotui.models", "retrotui.config", "retrotui.demo")


def _modules() -> list[str]:
    names = list(SINGLE)
    for info in pkgutil.walk_packages(retrotui.__path__, "retrotui."):
        if info.name.startswith(LAYERS):
            names.append(info.name)
    return names


def test_non_ui_layers_do_not_import_textual() -> None:
    """Importing every non-UI module leaves textual out of sys.modules."""
    modules = _modules()
    assert len(modules) > 10
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
