"""No stored or imported text reaches a terminal as control characters, whatever it holds.

Hypothesis makes text of any characters (controls, C1, escapes, newlines) and puts it in
every field of a Retro Document, an unknown document key, a Slack channel's name and a
message subtype, and a CSV header. The document is imported, then every command that
prints stored text runs on it, in every output format. Standard output and standard error
together must hold no C0 control but newline and tab, no DEL and no C1 control.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrotui.cli import main
from retrotui.formats.inert import UNSAFE, inert

RETRO_ID = "6f1d2c1e-8b6b-4d1e-9d55-0c7a4b1f2a10"
HOSTILE = ["\x1b]0;PWNED\x07", "\x1b[2J", "\x9b6n", "\x07", "\r", "\x7f", "\x85", "\x1b\\", "\x00"]

# Any text (no lone surrogates: nothing can store or read them), with the pieces that
# drive terminals mixed in so every example holds some.
texts = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12), st.sampled_from(HOSTILE)
    ),
    min_size=1,
    max_size=5,
).map("".join)


def _document(text: str) -> dict[str, object]:
    return {
        "format": "retro-document",
        "version": 1,
        "id": RETRO_ID,
        "title": f"T {text}",
        "incident_ref": f"INC-{text}",
        "severity": "SEV2",
        "status": "in_review",
        "started_at": "2026-05-14T09:12:00+02:00",
        "resolved_at": "2026-05-14T11:30:00+02:00",
        "summary": text,
        "impact": text,
        "participants": [{"name": f"N {text}", "role": "moderator"}],
        "timeline": [
            {
                "id": f"ev-{text}",
                "time": "2026-05-14T07:12:00Z",
                "kind": "trigger",
                "actor": text,
                "text": f"E {text}",
                "key": True,
            },
        ],
        "notes": [{"id": "n-1", "kind": "question", "author": text, "text": f"Q {text}"}],
        "whys": [f"W {text}", {"question": f"Why {text}?", "answer": f"A {text}"}],
        "actions": [
            {
                "id": "a-1",
                "title": f"Act {text}",
                "owner": f"O {text}",
                "due": "2026-06-01",
                "priority": "high",
                "status": "open",
                "ticket": f"OPS-1 {text}",
                "description": text,
            },
        ],
        f"x-{text}": text,
    }


def _slack_export(folder: Path, text: str) -> Path:
    export = folder / "slack"
    for channel in (f"c-{text}".replace("/", "-").replace("\x00", ""), "general"):
        (export / channel).mkdir(parents=True, exist_ok=True)
        message = {
            "type": "message",
            "subtype": text,
            "user": "U1",
            "text": text,
            "ts": "1778742000.000100",
        }
        (export / channel / "2026-05-14.json").write_text(json.dumps([message]))
    return export


def _commands(folder: Path, text: str) -> list[list[str]]:
    db = str(folder / "x.db")
    document = folder / "doc.json"
    document.write_text(json.dumps(_document(text)), encoding="utf-8")
    csv = folder / "t.csv"
    csv.write_text(
        f"time,actor,text,{text.replace(chr(10), ' ')}\n2026-05-14T08:00:00Z,{text},x,y\n"
    )
    slack = str(_slack_export(folder, text))
    runs = [
        ["import", str(document)],
        ["import", str(document), "--dry-run"],
        ["import", str(csv), "--into", RETRO_ID],
        ["import", slack, "--format", "slack", "--into", RETRO_ID],
        ["import", slack, "--format", "slack", "--into", RETRO_ID, "--channel", text or "x"],
        ["import", slack, "--format", "slack", "--into", RETRO_ID, "--channel", "general"],
        ["list"],
        ["list", "--json"],
        ["show", RETRO_ID],
        ["export", RETRO_ID],
        ["export", RETRO_ID, "--format", "json"],
        ["actions"],
        *(["actions", "--format", fmt] for fmt in ("json", "csv", "markdown")),
        ["stats"],
        ["stats", "--json"],
        ["new", "--incident-ref", text, "--", f"T {text}"],
        ["list", "--nope", text],
        ["show", f"INC-{text}"],
    ]
    return [["--db", db, *args] for args in runs]


def _run(args: list[str]) -> None:
    # SystemExit: argparse refusing the arguments; its message is output too.
    with contextlib.suppress(SystemExit):
        main(args)


@pytest.mark.parametrize("text", ["\x1b]0;PWNED\x07", "a\x9b31mb\r\nc\x00"])
def test_known_payloads_are_shown_as_symbols(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for args in _commands(Path(folder), text):
            _run(args)
    out, err = capsys.readouterr()
    assert not UNSAFE.search(out + err)
    assert "␛]0;PWNED␇" in out + err or "a�31mb" in out + err


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=texts)
def test_no_control_character_reaches_the_terminal(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for args in _commands(Path(folder), text):
            _run(args)
            out, err = capsys.readouterr()
            bad = sorted({hex(ord(c)) for c in UNSAFE.findall(out + err)})
            assert not bad, (args[2:], bad, (out + err)[:400])


def test_inert_keeps_newlines_and_tabs_and_shows_the_rest() -> None:
    assert inert("a\tb\nc") == "a\tb\nc"
    assert inert("T \x1b]0;PWNED\x07") == "T ␛]0;PWNED␇"
    assert inert("x\r\ny\rz\x7f\x9b\x00") == "x\ny␍z␡�␀"
