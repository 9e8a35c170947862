"""Every change to a report goes through here.

Each write follows the same pattern: inside `transaction.atomic()`, lock the report row, check who is asking and
the current state against the allowed transitions, change the fields, bump `version`, save with `update_fields`,
write an audit entry, and send notices once the transaction has committed. Views turn `ReportError` into a
message for the user. Never change `Report.state` with a bulk `.update()`: it would skip the rules and history.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Assignment, Indicator, Membership, ReportingYear
from assignments.roles import MANAGE_YEARS, REVIEW, holds_role_permission
from audit.models import Action, AuditEntry
from audit.services import log_action
from notifications.services import in_portal_language, letter_text, notify
from reports.models import IndicatorValue, Report, ReportVersion, ReviewComment, TaskReport
from reports.snapshots import report_snapshot

State = Report.State

# The reporting cycle: which state each transition may start from.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "submit": ((State.DRAFT, State.RETURNED), State.SUBMITTED),
    "return": ((State.SUBMITTED,), State.RETURNED),
    "accept": ((State.SUBMITTED,), State.ACCEPTED),
    # Reopening keeps a draft a draft; a submitted or accepted report goes back to the agency.
    "reopen": (tuple(State.values), None),
}


class ReportError(Exception):
    """A rule of the reporting cycle stops the action; `message` is written for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReportPermissionError(ReportError):
    pass


class IncompleteReportError(ReportError):
    def __init__(self, tasks):
        self.tasks = list(tasks)
        codes = ", ".join(t.code for t in self.tasks)
        super().__init__(
            ngettext(
                "Task %(codes)s has no status or no results yet; fill them in before submitting.",
                "Tasks %(codes)s have no status or no results yet; fill them in before submitting.",
                len(self.tasks),
            )
            % {"codes": codes}
        )


class StaleReportError(ReportError):
    """Somebody saved the report after the form was opened; `entries` says who changed what since."""

    def __init__(self, report: Report, since_version: int):
        self.report = report
        self.since_version = since_version
        self.entries = list(
            AuditEntry.objects.filter(report=report, version__gt=since_version)
            .select_related("actor")
            .order_by("created_at", "pk")
        )
        names = sorted({_display_name(e.actor) for e in self.entries if e.actor}) or [_("another user")]
        super().__init__(
            _(
                "%(names)s changed this report after you opened it, so your changes were not saved. "
                "Their changes are shown below; your text is still in the form. Check it and save again."
            )
            % {"names": ", ".join(names)}
        )


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


# --- Reading the rules -------------------------------------------------------------------------------------


def membership_of(user, agency_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, agency_id=agency_id).first()


def year_allows_agency_edit(report: Report) -> bool:
    return report.reporting_year.state == ReportingYear.State.OPEN or report.reopened


def can_agency_edit(report: Report) -> bool:
    """The report is in a state, and its year in a state, that let the agency write."""
    return report.state in Report.EDITABLE_STATES and year_allows_agency_edit(report)


def ensure_agency_can_edit(report: Report, actor) -> Membership:
    membership = membership_of(actor, report.agency_id)
    if membership is None:
        raise ReportPermissionError(
            _("Only members of %(agency)s can change this report.") % {"agency": report.agency}
        )
    if report.state == State.ACCEPTED:
        raise ReportError(_("This report has been accepted and can no longer be changed."))
    if report.state == State.SUBMITTED:
        raise ReportError(_("This report has been submitted and is read-only until the reviewer returns it."))
    if not year_allows_agency_edit(report):
        raise ReportError(
            _("The reporting year %(year)s is closed. Ask the reviewers to reopen your report.")
            % {"year": report.reporting_year.year}
        )
    return membership


def _check_transition(report: Report, name: str) -> str | None:
    allowed_from, to_state = TRANSITIONS[name]
    if report.state not in allowed_from:
        raise ReportError(
            _("This cannot be done while the report is “%(state)s”.") % {"state": report.get_state_display()}
        )
    return to_state


def _lock(report_id: int) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related(
            "reporting_year__directive__implements", "reporting_year__consolidating_agency", "agency"
        )
        .get(pk=report_id)
    )


