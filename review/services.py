"""The reviewers' writes: reviewing a submitted report, accepting several at once, reminding agencies, years.

Same pattern as reports/services.py: each write runs in `transaction.atomic()`, locks what it changes, checks the
actor and the state, raises `ReportError` with a message for the user, saves with `update_fields`, writes an audit
entry and sends notices only once the transaction has committed. State changes of a report (return, accept,
reopen) are always made by the functions of reports/services.py, never here.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import Membership, ReportingYear
from assignments.roles import MANAGE_YEARS, REVIEW, holds_role_permission
from audit.models import Action
from audit.services import log_action
from notifications.services import in_portal_language, notify
from reports.models import Report, ReviewComment, TaskReport
from reports.services import (
    ReportError,
    ReportPermissionError,
    StaleReportError,
    report_accept,
    report_return,
    reporting_year_create,
)
from review.models import Reminder

logger = logging.getLogger(__name__)

State = Report.State


class Decision:
    SAVE = "save"
    RETURN = "return"
    ACCEPT = "accept"
    ALL = (SAVE, RETURN, ACCEPT)


def _lock(report_id: int) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("reporting_year", "agency")
        .get(pk=report_id)
    )


def _ensure_reviewer(actor) -> None:
    if not holds_role_permission(actor, REVIEW):
        raise ReportPermissionError(_("Only reviewers of the consolidating department can do this."))


def _ensure_not_archived(report: Report) -> None:
    if report.reporting_year.state == ReportingYear.State.ARCHIVED:
        raise ReportError(
            _("The reporting year %(year)s is archived: its reports can be read but no longer reviewed.")
            % {"year": report.reporting_year.year}
        )


# --- Reviewing one report ----------------------------------------------------------------------------------


@dataclass
class ReviewOutcome:
    report: Report
    ratings_changed: int = 0
    comments_added: int = 0
    decision: str = Decision.SAVE


def report_review(
    *,
    report: Report,
    actor,
    decision: str = Decision.SAVE,
    ratings: dict[int, str] | None = None,
    task_comments: dict[int, str] | None = None,
    comment: str = "",
    reason: str = "",
    expected_version: int | None = None,
    at: datetime.datetime | None = None,
) -> ReviewOutcome:
    """Record a reviewer's ratings and comments on a submitted report, then return it, accept it, or neither.

    `ratings` and `task_comments` are keyed by TaskReport id. Everything happens in one transaction: a return
    without a reason, a report another reviewer changed meanwhile, or a report that is no longer submitted
    saves nothing at all. On a return the task comments and the reason go to the agency with the return; on an
    acceptance the overall comment is the acceptance note.
    """
    if decision not in Decision.ALL:
        raise ValueError(decision)
    reason, comment = (reason or "").strip(), (comment or "").strip()
    at = at or timezone.now()
    with transaction.atomic():
        report = _lock(report.pk)
        _ensure_reviewer(actor)
        _ensure_not_archived(report)
        if report.state != State.SUBMITTED:
            raise ReportError(
                _("The report is “%(state)s”: only a submitted report can be reviewed.")
                % {"state": report.get_state_display()}
            )
        if expected_version is not None and report.version != expected_version:
            raise StaleReportError(report, expected_version)
        if decision == Decision.RETURN and not reason:
            raise ReportError(_("Give the reason for returning the report; the agency will see it."))

        answers = {
            tr.pk: tr
            for tr in TaskReport.objects.filter(report=report)
            .select_related("task")
            .order_by("task__group__number", "task__position")
        }
        latest = report.versions.order_by("-number").first()

        # The history is written once for everybody, in the portal's language, whatever the reviewer's.
        with in_portal_language():
            labels = {code: str(label) for code, label in TaskReport.Rating.choices}
            whole_report = str(_("Whole report"))
        rating_changes = []
        for answer_id, rating in (ratings or {}).items():
            answer = answers.get(answer_id)
            rating = rating or ""
            if answer is None or (rating and rating not in labels) or answer.review_rating == rating:
                continue
            rating_changes.append(
                {
                    "field": answer.task.code,
                    "old": labels.get(answer.review_rating, ""),
                    "new": labels.get(rating, ""),
                }
            )
            answer.review_rating = rating
            answer.save(update_fields=["review_rating"])

        comments = {
            answers[answer_id]: text.strip()
            for answer_id, text in (task_comments or {}).items()
            if answer_id in answers and text and text.strip()
        }
        comment_changes = []
        for answer, text in comments.items():
            if decision != Decision.RETURN:
                # A return files the task comments itself, with the reason (reports.services.report_return).
                ReviewComment.objects.create(
                    report=report, version=latest, task=answer.task, body=text, author=actor, created_at=at
                )
            comment_changes.append({"field": answer.task.code, "old": "", "new": text})
        if comment and decision != Decision.ACCEPT:
            # On acceptance the overall comment is filed as the acceptance note instead.
            ReviewComment.objects.create(
                report=report, version=latest, body=comment, author=actor, created_at=at
            )
            comment_changes.append({"field": whole_report, "old": "", "new": comment})

        if rating_changes or comment_changes:
            report.version += 1
            report.updated_by = actor
            report.save(update_fields=["version", "updated_by", "updated_at"])
        with in_portal_language():
            rated = ngettext("%(count)d task rated", "%(count)d tasks rated", len(rating_changes)) % {
                "count": len(rating_changes)
            }
            commented = ngettext("%(count)d comment", "%(count)d comments", len(comment_changes)) % {
                "count": len(comment_changes)
            }
        if rating_changes:
            log_action(
                actor,
                Action.TASK_RATED,
                report=report,
                version=report.version,
                message=rated,
                changes=rating_changes,
                at=at,
            )
        if comment_changes:
            log_action(
                actor,
                Action.REVIEW_COMMENTED,
                report=report,
                version=report.version,
                message=commented,
                changes=comment_changes,
                at=at,
            )

        if decision == Decision.RETURN:
            report = report_return(
                report=report,
                actor=actor,
                reason=reason,
                task_comments={answer.task: text for answer, text in comments.items()},
                at=at,
            )
        elif decision == Decision.ACCEPT:
            report = report_accept(report=report, actor=actor, comment=comment, at=at)
    return ReviewOutcome(
        report=report,
        ratings_changed=len(rating_changes),
        comments_added=len(comments) + (1 if comment and decision != Decision.ACCEPT else 0),
        decision=decision,
    )


# --- Several reports at once -------------------------------------------------------------------------------


@dataclass
class BulkResult:
    done: list[Report] = field(default_factory=list)
    refused: list[tuple[Report, str]] = field(default_factory=list)


def reports_accept_selected(*, reporting_year: ReportingYear, report_ids, actor) -> BulkResult:
    """Accept each chosen report of the year on its own: one transaction, one check and one audit entry each."""
    _ensure_reviewer(actor)
    result = BulkResult()
    reports = (
        Report.objects.filter(reporting_year=reporting_year, pk__in=list(report_ids))
        .select_related("agency", "reporting_year")
        .order_by("agency__position", "agency__name")
    )
    for report in reports:
        try:
            _ensure_not_archived(report)
            result.done.append(report_accept(report=report, actor=actor))
        except ReportError as error:
            result.refused.append((report, error.message))
    return result


# --- Reminders ---------------------------------------------------------------------------------------------


class ReminderRefused(ReportError):
    """The reminder was not sent, for a reason the reviewer or the daily job should be told."""


def reminder_due(reporting_year: ReportingYear, day: datetime.date) -> bool:
    """The daily job reminds on the configured days before the deadline, and every day once it has passed."""
    left = reporting_year.days_to_deadline(day)
    return left < 0 or left in settings.REMINDER_DAYS_BEFORE


def _report_link(report: Report) -> str:
    # The agency acts on its editing page.
    return reverse("reports:edit", kwargs={"pk": report.pk})


def reminder_text(report: Report, day: datetime.date, *, base_url: str | None = None) -> tuple[str, str]:
    """Subject and body of a reminder, in the portal's language (Vietnamese).

    The link starts with `base_url`: the address the reviewer uses when reminding by hand, the configured
    PORTAL_BASE_URL for the daily job.
    """
    year = report.reporting_year
    left = year.days_to_deadline(day)
    deadline = date_format(year.deadline, "d/m/Y")
    document = year.directive.implements or year.directive
    subject = _("Reminder: report on %(document)s for %(year)s, due %(deadline)s") % {
        "document": f"{document.get_kind_display()} {document.number_symbol}"
        if document.number_symbol
        else document,
        "year": year.year,
        "deadline": deadline,
    }
    if left > 0:
        when = ngettext(
            "The report is due on %(deadline)s: %(days)d day left.",
            "The report is due on %(deadline)s: %(days)d days left.",
            left,
        ) % {"deadline": deadline, "days": left}
    elif left == 0:
        when = _("Today, %(deadline)s, is the last day to submit the report.") % {"deadline": deadline}
    else:
        when = ngettext(
            "The report was due on %(deadline)s and is %(days)d day overdue.",
            "The report was due on %(deadline)s and is %(days)d days overdue.",
            -left,
        ) % {"deadline": deadline, "days": -left}
    if report.state == State.RETURNED:
        status = _("Your report was returned for correction with the reviewers' comments.")
        ask = (
            _("Please correct it and submit it again by the deadline.")
            if left >= 0
            else _("Please correct it and submit it again as soon as possible.")
        )
    else:
        status = _(
            "The consolidating department has not yet received your report (current state: %(state)s)."
        ) % {"state": report.get_state_display()}
        ask = (
            _("Please complete it and submit it through the portal by the deadline.")
            if left >= 0
            else _("Please complete it and submit it through the portal as soon as possible.")
        )
    link = f"{(base_url or settings.PORTAL_BASE_URL).rstrip('/')}{_report_link(report)}"
    body = "\n\n".join(
        [
            _("To: %(agency)s") % {"agency": report.agency.name},
            _(
                "%(consolidator)s, which consolidates the reports for the provincial People's Committee, "
                "kindly reminds you of your %(year)s report on the implementation of %(document)s."
            )
            % {
                "consolidator": year.consolidating_agency.name,
                "year": year.year,
                "document": document.reference,
            },
            when,
            f"{status} {ask}",
            _("Your report in the portal: %(link)s") % {"link": link},
            _(
                "If your report has been submitted in the meantime, please disregard this message. "
                "Thank you for your cooperation."
            ),
            _("This message was sent by the green growth reporting portal; please do not reply to it."),
        ]
    )
    return subject, body


def _send_reminder_emails(reminder_id: int, messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except Exception as error:  # a mail server down must not undo the record: the reminder is not resent
        logger.exception("Reminder %s: could not send %d e-mails", reminder_id, len(messages))
        Reminder.objects.filter(pk=reminder_id).update(error=str(error)[:1000] or error.__class__.__name__)
    else:
        Reminder.objects.filter(pk=reminder_id).update(emailed_at=timezone.now())


def reminder_send(
    *, report: Report, kind: str, actor=None, day: datetime.date | None = None, base_url: str | None = None
) -> Reminder:
    """Remind the members of the report's agency, by e-mail and in the portal, and the agency's official mailbox
    when it has one; at most once a day.

    The reminder row is written first, inside the transaction; the e-mails leave only after it has committed.
    Raises `ReminderRefused` when the report is in, the year is not open, the agency was already reminded that
    day, or the agency has neither an account nor an official e-mail address.
    """
    day = day or timezone.localdate()
    with transaction.atomic():
        report = _lock(report.pk)
        if kind == Reminder.Kind.MANUAL:
            _ensure_reviewer(actor)
        year = report.reporting_year
        if report.state in Report.SUBMITTED_STATES:
            raise ReminderRefused(
                _("%(agency)s has already submitted its report.") % {"agency": report.agency.name}
            )
        if year.state != ReportingYear.State.OPEN and not report.reopened:
            raise ReminderRefused(
                _("The reporting year %(year)s is closed: agencies can no longer submit.")
                % {"year": year.year}
            )
        earlier = Reminder.objects.filter(report=report, day=day).first()
        if earlier is not None:
            raise ReminderRefused(
                _(
                    "%(agency)s was already reminded on %(date)s (%(kind)s); an agency gets at most one reminder a day."
                )
                % {
                    "agency": report.agency.name,
                    "date": date_format(earlier.day, "d/m/Y"),
                    "kind": str(earlier.get_kind_display()).lower(),
                }
            )
        members = [
            m.user
            for m in Membership.objects.filter(agency=report.agency, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        ]
        # The agency's official mailbox (set in the administration) gets every reminder too: it reaches the
        # agency even before anybody there has an account, and whoever replaces a departed member.
        agency_address = (report.agency.email or "").strip().lower()
        if not members and not agency_address:
            raise ReminderRefused(
                _(
                    "%(agency)s has no user account in the portal and no official e-mail address yet: there is "
                    "nobody to remind. The administrator can add either."
                )
                % {"agency": report.agency.name}
            )
        addresses = sorted(
            {u.email.strip().lower() for u in members if u.email and u.email.strip()} | {agency_address} - {""}
        )
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    report=report,
                    day=day,
                    kind=kind,
                    days_to_deadline=year.days_to_deadline(day),
                    recipients=addresses,
                    notified_users=len(members),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            # Another run reminded this agency between our check and our insert.
            raise ReminderRefused(
                _("%(agency)s was already reminded today.") % {"agency": report.agency.name}
            ) from None
        with in_portal_language():
            subject, body = reminder_text(report, day, base_url=base_url)
            kind_label = str(reminder.get_kind_display())
        log_action(
            actor,
            Action.REMINDER_SENT,
            report=report,
            message=f"{kind_label}: {', '.join(addresses) or '—'}",
        )
        notify(members, title=subject, body=body, url=_report_link(report), email=False)
        messages = [
            EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
            for address in addresses
        ]
        if messages:
            transaction.on_commit(lambda: _send_reminder_emails(reminder.pk, messages))
    return reminder


@dataclass
class ReminderRun:
    """What one round of reminders did for one year."""

    reporting_year: ReportingYear
    sent: list[Reminder] = field(default_factory=list)
    skipped: list[tuple[Report, str]] = field(default_factory=list)

    @property
    def emails(self) -> int:
        return sum(len(r.recipients) for r in self.sent)


def _not_submitted(reporting_year: ReportingYear):
    return (
        Report.objects.filter(reporting_year=reporting_year)
        .exclude(state__in=Report.SUBMITTED_STATES)
        .select_related("agency")
        .order_by("agency__position", "agency__name")
    )


def reminders_send_to_unsubmitted(
    *,
    reporting_year: ReportingYear,
    kind: str,
    actor=None,
    day: datetime.date | None = None,
    base_url: str | None = None,
) -> ReminderRun:
    """Remind every agency of the year whose report is not in; each agency on its own (one failure stops none)."""
    if kind == Reminder.Kind.MANUAL:
        _ensure_reviewer(actor)
    run = ReminderRun(reporting_year=reporting_year)
    for report in _not_submitted(reporting_year):
        try:
            run.sent.append(reminder_send(report=report, kind=kind, actor=actor, day=day, base_url=base_url))
        except ReminderRefused as refusal:
            run.skipped.append((report, refusal.message))
    return run


@dataclass
class YearReminders:
    """What the daily job did for one reporting year: a round of reminders, or why there was none."""

    reporting_year: ReportingYear
    run: ReminderRun | None = None
    skipped: str = ""  # "closed", "archived" or "not_due" when there was no round
    next_day: datetime.date | None = None  # for "not_due": the next day reminders go out

    @property
    def failed(self) -> list[Reminder]:
        """Reminders of this round whose e-mails could not be sent."""
        if self.run is None or not self.run.sent:
            return []
        return list(
            Reminder.objects.filter(pk__in=[r.pk for r in self.run.sent])
            .exclude(error="")
            .select_related("report__agency")
            .order_by("report__agency__position", "report__agency__name")
        )


def next_reminder_day(reporting_year: ReportingYear, day: datetime.date) -> datetime.date:
    """The first day after `day` on which the daily job reminds for this year."""
    left = reporting_year.days_to_deadline(day)
    earlier = [d for d in settings.REMINDER_DAYS_BEFORE if 0 <= d < left]
    if earlier:
        return reporting_year.deadline - datetime.timedelta(days=max(earlier))
    return max(day, reporting_year.deadline) + datetime.timedelta(days=1)


def reminders_send_due(*, day: datetime.date) -> list[YearReminders]:
    """The daily job: for every open year, remind if `day` is a reminder day; say why other years were skipped."""
    outcomes = []
    for year in ReportingYear.objects.select_related(
        "directive", "directive__implements", "consolidating_agency"
    ).order_by("year", "pk"):
        if year.state != ReportingYear.State.OPEN:
            outcomes.append(YearReminders(reporting_year=year, skipped=year.state))
        elif not reminder_due(year, day):
            outcomes.append(
                YearReminders(reporting_year=year, skipped="not_due", next_day=next_reminder_day(year, day))
            )
        else:
            run = reminders_send_to_unsubmitted(reporting_year=year, kind=Reminder.Kind.AUTOMATIC, day=day)
            outcomes.append(YearReminders(reporting_year=year, run=run))
    return outcomes


# --- Reporting years ---------------------------------------------------------------------------------------


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
