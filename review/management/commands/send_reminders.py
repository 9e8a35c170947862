"""Daily reminders to agencies that have not submitted. Run it from cron once a day, for example:

    15 7 * * *  cd /srv/portal && .venv/bin/python manage.py send_reminders

Running it twice on the same day sends nothing the second time (one reminder per agency and day). It says what it
did for each reporting year, and why it left a year alone. The exit status is non-zero only when something went
wrong (e-mails that could not be sent), never because there was nobody to remind.
"""

import datetime

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.models import ReportingYear
from review.reminders import YearReminders, reminders_send_due


class Command(BaseCommand):
    help = (
        "E-mail the members of every agency whose report for an open year is not in, on the configured days "
        "before the deadline (REMINDER_DAYS_BEFORE) and every day once it has passed. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Act as if today were this day (YYYY-MM-DD); default: today in Hưng Yên.",
        )

    def handle(self, *args, date=None, **options):
        day = self._day(date)
        outcomes = reminders_send_due(day=day)
        self.stdout.write(
            _("%(day)s: reminders go %(days)s days before the deadline and every day after it.")
            % {"day": f"{day:%d/%m/%Y}", "days": ", ".join(str(d) for d in settings.REMINDER_DAYS_BEFORE)}
        )
        if not any(o.reporting_year.state == ReportingYear.State.OPEN for o in outcomes):
            self.stdout.write(_("No open reporting year: nothing to do."))
        failed = 0
        for outcome in outcomes:
            failed += self._report(outcome, day)
        if failed:
            raise CommandError(
                ngettext(
                    "%(count)d reminder could not be e-mailed; it is recorded and will not be sent again by itself.",
                    "%(count)d reminders could not be e-mailed; they are recorded and will not be sent again by "
                    "themselves.",
                    failed,
                )
                % {"count": failed}
            )

    def _report(self, outcome: YearReminders, day: datetime.date) -> int:
        """Write what happened for one year; returns the number of reminders whose e-mails failed."""
        year = outcome.reporting_year
        if outcome.skipped == ReportingYear.State.CLOSED:
            self.stdout.write(
                _("Year %(year)s: skipped, the year is closed (agencies can no longer submit).")
                % {"year": year.year}
            )
            return 0
        if outcome.skipped == ReportingYear.State.ARCHIVED:
            self.stdout.write(_("Year %(year)s: skipped, the year is archived.") % {"year": year.year})
            return 0
        where = self._where(year, day)
        if outcome.skipped == "not_due":
            self.stdout.write(
                _("%(year)s: skipped, not a reminder day; the next reminders go out on %(next)s.")
                % {"year": where, "next": f"{outcome.next_day:%d/%m/%Y}"}
            )
            return 0
        run = outcome.run
        if not run.sent and not run.skipped:
            self.stdout.write(_("%(year)s: every agency has submitted, nobody to remind.") % {"year": where})
            return 0
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(year)s: %(count)d agency reminded, %(emails)d e-mails.",
                    "%(year)s: %(count)d agencies reminded, %(emails)d e-mails.",
                    len(run.sent),
                )
                % {"year": where, "count": len(run.sent), "emails": run.emails}
            )
        )
        for reminder in run.sent:
            to = ", ".join(reminder.recipients) or _("no e-mail address, notice in the portal only")
            self.stdout.write(
                "  " + _("sent to %(agency)s: %(to)s") % {"agency": reminder.report.agency.short_name, "to": to}
            )
        for report, reason in run.skipped:
            self.stdout.write(
                "  " + _("skipped %(agency)s: %(reason)s") % {"agency": report.agency.short_name, "reason": reason}
            )
        failed = outcome.failed
        for reminder in failed:
            self.stderr.write(
                "  "
                + _("could not e-mail %(agency)s: %(error)s")
                % {"agency": reminder.report.agency.short_name, "error": reminder.error}
            )
        return len(failed)

    @staticmethod
    def _where(year: ReportingYear, day: datetime.date) -> str:
        left = year.days_to_deadline(day)
        if left > 0:
            when = ngettext("%(days)d day left", "%(days)d days left", left) % {"days": left}
        elif left == 0:
            when = _("due today")
        else:
            when = ngettext("%(days)d day overdue", "%(days)d days overdue", -left) % {"days": -left}
        return _("Year %(year)s (deadline %(deadline)s, %(when)s)") % {
            "year": year.year,
            "deadline": f"{year.deadline:%d/%m/%Y}",
            "when": when,
        }

    def _day(self, text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                _("--date %(value)s is not a date: write it as YYYY-MM-DD, for example 2026-11-25.")
                % {"value": text}
            ) from None
