"""Trends: the patterns of `retrotui trends` in the app. Which contributing factors keep
coming back, month by month (or quarter by quarter), with their open and overdue action
items; the remediations proposed again; and the median times per severity with the
number of incidents each median is over."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.table import Table
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.factors import Taxonomy
    from retrotui.core.trends import Period, Trends
    from retrotui.ui.host import Host

NARROW = 100
MAX_GROUPS = 10  # groups of alike action items shown, the biggest first
MAX_GROUP_ITEMS = 5
NO_RETROS = "No retrospectives yet: press n on the home screen to start one, or D for the demo."
NO_FACTORS = (
    "No retrospective has a contributing factor yet: add them in a meeting's Wrap-up "
    "stage, or with `retrotui tag REF --factor NAME`."
)
STATUS_WORDS = {"open": "open", "in_progress": "in progress", "done": "done", "wont_do": "won't do"}


class FactorTable(Table[Text]):
    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {
        "factor-table--overdue",
        "factor-table--chart",
    }


class TrendsScreen(Screen[None]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="trends.back", tooltip="Back to the last screen"),
        Binding(
            "m",
            "toggle_period",
            "Month/quarter",
            id="trends.period",
            tooltip="Count incidents per month or per quarter",
        ),
        Binding("r", "reload", "Refresh", id="trends.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.by: Period = "month"
        self.trends: Trends | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            "Trends: contributing factors, recurring actions and incident times",
            id="trends-title",
        )
        with VerticalScroll(id="trends-body"):
            yield Static("Counting…", id="trends-summary")
            yield Static("Contributing factors", classes="trends-heading")
            yield Static("", id="trends-legend", classes="muted")
            yield FactorTable(id="trends-factors", cursor_type="row", zebra_stripes=True)
            yield Static("Recurring factors", classes="trends-heading")
            yield Static("", id="trends-recurring")
            yield Static("Action items proposed again", classes="trends-heading")
            yield Static("", id="trends-alike")
            yield Static(
                "Median time from the start, by severity (n: incidents the median is over)",
                classes="trends-heading",
            )
            yield Static("", id="trends-times")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FactorTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.trends is not None:
            self.reload()

    def reload(self) -> None:
        from retrotui.services.trends import load_trends

        today, by = self.app.today, self.by
        self.app.submit(lambda store: load_trends(store, today=today, by=by), self.show_trends)

    def show_trends(self, trends: Trends) -> None:
        from retrotui.core.factors import default_taxonomy

        self.trends = trends
        taxonomy = default_taxonomy()
        if not trends.incidents:
            self.query_one("#trends-summary", Static).update(NO_RETROS)
        else:
            other = "quarter" if trends.by == "month" else "month"
            self.query_one("#trends-summary", Static).update(
                f"{trends.incidents} incident{'s' if trends.incidents != 1 else ''}, "
                f"{trends.with_factors} with contributing factors · counted by {trends.by} "
                f"(m: by {other})"
            )
        for widget in self.query(".trends-heading, #trends-recurring, #trends-alike"):
            widget.display = bool(trends.incidents)
        self.query_one("#trends-times").display = bool(trends.incidents)
        self.fill_factors(trends, taxonomy)
        self.query_one("#trends-recurring", Static).update(self.recurring_text(trends, taxonomy))
        self.query_one("#trends-alike", Static).update(self.alike_text(trends))
        self.query_one("#trends-times", Static).update(self.times_text(trends))

    def chart_cells(self) -> int:
        return 12 if self.size.width < NARROW else 24

    def fill_factors(self, trends: Trends, taxonomy: Taxonomy) -> None:
        from retrotui.core.trends import chart

        table = self.query_one(FactorTable)
        legend = self.query_one("#trends-legend", Static)
        selected = table.cursor_row
        table.clear(columns=True)
        table.display = bool(trends.factors)
        if not trends.factors:
            legend.update(NO_FACTORS if trends.incidents else "")
            legend.display = bool(trends.incidents)
            return
        shown = trends.periods[-self.chart_cells() :]
        legend.display = True
        legend.update(
            f"Chart: one cell per {trends.by}, {shown[0]} to {shown[-1]}; · none, "
            f"█ {trends.busiest} incident{'s' if trends.busiest != 1 else ''}"
        )
        table.add_columns("Factor", "Incidents", "Open", "Overdue", "Chart", "Which")
        late = table.get_component_rich_style("factor-table--overdue", partial=True)
        bars = table.get_component_rich_style("factor-table--chart", partial=True)
        for f in trends.factors:
            refs = ", ".join(i.ref for i in f.incidents)
            table.add_row(
                plain(taxonomy.name_of(f.factor)),
                Text(str(f.count), justify="right"),
                Text(str(f.open_actions), justify="right"),
                Text(
                    str(f.overdue_actions),
                    style=late if f.overdue_actions else "dim",
                    justify="right",
                ),
                Text(chart(f.per_period[-len(shown) :], trends.busiest), style=bars),
                plain(refs if len(refs) <= 60 else refs[:59] + "…"),
                key=f.factor,
            )
        table.move_cursor(row=min(selected, table.row_count - 1))

    def recurring_text(self, trends: Trends, taxonomy: Taxonomy) -> Text:
        if not trends.factors:
            return Text("None yet.", "dim")
        if not trends.recurring:
            return Text("None yet: every factor is in one incident only.", "dim")
        names = [taxonomy.name_of(f.factor) for f in trends.recurring]
        width = max(len(name) for name in names)
        text = Text()
        for n, (f, name) in enumerate(zip(trends.recurring, names, strict=True)):
            text.append(("\n" if n else "") + f"{f.count:>3}  ", "bold")
            text.append_text(plain(name.ljust(width)))
            text.append(f"  ({f.open_actions} open, {f.overdue_actions} overdue)", "dim")
        return text

    def alike_text(self, trends: Trends) -> Text:
        if not trends.alike_actions:
            return Text("None: no action item looks like one from another retrospective.", "dim")
        shown = trends.alike_actions[:MAX_GROUPS]
        width = max(len(a.incident.ref) for g in shown for a in g[:MAX_GROUP_ITEMS])
        text = Text()
        for n, group in enumerate(shown):
            for index, alike in enumerate(group[:MAX_GROUP_ITEMS]):
                text.append("\n" if n or index else "")
                text.append("• " if index == 0 else "  ", "bold")
                text.append_text(plain(alike.incident.ref.ljust(width)))
                status = STATUS_WORDS.get(alike.action.status, alike.action.status)
                text.append(f"  {status:<11}  ", "dim")
                text.append_text(plain(alike.action.title))
            if len(group) > MAX_GROUP_ITEMS:
                text.append(f"\n    … and {len(group) - MAX_GROUP_ITEMS} more like it", "dim")
        if len(trends.alike_actions) > MAX_GROUPS:
            more = len(trends.alike_actions) - MAX_GROUPS
            text.append(f"\n… and {more} more groups (`retrotui trends --json`)", "dim")
        return text

    def times_text(self, trends: Trends) -> Text:
        from retrotui.core.trends import describe_median

        text = Text(f"{'Severity':<9} {'Incidents':>9}  {'Detect':<16}  {'Mitigate':<16}  Resolve")
        text.stylize("bold")
        for t in trends.times:
            text.append(
                f"\n{t.severity:<9} {t.incidents:>9}  {describe_median(t.time_to_detect):<16}  "
                f"{describe_median(t.time_to_mitigate):<16}  {describe_median(t.time_to_resolve)}"
            )
        return text

    def action_toggle_period(self) -> None:
        self.by = "quarter" if self.by == "month" else "month"
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
