"""A reporting year's life, in one place: create it (or open the next one), change its dates, close it, archive it,
and keep the reports it is owed in line with the assignments valid on its deadline. The administration and the
reviewers' year page both go through these functions; each step is checked and written to the audit log.
Reopening one report of a closed year is `reports.services.report_reopen`.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Assignment, Indicator, ReportingYear
from assignments.roles import MANAGE_YEARS
from audit.models import Action
from audit.services import log_action
from reports.errors import ReportError, ReportPermissionError
from reports.models import IndicatorValue, Report, TaskReport

State = Report.State


def reports_sync_for_year(*, reporting_year: ReportingYear) -> int:
    """Give every agency that carries a task this year its report, and every report an answer per task.

    Agencies and tasks are those assigned on the year's deadline. Reports already handed in are not touched.
    A report of an agency that no longer owes one (it was merged into another before the deadline) is removed
    only if nobody ever opened it: anything an agency wrote stays attributed to it. Safe to run again: returns
    how many rows it created. Long because creating the reports owed, adding the answers of new tasks and
    removing untouched reports are three passes over the same rows read once.
    """
    day = reporting_year.deadline
    tasks_by_agency: dict[int, set[int]] = {}
    for agency_id, task_id in (
        Assignment.objects.active_on(day)
        .filter(task__group__directive=reporting_year.directive)
        .filter(Q(agency__valid_from__isnull=True) | Q(agency__valid_from__lte=day))
        .filter(Q(agency__valid_to__isnull=True) | Q(agency__valid_to__gte=day))
        .values_list("agency_id", "task_id")
    ):
        tasks_by_agency.setdefault(agency_id, set()).add(task_id)

    created = 0
    _remove_untouched_reports(reporting_year, owing=set(tasks_by_agency))
    existing = {r.agency_id: r for r in Report.objects.filter(reporting_year=reporting_year)}
    new_reports = [
        Report(reporting_year=reporting_year, agency_id=agency_id)
        for agency_id in tasks_by_agency
        if agency_id not in existing
    ]
    for report in Report.objects.bulk_create(new_reports):
        existing[report.agency_id] = report
    created += len(new_reports)

    open_reports = [r for r in existing.values() if r.state in Report.EDITABLE_STATES]
    have = set(TaskReport.objects.filter(report__in=open_reports).values_list("report_id", "task_id"))
    new_answers = [
        TaskReport(report=r, task_id=task_id)
        for r in open_reports
        for task_id in sorted(tasks_by_agency.get(r.agency_id, ()))
        if (r.pk, task_id) not in have
    ]
    TaskReport.objects.bulk_create(new_answers)
    created += len(new_answers)

    indicators_by_task: dict[int, list[int]] = {}
    for indicator_id, task_id in Indicator.objects.filter(
        task__group__directive=reporting_year.directive
    ).values_list("pk", "task_id"):
        indicators_by_task.setdefault(task_id, []).append(indicator_id)
    answers = TaskReport.objects.filter(report__in=open_reports, task_id__in=indicators_by_task).values_list(
        "pk", "task_id"
    )
    have_values = set(
        IndicatorValue.objects.filter(task_report__report__in=open_reports).values_list(
            "task_report_id", "indicator_id"
        )
    )
    new_values = [
        IndicatorValue(task_report_id=answer_id, indicator_id=indicator_id)
        for answer_id, task_id in answers
        for indicator_id in indicators_by_task[task_id]
        if (answer_id, indicator_id) not in have_values
    ]
    IndicatorValue.objects.bulk_create(new_values)
    return created + len(new_values)


def _remove_untouched_reports(reporting_year: ReportingYear, *, owing: set[int]) -> None:
    untouched = (
        Report.objects.filter(reporting_year=reporting_year, state=State.NOT_STARTED, version=1)
        .exclude(agency_id__in=owing)
        .filter(audit_entries__isnull=True, versions__isnull=True, reminders__isnull=True)
    )
    for report in untouched:
        report.delete()


def reports_sync_open_years_described() -> list[str]:
    """Sync the open years' reports and say, a sentence each, which agencies start owing one and whose untouched
    report goes (for the preview of a succession, which rolls it all back)."""

    def owed():
        return set(
            Report.objects.filter(reporting_year__state=ReportingYear.State.OPEN).values_list(
                "reporting_year__year", "agency__name"
            )
        )

    before = owed()
    reports_sync_open_years()
    after = owed()
    lines = [
        _("%(agency)s starts owing a report for %(year)s.") % {"agency": agency, "year": year}
        for year, agency in sorted(after - before)
    ]
    lines += [
        _("The untouched report of %(agency)s for %(year)s is withdrawn: it no longer owes one.")
        % {"agency": agency, "year": year}
        for year, agency in sorted(before - after)
    ]
    return lines


def reports_sync_open_years() -> int:
    """After agencies change: bring the reports of every open year in line with the assignments."""
    return sum(
        reports_sync_for_year(reporting_year=year)
        for year in ReportingYear.objects.filter(state=ReportingYear.State.OPEN)
    )


def reporting_year_create(*, directive, year: int, actor=None, **fields) -> ReportingYear:
    """Open a reporting year with the default window, deadline and consolidating agency, and its reports."""
    with transaction.atomic():
        if ReportingYear.objects.filter(directive=directive, year=year).exists():
            raise ReportError(_("The reporting year %(year)s already exists.") % {"year": year})
        reporting_year = ReportingYear(directive=directive, year=year, **fields)
        reporting_year.save()
        reports_sync_for_year(reporting_year=reporting_year)
        log_action(actor, Action.YEAR_CREATED, reporting_year=reporting_year, to_state=reporting_year.state)
    return reporting_year


def reporting_year_change(*, reporting_year: ReportingYear, actor, changed: list[str]) -> ReportingYear:
    """Save an administrator's change of a year's dates or consolidating agency: audited with what changed, the
    reports owed brought in line with the (possibly new) deadline."""
    if not changed:
        return reporting_year
    with transaction.atomic():
        before = ReportingYear.objects.select_for_update().get(pk=reporting_year.pk)
        if before.state == ReportingYear.State.ARCHIVED:
            raise ReportError(_("An archived reporting year is not changed."))
        reporting_year.save()
        if reporting_year.state == ReportingYear.State.OPEN:
            reports_sync_for_year(reporting_year=reporting_year)
        message = "; ".join(
            f"{ReportingYear._meta.get_field(name).verbose_name}: {getattr(before, name)} → {getattr(reporting_year, name)}"
            for name in changed
        )
        log_action(actor, Action.YEAR_CHANGED, reporting_year=reporting_year, message=message)
    return reporting_year


def _year_transition(
    reporting_year: ReportingYear, actor, *, to_state: str, stamp: str, action: str, refused: str, at=None
) -> ReportingYear:
    """Move a reporting year one step along open → closed → archived, checked, stamped and audited."""
    from_state = {
        ReportingYear.State.CLOSED: ReportingYear.State.OPEN,
        ReportingYear.State.ARCHIVED: ReportingYear.State.CLOSED,
    }[to_state]
    with transaction.atomic():
        reporting_year = ReportingYear.objects.select_for_update().get(pk=reporting_year.pk)
        if not actor.has_perm(MANAGE_YEARS):
            raise ReportPermissionError(_("Only reviewers can close or archive a reporting year."))
        if reporting_year.state != from_state:
            raise ReportError(refused)
        reporting_year.state = to_state
        setattr(reporting_year, stamp, at or timezone.now())
        reporting_year.save(update_fields=["state", stamp])
        log_action(
            actor, action, reporting_year=reporting_year, from_state=from_state, to_state=to_state, at=at
        )
    return reporting_year


def reporting_year_close(*, reporting_year: ReportingYear, actor, at=None) -> ReportingYear:
    """No more edits by agencies, except reports the reviewers reopen one by one."""
    return _year_transition(
        reporting_year,
        actor,
        to_state=ReportingYear.State.CLOSED,
        stamp="closed_at",
        action=Action.YEAR_CLOSED,
        refused=_("Only an open reporting year can be closed."),
        at=at,
    )


def reporting_year_archive(*, reporting_year: ReportingYear, actor, at=None) -> ReportingYear:
    """A closed year leaves the working lists; its reports stay readable and exportable."""
    return _year_transition(
        reporting_year,
        actor,
        to_state=ReportingYear.State.ARCHIVED,
        stamp="archived_at",
        action=Action.YEAR_ARCHIVED,
        refused=_("Close the reporting year before archiving it."),
        at=at,
    )


class OtherYearsStillOpen(ReportError):
    """Another reporting year is still open: the reviewer must confirm that both stay open side by side."""

    def __init__(self, *, year: int, open_years: list[int]):
        self.year = year
        self.open_years = open_years
        listed = ", ".join(str(y) for y in open_years)
        super().__init__(
            ngettext(
                "The reporting year %(open)s is still open: confirm that you want to open %(year)s beside it.",
                "The reporting years %(open)s are still open: confirm that you want to open %(year)s beside them.",
                len(open_years),
            )
            % {"open": listed, "year": year}
        )


def reporting_years_open() -> list[int]:
    return list(
        ReportingYear.objects.filter(state=ReportingYear.State.OPEN)
        .order_by("year")
        .values_list("year", flat=True)
        .distinct()
    )


def reporting_year_open_next(
    *,
    actor,
    directive,
    year: int,
    deadline: datetime.date,
    consolidating_agency,
    confirmed_open_years=(),
) -> ReportingYear:
    """Open a new reporting year of the directive; its reports follow the assignments valid on its deadline.

    While other years are open, agencies would see and owe two reports at once, so the reviewer must have been
    told which years are still open (`confirmed_open_years`); otherwise `OtherYearsStillOpen` is raised.
    """
    if not actor.has_perm(MANAGE_YEARS):
        raise ReportPermissionError(_("Only reviewers can open a reporting year."))
    if deadline.year != year:
        raise ReportError(_("The deadline must fall within the year %(year)s.") % {"year": year})
    still_open = [y for y in reporting_years_open() if y != year]
    if not set(still_open) <= {int(y) for y in confirmed_open_years}:
        raise OtherYearsStillOpen(year=year, open_years=still_open)
    return reporting_year_create(
        directive=directive,
        year=year,
        actor=actor,
        deadline=deadline,
        consolidating_agency=consolidating_agency,
    )
