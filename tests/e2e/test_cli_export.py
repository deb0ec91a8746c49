"""`retrotui export` and `retrotui templates` as a user runs them, including bad input."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import Result, Runner


def assert_clean_failure(result: Result, phrase: str) -> None:
    """Exit 2, one sentence on stderr naming the problem, nothing on stdout, no traceback."""
    assert result.code == 2, result
    assert phrase.lower() in result.err.lower(), result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.out == ""


@pytest.fixture
def demo(cli: Runner) -> Runner:
    assert cli("demo", "--no-open").code == 0
    return cli


def test_export_prints_markdown_to_stdout(demo: Runner) -> None:
    """By default the demo exports as Markdown on stdout, nothing on stderr."""
    result = demo("export", "INC-4711")
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("# Card payments failing: expired gateway certificate\n")
    assert "| Time to detect | 9m |" in result.out
    assert "- [x] Add 'check certificates' to the checkout 5xx runbook" in result.out


def test_export_is_byte_identical_between_runs(demo: Runner) -> None:
    """Exporting twice gives the same bytes (no clock in the output)."""
    assert demo("export", "INC-4711").out == demo("export", "INC-4711").out


def test_export_to_file_writes_the_same_text(demo: Runner, tmp_path: Path) -> None:
    """-o writes exactly what stdout would show, says where on stderr, prints nothing."""
    target = tmp_path / "retro.md"
    result = demo("export", "INC-4711", "-o", str(target))
    assert result.code == 0 and result.out == ""
    assert str(target) in result.err
    assert target.read_text(encoding="utf-8") == demo("export", "INC-4711").out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".retro.md")] == []


def test_export_over_an_existing_file_keeps_its_permissions(demo: Runner, tmp_path: Path) -> None:
    """Overwriting replaces the content but keeps the file's mode."""
    target = tmp_path / "retro.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    assert demo("export", "INC-4711", "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("# Card payments")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@pytest.mark.parametrize("template", ["standard", "lightweight", "security", "deep-dive"])
def test_each_template_exports_the_demo(demo: Runner, template: str) -> None:
    """--template picks the shape: every shipped template exports the demo."""
    result = demo("export", "INC-4711", "--template", template)
    assert result.code == 0 and "## " in result.out


def test_anonymize_removes_every_participant_name(demo: Runner) -> None:
    """--anonymize leaves no participant's name anywhere in the document."""
    out = demo("export", "INC-4711", "--anonymize").out
    for name in ("Ana", "Ben", "Chidi", "Dana"):
        assert f"{name} " not in out and f"{name}\n" not in out
    assert "- Moderator\n" in out


def test_unknown_ref_fails_cleanly(demo: Runner) -> None:
    """An unknown REF: exit 2, one sentence."""
    assert_clean_failure(demo("export", "INC-0000"), "No retrospective")


def test_unknown_template_fails_cleanly(demo: Runner) -> None:
    """An unknown --template: exit 2, one sentence listing the templates."""
    assert_clean_failure(demo("export", "INC-4711", "--template", "nope"), "no template named")


def test_unwritable_output_fails_without_leaving_a_file(demo: Runner, tmp_path: Path) -> None:
    """A folder that does not exist, or is read-only: exit 2, nothing written."""
    missing = tmp_path / "no" / "such" / "retro.md"
    assert_clean_failure(demo("export", "INC-4711", "-o", str(missing)), "does not exist")
    assert_clean_failure(demo("export", "INC-4711", "-o", str(tmp_path)), "is a folder")
    if os.geteuid() != 0:  # root writes anywhere, so read-only folders cannot be tested
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        result = demo("export", "INC-4711", "-o", str(locked / "retro.md"))
        assert_clean_failure(result, "Cannot write")
        assert list(locked.iterdir()) == []


