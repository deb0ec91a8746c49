"""`retrotui serve`'s server: only the link gets in, nothing from the internet, a limit."""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from retrotui.web import server as web_server
from retrotui.web.server import MeetingOptions, MeetingServer


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every app process the server tries to start (none is really started)."""
    commands: list[str] = []

    async def refuse(command: str, **kwargs: Any) -> Any:
        commands.append(command)
        raise OSError("no processes in this test")

    monkeypatch.setattr(asyncio, "create_subprocess_shell", refuse)
    return commands


def _options(**kwargs: Any) -> MeetingOptions:
    return MeetingOptions(db="sqlite:///x.db", ref="abc", **kwargs)


@pytest.fixture
async def meeting() -> AsyncIterator[tuple[MeetingServer, TestClient[Any, Any]]]:
    server = MeetingServer(_options(max_participants=2))
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    yield server, client
    await client.close()


def test_the_token_is_random_and_long_enough() -> None:
    """Each serve makes a new token of at least 128 bits, and the link carries it."""
    first, second = _options(), _options()
    assert first.token != second.token
    assert len(base64.urlsafe_b64decode(first.token + "==")) * 8 >= 128
    assert first.link == f"http://127.0.0.1:8000/m/{first.token}/"


@pytest.mark.parametrize("path", ["/", "/m/", "/m/nope/", "/m/nope/ws/Ana", "/static/../x"])
async def test_without_the_token_is_forbidden_and_starts_nothing(
    meeting: tuple[MeetingServer, TestClient[Any, Any]], spawned: list[str], path: str
) -> None:
    """Any request without the right token gets 403 and no app process."""
    _, client = meeting
    response = await client.get(path)
    assert response.status == 403
    assert "not valid" in await response.text()
    assert spawned == []


async def test_a_wrong_token_of_the_right_length_is_refused(
    meeting: tuple[MeetingServer, TestClient[Any, Any]], spawned: list[str]
) -> None:
    server, client = meeting
    wrong = server.options.token[:-1] + ("A" if server.options.token[-1] != "A" else "B")
    assert (await client.get(f"/m/{wrong}/ws/Ana")).status == 403
    assert spawned == []


async def test_the_link_asks_for_a_name_first(
    meeting: tuple[MeetingServer, TestClient[Any, Any]],
) -> None:
    server, client = meeting
    page = await (await client.get(f"/m/{server.options.token}/")).text()
    assert "Join the retrospective" in page and 'name="as"' in page


async def test_a_named_participant_gets_the_terminal_page_with_nothing_remote(
    meeting: tuple[MeetingServer, TestClient[Any, Any]],
) -> None:
    """?as=NAME opens the terminal; every script, style and font comes from this server."""
    server, client = meeting
    response = await client.get(f"/m/{server.options.token}/", params={"as": "Ana Lima"})
    page = await response.text()
    assert response.status == 200
    assert f"/m/{server.options.token}/ws/Ana%20Lima" in page
    remote = re.findall(r"""(?:src|href|url)\s*=?\s*\(?["']?(https?://[^"')]+)""", page)
    assert [url for url in remote if client.host not in url] == []
    assert "googleapis" not in page
    for asset in ("/static/js/textual.js", "/static/fonts/RobotoMono-VariableFont_wght.ttf"):
        assert (await client.get(asset)).status == 200


async def test_a_hostile_name_is_made_harmless(
    meeting: tuple[MeetingServer, TestClient[Any, Any]],
) -> None:
    server, client = meeting
    hostile = "<script>x</script>\x1b]0;PWNED\x07Ana"
    page = await (await client.get(f"/m/{server.options.token}/", params={"as": hostile})).text()
    assert "<script>x" not in page and "\x1b" not in page and "\x07" not in page


async def test_a_full_meeting_says_so_and_starts_nothing(
    meeting: tuple[MeetingServer, TestClient[Any, Any]], spawned: list[str]
) -> None:
    """Past --max-participants the next one gets a page saying the meeting is full."""
    server, client = meeting
    server.participants.update({object(), object()})  # type: ignore[arg-type]
    page = await client.get(f"/m/{server.options.token}/", params={"as": "Bo"})
    assert page.status == 503 and "The meeting is full" in await page.text()
    assert (await client.get(f"/m/{server.options.token}/ws/Bo")).status == 503
    assert spawned == []
    server.participants.clear()


def test_each_participant_runs_this_python_on_this_database() -> None:
    command = web_server.participant_command(_options())
    assert command.endswith("-m retrotui --db sqlite:///x.db open abc --follow")


def test_only_localhost_is_private() -> None:
    assert not _options(host="127.0.0.1").exposed and not _options(host="::1").exposed
    assert _options(host="0.0.0.0").exposed
