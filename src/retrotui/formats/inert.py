"""Text made inert for a terminal: the one rule for every piece of stored or imported text
that is shown on a screen or printed by the CLI.

A terminal acts on control characters: ESC starts sequences that rename the window
(`ESC ] 0 ; … BEL`), move the cursor, rewrite the screen or the clipboard; C1 controls
(U+0080–U+009F, such as CSI U+009B) do the same in one character on some terminals. So
every control character except newline and tab is shown as a visible symbol instead:
C0 controls as their Unicode "control picture" (ESC is `␛`, BEL `␇`, NUL `␀`), DEL as
`␡`, C1 controls and lone surrogates (which cannot even be written as UTF-8) as `�`.
A CR before a newline (Windows line ends) is dropped; a lone CR is shown as `␍`.

The Markdown export (formats/md_escape.py), the app (ui/widgets/text.py) and the CLI's
standard output and error (cli.py) all use this function.
"""

from __future__ import annotations

import re

# What is never passed through: C0 except \t and \n, DEL, C1, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
REPLACEMENT = "\ufffd"  # �


def picture(char: str) -> str:
    """The visible stand-in for one control character or lone surrogate."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400.. "control pictures": ␀ ␁ ... ␛ ... ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


# For str.translate: every unsafe code point to its picture.
INERT_TABLE: dict[int, str] = {
    code: picture(chr(code))
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000)]
    if code not in (0x09, 0x0A)
}


def inert(text: str) -> str:
    """`text` with nothing a terminal would act on; unchanged (the same object) when it
    holds no control character, which is almost always."""
    if UNSAFE.search(text) is None:
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(INERT_TABLE)


def is_inert(text: str) -> bool:
    return UNSAFE.search(text) is None


def json_inert(text: str) -> str:
    """JSON text (as `json.dumps(..., ensure_ascii=False)` writes it) with DEL, C1 controls
    and lone surrogates written as \\u escapes: still the same data to any JSON reader, and
    nothing a terminal acts on. (JSON already escapes the other controls; outside strings
    it never holds these characters, so the escapes can only land inside strings.)"""
    if UNSAFE.search(text) is None:
        return text
    return UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