def _check_version(report: Report, expected_version: int | None) -> None:
    if expected_version is not None and report.version != expected_version:
        raise StaleReportError(report, expected_version)


def days_late_for(reporting_year: ReportingYear, at: datetime.datetime) -> int:
    """Whole days after the deadline, by the calendar in Hưng Yên; a submission on the deadline day is on time."""
    return max(0, (timezone.localdate(at) - reporting_year.deadline).days)


# --- Drafting ----------------------------------------------------------------------------------------------


@dataclass
class ReportEdit:
    """What one save changed, collected by the form code for the audit entry and the stale-save message."""

    report: Report
    changes: list[dict] = field(default_factory=list)

    def record(self, label: str, old, new) -> None:
        old, new = _as_text(old), _as_text(new)
        if old != new:
            self.changes.append({"field": str(label), "old": old, "new": new})


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@contextmanager
def report_editing(
    *, report: Report, actor, expected_version: int, action: str = Action.REPORT_SAVED, at=None
):
    """Lock the report for one save by its agency; refuse a stale form; record what changed.

        with report_editing(report=report, actor=request.user, expected_version=form_version) as edit:
            ...change task answers, calling edit.record(label, old, new) for each field...

    On leaving the block the report's version goes up by one and a draft it was not yet is now one.
    """
    with transaction.atomic():
        locked = _lock(report.pk)
        ensure_agency_can_edit(locked, actor)
        _check_version(locked, expected_version)
        edit = ReportEdit(report=locked)
        yield edit
        from_state = locked.state
        if locked.state == State.NOT_STARTED:
            locked.state = State.DRAFT
        locked.version += 1
        locked.updated_by = actor
        locked.save(update_fields=["state", "version", "updated_by", "updated_at"])
        log_action(
            actor,
            action,
            report=locked,
            from_state=from_state,
            to_state=locked.state,
            version=locked.version,
            changes=edit.changes,
            at=at,
        )
    report.state, report.version = locked.state, locked.version


# --- Transitions -------------------------------------------------------------------------------------------


def report_submit(*, report: Report, actor, expected_version: int | None = None, at=None) -> Report:
    """The head of the agency hands the report in; it becomes read-only and is marked on time or late."""
    with transaction.atomic():
        report = _lock(report.pk)
        membership = membership_of(actor, report.agency_id)
        if membership is None or membership.role != Membership.Role.HEAD:
            raise ReportPermissionError(_("Only the head of the agency can submit the report."))
        to_state = _check_transition(report, "submit")
        if not year_allows_agency_edit(report):
            raise ReportError(
                _("The reporting year %(year)s is closed. Ask the reviewers to reopen your report.")
                % {"year": report.reporting_year.year}
            )
        _check_version(report, expected_version)
        incomplete = [
            tr.task
            for tr in report.task_reports.select_related("task").order_by(
                "task__group__number", "task__position"
            )
            if not tr.is_complete
        ]
        if incomplete:
            raise IncompleteReportError(incomplete)

        at = at or timezone.now()
        days_late = days_late_for(report.reporting_year, at)
        if report.first_submitted_at is None:
            report.first_submitted_at = at
            report.days_late = days_late
        report.submitted_at = at
        report.submitted_by = actor
        report.signatory_name = _display_name(actor)
        report.signatory_title = membership.position_title or report.agency.head_title
        report.signatory_is_deputy = membership.is_deputy
        report.reopened = False
        number = report.versions.count() + 1
        ReportVersion.objects.create(
            report=report,
            number=number,
            snapshot=report_snapshot(report),
            submitted_at=at,
            submitted_by=actor,
            days_late=days_late,
        )
        from_state, report.state = report.state, to_state
        report.version += 1
        report.updated_by = actor
        report.save()
        timeliness = (
            _("on time")
            if days_late == 0
            else ngettext("%(days)d day late", "%(days)d days late", days_late) % {"days": days_late}
        )
        log_action(
            actor,
            Action.REPORT_SUBMITTED,
            report=report,
            from_state=from_state,
            to_state=report.state,
            version=report.version,
            message=_("Version %(number)d, %(timeliness)s") % {"number": number, "timeliness": timeliness},
            at=at,
        )
        _notify_reviewers_of_submission(report, number, days_late, at=at)
    return report


