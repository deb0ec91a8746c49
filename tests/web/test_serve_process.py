"""`retrotui serve` as a moderator runs it: a link, 403 without it, Ctrl-C ends it."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

from tests.web.conftest import ServeFactory, http_status


def test_serve_prints_a_link_that_works_and_nothing_else_does(serve: ServeFactory) -> None:
    served = serve()
    token = urlsplit(served.link).path.split("/")[2]
    assert http_status(served.link) == 200
    assert http_status(f"http://127.0.0.1:{served.port}/") == 403
    assert http_status(served.link.replace(token, token[::-1])) == 403
    code, out, err = served.stop()
    assert code == 0
    assert "Warning" not in served.banner
    assert token not in out + err, "the token must appear nowhere but the printed link"
    assert "Traceback" not in err


def test_listening_beyond_this_machine_warns(serve: ServeFactory) -> None:
    served = serve("--host", "0.0.0.0")
    assert served.link.startswith("http://0.0.0.0:")
    assert "Warning: listening on 0.0.0.0: anyone on the network" in " ".join(served.banner.split())
    code, _, _ = served.stop()
    assert code == 0


def test_an_unknown_ref_is_one_sentence(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "retrotui", "serve", "NO-SUCH-REF", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
