"""The figures behind the dashboards, read from the database in a fixed number of queries.

What a leader sees of an agency's report: its state and timeliness always; its answers (status of each task,
indicator values, the reviewer's rating) only once it is handed in, that is submitted or accepted, when the live
rows are the submitted version and read-only. A returned report is being corrected by its agency: it shows as
returned and its figures do not count until it is submitted again. A draft's content is never read here.

Every function takes a `Scope` (year, kind of agency or group of kinds, former district, task group) so that the page, its table views and its CSV
downloads all count the same reports the same way.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from assignments.models import (
    Indicator,
    IndicatorTarget,
    ReportingYear,
    Task,
    TaskGroup,
    former_district_q,
    kinds_of,
)
from reports import figures
from reports.models import IndicatorValue, Report, TaskReport
from reports.selectors import pick_current_year
from review.selectors import group_under_headings

State = Report.State
Status = TaskReport.Status
Rating = TaskReport.Rating


percent = figures.percent


@dataclass(frozen=True)
class Scope:
    """Which reports the dashboards count: one reporting year, optionally one kind of agency (or a group of kinds,
    assignments.models.AgencyGroup), one former district and one task group.

    With a task group, an agency counts when its report carries at least one task of that group. With a former
    district, a commune or ward counts when it was formed, wholly or partly, from that district.
    """

    reporting_year: ReportingYear
    kind: str = ""
    group: TaskGroup | None = None
    district: str = ""

    def reports(self, *, all_years: bool = False) -> QuerySet[Report]:
        reports = Report.objects.filter(reporting_year__directive_id=self.reporting_year.directive_id)
        if not all_years:
            reports = reports.filter(reporting_year_id=self.reporting_year.pk)
        if self.kind:
            reports = reports.filter(agency__kind__in=kinds_of(self.kind))
        if self.district:
            reports = reports.filter(former_district_q(self.district, "agency__former_district"))
        if self.group is not None:
            reports = reports.filter(
                Exists(TaskReport.objects.filter(report=OuterRef("pk"), task__group_id=self.group.pk))
            )
        return reports

    def handed_in(self, *, all_years: bool = False) -> QuerySet[Report]:
        return self.reports(all_years=all_years).filter(state__in=Report.SUBMITTED_STATES)

    def tasks(self) -> QuerySet[Task]:
        tasks = Task.objects.filter(group__directive_id=self.reporting_year.directive_id).select_related(
            "group"
        )
        if self.group is not None:
            tasks = tasks.filter(group_id=self.group.pk)
        return tasks.order_by("group__number", "position")


def years_of(reporting_year: ReportingYear) -> list[ReportingYear]:
    """Every reporting year of the same document, oldest first."""
    return list(ReportingYear.objects.filter(directive_id=reporting_year.directive_id).order_by("year"))


def years_and_task_groups() -> tuple[list[ReportingYear], dict[int, list[TaskGroup]]]:
    """Every reporting year, newest first, and the task groups of each directive: what the filters offer. Two
    queries; the dashboard keeps the answer for a generation of the data (portal.cache)."""
    years = list(ReportingYear.objects.select_related("directive__implements").order_by("-year", "pk"))
    groups: dict[int, list[TaskGroup]] = {}
    for group in TaskGroup.objects.order_by("directive_id", "number"):
        groups.setdefault(group.directive_id, []).append(group)
    return years, groups


def reporting_years(years: list[ReportingYear]) -> tuple[ReportingYear | None, list[ReportingYear]]:
    """The year to show first (reports.selectors.pick_current_year), and every year of its document, oldest first."""
    default = pick_current_year(years)
    if default is None:
        return None, []
    return default, sorted((y for y in years if y.directive_id == default.directive_id), key=lambda y: y.year)


# --- Headline figures ----------------------------------------------------------------------------------------


@dataclass
class Headline(figures.YearFigures):
    """The year at a glance (reports.figures), with the days to its deadline."""

    reporting_year: ReportingYear | None = None
    today: datetime.date | None = None

    @property
    def days_to_deadline(self) -> int:
        return self.reporting_year.days_to_deadline(self.today)

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_to_deadline)

    @property
    def is_past_deadline(self) -> bool:
        return self.days_to_deadline < 0


def headline(scope: Scope, *, today: datetime.date | None = None) -> Headline:
    counts = figures.of_reports(scope.reports()).counts()
    counts.pop("not_submitted")
    return Headline(reporting_year=scope.reporting_year, today=today or timezone.localdate(), **counts)


# --- Heat map: agencies × tasks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """What one cell of the heat map says, and how it looks: a colour, an icon and a short label for the eye."""

    code: str
    label: str
    short: str
    icon: str


# In the order the progress chart stacks them: best first.
CATEGORIES = [
    Category(
        Status.COMPLETED,
        Status.COMPLETED.label,
        pgettext_lazy("short task status", "Done"),
        "bi-check-circle-fill",
    ),
    Category(
        Status.RECURRING,
        Status.RECURRING.label,
        pgettext_lazy("short task status", "Ongoing"),
        "bi-arrow-repeat",
    ),
    Category(
        Status.IN_PROGRESS,
        Status.IN_PROGRESS.label,
        pgettext_lazy("short task status", "Under way"),
        "bi-hourglass-split",
    ),
    Category(
        Status.NOT_STARTED,
        Status.NOT_STARTED.label,
        pgettext_lazy("short task status", "Not begun"),
        "bi-dash-circle",
    ),
    # The report is not handed in: its state is shown, never its content.
    Category(
        "report_returned",
        State.RETURNED.label,
        pgettext_lazy("short task status", "Returned"),
        "bi-arrow-return-left",
    ),
    Category("report_draft", State.DRAFT.label, pgettext_lazy("short task status", "Drafting"), "bi-pencil"),
    Category(
        "report_not_started",
        State.NOT_STARTED.label,
        pgettext_lazy("short task status", "Not filed"),
        "bi-hourglass",
    ),
]
CATEGORY = {c.code: c for c in CATEGORIES}
# A handed-in answer without a status cannot be submitted through the portal, but an administrator could clear one.
NO_STATUS = Category(
    "no_status", _("No status given"), pgettext_lazy("short task status", "No status"), "bi-question-circle"
)
CATEGORY[NO_STATUS.code] = NO_STATUS
# Categories that mean "nothing handed in to read yet", for the progress chart's last stack.
NOT_HANDED_IN = ("report_returned", "report_draft", "report_not_started")

RATING_ICONS = {
    Rating.DONE: "bi-patch-check-fill",
    Rating.IN_PROGRESS: "bi-patch-minus",
    Rating.BEHIND: "bi-patch-exclamation-fill",
    Rating.NOT_DONE: "bi-patch-question",
}
RATING_SHORT = {
    Rating.DONE: pgettext_lazy("short rating", "Done"),
    Rating.IN_PROGRESS: pgettext_lazy("short rating", "Under way"),
    Rating.BEHIND: pgettext_lazy("short rating", "Behind"),
    Rating.NOT_DONE: pgettext_lazy("short rating", "Not done"),
}


@dataclass
class Cell:
    report: Report
    task: Task
    category: Category
    rating: str = ""
    url: str = ""

    @property
    def description(self) -> str:
        """The cell in words, for screen readers and as a tooltip."""
        text = gettext("%(agency)s, task %(code)s: %(status)s") % {
            "agency": self.report.agency.name,
            "code": self.task.code,
            "status": self.category.label,
        }
        if self.rating:
            text += "; " + gettext("reviewer’s rating: %(rating)s") % {"rating": self.rating_label}
        return text

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label if self.rating in Rating.values else ""

    @property
    def rating_short(self) -> str:
        return RATING_SHORT.get(self.rating, "")

    @property
    def rating_icon(self) -> str:
        return RATING_ICONS.get(self.rating, "")


@dataclass
class HeatRow:
    report: Report
    url: str
    cells: list[Cell | None]


@dataclass
class HeatMap:
    tasks: list[Task]
    rows: list[HeatRow]
    group_spans: list[tuple[TaskGroup, int]] = field(default_factory=list)

    def page(self, number, size: int) -> tuple[HeatMap, Page]:
        """The rows of one page (the page shows a bounded number of agencies, whatever the province has), as a
        heat map of its own with the same columns, and the page (its number, the number of pages)."""
        page = Paginator(self.rows, size).get_page(number)
        return HeatMap(tasks=self.tasks, rows=list(page.object_list), group_spans=self.group_spans), page

    def cells(self):
        for row in self.rows:
            for cell in row.cells:
                if cell is not None:
                    yield cell

    def categories_used(self) -> list[Category]:
        used = {cell.category.code for cell in self.cells()}
        return [c for c in [*CATEGORIES, NO_STATUS] if c.code in used]


def _category_for(report: Report, status: str) -> Category:
    if report.state in Report.SUBMITTED_STATES:
        return CATEGORY.get(status, NO_STATUS)
    return CATEGORY[f"report_{report.state}"]


def heat_map(scope: Scope) -> HeatMap:
    """One row per agency that owes a report, one column per task; a cell where the agency carries the task.

    The rows come under the headings of the board (review.selectors.group_under_headings): Sở, ban, ngành, then
    the communes and the wards by former district."""
    reports = list(
        scope.reports().select_related("agency").order_by("agency__position", "agency__name", "pk")
    )
    tasks = list(scope.tasks())
    column = {task.pk: i for i, task in enumerate(tasks)}
    answers = (
        TaskReport.objects.filter(report__in=scope.reports(), task_id__in=column)
        .values_list("report_id", "task_id", "status", "review_rating")
        .order_by()
    )
    by_report: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for report_id, task_id, status, rating in answers:
        by_report[report_id].append((task_id, status, rating))

    rows = []
    for report in reports:
        url = reverse("reports:detail", args=[report.pk])
        cells: list[Cell | None] = [None] * len(tasks)
        handed_in = report.state in Report.SUBMITTED_STATES
        for task_id, status, rating in by_report.get(report.pk, ()):
            cells[column[task_id]] = Cell(
                report=report,
                task=tasks[column[task_id]],
                # Only a handed-in report's answers are read: a draft's or a returned report's are the agency's own.
                category=_category_for(report, status if handed_in else ""),
                rating=rating if handed_in else "",
                # Straight to the task's section of the report (reports.templatetags.report_tags.task_anchor).
                url=f"{url}#task-{tasks[column[task_id]].code.replace('.', '-')}" if handed_in else url,
            )
        rows.append(HeatRow(report=report, url=url, cells=cells))
    rows = group_under_headings(rows, lambda row: row.report.agency, by_district=True)

    spans: list[tuple[TaskGroup, int]] = []
    for task in tasks:
        if spans and spans[-1][0].pk == task.group_id:
            spans[-1] = (spans[-1][0], spans[-1][1] + 1)
        else:
            spans.append((task.group, 1))
    return HeatMap(tasks=tasks, rows=rows, group_spans=spans)


# --- Progress per task group ---------------------------------------------------------------------------------


@dataclass
class Progress:
    """How many of the assigned agencies report each status, for a task group or one of its tasks."""

    group: TaskGroup
    task: Task | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def not_handed_in(self) -> int:
        return sum(self.counts.get(code, 0) for code in NOT_HANDED_IN)

    def count(self, code: str) -> int:
        return self.counts.get(code, 0)


# The columns of the progress chart and table: four statuses read from handed-in reports, then the rest.
PROGRESS_COLUMNS = [Status.COMPLETED, Status.RECURRING, Status.IN_PROGRESS, Status.NOT_STARTED]


def task_progress(heat: HeatMap) -> list[Progress]:
    """Per task group, then per task of it: counted from the same cells the heat map shows."""
    per_task: dict[int, dict[str, int]] = {task.pk: defaultdict(int) for task in heat.tasks}
    for cell in heat.cells():
        per_task[cell.task.pk][cell.category.code] += 1
    rows = []
    for group, _span in heat.group_spans:
        group_tasks = [t for t in heat.tasks if t.group_id == group.pk]
        totals: dict[str, int] = defaultdict(int)
        for task in group_tasks:
            for code, n in per_task[task.pk].items():
                totals[code] += n
        rows.append(Progress(group=group, task=None, counts=dict(totals)))
        rows += [Progress(group=group, task=task, counts=dict(per_task[task.pk])) for task in group_tasks]
    return rows


# --- Indicators ----------------------------------------------------------------------------------------------


@dataclass
class YearValue:
    year: int
    total: Decimal | None
    target: Decimal | None
    values: int = 0  # agencies that gave a value

    @property
    def percent_of_target(self) -> int | None:
        return percent(self.total, self.target)


@dataclass
class AgencyValue:
    agency_name: str
    value: Decimal
    note: str = ""


@dataclass
class IndicatorSummary:
    indicator: Indicator
    year: int
    answers: int  # handed-in answers that carry this indicator
    trend: list[YearValue]
    by_agency: list[AgencyValue]

    @property
    def sums(self) -> bool:
        return self.indicator.aggregation == Indicator.Aggregation.SUM

    @property
    def current(self) -> YearValue:
        return next(v for v in self.trend if v.year == self.year)


def indicator_summaries(scope: Scope, years: list[ReportingYear]) -> list[IndicatorSummary]:
    """Each indicator's provincial total (or values per agency) against the year's target, and over the years.

    Totals add the values of handed-in reports only; an indicator "per agency only" has no total.
    Long because it reads the indicators, the targets, the totals per year and the values per agency once each
    (four queries) and folds them in one pass.
    """
    indicators = list(
        Indicator.objects.filter(task__group__directive_id=scope.reporting_year.directive_id)
        .filter(**({"task__group_id": scope.group.pk} if scope.group else {}))
        .select_related("task")
        .order_by("task__group__number", "task__position", "position", "pk")
    )
    ids = [i.pk for i in indicators]
    targets = {
        (indicator_id, year): value
        for indicator_id, year, value in IndicatorTarget.objects.filter(indicator_id__in=ids).values_list(
            "indicator_id", "year", "value"
        )
    }
    totals: dict[tuple[int, int], dict] = {}
    for row in (
        IndicatorValue.objects.filter(
            task_report__report__in=scope.handed_in(all_years=True), indicator_id__in=ids
        )
        .values("indicator_id", "task_report__report__reporting_year__year")
        .annotate(total=Sum("value"), values=Count("value"), answers=Count("pk"))
        .order_by()
    ):
        totals[(row["indicator_id"], row["task_report__report__reporting_year__year"])] = row
    by_agency: dict[int, list[AgencyValue]] = defaultdict(list)
    for indicator_id, name, value, note in (
        IndicatorValue.objects.filter(
            task_report__report__in=scope.handed_in(), indicator_id__in=ids, value__isnull=False
        )
        .order_by("task_report__report__agency__position", "task_report__report__agency__name", "pk")
        .values_list("indicator_id", "task_report__report__agency__name", "value", "note")
    ):
        by_agency[indicator_id].append(AgencyValue(agency_name=name, value=value, note=note))

    summaries = []
    for indicator in indicators:
        trend = []
        for reporting_year in years:
            row = totals.get((indicator.pk, reporting_year.year), {})
            sums = indicator.aggregation == Indicator.Aggregation.SUM and row.get("values")
            trend.append(
                YearValue(
                    year=reporting_year.year,
                    total=row["total"] if sums else None,
                    target=targets.get((indicator.pk, reporting_year.year)),
                    values=row.get("values", 0),
                )
            )
        summaries.append(
            IndicatorSummary(
                indicator=indicator,
                year=scope.reporting_year.year,
                answers=totals.get((indicator.pk, scope.reporting_year.year), {}).get("answers", 0),
                trend=trend,
                by_agency=by_agency.get(indicator.pk, []),
            )
        )
    return summaries


# --- Trend across years ---------------------------------------------------------------------------------------


@dataclass
class YearRate(figures.YearFigures):
    reporting_year: ReportingYear | None = None

    @property
    def year(self) -> int:
        return self.reporting_year.year


def year_rates(scope: Scope, years: list[ReportingYear]) -> list[YearRate]:
    """Submission and on-time rates of every reporting year, in one query, for the same kind of agency and group."""
    keep = ("expected", "submitted", "on_time", "late", "accepted")
    counts = {
        row["reporting_year_id"]: row
        for row in scope.reports(all_years=True)
        .values("reporting_year_id")
        .annotate(**figures.aggregates(*keep))
        .order_by()
    }
    return [YearRate(reporting_year=y, **{k: counts.get(y.pk, {}).get(k, 0) for k in keep}) for y in years]
