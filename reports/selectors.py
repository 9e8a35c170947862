"""Reads that several pages share."""

import datetime
from dataclasses import dataclass, field

from assignments.catalogue import catalogue
from assignments.models import Agency, AgencySuccession, IndicatorTarget, ReportingYear
from audit.models import AuditEntry
from portal.reads import CompiledRead
from reports.models import (
    CommunicationActivity,
    Evidence,
    IndicatorValue,
    IssuedDocument,
    Report,
    ReportVersion,
    ReviewComment,
    TaskReport,
)


def pick_current_year(years) -> ReportingYear | None:
    """The year being worked on: the earliest year still open (its reports are due first), else the latest.

    Opening next year early does not move anybody away from this year's reports while they are still due.
    """
    years = list(years)
    open_years = [y for y in years if y.state == ReportingYear.State.OPEN]
    if open_years:
        return min(open_years, key=lambda y: (y.year, y.pk))
    return max(years, key=lambda y: (y.year, y.pk), default=None)


def current_year(directive=None) -> ReportingYear | None:
    years = ReportingYear.objects.select_related("directive", "directive__implements", "consolidating_agency")
    if directive is not None:
        years = years.filter(directive=directive)
    return pick_current_year(years)


def reports_for_agencies(agency_ids, *, reporting_year=None):
    qs = Report.objects.filter(agency_id__in=agency_ids).select_related("agency", "reporting_year")
    if reporting_year is not None:
        qs = qs.filter(reporting_year=reporting_year)
    return qs.order_by("-reporting_year__year", "agency__position", "agency__name")


def reports_to_write(agency_ids, current) -> list[Report]:
    """The reports an agency user's home page shows: every report of an open year (two years can be open at once),
    oldest year first, else the current year's."""
    open_years = reports_for_agencies(agency_ids).filter(reporting_year__state=ReportingYear.State.OPEN)
    reports = sorted(open_years, key=lambda r: (r.reporting_year.year, r.agency.position, r.agency.name))
    return reports or list(reports_for_agencies(agency_ids, reporting_year=current))


# --- One agency's report: the pages that write and read it -----------------------------------------------------


def agency_lineage(agency_id: int) -> list[int]:
    """The agency and every agency it took over by renaming or merger, however many steps back (one query a step).

    A transfer of some functions (SPLIT_INTO) is not followed: the receiving agency carries on its own work and
    only part of the other's."""
    seen = [agency_id]
    frontier = {agency_id}
    for _step in range(10):  # reorganisations chain a few steps at most; the bound guards against a loop
        found = set(
            AgencySuccession.objects.filter(
                successor_id__in=frontier,
                kind__in=[AgencySuccession.Kind.RENAMED_TO, AgencySuccession.Kind.MERGED_INTO],
            ).values_list("predecessor_id", flat=True)
        ) - set(seen)
        if not found:
            break
        seen.extend(sorted(found))
        frontier = found
    return seen


def previous_reports_for(report: Report) -> list[Report]:
    """The reports to copy from: those of the latest earlier year of the same directive written by the agency
    or by the agencies it took over (a renamed agency's first year starts from its former name's report; an
    agency formed by a merger from those of the agencies merged). The agency's own report comes first."""
    lineage = agency_lineage(report.agency_id)
    earlier = Report.objects.filter(
        agency_id__in=lineage,
        reporting_year__directive_id=report.reporting_year.directive_id,
        reporting_year__year__lt=report.reporting_year.year,
    ).select_related("reporting_year", "agency")
    found = list(earlier.order_by("-reporting_year__year", "agency__position", "agency__name"))
    if not found:
        return []
    latest = found[0].reporting_year.year
    same_year = [r for r in found if r.reporting_year.year == latest]
    return sorted(same_year, key=lambda r: r.agency_id != report.agency_id)


@dataclass
class AnswerToEdit:
    """One task's answer as the report form edits it: the answer with its task, its indicator values (each with its
    indicator, in the indicator's order) and its current evidence files."""

    answer: TaskReport
    values: list[IndicatorValue]
    evidence: list[Evidence]


# What the report form reads on every visit, each compiled to SQL once per process (portal.reads).
_answers_of = CompiledRead(lambda report_id: TaskReport.objects.filter(report_id=report_id).order_by())
_values_of = CompiledRead(lambda report_id: IndicatorValue.objects.filter(task_report__report_id=report_id).order_by())
_evidence_of = CompiledRead(
    lambda report_id: Evidence.objects.filter(task_report__report_id=report_id).order_by("uploaded_at", "pk")
)
documents_of = CompiledRead(lambda report_id: IssuedDocument.objects.filter(report_id=report_id))
activities_of = CompiledRead(lambda report_id: CommunicationActivity.objects.filter(report_id=report_id))


