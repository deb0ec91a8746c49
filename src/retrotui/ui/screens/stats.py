"""Stats: the figures of `retrotui stats` in the app. Do we do what we agreed, and do
incidents get resolved faster? Follow-through, days to close, open and overdue items by
owner, and time to resolve by severity with a small bar chart of the trend."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Static

from retrotui.core.metrics import format_duration
from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.table import Table
from retrotui.ui.widgets.text import plain, printable

if TYPE_CHECKING:
    from retrotui.core.stats import ResolvePoint, TeamStats
    from retrotui.ui.host import Host

BAR_WIDTH = 20
CHART_ROWS = 3
CHART_CELL = 10  # columns per incident: a bar 8 wide and a gap of 2
EIGHTHS = " ▁▂▃▄▅▆▇█"
NARROW = 100


def bar(rate: float, width: int = BAR_WIDTH) -> str:
    """A text gauge: "██████░░░░" for 0.6."""
    filled = round(max(0.0, min(1.0, rate)) * width)
    return "█" * filled + "░" * (width - filled)


def figures(stats: TeamStats) -> Text:
    """The headline numbers, each explained in the words of `retrotui stats`."""
    ft = stats.follow_through
    text = Text()
    text.append("Follow-through   ", "bold")
    if ft.rate is None:
        text.append("-  no action item has reached its due date yet\n")
    else:
        text.append(f"{ft.rate:.0%}  ", "bold")
        text.append(bar(ft.rate))
        text.append(f"  {ft.on_time} of {ft.measured} done by their due date\n")
        left_out = ft.left_out()
        if left_out:
            text.append(f"{'':17}left out: {', '.join(left_out)}\n", "dim")
    days = stats.median_days_to_close
    text.append("Median to close  ", "bold")
    text.append(("-" if days is None else f"{days:.1f} days") + "  from agreeing an item to done\n")
    text.append("Action items     ", "bold")
    text.append(f"{stats.actions} in {stats.retrospectives} retrospectives · {stats.open} open · ")
    text.append(f"{stats.overdue} overdue", "bold" if stats.overdue else "")
    return text


def trend_summary(severity: str, points: tuple[ResolvePoint, ...]) -> Text:
    values = [p.time_to_resolve for p in points]
    median = timedelta(seconds=statistics.median(v.total_seconds() for v in values))
    line = Text()
    line.append(f"{severity:<5}", "bold")
    line.append(f" {len(points)} incident{'s' if len(points) != 1 else ''}")
    line.append(f" · median {format_duration(median)} · latest {format_duration(values[-1])}")
    return line


def chart_lines(values: list[float], rows: int = CHART_ROWS) -> list[str]:
    """Bars from zero (not from the smallest value, as a sparkline would): a 41-minute
    incident next to a two-hour one looks like a third of it, not like nothing."""
    top = max(values, default=0.0) or 1.0
    eighths = [max(1, round(v / top * rows * 8)) for v in values]
    lines = []
    for row in reversed(range(rows)):
        cells = [EIGHTHS[max(0, min(8, e - row * 8))] * (CHART_CELL - 2) for e in eighths]
        lines.append("  ".join(cells))
    return lines


class ResolveChart(Widget):
    """Time to resolve of each incident of one severity as a bar, oldest on the left, with
    the duration and the date under each bar; only the latest incidents that fit."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"resolve-chart--bar", "resolve-chart--latest"}
    DEFAULT_CSS = f"ResolveChart {{ height: {CHART_ROWS + 3}; }}"

    def __init__(self, points: tuple[ResolvePoint, ...]) -> None:
        super().__init__()
        self.points = points

    def render(self) -> Text:
        fit = max(1, (self.size.width + 2) // CHART_CELL)
        points = self.points[-fit:]
        values = [p.time_to_resolve.total_seconds() for p in points]
        bar_style = self.get_component_rich_style("resolve-chart--bar", partial=True)
        latest = self.get_component_rich_style("resolve-chart--latest", partial=True)
        width = CHART_CELL - 2
        text = Text()
        for line in chart_lines(values):
            # The newest incident in its own colour: is it better or worse than before?
            text.append(line[:-width], bar_style)
            text.append(line[-width:] + "\n", latest)
        text.append(
            "  ".join(format_duration(p.time_to_resolve)[:width].ljust(width) for p in points)
            + "\n"
        )
        text.append("  ".join(f"{p.started:%b %d}".ljust(width) for p in points) + "\n", "dim")
        for index, point in enumerate(points):
            label = " ".join(printable(point.incident_ref or point.title).split())
            text.append(("  " if index else "") + label[:width].ljust(width), "dim")
        return text


class OwnerTable(Table[Text]):
    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {"owner-table--overdue"}


class StatsScreen(Screen[None]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="stats.back", tooltip="Back to the last screen"),
        Binding(
            "o",
            "follow_up",
            "Follow-up",
            id="stats.follow_up",
            tooltip="Every action item across retrospectives",
        ),
        Binding("r", "reload", "Refresh", id="stats.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stats: TeamStats | None = None

    def compose(self) -> ComposeResult:
        yield Static("Stats: follow-through and incidents across retrospectives", id="stats-title")
        with VerticalScroll(id="stats-body"):
            yield Static("Counting…", id="stats-figures")
            with Horizontal(id="stats-columns"):
                with Vertical(id="stats-owners-box"):
                    yield Static("Open action items by owner", classes="stats-heading")
                    yield OwnerTable(id="stats-owners", cursor_type="row", zebra_stripes=True)
                    yield Static("enter lists that owner's items", classes="muted")
                with Vertical(id="stats-resolve-box"):
                    yield Static(
                        "Time to resolve by severity, oldest to newest incident",
                        classes="stats-heading",
                    )
                    yield Vertical(id="stats-trends")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OwnerTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.stats is not None:
            self.reload()

    def on_resize(self) -> None:
        self.query_one("#stats-columns").set_class(self.size.width < NARROW, "-narrow")

    def reload(self) -> None:
        from retrotui.services.stats import load_team_stats

        today = self.app.today
        self.app.submit(lambda store: load_team_stats(store, today=today), self.show_stats)

    async def show_stats(self, stats: TeamStats) -> None:
        self.stats = stats
        self.query_one("#stats-figures", Static).update(figures(stats))
        self.fill_owners(stats)
        trends = self.query_one("#stats-trends", Vertical)
        await trends.remove_children()
        await trends.mount_all(self.trend_widgets(stats))

    def fill_owners(self, stats: TeamStats) -> None:
        table = self.query_one(OwnerTable)
        selected = table.cursor_row
        # Columns again too: DataTable keeps the header's old widths after a plain clear().
        table.clear(columns=True)
        table.add_columns("Owner", "Open", "Overdue")
        late = table.get_component_rich_style("owner-table--overdue", partial=True)
        for load in stats.by_owner:
            table.add_row(
                plain(load.owner),
                Text(str(load.open), justify="right"),
                Text(str(load.overdue), style=late if load.overdue else "dim", justify="right"),
                key=load.owner,
            )
        if not stats.by_owner:
            table.add_row(Text("nothing open", "dim"), Text(""), Text(""))
        table.move_cursor(row=min(selected, max(table.row_count - 1, 0)))

    def trend_widgets(self, stats: TeamStats) -> list[Widget]:
        if not stats.resolve_by_severity:
            return [
                Static(
                    "No retrospective has both a start and a resolution time yet.",
                    classes="muted",
                )
            ]
        widgets: list[Widget] = []
        for severity, points in stats.resolve_by_severity.items():
            chart = ResolveChart(points)
            chart.tooltip = "One bar per incident, oldest on the left; taller took longer."
            widgets.append(
                Vertical(
                    Static(trend_summary(severity, points)),
                    chart,
                    classes="severity-trend",
                )
            )
        return widgets

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_follow_up(str(event.row_key.value))

    def open_follow_up(self, owner: str | None = None) -> None:
        from retrotui.ui.screens.followup import FollowUpScreen

        self.app.push_screen(FollowUpScreen(owner=owner))

    def action_follow_up(self) -> None:
        self.open_follow_up()

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