def test_failed_write_keeps_the_old_file(demo: Runner, tmp_path: Path) -> None:
    """A write that fails halfway (here a full disk while syncing) leaves the old file as it
    was and no temporary file behind: the rename happens only after the text is on disk."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "retro.md"
    target.write_text("previous export", encoding="utf-8")
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from retrotui import files\n"
        "def boom(*a, **k): raise OSError(28, 'No space left on device')\n"
        "os.fsync = boom\n"
        "try:\n"
        "    files.write_atomically(Path(sys.argv[1]), 'new text')\n"
        "except Exception as exc: print(exc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "the disk is full" in proc.stdout
    assert target.read_text(encoding="utf-8") == "previous export"
    assert [p.name for p in folder.iterdir()] == ["retro.md"]


def test_copy_without_a_clipboard_fails_cleanly(demo: Runner, tmp_path: Path) -> None:
    """--copy with no clipboard tool or display: exit 2, one sentence suggesting -o."""
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "PATH": str(tmp_path)}
    result = demo("export", "INC-4711", "--copy", env=env)
    assert_clean_failure(result, "No system clipboard is available")
    assert "save the export to a file instead" in result.err


def test_copy_puts_the_export_on_the_clipboard(demo: Runner, tmp_path: Path) -> None:
    """With a (fake) wl-clipboard, --copy copies the same text it prints, and says so."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    store = tmp_path / "clipboard.txt"
    (bin_dir / "wl-copy").write_text(f"#!/bin/sh\ncat > '{store}'\n")
    (bin_dir / "wl-paste").write_text(f"#!/bin/sh\ncat '{store}'\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    env = {"WAYLAND_DISPLAY": "wayland-test", "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = demo("export", "INC-4711", "--copy", env=env)
    assert result.code == 0, result.err
    assert store.read_text(encoding="utf-8") == result.out
    assert "Copied the export to the system clipboard." in result.err


def test_json_rejects_markdown_only_options(demo: Runner) -> None:
    """--template or --anonymize with --format json is refused in one sentence."""
    result = demo("export", "INC-4711", "--format", "json", "--anonymize")
    assert_clean_failure(result, "shape the Markdown export")


def test_templates_lists_the_shipped_templates(cli: Runner) -> None:
    """`retrotui templates` lists each template with its total time and description."""
    result = cli("templates", db=None)
    assert result.code == 0
    for name in ("standard", "lightweight", "security", "deep-dive"):
        assert any(line.startswith(name + " ") for line in result.out.splitlines())
    assert "min" in result.out


def test_templates_name_shows_prompts_and_timeboxes(cli: Runner) -> None:
    """`retrotui templates NAME` shows each stage's timebox and prompts."""
    out = cli("templates", "lightweight", db=None).out
    assert "1. Prepare (2 min)" in out and "6. Wrap-up (2 min)" in out
    assert "Ask why two or three times" in out


def test_broken_user_template_is_reported_with_file_and_line(cli: Runner, tmp_path: Path) -> None:
    """A broken template in the config directory: its file and line, exit 2, others listed."""
    folder = tmp_path / "config" / "retrotui" / "templates"
    folder.mkdir(parents=True)
    (folder / "mine.md").write_text("+++\ndescription = nope\n+++\n", encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    listing = cli("templates", env=env, db=None)
    assert listing.code == 2 and "standard" in listing.out
    assert f"{folder / 'mine.md'}, line 2:" in listing.err
    export = cli("new", "x", "--incident-ref", "INC-1", env=env)
    assert export.code == 0
    assert_clean_failure(cli("export", "INC-1", "--template", "mine", env=env), "line 2")


@pytest.mark.parametrize("command", ["export", "templates"])
def test_help_is_available(cli: Runner, command: str) -> None:
    """--help explains each command."""
    result = cli(command, "--help", db=None)
    assert result.code == 0 and "usage:" in result.out


def test_other_commands_do_not_import_markdown_it_or_pyperclip() -> None:
    """Building the CLI (as `retrotui list` does) loads neither markdown-it nor pyperclip."""
    code = (
        "import sys, retrotui.cli\n"
        "retrotui.cli.build_parser()\n"
        "print(sorted(m for m in ('markdown_it', 'pyperclip') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_export_through_a_link_keeps_the_link(demo: Runner, tmp_path: Path) -> None:
    """-o on a symbolic link writes the file it points to; the link stays a link."""
    wiki = tmp_path / "wiki"
    wiki.mkdir()
    real = wiki / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert demo("export", "INC-4711", "-o", str(link)).code == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == demo("export", "INC-4711").out
    assert sorted(p.name for p in wiki.iterdir()) == ["real.md"]


def test_export_never_replaces_what_is_not_a_file(demo: Runner, tmp_path: Path) -> None:
    """A pipe named with -o is refused and left as it was."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert_clean_failure(demo("export", "INC-4711", "-o", str(fifo)), "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize(
    ("output", "phrase"),
    [
        ("", "-o needs a file name"),
        ("a" * 300 + ".md", "the file name is too long"),
        ("notes.md/x.md", "notes.md is a file, not a folder"),
    ],
)
def test_bad_output_paths_are_one_sentence(
    demo: Runner, tmp_path: Path, output: str, phrase: str
) -> None:
    """Odd -o values give exit 2 and a sentence that names the real problem."""
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert_clean_failure(demo("export", "INC-4711", "-o", output), phrase)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "mine"


def test_dash_means_standard_output(demo: Runner, tmp_path: Path) -> None:
    """-o - prints the export, as with most tools, and creates no file named '-'."""
    result = demo("export", "INC-4711", "-o", "-")
    assert result.code == 0 and result.out == demo("export", "INC-4711").out
    assert not (tmp_path / "-").exists()


def test_a_full_disk_on_stdout_is_one_sentence(demo: Runner, db_url: str) -> None:
    """Standard output on a full device: exit 2 and one sentence, for any command."""
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full to simulate a full disk")
    for args in (["export", "INC-4711"], ["list"], ["actions"]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "retrotui", *args, "--db", db_url],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == "retrotui: Cannot write to standard output: the disk is full."


def test_copy_and_output_without_a_clipboard_writes_nothing(demo: Runner, tmp_path: Path) -> None:
    """--copy -o FILE with no clipboard: nothing is written, and the sentence says how to
    get the file anyway."""
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "PATH": str(tmp_path)}
    target = tmp_path / "retro.md"
    result = demo("export", "INC-4711", "--copy", "-o", str(target), env=env)
    assert_clean_failure(result, "nothing was written (run again without --copy")
    assert not target.exists()


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("bogus://x", "Cannot use the database"),
        ("mysql://u:secret@127.0.0.1:1/x", "driver (MySQLdb) is not installed"),
        ("postgresql+psycopg://u:secret@127.0.0.1:1/x", "Cannot reach the database server"),
    ],
)
def test_unusable_database_urls_are_one_sentence(cli: Runner, url: str, sentence: str) -> None:
    """A URL of an unknown database, of one whose driver is missing, or of a server that
    does not answer: exit 2, one sentence, and the password is not repeated."""
    result = cli("export", "INC-4711", "--db", url, db=None)
    assert_clean_failure(result, sentence)
    assert "secret" not in result.err
