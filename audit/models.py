from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    # A context of their own: "Submitted" here is an action, not the state of a report.
    REPORT_CREATED = "report_created", pgettext_lazy("audit action", "Report opened")
    REPORT_SAVED = "report_saved", pgettext_lazy("audit action", "Draft saved")
    REPORT_COPIED = "report_copied", pgettext_lazy("audit action", "Copied from the previous year")
    EVIDENCE_ADDED = "evidence_added", pgettext_lazy("audit action", "Evidence attached")
    EVIDENCE_REMOVED = "evidence_removed", pgettext_lazy("audit action", "Evidence removed")
    REPORT_SUBMITTED = "report_submitted", pgettext_lazy("audit action", "Submitted")
    REPORT_RETURNED = "report_returned", pgettext_lazy("audit action", "Returned for correction")
    REPORT_ACCEPTED = "report_accepted", pgettext_lazy("audit action", "Accepted")
    REPORT_REOPENED = "report_reopened", pgettext_lazy("audit action", "Reopened after closing")
    REVIEW_COMMENTED = "review_commented", pgettext_lazy("audit action", "Reviewer commented")
    TASK_RATED = "task_rated", pgettext_lazy("audit action", "Reviewer rated a task")
    REMINDER_SENT = "reminder_sent", pgettext_lazy("audit action", "Reminder sent")
    YEAR_CREATED = "year_created", pgettext_lazy("audit action", "Reporting year created")
    YEAR_CLOSED = "year_closed", pgettext_lazy("audit action", "Reporting year closed")
    YEAR_REOPENED = "year_reopened", pgettext_lazy("audit action", "Reporting year reopened")
    YEAR_ARCHIVED = "year_archived", pgettext_lazy("audit action", "Reporting year archived")
    AGENCY_REORGANISED = "agency_reorganised", pgettext_lazy("audit action", "Agency reorganised")
    AGENCY_CONFIRMED = "agency_confirmed", pgettext_lazy("audit action", "Reorganisation record confirmed")
    YEAR_CHANGED = "year_changed", pgettext_lazy("audit action", "Reporting year changed")
    ASSIGNMENTS_SYNCED = "assignments_synced", pgettext_lazy("audit action", "Assignments derived from the task groups")
    CONSOLIDATED_SAVED = "consolidated_saved", pgettext_lazy("audit action", "Consolidated report text saved")
    EXPORT_GENERATED = "export_generated", pgettext_lazy("audit action", "Document generated")


class AuditEntry(models.Model):
    """One thing somebody did: append-only, never edited, shown on the history pages."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=50, choices=Action.choices)
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("report"), null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    reporting_year = models.ForeignKey(
        "assignments.ReportingYear",
        verbose_name=_("reporting year"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    agency = models.ForeignKey(
        "assignments.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    from_state = models.CharField(_("from state"), max_length=20, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, blank=True)
    version = models.PositiveIntegerField(_("version after the action"), null=True, blank=True)
    message = models.TextField(_("reason or comment"), blank=True)
    changes = models.JSONField(_("what changed"), default=list, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["report", "created_at"], name="audit_report_time")]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor} {self.action}"