def task_answers_for_editing(report: Report) -> list[AnswerToEdit]:
    """The report's task answers in the directive's order: three plain queries (answers, values, evidence). Tasks,
    groups and indicators come from the catalogue (assignments.catalogue), so no query joins or orders by them."""
    answers = _answers_of(report.pk)
    ids = [answer.pk for answer in answers]
    values = _values_of(report.pk)
    known = catalogue(task_ids=[a.task_id for a in answers], indicator_ids=[v.indicator_id for v in values])
    for value in values:
        value.indicator = known.indicators[value.indicator_id]
    by_answer: dict[int, list[IndicatorValue]] = {pk: [] for pk in ids}
    for value in sorted(values, key=lambda v: (v.indicator.position, v.indicator_id)):
        by_answer[value.task_report_id].append(value)
    files: dict[int, list[Evidence]] = {pk: [] for pk in ids}
    for file in _evidence_of(report.pk):
        files[file.task_report_id].append(file)
    for answer in answers:
        answer.task = known.tasks[answer.task_id]
    answers.sort(key=lambda a: (a.task.group.number, a.task.position))
    return [
        AnswerToEdit(answer=answer, values=by_answer[answer.pk], evidence=files[answer.pk]) for answer in answers
    ]


def indicator_targets(reporting_year: ReportingYear) -> dict[int, IndicatorTarget]:
    """This year's target of every indicator that has one, by indicator id (from the catalogue)."""
    return catalogue().targets_of(reporting_year.year)


@dataclass
class ReviewRound:
    """The reviewers' comments on the latest submitted version: on the whole report, and task by task."""

    version: ReportVersion | None = None
    general: list[ReviewComment] = field(default_factory=list)
    by_task: dict[str, list[ReviewComment]] = field(default_factory=dict)
    # The reviewer's rating of each task (the task's answer, by task code), once the report is returned or accepted.
    ratings: dict[str, TaskReport] = field(default_factory=dict)

    def __bool__(self):
        return bool(self.general or self.by_task or self.ratings)


# A rating reaches the agency with the reviewer's decision; while a report is under review it is still a draft.
RATINGS_SHOWN_IN = (Report.State.RETURNED, Report.State.ACCEPTED)


def review_round(
    report: Report, *, version: ReportVersion | None = None, ratings: bool = False
) -> ReviewRound:
    """Comments of one version (by default the latest); two queries. With `ratings`, and once the report is returned
    or accepted, the reviewer's rating of each task too (one more query)."""
    if version is None:
        version = report.versions.order_by("-number").first()
    if version is None:
        return ReviewRound()
    result = ReviewRound(version=version)
    if ratings and report.state in RATINGS_SHOWN_IN:
        result.ratings = {
            answer.task.code: answer
            for answer in report.task_reports.exclude(review_rating="").select_related("task")
        }
    comments = (
        ReviewComment.objects.filter(report=report, version=version)
        .select_related("author", "task")
        .order_by("created_at", "pk")
    )
    for comment in comments:
        if comment.task_id is None:
            result.general.append(comment)
        else:
            result.by_task.setdefault(comment.task.code, []).append(comment)
    return result


def report_versions(report: Report) -> list[ReportVersion]:
    return list(report.versions.select_related("submitted_by").order_by("-number"))


def latest_version(report: Report) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def version_of(report: Report, number: int) -> ReportVersion | None:
    return report.versions.select_related("submitted_by").filter(number=number).first()


def version_count(report: Report) -> int:
    return report.versions.count()


def evidence_of(report: Report, evidence_pk: int):
    """A file of the report, removed ones included (a submitted version may still list it)."""
    return Evidence.all_objects.filter(pk=evidence_pk, task_report__report=report).first()


def history_of(report: Report):
    """Every audit entry of the report, newest first, for paging."""
    return AuditEntry.objects.filter(report=report).select_related("actor").order_by("-created_at", "-pk")


# --- The agency's earlier years, along its lineage --------------------------------------------------------


@dataclass
class EarlierYear:
    year: int
    agency_name: str
    by_predecessor: bool  # written by an agency this one took over (renamed or merged into it)
    state: str
    days_late: int | None
    report_pk: int


@dataclass
class AgencyHistory:
    """How the agency reported in earlier years: its own reports and those of the agencies it took over (each
    named), starting at its formation for a unit formed by the reorganisation."""

    formed_on: datetime.date | None
    formed_from: str
    former_district: str
    predecessors: list[str]
    years: list[EarlierYear]


def agency_history(report: Report) -> AgencyHistory:
    """Two queries, plus one a step back in the agency's lineage (reports.selectors.agency_lineage)."""
    agency = report.agency
    lineage = agency_lineage(agency.pk)
    earlier = (
        Report.objects.filter(
            agency_id__in=lineage,
            reporting_year__directive_id=report.reporting_year.directive_id,
            reporting_year__year__lt=report.reporting_year.year,
        )
        .select_related("agency", "reporting_year")
        .order_by("-reporting_year__year", "agency__position", "agency__name")
    )
    years = [
        EarlierYear(
            year=r.reporting_year.year,
            agency_name=r.agency.name,
            by_predecessor=r.agency_id != agency.pk,
            state=str(r.get_state_display()),
            days_late=r.days_late if r.is_submitted else None,
            report_pk=r.pk,
        )
        for r in earlier
    ]
    predecessors = sorted({y.agency_name for y in years if y.by_predecessor})
    if len(lineage) > 1 and not predecessors:
        predecessors = list(
            Agency.objects.filter(pk__in=lineage[1:]).order_by("position", "name").values_list("name", flat=True)
        )
    return AgencyHistory(
        formed_on=agency.valid_from,
        formed_from=agency.formed_from,
        former_district=agency.former_district,
        predecessors=predecessors,
        years=years,
    )
