"""Reads for the reviewers' pages: the status board of a year, one report under review, the list of years.

Each function makes a fixed number of queries whatever the number of agencies (tests/review/test_board.py).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.urls import reverse
from django.utils.formats import number_format

from assignments.models import (
    AGENCY_GROUP_ORDER,
    Agency,
    AgencyGroup,
    Directive,
    ReportingYear,
    TaskGroup,
    former_district_q,
    kinds_of,
)
from reports import figures
from reports.models import Report, ReportVersion, ReviewComment, TaskReport
from reports.selectors import indicator_targets
from reports.snapshots import snapshot_diff
from review import vietnamese
from review.models import Reminder

State = Report.State

# The order of the reporting cycle, for sorting the board by state.
STATE_ORDER = [State.NOT_STARTED, State.DRAFT, State.RETURNED, State.SUBMITTED, State.ACCEPTED]

def _agency_name(report: Report) -> tuple:
    return vietnamese.sort_key(report.agency.name)


# Each sort: the column's value (None sorts last whichever the direction), whether it starts descending, and
# the order of reports with the same value. Names sort in Vietnamese alphabetical order, so sorting happens here
# rather than in the database, whose collation differs between SQLite and PostgreSQL and between servers.
SORTS = {
    "agency": (lambda r: r.agency.position, False, _agency_name),
    "name": (_agency_name, False, lambda r: r.agency.position),
    "state": (lambda r: r.state_order, False, lambda r: (r.agency.position, _agency_name(r))),
    "submitted": (lambda r: r.submitted_at, False, lambda r: r.agency.position),
    "late": (lambda r: r.days_late, True, lambda r: r.agency.position),
    "reminder": (lambda r: r.last_reminder_day, True, lambda r: r.agency.position),
}


# Headings of the board and of the heat map: the group of the agency's kind, and within communes and wards (when
# sorted by agency) the former district they were formed from.
GROUPS_BY_DISTRICT = (AgencyGroup.COMMUNE, AgencyGroup.WARD)


def agency_heading(agency: Agency, *, by_district: bool) -> tuple[str, str]:
    """The (group of kinds, former district) an agency is listed under; the district only when asked for."""
    group = agency.kind_group
    district = agency.former_district.strip() if by_district and group in GROUPS_BY_DISTRICT else ""
    return group, district


def heading_key(agency: Agency, *, by_district: bool) -> tuple:
    """The order of the headings: the groups in their order (AgencyGroup), the districts alphabetically."""
    group, district = agency_heading(agency, by_district=by_district)
    return AGENCY_GROUP_ORDER.get(group, len(AGENCY_GROUP_ORDER)), district == "", vietnamese.sort_key(district)


def group_under_headings(items: list, agency_of, *, by_district: bool) -> list:
    """The items (already in their order) gathered under their headings, keeping their order within each.

    Each item gets `heading_group` (its AgencyGroup label), `heading_district` and `heading_size` (how many of
    the items fall under the same heading), for the templates' {% ifchanged %} rows."""
    ordered = sorted(items, key=lambda item: heading_key(agency_of(item), by_district=by_district))  # stable
    headings = [agency_heading(agency_of(item), by_district=by_district) for item in ordered]
    sizes = Counter(headings)
    group_sizes = Counter(group for group, _district in headings)
    for item, (group, district) in zip(ordered, headings, strict=True):
        item.heading_group = AgencyGroup(group).label
        item.heading_district = district
        item.heading_size = sizes[(group, district)]
        item.heading_group_size = group_sizes[group]
    return ordered


def former_districts(*reporting_years: ReportingYear) -> list[str]:
    """Every former district the agencies owing a report in these years were formed from, each once (a commune
    formed from two districts gives both), in Vietnamese alphabetical order. One query."""
    values = (
        Agency.objects.filter(reports__reporting_year__in=reporting_years)
        .exclude(former_district="")
        .values_list("former_district", flat=True)
        .distinct()
    )
    found = {d.strip() for value in values for d in value.split(";") if d.strip()}
    return sorted(found, key=vietnamese.sort_key)


def reporting_year_by_number(year: int) -> ReportingYear | None:
    """The reporting year with this number (of the most recent document, should two documents share a year)."""
    return (
        ReportingYear.objects.filter(year=year)
        .select_related("directive", "directive__implements", "consolidating_agency")
        .order_by("-directive__issued_on", "-pk")
        .first()
    )


def task_groups_of(reporting_year: ReportingYear) -> list[TaskGroup]:
    return list(TaskGroup.objects.filter(directive=reporting_year.directive).order_by("number"))


