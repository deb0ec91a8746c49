"""Writing a file the user named, so that a failure never leaves half of it and nothing
that is not a plain file (a link's target aside) is ever replaced.

The CLI (`retrotui export -o`), the app's export dialog and the app's remembered state
(`state.py`) all write through here: the one atomic file writer.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from retrotui.errors import UserError

# How the usual reasons a write fails read in a sentence ("Cannot write x.md: ...").
_REASONS = {
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.ELOOP: "it is a symbolic link that points to itself",
}


def reason(exc: OSError) -> str:
    """The cause of a failed file operation, as words for the end of a sentence."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def shown(path: Path | str, limit: int = 120) -> str:
    """A path short enough for one sentence: a very long one keeps its start and end."""
    text = str(path)
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-half:]}"


def write_destination(path: Path) -> Path:
    """The file a write to `path` really goes to, checked before anything is written.

    A symbolic link is written through (the link stays, its target gets the text), as
    editors do. A folder, a pipe, a device or a socket is refused with one sentence, and so
    is a path whose folder does not exist.
    """
    if not str(path).strip():
        raise UserError("Type the file to write to, e.g. incident.md.")
    given = path.expanduser()
    try:
        found = given.stat()  # follows links: what a write would reach
    except FileNotFoundError:
        found = None
    except NotADirectoryError as exc:
        blocker = next((p for p in given.parents if p.exists() and not p.is_dir()), None)
        what = f"{shown(blocker)} is a file, not a folder" if blocker else reason(exc)
        raise UserError(f"Cannot write {shown(path)}: {what}.") from exc
    except OSError as exc:
        raise UserError(f"Cannot write {shown(path)}: {reason(exc)}.") from exc
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise UserError(f"Cannot write {shown(path)}: it is a folder.")
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise UserError(
            f"Cannot write {shown(path)}: it is not a regular file (a pipe, device or socket)."
        )
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise UserError(f"Cannot write {shown(path)}: {shown(folder)} is a file, not a folder.")
        raise UserError(f"Cannot write {shown(path)}: the folder {shown(folder)} does not exist.")
    return target


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename,
    so readers see the old file or the whole new one, never half of it.

    A new file gets the usual permissions (0o666 minus the umask); an existing one keeps
    its own.
    """
    target = write_destination(path)
    try:
        keep_mode: int | None = target.stat().st_mode & 0o777
    except FileNotFoundError:
        keep_mode = None
    except OSError as exc:
        raise UserError(f"Cannot write {shown(path)}: {reason(exc)}.") from exc
    temporary: Path | None = None
    try:
        temporary, handle = _create_temporary(target.parent, target.name)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if keep_mode is not None:
            os.chmod(temporary, keep_mode)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise UserError(f"Cannot write {shown(path)}: {reason(exc)}.") from exc
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _create_temporary(folder: Path, name: str) -> tuple[Path, int]:
    """A new hidden file beside the target, opened for writing, created with 0o666 so the
    umask applies (tempfile.mkstemp would make it 0o600). The name is cut so that a target
    whose own name is near the limit still gets a temporary file."""
    while True:
        candidate = folder / f".{name[:200]}.{secrets.token_hex(6)}.tmp"
        try:
            return candidate, os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
