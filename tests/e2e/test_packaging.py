"""The wheel carries styles/ and templates/, and the installed command finds them."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_installs_and_finds_its_resources(tmp_path: Path) -> None:
    """Install the built wheel into a fresh venv and run it far from the checkout."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("retrotui-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Dependencies come from the test environment (no network needed); retrotui itself
    # only from the wheel.
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "test-deps.pth").write_text(deps + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            site,
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import retrotui, sys\n"
        "from retrotui.config import resource_dir\n"
        "print(retrotui.__file__)\n"
        "print(sorted(p.name for p in resource_dir('styles').iterdir()))\n"
        "from retrotui.core.blameless import load_rules\n"
        "print(len(load_rules(include_user=False).phrases))\n"
    )
    out = subprocess.run(
        [str(python), "-I", "-c", code], capture_output=True, text=True, cwd=elsewhere, check=True
    ).stdout.splitlines()
    assert out[0].startswith(site), "retrotui was imported from the checkout, not the wheel"
    assert "app.tcss" in out[1]
    assert int(out[2]) > 0, "the blameless guard's phrase list is missing from the wheel"
    version = subprocess.run(
        [str(python), "-m", "retrotui", "--version"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    )
    assert version.stdout.startswith("retrotui ")
