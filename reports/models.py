"""An agency's yearly report: per task answers, indicator values, evidence, documents issued, communication."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.storage import private_storage


class Report(models.Model):
    """One agency's report for one reporting year (draft → submitted → returned* → accepted)."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("Drafting")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    # States in which the agency may write; the year must also be open (or this report reopened).
    EDITABLE_STATES = (State.NOT_STARTED, State.DRAFT, State.RETURNED)
    # States in which the report counts as handed in.
    SUBMITTED_STATES = (State.SUBMITTED, State.ACCEPTED)

    reporting_year = models.ForeignKey(
        "assignments.ReportingYear", verbose_name=_("reporting year"), on_delete=models.PROTECT, related_name="reports"
    )
    agency = models.ForeignKey(
        "assignments.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED)
    # Optimistic lock: every save and transition adds one; a form carries the number it was drawn from.
    version = models.PositiveIntegerField(_("edit version"), default=1)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The signatory as printed on the report, copied at submission (memberships change, documents do not).
    signatory_name = models.CharField(_("signatory"), max_length=255, blank=True)
    signatory_title = models.CharField(_("signatory's position"), max_length=100, blank=True)
    signatory_is_deputy = models.BooleanField(_("signed on behalf of the head"), default=False)
    days_late = models.IntegerField(
        _("days late"), null=True, blank=True, help_text=_("Counted from the first submission; 0 means on time.")
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened = models.BooleanField(
        _("reopened after the year closed"), default=False, help_text=_("Lets the agency edit in a closed year.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-reporting_year__year", "agency__position", "agency__name"]
        permissions = [
            ("review_report", _("Can review, return and accept reports")),
            ("view_all_reports", _("Can read every agency's report")),
            ("view_dashboard", _("Can see the dashboards")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "agency"], name="reports_report_one_per_agency_year"),
            models.CheckConstraint(
                condition=models.Q(days_late__isnull=True) | models.Q(days_late__gte=0),
                name="reports_report_days_late_not_negative",
            ),
        ]

    def __str__(self):
        return _("%(agency)s – report %(year)s") % {"agency": self.agency, "year": self.reporting_year.year}

    @property
    def is_submitted(self) -> bool:
        """Handed in (reports.figures): submitted and awaiting review, or accepted."""
        return self.state in self.SUBMITTED_STATES

    @property
    def is_with_agency(self) -> bool:
        """Not handed in: not started, drafting, or returned to the agency."""
        return self.state in self.EDITABLE_STATES

    @property
    def awaits_review(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_accepted(self) -> bool:
        return self.state == self.State.ACCEPTED

    @property
    def is_returned(self) -> bool:
        return self.state == self.State.RETURNED

    @property
    def is_late(self) -> bool:
        return bool(self.days_late)

    @property
    def is_on_time(self) -> bool:
        return self.days_late == 0


class TaskReport(models.Model):
    """The agency's answer for one assigned task."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not yet implemented")
        IN_PROGRESS = "in_progress", _("Being implemented")
        COMPLETED = "completed", _("Completed")
        RECURRING = "recurring", _("Recurring, on schedule")

    class Rating(models.TextChoices):
        # Same English word as the status above, another Vietnamese one (status "Đã hoàn thành", rating "Hoàn thành").
        DONE = "done", pgettext_lazy("review rating", "Completed")
        IN_PROGRESS = "in_progress", _("Under way")
        BEHIND = "behind", _("Behind schedule")
        NOT_DONE = "not_done", _("Not carried out")

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="task_reports")
    task = models.ForeignKey(
        "assignments.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="task_reports"
    )
    status = models.CharField(_("implementation status"), max_length=20, choices=Status.choices, blank=True)
    results = models.TextField(_("results achieved"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    review_rating = models.CharField(_("reviewer's rating"), max_length=20, choices=Rating.choices, blank=True)

    class Meta:
        verbose_name = _("task answer")
        verbose_name_plural = _("task answers")
        ordering = ["task__group__number", "task__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "task"], name="reports_taskreport_unique_task"),
        ]

    def __str__(self):
        return f"{self.report} – {self.task.code}"

    @property
    def is_complete(self) -> bool:
        """What submission requires of every task: a status and some results."""
        return bool(self.status) and bool(self.results.strip())


class IndicatorValue(models.Model):
    task_report = models.ForeignKey(
        TaskReport, verbose_name=_("task answer"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        "assignments.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator__position", "indicator__pk"]
        constraints = [
            models.UniqueConstraint(fields=["task_report", "indicator"], name="reports_indicatorvalue_unique"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


def get_private_storage():
    # A callable, so that migrations refer to it by name instead of freezing this machine's folder into them.
    return private_storage


def evidence_path(instance, filename):
    # Random names: the agency's file name is kept in the database only, never on disk or in a URL.
    return f"evidence/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class CurrentEvidenceManager(models.Manager):
    """Files still attached to the report. Removing a file that was part of a submitted version only marks it
    removed, so that the version can still be opened with its evidence; `Evidence.all_objects` sees those too."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        JPG = "jpg", "JPEG"
        PNG = "png", "PNG"

    task_report = models.ForeignKey(
        TaskReport, verbose_name=_("task answer"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), storage=get_private_storage, upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CurrentEvidenceManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class IssuedDocument(models.Model):
    """A document the agency issued to implement the directive (plan, decision, official letter)."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="issued_documents"
    )
    number_symbol = models.CharField(_("number and symbol"), max_length=100)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255)
    title = models.TextField(_("title (summary)"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document issued")
        verbose_name_plural = _("documents issued")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.number_symbol} – {self.title[:60]}"


class CommunicationActivity(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="communication_activities"
    )
    description = models.TextField(_("activity"))
    held_on = models.DateField(_("date"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("communication activity")
        verbose_name_plural = _("communication activities")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.description[:80]


class ReportVersion(models.Model):
    """A frozen copy of the report as it was at each submission, for comparison and for the outputs."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("submission number"))
    snapshot = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    days_late = models.PositiveIntegerField(_("days late"), default=0)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_reportversion_unique_number"),
        ]

    def __str__(self):
        return _("Version %(number)s") % {"number": self.number}


class ReviewComment(models.Model):
    """A reviewer's comment on a task or on the whole report; the reason of a return is one too."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        RETURN_REASON = "return_reason", _("Reason for return")
        ACCEPTANCE = "acceptance", _("Acceptance note")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="review_comments"
    )
    task = models.ForeignKey(
        "assignments.Task",
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a comment on the whole report."),
    )
    version = models.ForeignKey(
        ReportVersion,
        verbose_name=_("on version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:80]
