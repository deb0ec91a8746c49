"""Slack export: a workspace export (zip or folder: users.json, channels.json, one folder
per channel with a JSON file per day) read for one channel, or one channel-day file.

Messages become events: `ts` is the time, the user id becomes the real name from
users.json, Slack markup becomes plain text, thread replies are kept and marked with "↳ ",
bot messages whose text lives in attachments keep that text, and join/leave and other
system messages are skipped (and counted in a warning).
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections import Counter
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from retrotui.core import limits
from retrotui.formats.timeline_rows import (
    EventRow,
    ImportFormatError,
    NeedsChannelError,
    ParsedTimeline,
    decode_text,
    text_problem,
)

# Subtypes that carry something a person or an integration said; every other subtype
# (channel_join, channel_leave, bot_add, channel_topic, pinned_item...) is the system's.
KEPT_SUBTYPES = {
    None, "bot_message", "me_message", "file_share", "file_comment", "thread_broadcast",
    "reply_broadcast",
}  # fmt: skip
THREAD_MARK = "↳ "
_MARKUP = re.compile(r"<([^<>\n]*)>")
_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")


class _Export:
    """Files of an export, by their path inside it, from a zip or a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.names: list[str]
        if path.is_dir():
            self.names = [p.relative_to(path).as_posix() for p in path.rglob("*.json")]
        else:
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ImportFormatError(f"{path}: not a readable zip file ({exc}).") from None
            self.names = [n for n in self.zip.namelist() if n.endswith(".json")]
        # Some tools zip the export inside one top-level folder.
        users = sorted((n for n in self.names if PurePosixPath(n).name == "users.json"), key=len)
        self.root = str(PurePosixPath(users[0]).parent) if users else "."

    def name(self, relative: str) -> str:
        return relative if self.root == "." else f"{self.root}/{relative}"

    def load(self, relative: str) -> Any | None:
        name = self.name(relative)
        if name not in self.names:
            return None
        try:
            data = self._zip_member(self.zip, name) if self.zip else self._folder_file(name)
        except (OSError, KeyError, zipfile.BadZipFile) as exc:
            raise ImportFormatError(f"{self.path}: cannot read {name} ({exc}).") from None
        return load_json(data, f"{self.path}: {name}")

    def _zip_member(self, archive: zipfile.ZipFile, name: str) -> bytes:
        """A member, inflated no further than the limits: a zip bomb (a small file that
        inflates to gigabytes) is refused after reading at most the limit."""
        info = archive.getinfo(name)
        cap = min(limits.ZIP_MEMBER_BYTES, max(info.compress_size, 1) * limits.ZIP_RATIO)
        with archive.open(info) as member:
            data = member.read(cap + 1)
        if len(data) > cap:
            raise ImportFormatError(
                f"{self.path}: {name} inflates to more than {cap:,} bytes (the limits are "
                f"{limits.ZIP_MEMBER_BYTES // (1024 * 1024)} MB and {limits.ZIP_RATIO} times "
                "its compressed size per file); it was not imported."
            )
        return data

    def _folder_file(self, name: str) -> bytes:
        """A file of an export folder; a link that leads out of the folder is not followed."""
        target = Path(os.path.realpath(self.path / name))
        if not target.is_relative_to(os.path.realpath(self.path)):
            raise ImportFormatError(
                f"{self.path}: {name} is a link to a file outside the export folder; "
                "it was not followed."
            )
        if not target.is_file():
            raise ImportFormatError(f"{self.path}: {name} is not a regular file.")
        return target.read_bytes()

    def channels(self) -> list[str]:
        listed = self.load("channels.json")
        names = {c.get("name") for c in listed or [] if isinstance(c, dict)}
        prefix = "" if self.root == "." else self.root + "/"
        folders = {
            PurePosixPath(n[len(prefix) :]).parts[0]
            for n in self.names
            if n.startswith(prefix) and len(PurePosixPath(n[len(prefix) :]).parts) == 2
        }
        return sorted(n for n in names | folders if isinstance(n, str))

    def day_files(self, channel: str) -> list[str]:
        """The channel's day files (relative to the export root), oldest first."""
        prefix = self.name(channel) + "/"
        days = [n[len(prefix) :] for n in self.names if n.startswith(prefix)]
        return [f"{channel}/{day}" for day in sorted(days) if _DAY_FILE.match(day)]


def load_json(data: bytes, where: str) -> Any:
    try:
        return json.loads(decode_text(data, where))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{where}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})."
        ) from None
    except RecursionError:
        raise ImportFormatError(f"{where}: invalid JSON (nested too deeply).") from None


def parse_slack(path: Path, *, channel: str | None, zone: tzinfo | None) -> ParsedTimeline:
    """Events of one Slack channel (an export) or of one channel-day file."""
    reader = _MessageReader(zone)
    if path.is_file() and not zipfile.is_zipfile(path):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFormatError(f"{path}: cannot read it ({exc.strerror}).") from None
        users_file = path.parent.parent / "users.json"
        if users_file.is_file():
            reader.users = _user_names(load_json(users_file.read_bytes(), str(users_file)))
        else:
            reader.warnings.append(
                f"no users.json two folders up from {path.name}; user ids are shown as they are."
            )
        reader.read_day(load_json(data, str(path)), str(path))
        return reader.result()
    export = _Export(path)
    reader.users = _user_names(export.load("users.json") or [])
    if not reader.users:
        reader.warnings.append("the export has no users.json; user ids are shown as they are.")
    reader.channels = {
        c["id"]: c["name"]
        for c in export.load("channels.json") or []
        if isinstance(c, dict) and isinstance(c.get("id"), str) and isinstance(c.get("name"), str)
    }
    known = export.channels()
    chosen = (channel or "").lstrip("#").strip()
    if not chosen:
        if len(known) != 1:
            raise NeedsChannelError(
                f"{path}: a Slack export needs a channel; it has {', '.join(known) or 'none'}.",
                known,
            )
        chosen = known[0]
    if chosen not in known:
        raise ImportFormatError(
            f"{path}: no channel {chosen!r} in this export; it has {', '.join(known) or 'none'}."
        )
    for day in export.day_files(chosen):
        reader.read_day(export.load(day), f"{path}: {export.name(day)}")
    return reader.result()


