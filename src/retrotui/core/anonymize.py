"""Anonymizing an export: each participant's name becomes their role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from retrotui.models import Participant


def participant_labels(participants: Iterable[Participant]) -> dict[str, str]:
    """Each participant's name -> their role as a label ("Moderator", "Observer 2").

    A role held by several people is numbered in participant order, so the document can
    still tell them apart. A name listed twice keeps its first label.
    """
    people = [p for p in participants if p.name.strip()]
    per_role: dict[str, int] = {}
    for person in people:
        per_role[person.role] = per_role.get(person.role, 0) + 1
    seen: dict[str, int] = {}
    labels: dict[str, str] = {}
    for person in people:
        label = person.role.replace("_", " ").capitalize()
        if per_role[person.role] > 1:
            seen[person.role] = seen.get(person.role, 0) + 1
            label = f"{label} {seen[person.role]}"
        labels.setdefault(person.name.strip(), label)
    return labels


def name_redactor(labels: dict[str, str]) -> Callable[[str], str]:
    """Replace each name, wherever it appears as a whole word, with its label.

    Longer names first, so "Ana Lima" is replaced before "Ana". Case-sensitive: names are
    proper nouns, and ignoring case would also replace ordinary words ("Will", "will").
    """
    if not labels:
        return lambda text: text
    names = sorted(labels, key=lambda name: (-len(name), name))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")

    def redact(text: str) -> str:
        return pattern.sub(lambda match: labels[match.group()], text) if text else text

    return redact
