"""Nothing typed can change the shape of the exported document.

Three ways: hostile inputs in every field (`# heading`, `| pipe |`, unclosed fences,
`<script>`, `[x](javascript:alert(1))`, CR/LF, ANSI escapes, RTL marks, zero-width
characters, 5,000-character lines...); hypothesis properties that any text in any field
leaves markdown-it-py's token structure identical to the same document with harmless
text; and, per escaping context, that the reader sees exactly the text that was typed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from retrotui.core.anonymize import name_redactor, participant_labels
from retrotui.formats import md_escape as esc
from retrotui.formats.markdown import render_markdown
from retrotui.formats.templates import load_template
from retrotui.services.export import markdown_export
from tests.unit.test_markdown import SHIPPED, sample_bundle

# The parser render-md uses: CommonMark + GFM tables + strikethrough, HTML recognised.
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# markdown-it-py itself refuses javascript:/data: links; accept every link here, so a
# link the export let through shows up in the structure instead of being hidden.
MD.validateLink = lambda url: True  # type: ignore[method-assign]

FIELD_NAMES = (
    "title",
    "summary",
    "impact",
    "incident_ref",
    "source_url",
    "participant",
    "event_text",
    "event_actor",
    "note_text",
    "note_author",
    "why_question",
    "why_answer",
    "action_title",
    "action_description",
    "action_owner",
    "action_ticket",
    "why_problem",
    "factor",
    "tag",
)
URL_FIELDS = ("source_url", "action_ticket")
HARMLESS = "harmless words"
HARMLESS_URL = "https://example.com/harmless"

HOSTILE = {
    "atx heading": "# heading",
    "heading after break": "text\n## heading",
    "setext underline": "title\n===",
    "thematic break": "a\n---\nb",
    "pipes": "| pipe | cell |",
    "table delimiter": "a | b\n--- | ---\nc | d",
    "unclosed backtick fence": "```python\nprint('open')",
    "unclosed tilde fence": "~~~\ncode",
    "indented code": "text\n\n        indented code",
    "script tag": "<script>alert(1)</script>",
    "html comment": "<!-- hidden -->",
    "javascript link": "[x](javascript:alert(1))",
    "data link": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "image": "![img](https://example.com/a.png)",
    "autolink": "<javascript:alert(1)>",
    "reference definition": "[x]: javascript:alert(1)",
    "entity": "&lt;script&gt; &#60;b&#62;",
    "crlf": "line one\r\nline two\rline three",
    "blank lines": "para one\n\n\n\npara two",
    "bullet list": "- item\n* item\n+ item",
    "ordered list": "1. one\n2) two",
    "task list": "- [x] done",
    "blockquote": "> quoted\n>> deeper",
    "emphasis": "*em* _em_ **strong** ~~gone~~",
    "ansi escapes": "\x1b[31mred\x1b[0m \x1b]52;c;aGk=\x07",
    "control characters": "nul\x00 bell\x07 del\x7f c1\x9b",
    "rtl override": "\u202eevil\u202c and \u202e unclosed",
    "rtl isolate": "\u2067\u05e9\u05dc\u05d5\u05dd unclosed",
    "zero width": "a\u200bb\u200cc\u200dd\ufeffe",
    "unicode line separators": "a\u2028b\u2029c\x85d\x0be\x0cf",
    "tabs": "\tindented\twith tabs",
    "backslashes": "ends with a backslash \\",
    "math and macros": "$x$ {{ config }} {% raw %}",
    "long line": "x" * 5000,
    "long line of markup": "# |`*_[<" * 700,
    "only whitespace": " \n\t \n",
    "empty": "",
}


def structure(markdown: str) -> list[tuple[Any, ...]]:
    """The document's token structure: every block token, and the non-text inline tokens
    (emphasis, links with their targets, images, code, HTML) of each inline run."""
    shape: list[tuple[Any, ...]] = []
    for token in MD.parse(markdown):
        if token.type != "inline":
            shape.append((token.type, token.tag, token.nesting, token.level))
            continue
        children = token.children or []
        inner = tuple(
            (child.type, child.tag, child.attrGet("href"), child.attrGet("src"))
            for child in children
            if child.type not in ("text", "softbreak", "hardbreak") and not _autolink(child)
        )
        shape.append(("inline", inner))
    return shape


def _autolink(token: Any) -> bool:
    """An http(s) URL typed in text, turned into <https://...> by the export on purpose
    (the only links text may make; `assert_nothing_live` checks their scheme)."""
    return token.type in ("link_open", "link_close") and token.markup == "autolink"


def baseline_for(field: str, text: str) -> str:
    """The harmless stand-in: a URL field links exactly when the typed text is a safe URL."""
    if field in URL_FIELDS and esc.safe_url(text) is not None:
        return text
    return HARMLESS


def export(template: str, *, anonymize: bool = False, **fields: str) -> str:
    return markdown_export(
        sample_bundle(**fields), template_name=template, anonymize=anonymize
    ).text


def assert_same_shape(template: str, fields: dict[str, str], *, anonymize: bool = False) -> None:
    harmless = {field: baseline_for(field, text) for field, text in fields.items()}
    hostile_doc = export(template, anonymize=anonymize, **fields)
    harmless_doc = export(template, anonymize=anonymize, **harmless)
    assert structure(hostile_doc) == structure(harmless_doc)
    assert_nothing_live(hostile_doc)


def assert_nothing_live(markdown: str) -> None:
    """No raw HTML token, no image, and every link is http(s)."""
    for token in MD.parse(markdown):
        assert token.type not in ("html_block", "code_block", "fence")
        for child in token.children or []:
            assert child.type not in ("html_inline", "image", "code_inline")
            if child.type == "link_open":
                assert str(child.attrGet("href")).startswith(("https://", "http://"))


# -- hostile cases --------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELD_NAMES)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_text_in_any_field_keeps_the_document_shape(field: str, case: str) -> None:
    """Each hostile input, put into each field, changes no heading, list, table or link."""
    assert_same_shape("standard", {field: HOSTILE[case]})


@pytest.mark.parametrize("template", SHIPPED)
def test_all_hostile_cases_at_once_in_every_template(template: str) -> None:
    """Every field hostile at the same time, through every shipped template, with and
    without anonymizing."""
    cases = sorted(HOSTILE.values())
    fields = {field: cases[i % len(cases)] for i, field in enumerate(FIELD_NAMES)}
    fields["participant"] = "# Ana | <b>"  # a hostile name that is also redacted
    fields["note_text"] = "# Ana | <b> said | so"
    assert_same_shape(template, fields)
    assert_same_shape(template, fields, anonymize=True)


def test_hostile_export_matches_its_golden_file() -> None:
    """The reviewed look of escaped hostile text (also checked with render-md by hand)."""
    from tests.unit.test_markdown import check_golden

    cases = sorted(HOSTILE.items())
    fields = {
        field: cases[i % len(cases)][1]
        for i, field in enumerate(FIELD_NAMES)
        if not cases[i % len(cases)][0].startswith("long")
    }
    fields["summary"] = "\n".join(text for name, text in cases if not name.startswith("long"))
    check_golden("hostile.md", export("standard", **fields))


def test_javascript_and_data_urls_never_become_links() -> None:
    """Only http(s) tickets and source links are linked; others stay visible text."""
    for url in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "file:///etc"):
        assert esc.safe_url(url) is None
        assert esc.link_or_text(url) == esc.cell(url)
    assert esc.safe_url("https://x.test/a b") is None  # spaces would end the destination


def test_urls_are_encoded_so_they_cannot_leave_the_link_or_cell() -> None:
    """Parentheses, pipes, angle brackets and backslashes in a URL are percent-encoded."""
    url = esc.safe_url("https://x.test/a)b|c<d>e\\f&g")
    assert url == "https://x.test/a%29b%7Cc%3Cd%3Ee%5Cf\\&g"


@pytest.mark.parametrize(
    "label",
    ["https://tracker.example.com/browse/SRCH-102", "see www.example.com", "ana@example.com"],
)
def test_link_labels_cannot_become_links_themselves(label: str) -> None:
    """A label that looks like a URL, www. name or address reads as typed but gives
    pandoc's GFM autolinker nothing to link, so no renderer nests a link in the link."""
    link = esc.link_or_text("https://tracker.example.com/browse/SRCH-102", label=label)
    raw_label = link[1 : link.index("](")]
    assert not re.search(r"(?<!\\)(?::/|@)|www(?!\\)\.", raw_label)
    (inline,) = [t for t in MD.parse(link) if t.type == "inline"]
    kinds = [child.type for child in inline.children or []]
    assert kinds.count("link_open") == 1
    assert "".join(c.content for c in inline.children or [] if c.type == "text") == label


