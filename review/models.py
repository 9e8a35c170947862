"""What the reviewers' side of the reporting cycle records on its own: the reminders sent to agencies."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """One reminder to one agency about its report, sent by the daily job or by a reviewer.

    The row is written before anything is sent (e-mails leave once the transaction has committed), and there is
    at most one per report and day, so a job run twice, or a reviewer clicking twice, never reminds twice.
    """

    class Kind(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MANUAL = "manual", _("Sent by a reviewer")

    report = models.ForeignKey(
        "reports.Report", verbose_name=_("report"), on_delete=models.PROTECT, related_name="reminders"
    )
    day = models.DateField(_("day"), help_text=_("The day in Hưng Yên on which the reminder was sent."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    days_to_deadline = models.IntegerField(
        _("days to the deadline"),
        help_text=_("Positive: days left; zero: the deadline; negative: days overdue."),
    )
    recipients = models.JSONField(_("e-mail addresses"), default=list, blank=True)
    notified_users = models.PositiveIntegerField(_("users notified in the portal"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the automatic daily reminders."),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    emailed_at = models.DateTimeField(_("e-mails handed to the mail server"), null=True, blank=True)
    error = models.TextField(_("sending error"), blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A report belongs to one agency and one year: this is "once per agency, year and day".
            models.UniqueConstraint(fields=["report", "day"], name="review_reminder_once_per_report_day"),
        ]
        indexes = [models.Index(fields=["report", "created_at"], name="review_reminder_report_time")]

    def __str__(self):
        return f"{self.report} – {self.day:%d/%m/%Y}"
