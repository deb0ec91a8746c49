"""tag: the contributing factors and free tags of a retrospective."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from retrotui.commands.common import add_db_option, store_from


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "tag",
        help="set a retrospective's contributing factors and tags",
        description="Add or remove contributing factors (from the taxonomy: the shipped "
        "trigger and root-cause categories, extended or replaced by factors.toml in the "
        "config directory) and free tags. With no change, prints what the retrospective "
        "has. Factors are named by id or name, in any case.",
    )
    parser.add_argument(
        "ref", metavar="REF", nargs="?", help="the retrospective (id, id prefix or incident ref)"
    )
    parser.add_argument(
        "--factor", nargs="+", default=[], metavar="NAME", help="contributing factors to add"
    )
    parser.add_argument("--tag", nargs="+", default=[], metavar="NAME", help="tags to add")
    parser.add_argument(
        "--remove-factor", nargs="+", default=[], metavar="NAME", help="factors to remove"
    )
    parser.add_argument(
        "--remove-tag", nargs="+", default=[], metavar="NAME", help="tags to remove"
    )
    parser.add_argument(
        "--list-factors",
        action="store_true",
        help="print the taxonomy of contributing factors (no REF needed)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object instead")
    add_db_option(parser)
    parser.set_defaults(handler=cmd_tag)


def cmd_tag(args: argparse.Namespace) -> int:
    from retrotui.core.factors import default_taxonomy
    from retrotui.errors import UserError
    from retrotui.services.labels import change_labels, labels_of
    from retrotui.services.retros import resolve_ref

    taxonomy = default_taxonomy()
    if args.list_factors:
        if args.json:
            json.dump(
                [f._asdict() for f in taxonomy.factors], sys.stdout, ensure_ascii=False, indent=2
            )
            print()
        else:
            width = max(len(f.id) for f in taxonomy.factors)
            for f in taxonomy.factors:
                group = f" [{f.group}]" if f.group else ""
                print(f"{f.id.ljust(width)}  {f.name}{group}")
        return 0
    if args.ref is None:
        raise UserError("Name the retrospective to tag (REF), or use --list-factors.")
    store = store_from(args, must_exist=True)
    retro = resolve_ref(store, args.ref)
    if args.factor or args.tag or args.remove_factor or args.remove_tag:
        labels = change_labels(
            store,
            retro,
            add_factors=args.factor,
            remove_factors=args.remove_factor,
            add_tags=args.tag,
            remove_tags=args.remove_tag,
            taxonomy=taxonomy,
        )
    else:
        labels = labels_of(store, retro.id)
    if args.json:
        json.dump(
            {"id": retro.id, "factors": list(labels.factors), "tags": list(labels.tags)},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return 0
    from retrotui.formats.lines import one_line

    factors = ", ".join(one_line(taxonomy.name_of(f)) for f in labels.factors) or "none"
    tags = ", ".join(one_line(t) for t in labels.tags) or "none"
    print(f"Contributing factors: {factors}")
    print(f"Tags: {tags}")
    return 0
