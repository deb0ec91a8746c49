"""templates: list the retrospective templates, or show one's sections, prompts and timeboxes."""

from __future__ import annotations

import argparse
from typing import Any

from retrotui.commands.common import info


def register(sub: argparse._SubParsersAction[Any]) -> None:
    templates = sub.add_parser(
        "templates",
        help="list the retrospective templates, or show one",
        description="List the templates (shipped ones and your own in the config "
        "directory's templates/ folder), or show one template's sections, stage prompts "
        "and timeboxes. A broken template is reported with its file and line.",
    )
    templates.add_argument("name", metavar="NAME", nargs="?", help="show this template")
    templates.set_defaults(handler=cmd_templates)


def cmd_templates(args: argparse.Namespace) -> int:
    from retrotui.formats.templates import load_template, scan_templates, user_dir

    if args.name is not None:
        _show(load_template(args.name))
        return 0
    good, broken = scan_templates()
    width = max((len(t.name) for t in good), default=0)
    for template in good:
        origin = "built-in" if template.builtin else "yours"
        print(
            f"{template.name:<{width}}  {origin:<8}  {template.total_minutes:>3} min  "
            f"{template.description}"
        )
    for error in broken:
        info(f"retrotui: {error}")
    if not good and not broken:
        info("retrotui: no templates found.")
    info(f"Add your own as NAME.md in {user_dir()} (see `retrotui templates standard`).")
    return 2 if broken else 0


def _show(template: Any) -> None:
    from retrotui.core.agenda import STAGE_TITLES

    origin = "built-in" if template.builtin else "yours"
    print(f"{template.name} ({origin}): {template.description}")
    print(f"File: {template.path}")
    if template.severities:
        print(f"Suggested for: {', '.join(template.severities)}")
    print("Sections: " + "; ".join(template.sections))
    print(f"Stages ({template.total_minutes} min):")
    for number, title in STAGE_TITLES.items():
        print(f"  {number}. {title} ({template.stage_timebox_minutes[number]} min)")
        for prompt in template.stage_prompts[number]:
            print(f"     - {prompt}")
