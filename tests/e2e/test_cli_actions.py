"""`retrotui actions` as a user runs it: every format, filters, and bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from markdown_it import MarkdownIt

from retrotui.models import ActionItem, ActionStatus, Retrospective, Severity
from retrotui.store.repository import Store
from tests.e2e.conftest import Result, Runner

# The CLI uses the real date, so the data is laid out around it.
TODAY = date.today()
NASTY = 'Roll back, then "verify"\nline two, with commas'


@pytest.fixture
def db(db_url: str) -> str:
    """Two retrospectives with items open, overdue, done and won't-do (on each engine)."""
    store = Store.open(db_url)
    old = store.add(
        Retrospective(
            title="Checkout down, again",
            incident_ref="INC-1",
            severity=Severity.SEV1,
            created_at=datetime.now(UTC) - timedelta(days=60),
        )
    )
    new = store.add(Retrospective(title="Search stale", incident_ref="INC 2"))

    def add(retro: Retrospective, title: str, days: int | None, **kw: object) -> None:
        due = None if days is None else TODAY + timedelta(days=days)
        store.add(ActionItem(retro_id=retro.id, title=title, due=due, **kw))  # type: ignore[arg-type]

    add(old, "Alert on pool saturation", -5, owner="Platform team", priority="high")
    add(old, "=HYPERLINK(evil)", 3, owner="Ana", description=NASTY, ticket="OPS-9")
    add(old, "Pin the batch job", -9, owner="Ana", status=ActionStatus.DONE)
    add(new, "Skip bad records", 10, owner="ana", status=ActionStatus.IN_PROGRESS)
    add(new, "Rewrite the indexer", None, status=ActionStatus.WONT_DO)
    store.close()
    return db_url


def assert_clean_failure(result: Result, phrase: str) -> None:
    """Exit 2, one sentence naming the problem on stderr, nothing on stdout, no traceback."""
    assert result.code == 2, result
    assert phrase.lower() in result.err.lower()
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""


def test_table_lists_open_items_soonest_first(cli: Runner, db: str) -> None:
    """The default table shows open items by due date, overdue ones flagged with days late."""
    result = cli("actions", db=db)
    assert result.code == 0
    header, *rows = result.out.splitlines()
    assert header.split()[:3] == ["DUE", "STATUS", "FLAGS"]
    assert [r.split("  ")[-1].strip() for r in rows] == [
        "Alert on pool saturation",
        "=HYPERLINK(evil)",
        "Skip bad records",
    ]
    assert "!5d" in rows[0] and "INC-1" in rows[0]
    assert "overdue" in result.err  # the legend stays off stdout


def test_json_with_filters(cli: Runner, db: str) -> None:
    """--all --owner (any case) --retro REF narrows the list; JSON carries the flags."""
    result = cli(
        "actions", "--all", "--owner", "ANA", "--retro", "inc-1", "--format", "json", db=db
    )
    items = json.loads(result.out)
    assert [i["title"] for i in items] == ["Pin the batch job", "=HYPERLINK(evil)"]
    done = items[0]
    assert done["status"] == "done" and done["overdue"] is False
    assert done["retro"]["incident_ref"] == "INC-1"
    overdue = json.loads(cli("actions", "--overdue", "--format", "json", db=db).out)
    assert [(i["title"], i["days_overdue"]) for i in overdue] == [("Alert on pool saturation", 5)]


def test_csv_reads_back_with_jira_columns(cli: Runner, db: str) -> None:
    """CSV has Jira's import headers; commas, quotes and newlines survive csv.reader."""
    result = cli("actions", "--all", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(result.out, newline="")))
    assert list(rows[0]) == ["Summary", "Description", "Assignee", "Due Date", "Priority", "Labels"]
    assert len(rows) == 5
    nasty = next(r for r in rows if r["Assignee"] == "Ana" and NASTY in r["Description"])
    assert nasty["Description"].startswith(NASTY + "\n\n")
    assert "INC-1" in nasty["Description"] and "OPS-9" in nasty["Description"]
    assert nasty["Summary"] == "'=HYPERLINK(evil)"  # not run as a spreadsheet formula
    assert nasty["Due Date"] == (TODAY + timedelta(days=3)).isoformat()
    high = next(r for r in rows if r["Summary"] == "Alert on pool saturation")
    assert high["Priority"] == "High"
    assert high["Labels"].split() == ["retrospective", "INC-1", "SEV1"]
    undated = next(r for r in rows if r["Summary"] == "Rewrite the indexer")
    assert undated["Due Date"] == "" and undated["Labels"].split() == ["retrospective", "INC-2"]


def test_markdown_is_a_task_list(cli: Runner, db: str) -> None:
    """markdown gives one GFM task item per action, ticked when closed, text kept inert."""
    result = cli("actions", "--all", "--format", "markdown", db=db)
    lines = result.out.splitlines()
    assert len(lines) == 5
    assert all(line.startswith(("- [ ] ", "- [x] ")) for line in lines)
    assert sum(line.startswith("- [x] ") for line in lines) == 2
    assert "~~Rewrite the indexer~~" in result.out
    assert "**overdue by 5 days**" in result.out
    tokens = MarkdownIt("commonmark").parse(result.out)
    assert [t.type for t in tokens].count("list_item_open") == 5
    assert not any(t.type in ("heading_open", "html_block", "link_open") for t in tokens)


def test_empty_result_says_so_on_stderr(cli: Runner, db: str) -> None:
    """An owner nobody has is not an error: nothing on stdout, a note on stderr."""
    result = cli("actions", "--owner", "Zoe", db=db)
    assert result.code == 0 and result.out == "" and "No open action items" in result.err


def test_overdue_fail_exits_3_when_anything_is_overdue(cli: Runner, db: str) -> None:
    """--overdue --fail: status 3 with the overdue items listed (as JSON with --json)."""
    result = cli("actions", "--overdue", "--fail", "--json", db=db)
    assert result.code == 3, result
    assert [item["title"] for item in json.loads(result.out)] == ["Alert on pool saturation"]
    assert "Traceback" not in result.err
    table = cli("actions", "--overdue", "--fail", db=db)
    assert table.code == 3 and "Alert on pool saturation" in table.out


def test_overdue_fail_exits_0_when_nothing_is_overdue(cli: Runner, db: str) -> None:
    """Nothing overdue (another owner's items, or another retro's): status 0."""
    result = cli("actions", "--overdue", "--fail", "--json", "--retro", "INC 2", db=db)
    assert result.code == 0, result
    assert json.loads(result.out) == []
    assert cli("actions", "--overdue", "--fail", "--owner", "Zoe", db=db).code == 0
    # Without --fail an overdue list is still a success.
    assert cli("actions", "--overdue", db=db).code == 0


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (("--retro", "INC-404"), "No retrospective"),
        (("--format", "xml"), "invalid choice: 'xml'"),
        (("--open", "--all"), "not allowed with"),
    ],
)
def test_bad_input_is_one_sentence(
    cli: Runner, db: str, args: tuple[str, ...], phrase: str
) -> None:
    """Unknown REF, bad format or two scopes: exit 2, one sentence, no traceback."""
    assert_clean_failure(cli("actions", *args, db=db), phrase)


def test_help(cli: Runner) -> None:
    """--help explains every option."""
    result = cli("actions", "--help", db=None)
    assert result.code == 0
    for option in (
        "--open",
        "--overdue",
        "--all",
        "--owner",
        "--retro",
        "--format",
        "csv",
        "--fail",
    ):
        assert option in result.out
