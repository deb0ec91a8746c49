"""Templates as their authors meet them: the shipped ones, user ones, and broken ones that
must say which file, which line and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrotui.errors import UserError
from retrotui.formats.markdown import _BLOCKS
from retrotui.formats.templates import (
    BLOCK_FIELDS,
    STAGE_KEYS,
    BlockField,
    load_template,
    read_template,
    scan_templates,
    template_names,
    user_dir,
)
from retrotui.models import Severity

SHIPPED = ("standard", "lightweight", "security", "deep-dive")
STANDARD = Path(__file__).resolve().parents[2] / "templates" / "standard.md"


def test_shipped_templates_all_load_with_six_timeboxed_stages() -> None:
    """Every shipped template has a description, sections, and prompts and minutes for
    each of the six stages."""
    assert set(SHIPPED) <= set(template_names())
    for name in SHIPPED:
        template = load_template(name)
        assert template.description and template.sections
        assert sorted(template.stage_prompts) == [1, 2, 3, 4, 5, 6]
        assert all(template.stage_prompts[n] for n in range(1, 7))
        assert all(1 <= template.stage_timebox_minutes[n] <= 240 for n in range(1, 7))


def test_deep_dive_has_the_sections_a_sev1_needs() -> None:
    """deep-dive: contributing factors, went well / wrong / lucky, 5 Whys; meant for SEV1."""
    template = load_template("deep-dive")
    for section in ("Contributing factors", "What went well", "Where we got lucky", "5 Whys"):
        assert section in template.sections
    assert template.severities == (Severity.SEV1,)
    assert template.total_minutes > load_template("standard").total_minutes


def test_lightweight_is_shorter_than_standard() -> None:
    """lightweight, for small incidents, takes less meeting time than standard."""
    assert load_template("lightweight").total_minutes < load_template("standard").total_minutes


def test_every_placeholder_has_a_renderer() -> None:
    """The placeholders templates may use are exactly the blocks the renderer makes."""
    assert set(_BLOCKS) == BLOCK_FIELDS


def test_sub_headings_go_one_level_below_their_section() -> None:
    """{{notes}} under a level-2 heading gets level-3 group headings."""
    chunks = load_template("standard").chunks
    assert BlockField("notes", 3) in chunks


def write_user_template(name: str, text: str) -> Path:
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_templates_are_listed_and_override_shipped_ones() -> None:
    """A file in the config directory is a template; one named like a shipped one wins."""
    text = STANDARD.read_text(encoding="utf-8")
    write_user_template("payments", text.replace("## Impact", "## Customer impact"))
    write_user_template("standard", text.replace('description = "', 'description = "Ours: '))
    assert "payments" in template_names()
    assert "Customer impact" in load_template("payments").sections
    ours = load_template("standard")
    assert not ours.builtin and ours.description.startswith("Ours:")


def test_unknown_template_names_the_ones_there_are() -> None:
    """Asking for a missing template lists the available names."""
    with pytest.raises(UserError, match=r"no template named 'nope'.*standard"):
        load_template("nope")


BROKEN = {
    "no front matter": ("# {{title}}\n", 1, "starts with a +++ line"),
    "unclosed front matter": ("+++\ndescription = 'x'\n# {{title}}\n", 1, "never closed"),
    "bad toml": ("+++\ndescription = 'x'\nstages = [\n+++\n", 4, "not valid TOML"),
    "bad toml value": ("+++\ndescription = x\n+++\n", 2, "not valid TOML (Invalid value)"),
    "unknown key": (
        "+++\ndescription = 'x'\ntimebox = 3\n+++\n",
        3,
        "unknown front matter key 'timebox'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_front_matter_names_file_line_and_problem(tmp_path: Path, case: str) -> None:
    """Front matter mistakes are reported with the file, the line and what is wrong."""
    text, line, problem = BROKEN[case]
    path = tmp_path / "mine.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as raised:
        read_template(path)
    message = str(raised.value)
    assert str(path) in message and f"line {line}:" in message and problem in message


def standard_with(old: str, new: str, tmp_path: Path) -> Path:
    text = STANDARD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mine.md"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "needle", "problem"),
    [
        ("minutes = 20", "minutes = 0", "minutes = 0", "between 1 and 240 minutes"),
        ("minutes = 20", 'minutes = "20"', 'minutes = "20"', "whole number of minutes"),
        (
            "[stages.discussion]",
            "[stages.discusion]",
            "[stages.discusion]",
            "unknown stage 'discusion'",
        ),
        ("{{timeline}}", "{{timelin}}", "{{timelin}}", "unknown placeholder {{timelin}}"),
        ("{{timeline}}", "See {{timeline}}", "See {{timeline}}", "must stand alone"),
        ("## Impact", "## Impact <b>now</b>", "<b>now</b>", "raw HTML"),
        ("{{summary}}", "<div>\n{{summary}}\n</div>", "<div>", "raw HTML"),
        ("{{summary}}", "Title: {{title}}", "Title: {{title}}", "only be used in a heading"),
        ('severities = ["SEV2"]', 'severities = ["SEV9"]', "SEV9", "'severities' may only hold"),
    ],
)
def test_broken_template_points_at_the_offending_line(
    tmp_path: Path, old: str, new: str, needle: str, problem: str
) -> None:
    """Mistakes in stages, placeholders and HTML name the exact line of the file."""
    path = standard_with(old, new, tmp_path)
    with pytest.raises(UserError) as raised:
        read_template(path)
    assert f"{path}, line {line_of(path, needle)}: " in str(raised.value)
    assert problem in str(raised.value)


def test_missing_stage_is_named(tmp_path: Path) -> None:
    """A template without one of the six stages says which one."""
    text = STANDARD.read_text(encoding="utf-8")
    start = text.index("[stages.whys]")
    end = text.index("[stages.actions]")
    path = tmp_path / "mine.md"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(UserError, match=r"line 1: the front matter has no \[stages.whys\] table"):
        read_template(path)


def test_placeholder_in_a_code_block_stays_text(tmp_path: Path) -> None:
    """Template authors can show a placeholder in a code block without it being replaced."""
    path = standard_with("## Impact", "```\n{{timeline}} {{title}}\n```\n\n## Impact", tmp_path)
    template = read_template(path)
    literal = "".join(
        part
        for chunk in template.chunks
        if isinstance(chunk, tuple)
        for part in chunk
        if isinstance(part, str)
    )
    assert "```\n{{timeline}} {{title}}\n```" in literal


def test_scan_reports_broken_user_templates_and_keeps_good_ones() -> None:
    """One broken user template does not hide the others."""
    write_user_template("broken", "no front matter\n")
    good, broken = scan_templates()
    assert set(SHIPPED) <= {t.name for t in good}
    assert len(broken) == 1 and "broken.md, line 1" in str(broken[0])


def test_stage_keys_cover_the_six_meeting_stages() -> None:
    """Stages 1..6 are prepare, timeline, discussion, whys, actions, wrap-up."""
    assert list(STAGE_KEYS.values()) == [
        "prepare",
        "timeline",
        "discussion",
        "whys",
        "actions",
        "wrap-up",
    ]
