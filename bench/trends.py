"""Trends figure (issue #16): `retrotui trends` over 1,000 retrospectives against
`retrotui list` on the same database, both as the processes a user runs, alternated in
the same run; medians of RUNS each. Goal: trends <= 1.5x list.

The database: 1,000 retrospectives over two years, each with a severity, milestones (a
fifth without a mitigation time, a tenth with none, whose times come from timeline
events), one to three contributing factors, four action items (12 verbs x 20 subjects, half
with one of 200 service names: some overdue, many alike across retrospectives) and 30
timeline events (100 for every tenth)."""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from retrotui.core.factors import default_taxonomy
from retrotui.models import (
    ActionItem,
    RetroLabel,
    Retrospective,
    TimelineEvent,
    new_ids,
)
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, insert_rows

RETROS = 1000
RUNS = 7
VERBS = [
    "Alert on",
    "Add a runbook for",
    "Load test",
    "Document",
    "Automate the check of",
    "Cap retries around",
    "Add a dashboard for",
    "Review ownership of",
    "Rate-limit",
    "Add a canary stage for",
    "Page the owning team on",
    "Write a postmortem template for",
]
OBJECTS = [
    "connection pool saturation",
    "queue consumer lag",
    "certificate expiry",
    "disk usage on database hosts",
    "cache hit ratio",
    "DNS resolution failures",
    "config pushes",
    "feature flag changes",
    "autoscaler limits",
    "replica lag",
    "payment gateway timeouts",
    "batch job concurrency",
    "identity provider quotas",
    "deploy rollbacks",
    "search indexer backlog",
    "memory pressure on workers",
    "TLS handshake errors",
    "load balancer health checks",
    "cron job overlaps",
    "schema migrations",
]


def action_title(rng: random.Random) -> str:
    """A remediation as teams write them: a verb, what it is about, often the service;
    the same verb and subject come back now and then (what the figure looks for)."""
    title = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return title + (f" in svc{rng.randrange(200)}" if rng.random() < 0.5 else "")


def build(path: Path) -> None:
    store = Store.open(url_for_path(path))
    rng = random.Random(16)
    factors = [f.id for f in default_taxonomy().factors]
    now = datetime.now(UTC)
    base = now - timedelta(days=730)
    retros, labels, actions, events = [], [], [], []
    for n, rid in enumerate(new_ids(RETROS)):
        start = base + timedelta(hours=n * 17.5)
        milestones = n % 10 != 0
        stamps = {"created_at": start + timedelta(days=2), "updated_at": now}
        retros.append(
            {
                "id": rid,
                **stamps,
                "title": f"Incident {n}",
                "incident_ref": f"INC-{n:04d}",
                "severity": f"SEV{rng.randint(1, 4)}",
                "status": "published",
                "template": "standard",
                "started_at": start if milestones else None,
                "detected_at": start + timedelta(minutes=rng.randint(1, 90))
                if milestones
                else None,
                "mitigated_at": (
                    start + timedelta(minutes=rng.randint(30, 300))
                    if milestones and n % 5
                    else None
                ),
                "resolved_at": start + timedelta(minutes=rng.randint(60, 900))
                if milestones
                else None,
                "summary": "s",
                "impact": "i",
                "current_stage": 6,
            }
        )
        for k, factor in enumerate(rng.sample(factors, rng.randint(1, 3))):
            labels.append(
                {
                    "id": f"{rid}-f{k}",
                    **stamps,
                    "retro_id": rid,
                    "position": k,
                    "kind": "factor",
                    "name": factor,
                }
            )
        for k in range(4):
            title = action_title(rng)
            actions.append(
                {
                    "id": f"{rid}-a{k}",
                    **stamps,
                    "retro_id": rid,
                    "position": k,
                    "title": title,
                    "description": "",
                    "owner": "Team",
                    "due": (start + timedelta(days=30)).date(),
                    "priority": "medium",
                    "status": rng.choice(["open", "in_progress", "done", "wont_do"]),
                    "ticket": "",
                }
            )
        kinds = ["trigger", "detection", "mitigation", "resolution"] + ["action"] * 96
        for k, eid in enumerate(new_ids(100 if n % 10 == 0 else 30)):
            events.append(
                {
                    "id": eid,
                    **stamps,
                    "retro_id": rid,
                    "position": k,
                    "time": start + timedelta(minutes=7 * k),
                    "text": f"event {k}",
                    "kind": kinds[k],
                    "actor": "pager",
                    "source": "bench",
                    "key": False,
                }
            )
    with store.writing() as session:
        insert_rows(session, Retrospective, retros)
        insert_rows(session, RetroLabel, labels)
        insert_rows(session, ActionItem, actions)
        insert_rows(session, TimelineEvent, events)
    store.close()


def _run(db: Path, *command: str) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds (user + system) of one `retrotui` process.

    With bytecode caching on, as an installed retrotui runs (pip compiles at install):
    with PYTHONDONTWRITEBYTECODE set, every run would compile each module it imports
    again, and trends imports a few more than list. The cache goes to a folder of the
    run (PYTHONPYCACHEPREFIX), not into the source tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(db.parent / "pycache")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "retrotui", "--db", str(db), *command],
        check=True,
        capture_output=True,
        env=env,
    )
    wall = (time.perf_counter() - begin) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def figure_trends() -> dict[str, object]:
    """Medians of RUNS alternated runs of each; the ratio of the wall-clock medians is the
    figure, the CPU-time ratio is beside it because the machine is shared (other work
    stretches wall-clock times, less so the CPU a process itself used)."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "trends.db"
        build(db)
        _run(db, "trends")  # warm the file cache and the bytecode for both
        _run(db, "list")
        trends, listing = [], []
        for _ in range(RUNS):  # alternate so machine noise hits both alike
            trends.append(_run(db, "trends"))
            listing.append(_run(db, "list"))
        json_ms = statistics.median(_run(db, "trends", "--json")[0] for _ in range(3))
    wall = statistics.median(w for w, _ in trends), statistics.median(w for w, _ in listing)
    cpu = statistics.median(c for _, c in trends), statistics.median(c for _, c in listing)
    return {
        "retros": RETROS,
        "runs": RUNS,
        "trends_median_ms": round(wall[0], 1),
        "trends_cpu_median_ms": round(cpu[0], 1),
        "trends_json_median_ms": round(json_ms, 1),
        "baseline": {
            "name": "retrotui list, same database",
            "median_ms": round(wall[1], 1),
            "cpu_median_ms": round(cpu[1], 1),
        },
        "ratio": round(wall[0] / wall[1], 2),
        "cpu_ratio": round(cpu[0] / cpu[1], 2),
        "today": date.today().isoformat(),
        "goal": "trends <= 1.5x list",
    }


if __name__ == "__main__":
    import json

    print(json.dumps(figure_trends(), indent=2))
