r"""Escaping user text for each place it lands in a GitHub-flavoured Markdown document.

Every string people typed is plain text. These functions make sure that, wherever it is
put (paragraph, list item, table cell, heading, link), it renders as that text and nothing
else: no heading, list, table cell, code block, HTML, image or link can come out of it,
and a line break inside a field stays inside that field.

The strategy, chosen so that cmark-gfm, pandoc and markdown-it-py all agree:
- ASCII punctuation that can start inline markup is backslash-escaped everywhere
  (CommonMark lets any ASCII punctuation be escaped, and every renderer honours it).
  `{ } $` are escaped too, because wiki pre-processors (MkDocs macros, GitHub math) read
  the raw text before any Markdown parser does.
- http(s) URLs inside the text become `<https://...>` autolinks. Escaping them instead
  would break them on GitHub: cmark-gfm autolinks bare URLs by scanning the raw text, so
  `a\_b` would reach the link as a literal backslash. Inside `<...>` nothing is parsed,
  and all three renderers agree. Only http and https are linked; a URL ends at white
  space and at the characters that could end a cell or start markup (`| < > { } " \``).
- Characters that only matter at the start of a line (list markers, `=`/`-` setext
  underlines, `1.` ordered markers, `:` table delimiters) are escaped there.
- Each line is stripped of surrounding whitespace: leading spaces would make indented
  code, and renderers drop them anyway. Empty lines are dropped, because a blank line
  would end the paragraph, list item or table the field sits in.
- Line breaks become a backslash hard break in paragraphs and list items (continuation
  lines indented to the item's content), a visible " ↵ " in table cells (GFM cells cannot
  hold a line break without HTML), and a space in headings. The backslash comes after a
  space: cmark-gfm's autolinker would otherwise take it into a URL or www. name that ends
  the line, and the break would be lost.
- Control characters (ANSI escapes, NUL, DEL, C1) are shown as their Unicode "control
  picture" (ESC becomes ␛; formats/inert.py, the rule for all output) so an export
  printed in a terminal cannot drive it; tabs
  become spaces; lone surrogates become U+FFFD so the text can always be written as UTF-8.
- Unclosed bidirectional embeddings, overrides and isolates are closed at the end of the
  field, so right-to-left text cannot flip what follows it (the next cell, the row).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from retrotui.formats.inert import inert

# Inline markup and wiki pre-processor syntax; escaped wherever they appear. The
# backslash comes first, so the backslashes added for the others are not escaped again.
_INLINE_SPECIAL = tuple((char, "\\" + char) for char in "\\`*_{}[]<>#|~&$")
# What makes text a bare link to pandoc's autolinker, escaped in link labels.
_BARE_LINK_MARKS = (("://", "\\://"), ("www.", "www\\."), ("@", "\\@"))
# A URL typed in text; trailing punctuation is trimmed off like GFM's autolinker does.
_URL_IN_TEXT = re.compile(r"https?://[^\s<>|{}\"`\\\u200b-\u200f\u202a-\u202e\u2066-\u2069]+", re.I)
_URL_TRAILING = "?!.,:;*_~'"
# Block markers that only count at the start of a line.
_LINE_START = re.compile(r"^(?:([-+=:])|(\d+)([.)]))")
# Text with no line break, tab, control, surrogate or bidi control: one plain line.
_ORDINARY = re.compile(
    "[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]*\\Z"
)
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_EMBEDDINGS_OPEN = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, closed by PDF
_ISOLATES_OPEN = "\u2066\u2067\u2068"  # LRI RLI FSI, closed by PDI
_PDF = "\u202c"
_PDI = "\u2069"

HARD_BREAK = " \\\n"  # space, backslash, newline: a line break inside a paragraph
CELL_BREAK = " \u21b5 "  # "↵": where a line break was, inside a table cell
EMPTY_CELL = "\u2014"  # "—"
_SAFE_URL_SCHEMES = ("http://", "https://")
# Characters kept as they are in a link destination; everything else is percent-encoded,
# including ( ) < > | space and backslash, which could end the link or the table cell.
_URL_SAFE = "/:?#@!$&'*+,;=%-._~"


def _close_bidi(text: str) -> str:
    """Close every bidi embedding or isolate the text opens, so it ends where it started."""
    embeddings = isolates = 0
    for char in _BIDI.findall(text):
        if char in _EMBEDDINGS_OPEN:
            embeddings += 1
        elif char == _PDF:
            embeddings = max(0, embeddings - 1)
        elif char in _ISOLATES_OPEN:
            isolates += 1
        elif char == _PDI:
            isolates = max(0, isolates - 1)
    return text + _PDF * embeddings + _PDI * isolates


def plain_lines(text: str) -> list[str]:
    """The visible lines of a field: split at any line break, stripped, empty ones dropped,
    control characters shown as pictures. This is the text a reader will see."""
    lines = []
    for raw in text.splitlines():
        line = raw.replace("\t", " ").strip()
        if not line:
            continue
        line = inert(line)  # the one rule for text shown anywhere (formats/inert.py)
        lines.append(line)
    return lines


def _url_end(url: str) -> int:
    """Where a URL found in text really ends: without trailing punctuation or an
    unbalanced closing parenthesis (as in "(see https://x.test/a)")."""
    end = len(url)
    while end:
        last = url[end - 1]
        unbalanced = last == ")" and url.count("(", 0, end) < url.count(")", 0, end)
        if last not in _URL_TRAILING and not unbalanced:
            break
        end -= 1
    return end


def _escape_specials(text: str) -> str:
    """Backslash before every inline special character.

    One `str.replace` per character present, not `str.translate` or a regex: the export
    of a 10,000-event timeline calls this 20,000 times, and on typical text this is two
    to three times faster than either (tests check it matches a per-character escape).
    """
    for char, escaped in _INLINE_SPECIAL:
        if char in text:
            text = text.replace(char, escaped)
    return text


def _escape_text(text: str, autolink: bool) -> str:
    """Backslash-escape markup; http(s) URLs become <autolinks>, left unescaped.

    Without `autolink` (a link's label) the text is kept from looking like a bare URL,
    www. name or e-mail address too: pandoc's GFM reader autolinks those even inside a
    link, and a link inside a link is broken HTML.
    """
    if not autolink:
        escaped = _escape_specials(text)
        for bare, kept in _BARE_LINK_MARKS:
            if bare in escaped:
                escaped = escaped.replace(bare, kept)
        return escaped
    if "://" not in text:
        return _escape_specials(text)
    out = []
    position = 0
    for match in _URL_IN_TEXT.finditer(text):
        end = match.start() + _url_end(match.group())
        if end - match.start() <= len("https://"):
            continue
        out.append(_escape_specials(text[position : match.start()]))
        out.append(f"<{text[match.start() : end]}>")
        position = end
    out.append(_escape_specials(text[position:]))
    return "".join(out)


def _escape_line(line: str, autolink: bool = True) -> str:
    escaped = _escape_text(line, autolink)
    start = _LINE_START.match(escaped)
    if start is None:
        return escaped
    if start.group(1):
        return "\\" + escaped
    return f"{start.group(2)}\\{start.group(3)}{escaped[start.end() :]}"


def _escaped_lines(text: str, autolink: bool = True) -> list[str]:
    if _ORDINARY.match(text):
        # The common case (one line, nothing to picture or close): skip the general path.
        line = text.strip()
        return [_escape_line(line, autolink)] if line else []
    lines = [_escape_line(line, autolink) for line in plain_lines(text)]
    if lines and _BIDI.search(text):
        # Close at the end of every line: each line may become its own block or cell.
        lines = [_close_bidi(line) for line in lines]
    return lines


def inline(text: str, *, fallback: str = "") -> str:
    """One line of inline text (a heading, a label, a phrase): line breaks become spaces."""
    lines = _escaped_lines(text)
    return " ".join(lines) if lines else _escape_line(fallback)


def cell(text: str, *, fallback: str = "", autolink: bool = True) -> str:
    """A GFM table cell: line breaks become " ↵ " so the field stays in its cell.

    `autolink=False` for a link's label: a link inside a link would unmake the outer one.
    """
    lines = _escaped_lines(text, autolink)
    return CELL_BREAK.join(lines) if lines else _escape_line(fallback)


def block(text: str, *, indent: int = 0, fallback: str = "") -> str:
    """Paragraph or list-item text: line breaks become hard breaks (a trailing backslash),
    continuation lines indented by `indent` so they stay inside the list item."""
    lines = _escaped_lines(text)
    if not lines:
        return _escape_line(fallback)
    return (HARD_BREAK + " " * indent).join(lines)


def safe_url(text: str) -> str | None:
    """The text as a link destination if it is an http(s) URL, else None.

    Only http and https are ever linked: `javascript:`, `data:`, `file:` and anything
    else stay plain text. The result is percent-encoded and backslash-escaped so it
    cannot end the link, the table cell or the line.
    """
    url = text.strip()
    if not url.lower().startswith(_SAFE_URL_SCHEMES) or len(url) <= len("https://"):
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return None
    encoded = quote(url, safe=_URL_SAFE)
    # Entities are decoded inside link destinations; an escaped & keeps the URL as typed.
    return encoded.replace("&", "\\&")


def link_or_text(text: str, *, label: str | None = None) -> str:
    """A link when `text` is a safe URL, otherwise the text itself, escaped for a cell."""
    url = safe_url(text)
    if url is None:
        return cell(text)
    return f"[{cell(label if label is not None else text, autolink=False)}]({url})"


def cell_list(names: list[str]) -> str:
    """Several short texts in one table cell, separated by commas."""
    return ", ".join(cell(name) for name in names) or EMPTY_CELL
