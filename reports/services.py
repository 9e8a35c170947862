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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Membership, ReportingYear
from audit.models import Action
from audit.services import log_action
from notifications.services import in_portal_language
from reports.errors import (
    IncompleteReportError,
    ReportError,
    display_name,
)
from reports.models import Report, ReportVersion, ReviewComment
from reports.notices import letter_facts, notify_agency, notify_reviewers_of_submission
from reports.policy import ReportPolicy
from reports.snapshots import report_snapshot
from reports.transitions import check_version, lock_report, report_transition

State = Report.State

# --- Reading the rules (reports.policy decides; these are the services' words for it) -----------------------


def ensure_agency_can_edit(report: Report, actor) -> Membership:
    """The actor's membership of the report's agency; the policy's refusal when the actor may not write it."""
    policy = ReportPolicy.for_actor(actor, report)
    policy.edit.check()
    return policy.membership


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
        locked = lock_report(report.pk)
        ensure_agency_can_edit(locked, actor)
        check_version(locked, expected_version)
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
    """The head of the agency sends the report: every task must have a status and results. A snapshot of what was
    sent is kept as a numbered version; the first submission fixes the report's timeliness."""
    with report_transition(
        report, "submit", actor=actor, action=Action.REPORT_SUBMITTED, may="submit",
        expected_version=expected_version, at=at,
    ) as step:
        report = step.report
        incomplete = [
            tr.task
            for tr in report.task_reports.select_related("task").order_by("task__group__number", "task__position")
            if not tr.is_complete
        ]
        if incomplete:
            raise IncompleteReportError(incomplete)
        membership = step.policy.membership
        days_late = days_late_for(report.reporting_year, step.at)
        if report.first_submitted_at is None:
            step.set(first_submitted_at=step.at, days_late=days_late)
        step.set(
            submitted_at=step.at,
            submitted_by=actor,
            signatory_name=display_name(actor),
            signatory_title=membership.position_title or report.agency.head_title,
            signatory_is_deputy=membership.is_deputy,
            reopened=False,
        )
        number = report.versions.count() + 1
        ReportVersion.objects.create(
            report=report,
            number=number,
            snapshot=report_snapshot(report),
            submitted_at=step.at,
            submitted_by=actor,
            days_late=days_late,
        )
        timeliness = (
            _("on time")
            if days_late == 0
            else ngettext("%(days)d day late", "%(days)d days late", days_late) % {"days": days_late}
        )
        step.message = _("Version %(number)d, %(timeliness)s") % {"number": number, "timeliness": timeliness}
        step.notify(lambda: notify_reviewers_of_submission(report, number, days_late, at=step.at))
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
    with report_transition(
        report, "return", actor=actor, action=Action.REPORT_RETURNED,
        may="review",
        expected_version=expected_version, at=at,
    ) as step:
        report = step.report
        if not reason:
            raise ReportError(_("Give the reason for returning the report; the agency will see it."))
        latest = report.versions.order_by("-number").first()
        ReviewComment.objects.create(
            report=report, version=latest, kind=ReviewComment.Kind.RETURN_REASON, body=reason, author=actor,
            created_at=step.at,
        )
        for task, body in (task_comments or {}).items():
            if body and body.strip():
                ReviewComment.objects.create(
                    report=report, version=latest, task=task, body=body.strip(), author=actor, created_at=step.at
                )
        step.message = reason

        def send():
            with in_portal_language():
                notify_agency(
                    report,
                    title=_("Your report for %(year)s was returned for correction") % {"year": report.reporting_year.year},
                    happened=_(
                        "%(consolidator)s has returned your %(year)s report on the implementation of %(document)s "
                        "for correction."
                    )
                    % letter_facts(report),
                    body=_("Reason: %(reason)s") % {"reason": reason},
                    details=reason,
                    details_label=_("Reason"),
                    next_step=_(
                        "Please correct it following the reviewers' comments beside the tasks, and submit it again."
                    ),
                    at=step.at,
                )

        step.notify(send)
    return report


def report_accept(
    *, report: Report, actor, comment: str = "", expected_version: int | None = None, at=None
) -> Report:
    """A reviewer accepts the report; it is frozen from then on."""
    comment = (comment or "").strip()
    with report_transition(
        report, "accept", actor=actor, action=Action.REPORT_ACCEPTED,
        may="review",
        expected_version=expected_version, at=at,
    ) as step:
        report = step.report
        if comment:
            ReviewComment.objects.create(
                report=report,
                version=report.versions.order_by("-number").first(),
                kind=ReviewComment.Kind.ACCEPTANCE,
                body=comment,
                author=actor,
                created_at=step.at,
            )
        step.set(accepted_at=step.at, accepted_by=actor)
        step.message = comment

        def send():
            with in_portal_language():
                notify_agency(
                    report,
                    title=_("Your report for %(year)s was accepted") % {"year": report.reporting_year.year},
                    happened=_(
                        "%(consolidator)s has accepted your %(year)s report on the implementation of %(document)s; "
                        "it is compiled into the consolidated report of the province."
                    )
                    % letter_facts(report),
                    body=comment,
                    details=comment,
                    details_label=_("Comment"),
                    at=step.at,
                )

        step.notify(send)
    return report


def report_reopen(*, report: Report, actor, reason: str) -> Report:
    """After the year closed, let one agency edit (and submit late) again. A submitted report goes back to it."""
    reason = (reason or "").strip()
    with report_transition(
        report, "reopen", actor=actor, action=Action.REPORT_REOPENED,
        may="reopen",
    ) as step:
        report = step.report
        if not reason:
            raise ReportError(_("Give the reason for reopening the report."))
        if report.state in Report.SUBMITTED_STATES:
            step.to_state = State.RETURNED
        step.set(reopened=True)
        step.message = reason

        def send():
            with in_portal_language():
                notify_agency(
                    report,
                    title=_("Your report for %(year)s was reopened") % {"year": report.reporting_year.year},
                    happened=_(
                        "%(consolidator)s has reopened your %(year)s report on the implementation of %(document)s "
                        "after the reporting year closed, so that your agency can correct it and submit it again."
                    )
                    % letter_facts(report),
                    body=_("Reason: %(reason)s") % {"reason": reason},
                    details=reason,
                    details_label=_("Reason"),
                    next_step=_("Please make the corrections and have the head of your agency submit it."),
                    at=step.at,
                )

        step.notify(send)
    return report