def board_reports(
    reporting_year: ReportingYear,
    *,
    state: str = "",
    kind: str = "",
    district: str = "",
    group: TaskGroup | None = None,
    search: str = "",
    sort: str = "agency",
    descending: bool = False,
) -> list[Report]:
    """Every report of the year with its agency, its last reminder and its number of submissions, in one query.

    `kind` is a kind of agency or a group of kinds (assignments.models.AgencyGroup); `district` a former district.
    The reports come sorted under their headings (`group_under_headings`): the groups of kinds, and the former
    districts within communes and wards when sorted by agency."""
    reminders = Reminder.objects.filter(report=OuterRef("pk")).order_by("-day", "-created_at", "-pk")
    versions = (
        ReportVersion.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reports = (
        Report.objects.filter(reporting_year=reporting_year)
        .select_related("agency")
        .annotate(
            last_reminder_day=Subquery(reminders.values("day")[:1]),
            last_reminder_kind=Subquery(reminders.values("kind")[:1]),
            submissions=Subquery(versions, output_field=IntegerField()),
            state_order=Case(
                *[When(state=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)],
                default=Value(len(STATE_ORDER)),
                output_field=IntegerField(),
            ),
        )
    )
    if state:
        reports = reports.filter(state=state)
    if kind:
        reports = reports.filter(agency__kind__in=kinds_of(kind))
    if district:
        reports = reports.filter(former_district_q(district, "agency__former_district"))
    if group is not None:
        reports = reports.filter(Exists(TaskReport.objects.filter(report=OuterRef("pk"), task__group=group)))
    found = [
        r
        for r in reports.order_by("pk")
        if not search or vietnamese.matches(search, r.agency.name, r.agency.short_name)
    ]
    value, starts_descending, tie = SORTS.get(sort, SORTS["agency"])
    found.sort(key=tie)
    with_value = [r for r in found if value(r) is not None]
    with_value.sort(key=value, reverse=starts_descending != descending)  # stable: ties keep their order
    in_order = with_value + [r for r in found if value(r) is None]
    return group_under_headings(in_order, lambda r: r.agency, by_district=sort not in SORTS or sort == "agency")


def board_summary(reporting_year: ReportingYear) -> figures.YearFigures:
    """The figures of the year (reports.figures), in one query."""
    return figures.for_year(reporting_year)


# --- One report under review -------------------------------------------------------------------------------


@dataclass
class ReviewTask:
    """One task of the submitted version, with what the reviewer needs beside it."""

    data: dict  # the task as frozen in the snapshot
    answer: TaskReport | None  # the live row that carries the reviewer's rating
    comments: list[ReviewComment] = field(default_factory=list)
    changes: list = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.data["code"]

    @property
    def status_label(self) -> str:
        code = self.data.get("status") or ""
        return str(TaskReport.Status(code).label) if code in TaskReport.Status.values else ""


@dataclass
class ReviewData:
    report: Report
    versions: list[ReportVersion]
    latest: ReportVersion | None
    compared: ReportVersion | None
    tasks: list[ReviewTask]
    report_comments: list[ReviewComment]
    changes: list
    reminders: list[Reminder]
    documents: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)

    @property
    def changed_sections(self) -> set[str]:
        return {c.section for c in self.changes}

    @property
    def unrated(self) -> int:
        return sum(1 for t in self.tasks if t.answer is not None and not t.answer.review_rating)


def _evidence_url(report: Report, evidence_id) -> str:
    return reverse("reports:evidence_download", kwargs={"pk": report.pk, "evidence_pk": evidence_id})


def _number(text) -> str:
    if text in ("", None):
        return ""
    try:
        return number_format(Decimal(str(text)), use_l10n=True, force_grouping=True)
    except (InvalidOperation, ValueError):
        return str(text)


