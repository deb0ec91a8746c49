"""The system clipboard, through pyperclip (imported only when something is copied).

The app also copies with OSC 52 (through the terminal, which works over SSH and tmux);
that path lives in the UI. Here: the local clipboard, with one clear sentence when there
is none, instead of pyperclip's multi-line advice or a silent no-op.
"""

from __future__ import annotations

from retrotui.errors import UserError


class ClipboardUnavailable(UserError):
    """No system clipboard can be reached (no clipboard tool, no display)."""


NO_CLIPBOARD_REASON = (
    "No system clipboard is available (it needs a desktop session with xclip, xsel or "
    "wl-clipboard installed, or macOS / Windows)"
)
NO_CLIPBOARD = f"{NO_CLIPBOARD_REASON}; save the export to a file instead."


def copy_to_system_clipboard(text: str) -> None:
    """Put `text` on the system clipboard, or raise ClipboardUnavailable.

    The copy is read back: some tools (xclip without a reachable display, wl-copy
    without a compositor) fail silently, and telling the user "copied" then would be
    a lie.
    """
    import pyperclip

    try:
        pyperclip.copy(text)
        pasted = pyperclip.paste()
    except pyperclip.PyperclipException as exc:
        raise ClipboardUnavailable(NO_CLIPBOARD) from exc
    except OSError as exc:  # the tool exists but cannot run
        raise ClipboardUnavailable(NO_CLIPBOARD) from exc
    # Some tools add or drop a final newline; nothing else may differ.
    if pasted.rstrip("\n") != text.rstrip("\n"):
        raise ClipboardUnavailable(NO_CLIPBOARD)
