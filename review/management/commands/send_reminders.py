"""Daily reminders to agencies that have not submitted. Run it from cron once a day, for example:

    15 7 * * *  cd /srv/portal && .venv/bin/python manage.py send_reminders

Running it twice on the same day sends nothing the second time (one reminder per agency and day).
"""

import datetime

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from review.services import reminders_send_due


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
        runs = reminders_send_due(day=day)
        days_before = ", ".join(str(d) for d in settings.REMINDER_DAYS_BEFORE)
        self.stdout.write(f"{day:%d/%m/%Y}: reminder days are {days_before} days before the deadline and every day after it.")
        if not runs:
            self.stdout.write("No open reporting year: nothing to do.")
        for year, run in runs:
            left = year.days_to_deadline(day)
            where = (
                f"deadline {year.deadline:%d/%m/%Y}, "
                + (f"{left} days left" if left > 0 else "today" if left == 0 else f"{-left} days overdue")
            )
            if run is None:
                self.stdout.write(f"{year.year} ({where}): not a reminder day.")
                continue
            self.stdout.write(
                self.style.SUCCESS(
                    f"{year.year} ({where}): reminded {len(run.sent)} agencies, {run.emails} e-mails."
                )
            )
            for reminder in run.sent:
                to = ", ".join(reminder.recipients) or "no e-mail address, portal notice only"
                self.stdout.write(f"  sent     {reminder.report.agency.short_name}: {to}")
            for report, reason in run.skipped:
                self.stdout.write(f"  skipped  {report.agency.short_name}: {reason}")

    def _day(self, text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--date {text!r} is not a date; write it as YYYY-MM-DD, for example 2026-11-25.") from None