def _user_names(users: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for user in users if isinstance(users, list) else []:
        if not isinstance(user, dict) or not isinstance(user.get("id"), str):
            continue
        profile = user["profile"] if isinstance(user.get("profile"), dict) else {}
        for candidate in (
            profile.get("real_name"),
            user.get("real_name"),
            profile.get("display_name"),
            user.get("name"),
        ):
            if isinstance(candidate, str) and candidate.strip():
                names[user["id"]] = candidate.strip()
                break
    return names


class _MessageReader:
    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self.users: dict[str, str] = {}
        self.channels: dict[str, str] = {}
        self.rows: list[EventRow] = []
        self.skipped: Counter[str] = Counter()
        self.replies = 0
        self.warnings: list[str] = []

    def result(self) -> ParsedTimeline:
        warnings = list(self.warnings)
        if self.skipped:
            kinds = ", ".join(f"{name} x{n}" for name, n in sorted(self.skipped.items()))
            total = sum(self.skipped.values())
            warnings.append(f"skipped {total} system or empty messages ({kinds}).")
        if self.replies:
            warnings.append(f"{self.replies} thread replies kept, marked with {THREAD_MARK!r}.")
        return ParsedTimeline(rows=self.rows, format="slack", warnings=warnings)

    def read_day(self, messages: Any, where: str) -> None:
        if not isinstance(messages, list):
            raise ImportFormatError(f"{where}: expected an array of Slack messages.")
        for index, message in enumerate(messages):
            if not isinstance(message, dict):
                raise ImportFormatError(f"{where}: [{index}]: expected a message object.")
            row = self.message(message, f"{where}: [{index}]")
            if row is not None:
                self.rows.append(row)

    def message(self, message: dict[str, Any], where: str) -> EventRow | None:
        subtype = message.get("subtype")
        if not isinstance(subtype, str | None):
            raise ImportFormatError(f"{where}.subtype: expected a string, got {subtype!r}.")
        if message.get("type", "message") != "message" or subtype not in KEPT_SUBTYPES:
            self.skipped[str(subtype or message.get("type"))] += 1
            return None
        time = self.time(message.get("ts"), f"{where}.ts")
        text = self.plain(message.get("text"))
        if not text.strip():
            text = self.attachment_text(message.get("attachments"))
        if not text.strip():
            self.skipped["empty"] += 1
            return None
        problem = text_problem(text)
        if problem:
            raise ImportFormatError(f"{where}.text: the text {problem}.")
        thread = message.get("thread_ts")
        if thread is not None and thread != message.get("ts"):
            text = THREAD_MARK + text
            self.replies += 1
        return EventRow(time=time, text=text, actor=self.actor(message), source="slack")

    def time(self, ts: Any, where: str) -> datetime:
        try:
            seconds = Decimal(str(ts)) if isinstance(ts, str | int | float) else None
        except InvalidOperation:
            seconds = None
        if seconds is None or not seconds.is_finite() or not 0 <= seconds < 10**11:
            raise ImportFormatError(f"{where}: expected a Slack timestamp like 1452845865.000008.")
        whole = int(seconds)
        micro = int((seconds - whole) * 1_000_000)
        value = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=whole, microseconds=micro)
        return value.astimezone(self.zone) if self.zone else value

    def actor(self, message: dict[str, Any]) -> str:
        user = message.get("user")
        if isinstance(user, str) and user in self.users:
            return self.users[user]
        profile = message.get("user_profile")
        if isinstance(profile, dict) and isinstance(profile.get("real_name"), str):
            return str(profile["real_name"])
        bot = message.get("bot_profile")
        for name in (message.get("username"), bot.get("name") if isinstance(bot, dict) else None):
            if isinstance(name, str) and name.strip():
                return name.strip()
        if isinstance(user, str):
            return user
        return "bot" if message.get("bot_id") else ""

    def attachment_text(self, attachments: Any) -> str:
        parts: list[str] = []
        for item in attachments if isinstance(attachments, list) else []:
            if not isinstance(item, dict):
                continue
            fallback = self.plain(item.get("fallback"))
            body = self.plain(item.get("text"))
            parts += [p for p in (fallback, body if body not in fallback else "") if p.strip()]
        return "\n".join(parts)

    def plain(self, text: Any) -> str:
        """Slack markup (<@U1>, <#C1|name>, <https://x|label>, &amp;) as plain text."""
        if not isinstance(text, str):
            return ""
        converted = _MARKUP.sub(lambda m: self.markup(m.group(1)), text)
        return converted.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    def markup(self, inner: str) -> str:
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return "@" + (label or self.users.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or self.channels.get(target[1:], target[1:]))
        if target.startswith("!"):
            word = target[1:].split("^")[0]
            return label or ("@" + word if word in ("here", "channel", "everyone") else word)
        if target.startswith("mailto:"):
            return label or target[len("mailto:") :]
        return f"{label} ({target})" if label and label != target else target