def report_return(
    *,
    report: Report,
    actor,
    reason: str,
    task_comments: dict | None = None,
    expected_version: int | None = None,
    at=None,
) -> Report:
    """A reviewer sends the report back with a reason (and comments per task); the agency edits it again."""
    reason = (reason or "").strip()
    with transaction.atomic():
        report = _lock(report.pk)
        if not holds_role_permission(actor, REVIEW):
            raise ReportPermissionError(_("Only reviewers can return a report."))
        to_state = _check_transition(report, "return")
        _check_version(report, expected_version)
        if not reason:
            raise ReportError(_("Give the reason for returning the report; the agency will see it."))
        latest = report.versions.order_by("-number").first()
        at = at or timezone.now()
        ReviewComment.objects.create(
            report=report,
            version=latest,
            kind=ReviewComment.Kind.RETURN_REASON,
            body=reason,
            author=actor,
            created_at=at,
        )
        for task, body in (task_comments or {}).items():
            if body and body.strip():
                ReviewComment.objects.create(
                    report=report, version=latest, task=task, body=body.strip(), author=actor, created_at=at
                )
        from_state, report.state = report.state, to_state
        report.version += 1
        report.updated_by = actor
        report.save(update_fields=["state", "version", "updated_by", "updated_at"])
        log_action(
            actor,
            Action.REPORT_RETURNED,
            report=report,
            from_state=from_state,
            to_state=report.state,
            version=report.version,
            message=reason,
            at=at,
        )
        with in_portal_language():
            title = _("Your report for %(year)s was returned for correction") % {
                "year": report.reporting_year.year
            }
            body = _("Reason: %(reason)s") % {"reason": reason}
            _notify_agency(
                report,
                title=title,
                happened=_(
                    "%(consolidator)s has returned your %(year)s report on the implementation of %(document)s "
                    "for correction."
                )
                % _letter_facts(report),
                body=body,
                details=reason,
                details_label=_("Reason"),
                next_step=_(
                    "Please correct it following the reviewers' comments beside the tasks, and submit it again."
                ),
                at=at,
            )
    return report


def report_accept(
    *, report: Report, actor, comment: str = "", expected_version: int | None = None, at=None
) -> Report:
    """A reviewer accepts the report; it is frozen from then on."""
    with transaction.atomic():
        report = _lock(report.pk)
        if not holds_role_permission(actor, REVIEW):
            raise ReportPermissionError(_("Only reviewers can accept a report."))
        to_state = _check_transition(report, "accept")
        _check_version(report, expected_version)
        at = at or timezone.now()
        if comment.strip():
            ReviewComment.objects.create(
                report=report,
                version=report.versions.order_by("-number").first(),
                kind=ReviewComment.Kind.ACCEPTANCE,
                body=comment.strip(),
                author=actor,
                created_at=at,
            )
        from_state, report.state = report.state, to_state
        report.accepted_at = at
        report.accepted_by = actor
        report.version += 1
        report.updated_by = actor
        report.save(
            update_fields=["state", "accepted_at", "accepted_by", "version", "updated_by", "updated_at"]
        )
        log_action(
            actor,
            Action.REPORT_ACCEPTED,
            report=report,
            from_state=from_state,
            to_state=report.state,
            version=report.version,
            message=comment.strip(),
            at=at,
        )
        with in_portal_language():
            title = _("Your report for %(year)s was accepted") % {"year": report.reporting_year.year}
            _notify_agency(
                report,
                title=title,
                happened=_(
                    "%(consolidator)s has accepted your %(year)s report on the implementation of %(document)s; "
                    "it is compiled into the consolidated report of the province."
                )
                % _letter_facts(report),
                body=comment.strip(),
                details=comment,
                details_label=_("Comment"),
                at=at,
            )
    return report


