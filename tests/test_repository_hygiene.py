"""What a fresh clone needs: tests read only the repository, installs come from the lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A quoted absolute path into a developer's machine ("/work/...", "/home/...", "/Users/...")
# or a reach outside the checkout ("../shared").
MACHINE_PATH = re.compile(r"""["'](/(work|home|Users|root|opt|mnt)/|\.\./shared)""")


def _python_files() -> list[Path]:
    return [p for top in ("src", "tests", "bench") for p in (ROOT / top).rglob("*.py")]


def test_no_machine_paths_in_code() -> None:
    """No file in src/, tests/ or bench/ names an absolute machine path or ../shared."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _python_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_PATH.search(line) and path.name != "test_repository_hygiene.py"
    ]
    assert not offenders


def _locked(lock: Path) -> dict[str, str]:
    """Package name -> pinned version in a pip-tools lock file."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", lock.read_text(), re.MULTILINE)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def _direct(extras: tuple[str, ...]) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in extras:
        specs += [s for s in project["optional-dependencies"][extra] if "retrotui" not in s]
    return [re.split(r"[\[~=<>!; ]", spec, maxsplit=1)[0].lower() for spec in specs]


def test_every_direct_dependency_is_locked_and_hashed() -> None:
    """Each dependency named in pyproject.toml is pinned, with hashes, in the lock files."""
    for lock, extras in (
        ("run.txt", ()),
        ("dev.txt", ("test", "postgres", "serve", "dev")),
    ):
        path = ROOT / "requirements" / lock
        pins = _locked(path)
        missing = [name for name in _direct(extras) if name not in pins]
        assert not missing, f"{lock} lacks {missing}: run `make lock`"
        assert "--hash=sha256:" in path.read_text()
