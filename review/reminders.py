"""Reminders to the agencies whose report is not in: when they are due, their text (a polite official letter),
sending them to the agency's users and official mailbox, and the daily run over every open year."""

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
from audit.models import Action
from audit.services import log_action
from notifications.services import in_portal_language, notify
from reports.errors import ReportError
from reports.models import Report
from reports.policy import ReportPolicy, remind_state
from reports.transitions import lock_report
from review.models import Reminder
from review.services import ensure_reviewer

logger = logging.getLogger(__name__)

State = Report.State


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
    Long because the letter is written out in full, paragraph by paragraph, as the agency reads it.
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
    Long because every refusal is a check of its own with its own message, all inside the one locked transaction.
    """
    day = day or timezone.localdate()
    with transaction.atomic():
        report = lock_report(report.pk)
        year = report.reporting_year
        if kind == Reminder.Kind.MANUAL:
            ReportPolicy.for_actor(actor, report).remind.check(ReminderRefused)
        else:
            remind_state(report).check(ReminderRefused)
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
        ensure_reviewer(actor)
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