def report_reopen(*, report: Report, actor, reason: str) -> Report:
    """After the year closed, let one agency edit (and submit late) again. A submitted report goes back to it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        report = _lock(report.pk)
        if not actor.has_perm(MANAGE_YEARS):
            raise ReportPermissionError(_("Only reviewers can reopen a report."))
        _check_transition(report, "reopen")
        if report.reporting_year.state != ReportingYear.State.CLOSED:
            raise ReportError(_("Only reports of a closed year need reopening; this year is not closed."))
        if not reason:
            raise ReportError(_("Give the reason for reopening the report."))
        from_state = report.state
        if report.state in Report.SUBMITTED_STATES:
            report.state = State.RETURNED
        report.reopened = True
        report.version += 1
        report.updated_by = actor
        report.save(update_fields=["state", "reopened", "version", "updated_by", "updated_at"])
        log_action(
            actor,
            Action.REPORT_REOPENED,
            report=report,
            from_state=from_state,
            to_state=report.state,
            version=report.version,
            message=reason,
        )
        with in_portal_language():
            title = _("Your report for %(year)s was reopened") % {"year": report.reporting_year.year}
            body = _("Reason: %(reason)s") % {"reason": reason}
            _notify_agency(
                report,
                title=title,
                happened=_(
                    "%(consolidator)s has reopened your %(year)s report on the implementation of %(document)s "
                    "after the reporting year closed, so that your agency can correct it and submit it again."
                )
                % _letter_facts(report),
                body=body,
                details=reason,
                details_label=_("Reason"),
                next_step=_("Please make the corrections and have the head of your agency submit it."),
            )
    return report


# --- Reporting years ---------------------------------------------------------------------------------------


def reports_sync_for_year(*, reporting_year: ReportingYear) -> int:
    """Give every agency that carries a task this year its report, and every report an answer per task.

    Agencies and tasks are those assigned on the year's deadline. Reports already handed in are not touched.
    A report of an agency that no longer owes one (it was merged into another before the deadline) is removed
    only if nobody ever opened it: anything an agency wrote stays attributed to it. Safe to run again: returns
    how many rows it created.
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


# --- Notices -----------------------------------------------------------------------------------------------


def _letter_facts(report: Report) -> dict:
    year = report.reporting_year
    return {
        "agency": report.agency.name,
        "year": year.year,
        "document": (year.directive.implements or year.directive).reference,
        "consolidator": year.consolidating_agency.name,
    }


def _notify_agency(
    report: Report,
    *,
    title: str,
    happened: str,
    body: str = "",
    details: str = "",
    details_label: str = "",
    next_step: str = "",
    at=None,
) -> None:
    """The agency's members get a notice in the portal and a letter by e-mail (notifications.services.letter_text)."""
    users = [m.user for m in Membership.objects.filter(agency=report.agency).select_related("user")]
    url = reverse("reports:detail", kwargs={"pk": report.pk})
    letter = letter_text(
        addressee=report.agency.name,
        happened=happened,
        details_label=details_label,
        details=details,
        next_step=next_step,
        url=url,
        sender=report.reporting_year.consolidating_agency.name,
    )
    notify(users, title=title, body=body, url=url, letter=letter, at=at)


def _notify_reviewers_of_submission(report: Report, number: int, days_late: int, at=None) -> None:
    User = get_user_model()
    reviewers = User.objects.filter(
        Q(
            groups__permissions__codename="review_report",
            groups__permissions__content_type__app_label="reports",
        )
        | Q(user_permissions__codename="review_report", user_permissions__content_type__app_label="reports"),
        is_active=True,
    ).distinct()
    facts = _letter_facts(report)
    url = reverse("review:report", kwargs={"pk": report.pk})
    with in_portal_language():
        title = _("%(agency)s submitted its report for %(year)s") % facts
        body = _("Submission number %(number)d.") % {"number": number}
        timeliness = (
            _("on time")
            if days_late == 0
            else ngettext("%(days)d day late", "%(days)d days late", days_late) % {"days": days_late}
        )
        letter = letter_text(
            addressee=_("The reviewers of %(consolidator)s") % facts,
            happened=_(
                "%(agency)s has submitted its %(year)s report on the implementation of %(document)s "
                "(submission number %(number)d, %(timeliness)s)."
            )
            % {**facts, "number": number, "timeliness": timeliness},
            next_step=_("Please review it and accept it or return it to the agency with your reasons."),
            url=url,
            sender=facts["consolidator"],
        )
    notify(reviewers, title=title, body=body, url=url, letter=letter, at=at)
