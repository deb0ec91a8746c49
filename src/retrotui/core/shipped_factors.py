"""The shipped contributing factors (`retrotui/data/factors.toml`) as Python.

Commands read these when the team has no factors.toml of its own, so they need no TOML
parser (importing tomllib and parsing the file cost more than the rest of reading the
taxonomy). The TOML file stays the one to edit and to read: after changing it, copy its
factors here; tests/unit/test_factors.py fails while the two differ and prints the lines.
"""

# (id, name, group, hint), in the file's order.
FACTORS: tuple[tuple[str, str, str, str], ...] = (
    ("binary-push", "Binary push", "Trigger", "A new build of a program was rolled out."),
    ("config-push", "Configuration push", "Trigger", "A configuration change was rolled out."),
    (
        "user-behaviour-change",
        "User behaviour change",
        "Trigger",
        "Users started doing something new or doing much more of it.",
    ),
    (
        "processing-pipeline",
        "Processing pipeline",
        "Trigger",
        "A batch or data pipeline did something unexpected.",
    ),
    ("provider-change", "Provider change", "Trigger", "A service or vendor we depend on changed."),
    (
        "performance-decay",
        "Performance decay",
        "Trigger",
        "Something got slowly worse until it broke.",
    ),
    (
        "capacity",
        "Capacity management",
        "Trigger",
        "We ran out of something: machines, quota, disk, connections.",
    ),
    ("hardware", "Hardware", "Trigger", "A machine, disk or network device failed."),
    ("software", "Software", "Root cause", "A bug: the code did not do what was meant."),
    (
        "development-process",
        "Development process failure",
        "Root cause",
        "Review, testing or release practice let the problem through.",
    ),
    (
        "complex-system-behaviour",
        "Complex system behaviour",
        "Root cause",
        "Parts that each worked combined into a failure.",
    ),
    (
        "deployment-planning",
        "Deployment planning",
        "Root cause",
        "How or when the change was rolled out made it worse.",
    ),
    ("network", "Network failure", "Root cause", "The network between parts failed or misbehaved."),
)