def test_control_characters_are_shown_not_sent_to_the_terminal() -> None:
    """ESC and other controls become visible symbols; no raw control byte is exported."""
    out = export("standard", summary=HOSTILE["ansi escapes"], title="\x1b]0;pwned\x07")
    assert "\x1b" not in out and "\x07" not in out
    assert "␛\\[31mred" in out


def test_unclosed_rtl_override_is_closed_within_its_field() -> None:
    """An RLO typed without its PDF is closed before the next cell starts."""
    cell = esc.cell("\u202eevil")
    assert cell == "\u202eevil\u202c"


def test_urls_in_text_become_autolinks_that_every_renderer_reads_alike() -> None:
    """A pasted URL stays whole (no backslashes GitHub would put into it); other schemes
    and trailing punctuation stay text."""
    assert esc.block("see https://x.test/a_b?q=1&r=2.") == "see <https://x.test/a_b?q=1&r=2>."
    assert esc.block("(https://x.test/a_(b))") == "(<https://x.test/a_(b)>)"
    assert esc.block("javascript:alert(1)") == "javascript:alert(1)"
    assert esc.cell("https://x.test/a|b") == "<https://x.test/a>\\|b"


def test_line_breaks_stay_inside_their_field() -> None:
    """Paragraphs get hard breaks, cells a visible ↵, headings a space."""
    assert esc.block("one\r\ntwo") == "one \\\ntwo"
    assert esc.block("one\ntwo", indent=3) == "one \\\n   two"
    assert esc.cell("one\ntwo") == "one ↵ two"
    assert esc.inline("one\ntwo") == "one two"