def review_data(report: Report, *, compare_with: int | None = None) -> ReviewData:
    """The latest submitted version of the report, laid out for review, and its differences from an earlier one.

    Long because it lays out the whole review page (tasks, answers, differences, targets, files, reminders) from a fixed number of queries; split up, each piece would fetch again."""
    versions = list(
        ReportVersion.objects.filter(report=report)
        .select_related("submitted_by")
        .defer("snapshot")
        .order_by("number")
    )
    latest = compared = None
    if versions:
        wanted = {versions[-1].number}
        earlier = [v.number for v in versions[:-1]]
        compare_number = compare_with if compare_with in earlier else (earlier[-1] if earlier else None)
        if compare_number is not None:
            wanted.add(compare_number)
        snapshots = dict(
            ReportVersion.objects.filter(report=report, number__in=wanted).values_list("number", "snapshot")
        )
        for v in versions:
            if v.number in snapshots:
                v.snapshot = snapshots[v.number]
        latest = versions[-1]
        compared = next((v for v in versions if v.number == compare_number), None)

    answers = {
        tr.task_id: tr
        for tr in TaskReport.objects.filter(report=report).select_related("task").order_by("task__code")
    }
    comments = list(
        ReviewComment.objects.filter(report=report)
        .select_related("author", "task", "version")
        .order_by("created_at", "pk")
    )
    by_task: dict[int, list[ReviewComment]] = {}
    for c in comments:
        if c.task_id:
            by_task.setdefault(c.task_id, []).append(c)

    changes = snapshot_diff(compared.snapshot, latest.snapshot) if (latest and compared) else []
    changes_by_section: dict[str, list] = {}
    for change in changes:
        changes_by_section.setdefault(change.section, []).append(change)

    tasks = []
    snapshot = latest.snapshot if latest else {"tasks": []}
    targets = indicator_targets(report.reporting_year)
    for data in snapshot.get("tasks", []):
        tasks.append(
            ReviewTask(
                data=data,
                answer=answers.get(data["task_id"]),
                comments=by_task.get(data["task_id"], []),
                changes=changes_by_section.get(data["code"], []),
                indicators=[
                    {
                        **i,
                        "value_text": _number(i.get("value", "")),
                        "target_text": _number(format(targets[i["indicator_id"]].value.normalize(), "f"))
                        if i["indicator_id"] in targets
                        else "",
                    }
                    for i in data.get("indicators", [])
                ],
                evidence=[{**e, "url": _evidence_url(report, e["id"])} for e in data.get("evidence", [])],
            )
        )
    reminders = list(
        Reminder.objects.filter(report=report)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:10]
    )
    return ReviewData(
        report=report,
        versions=versions,
        latest=latest,
        compared=compared,
        tasks=tasks,
        report_comments=[c for c in comments if not c.task_id],
        changes=changes,
        reminders=reminders,
        documents=[{**d, "issued_on": _iso_date(d.get("issued_on"))} for d in snapshot.get("documents", [])],
        activities=[
            {**a, "held_on": _iso_date(a.get("held_on")), "participants_text": _number(a.get("participants"))}
            for a in snapshot.get("activities", [])
        ],
    )


def _iso_date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


# --- Years ------------------------------------------------------------------------------------------------


def years_with_counts(today: datetime.date | None = None) -> list[ReportingYear]:
    """Every year with its reporting-rate counts and what the confirmations of closing and archiving say.

    `days_left` is the number of days to the deadline (negative once passed); a closed year carries `pending`,
    its reports not accepted yet, which archiving would leave as they are. Two queries, however many years.
    """
    years = list(
        ReportingYear.objects.select_related("directive", "directive__implements", "consolidating_agency")
        .annotate(
            **figures.aggregates("expected", "submitted", "accepted", through="reports__"),
            awaiting=figures.aggregates("awaiting_review", through="reports__")["awaiting_review"],
        )
        .order_by("-year", "-pk")
    )
    pending: dict[int, list[Report]] = {}
    for report in (
        Report.objects.filter(reporting_year__state=ReportingYear.State.CLOSED)
        .exclude(state=State.ACCEPTED)
        .select_related("agency")
        .order_by("agency__position", "agency__name", "pk")
    ):
        pending.setdefault(report.reporting_year_id, []).append(report)
    for year in years:
        year.days_left = year.days_to_deadline(today)
        year.not_in = year.expected - year.submitted
        year.pending = pending.get(year.pk, [])
    return years


def next_to_review(report: Report) -> Report | None:
    """The report of the same year that has waited longest for review, other than this one."""
    return (
        Report.objects.filter(reporting_year=report.reporting_year, state=Report.State.SUBMITTED)
        .exclude(pk=report.pk)
        .select_related("agency")
        .order_by("submitted_at", "pk")
        .first()
    )


def reports_for_review():
    """The reports as the review page reads them (access is checked by reports.access on this queryset)."""
    return Report.objects.select_related(
        "agency",
        "reporting_year",
        "reporting_year__directive",
        "reporting_year__consolidating_agency",
        "submitted_by",
        "accepted_by",
    )


def answer_ids(report: Report) -> list[int]:
    """The ids of the report's task answers: one review form each."""
    return list(TaskReport.objects.filter(report=report).values_list("pk", flat=True))


def latest_year() -> ReportingYear | None:
    return ReportingYear.objects.select_related("directive").order_by("-year", "-pk").first()


def directive_for_new_year(latest: ReportingYear | None) -> Directive | None:
    """The directive a new reporting year follows: the latest year's, else the newest directive with tasks."""
    if latest is not None:
        return latest.directive
    return Directive.objects.filter(task_groups__isnull=False).distinct().order_by("-pk").first()


def reports_owed(reporting_year: ReportingYear) -> int:
    return reporting_year.reports.count()


def year_numbers() -> list[int]:
    """Every reporting year's number, newest first (the board's year switcher)."""
    return list(ReportingYear.objects.order_by("-year").values_list("year", flat=True).distinct())


def report_ids_of(reporting_year: ReportingYear) -> list[int]:
    """The ids of the year's reports: any may be ticked on the board, the service refuses those not awaiting review."""
    return list(Report.objects.filter(reporting_year=reporting_year).values_list("pk", flat=True))
