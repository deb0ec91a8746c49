"""Slack exports: channel folders and zips, users' real names, markup, threads, bots."""

from __future__ import annotations

import contextlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrotui.formats.detect import detect_format
from retrotui.formats.slack import parse_slack
from retrotui.formats.timeline_rows import ImportFormatError, NeedsChannelError, parse_zone

EXPORT = Path(__file__).parent.parent / "fixtures" / "slack-export"


def _texts(path: Path, channel: str | None = "incident-42") -> list[str]:
    return [row.text for row in parse_slack(path, channel=channel, zone=None).rows]


def test_folder_export_reads_one_channel() -> None:
    """Only the chosen channel's messages are read, in time order across day files."""
    parsed = parse_slack(EXPORT, channel="incident-42", zone=None)
    assert len(parsed.rows) == 4
    assert parsed.rows[0].time.isoformat() == "2026-05-14T07:12:00.000200+00:00"
    assert all(row.source == "slack" for row in parsed.rows)
    assert "lunch?" not in [row.text for row in parsed.rows]


def test_users_become_real_names() -> None:
    """The user id becomes the real name, else the display name."""
    actors = [row.actor for row in parse_slack(EXPORT, channel="incident-42", zone=None).rows]
    assert actors == ["Ana Lima", "Ben K", "deploybot", "Ben K"]


def test_markup_becomes_plain_text() -> None:
    """Mentions, channel links, labelled links, specials and entities become plain text."""
    texts = _texts(EXPORT)
    assert (
        texts[0] == "Search p99 is over 3 s & climbing, see dashboard (https://grafana.example/d/1)"
    )
    assert texts[1] == "↳ @Ana Lima looking; moving to #random later <maybe>"
    assert texts[3] == "Latency normal again @here"


def test_bot_text_from_attachments_and_thread_replies_marked() -> None:
    """A bot message with empty text keeps its attachment text; a reply is marked ↳."""
    parsed = parse_slack(EXPORT, channel="incident-42", zone=None)
    assert parsed.rows[2].text == "Paused rebuild on job 1 (https://ci.example/1)"
    assert parsed.rows[1].text.startswith("↳ ")
    assert any("1 thread replies" in w for w in parsed.warnings)


def test_system_messages_skipped_and_counted() -> None:
    """Joins and leaves are skipped and reported in one warning."""
    parsed = parse_slack(EXPORT, channel="incident-42", zone=None)
    assert any("channel_join x1" in w and "channel_leave x1" in w for w in parsed.warnings)


def test_zip_export_with_hash_channel(tmp_path: Path) -> None:
    """A zipped export reads the same; `#name` works as the channel."""
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in EXPORT.rglob("*.json"):
            zf.write(file, file.relative_to(EXPORT).as_posix())
    assert detect_format(archive) == "slack"
    assert _texts(archive, "#incident-42") == _texts(EXPORT)


def test_single_day_file_uses_users_two_folders_up() -> None:
    """One channel-day file still maps users through the export's users.json."""
    day = EXPORT / "incident-42" / "2026-05-15.json"
    assert detect_format(day) == "slack"
    parsed = parse_slack(day, channel=None, zone=parse_zone("-07:00"))
    assert parsed.rows[0].actor == "Ben K" and parsed.rows[0].time_offset == -420


def test_channel_required_and_checked() -> None:
    """An export with several channels needs one named, and an unknown one lists the names."""
    with pytest.raises(NeedsChannelError, match="needs a channel; it has incident-42, random") as e:
        parse_slack(EXPORT, channel=None, zone=None)
    assert e.value.channels == ["incident-42", "random"]
    with pytest.raises(ImportFormatError, match="no channel 'nope'"):
        parse_slack(EXPORT, channel="nope", zone=None)


def test_bad_day_file_names_file_and_line(tmp_path: Path) -> None:
    """Broken JSON in a day file names that file, line and column."""
    copy = tmp_path / "export"
    shutil.copytree(EXPORT, copy)
    (copy / "incident-42" / "2026-05-15.json").write_text('[{"ts": "1"},\n]')
    with pytest.raises(ImportFormatError, match=r"2026-05-15\.json: line 2, column 1"):
        parse_slack(copy, channel="incident-42", zone=None)


MESSAGES = st.lists(
    st.one_of(
        st.dictionaries(
            st.sampled_from(["type", "subtype", "ts", "text", "user", "thread_ts", "attachments"]),
            st.one_of(
                st.none(), st.text(max_size=12), st.integers(), st.lists(st.text(max_size=5))
            ),
            max_size=6,
        ),
        st.integers(),
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(messages=MESSAGES)
def test_slack_fuzz(tmp_path_factory: pytest.TempPathFactory, messages: list[object]) -> None:
    """Malformed messages either import or raise ImportFormatError, never anything else."""
    day = tmp_path_factory.mktemp("slack") / "day.json"
    day.write_text(json.dumps(messages))
    with contextlib.suppress(ImportFormatError):
        parse_slack(day, channel=None, zone=None)