# -- properties -----------------------------------------------------------------------

MARKUP = "#|`*_[]()<>!-+=:~&$\\{}.1 \n\r\t\x1b\u202e\u200b\u2028aé字"
typed_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=MARKUP, max_size=40),
    st.lists(st.sampled_from(sorted(HOSTILE.values())[:-3]), max_size=3).map(" ".join),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fields=st.fixed_dictionaries({field: typed_text for field in FIELD_NAMES}),
    template=st.sampled_from(SHIPPED),
    anonymize=st.booleans(),
)
def test_any_text_in_every_field_keeps_the_token_structure(
    fields: dict[str, str], template: str, anonymize: bool
) -> None:
    """Whatever is typed into all fields at once, the document parses to the same tokens
    as with harmless text (links only where a field holds a safe http(s) URL)."""
    assert_same_shape(template, fields, anonymize=anonymize)


@settings(max_examples=80, deadline=None)
@given(field=st.sampled_from(FIELD_NAMES), text=typed_text)
def test_any_text_in_one_field_keeps_the_token_structure(field: str, text: str) -> None:
    """One field at a time, so hypothesis can shrink a failure to the smallest input."""
    assert_same_shape("standard", {field: text})


def _inline_text(token: Any) -> str:
    parts = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif not _autolink(child):
            raise AssertionError(f"unexpected {child.type} in escaped text")
    return "".join(parts)


def _only_inline(markdown: str) -> str:
    inline = [t for t in MD.parse(markdown) if t.type == "inline"]
    # Lines are stripped, so a space before a break is the one HARD_BREAK puts there.
    # markdown-it-py shows an autolink's text percent-decoded; compare decoded text.
    return unquote(_inline_text(inline[-1]).replace(" \n", "\n"))


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1, max_size=60) | st.text(alphabet=MARKUP, min_size=1))
def test_readers_see_exactly_the_typed_text(text: str) -> None:
    """In a paragraph, list item, table cell and heading, the parsed text is what was typed
    (lines stripped, controls shown as symbols), with breaks where the lines were."""
    lines = esc.plain_lines(text)
    if not lines:
        return
    expected_block = unquote(
        "\n".join(esc._close_bidi(line) if esc._BIDI.search(text) else line for line in lines)
    )
    assert _only_inline(esc.block(text)) == expected_block
    assert _only_inline("- " + esc.block(text, indent=2)) == expected_block
    cell_text = _only_inline("| h |\n| --- |\n| " + esc.cell(text) + " |")
    assert cell_text == expected_block.replace("\n", esc.CELL_BREAK)
    assert _only_inline("# " + esc.inline(text)) == expected_block.replace("\n", " ")


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1)
)
def test_printable_text_keeps_every_character(text: str) -> None:
    """Text with no line breaks or controls reaches the reader whole (ends stripped)."""
    if text.strip():
        assert esc.plain_lines(text) == [text.replace("\t", " ").strip()]


def test_redaction_happens_before_escaping() -> None:
    """A hostile participant name is replaced, and the label is escaped like any text."""
    redact = name_redactor(participant_labels(sample_bundle(participant="<b>|").participants))
    assert redact("said <b>| hi") == "said Moderator hi"


def test_renderer_uses_the_template_chunks_verbatim() -> None:
    """Template text around the placeholders is copied as written (it is trusted)."""
    out = render_markdown(sample_bundle(), load_template("deep-dive"))
    assert "_A blameless retrospective:" in out


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80) | st.text(alphabet=MARKUP + "\\abc ", max_size=40))
def test_special_characters_are_each_escaped_exactly_once(text: str) -> None:
    """The fast escape puts one backslash before each special character and touches
    nothing else, whatever order and mix they come in (backslashes included)."""
    specials = "\\`*_{}[]<>#|~&$"
    expected = "".join("\\" + char if char in specials else char for char in text)
    assert esc._escape_specials(text) == expected
