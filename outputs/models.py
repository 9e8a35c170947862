import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.storage import private_storage


class ConsolidatedReport(models.Model):
    """The consolidating agency's own text for the provincial report of one year (the rest is compiled)."""

    reporting_year = models.OneToOneField(
        "assignments.ReportingYear",
        verbose_name=_("reporting year"),
        on_delete=models.PROTECT,
        related_name="consolidated_report",
    )
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("Số: …/BC-… once registered.")
    )
    issued_on = models.DateField(
        _("date of issue"),
        null=True,
        blank=True,
        help_text=_("Leave empty until the document is registered."),
    )
    assessment = models.TextField(_("overall assessment"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    recipients = models.TextField(
        _("recipients (Nơi nhận)"), blank=True, help_text=_("One recipient per line.")
    )
    signatory_name = models.CharField(_("signatory"), max_length=255, blank=True)
    signatory_title = models.CharField(_("signatory's position"), max_length=100, blank=True)
    signatory_is_deputy = models.BooleanField(_("signed on behalf of the head"), default=False)
    version = models.PositiveIntegerField(_("edit version"), default=1)
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
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")
        ordering = ["-reporting_year__year"]
        permissions = [("compile_consolidatedreport", _("Can write and export the consolidated report"))]

    def __str__(self):
        return _("Consolidated report %(year)s") % {"year": self.reporting_year.year}


def output_storage():
    # A callable, so that migrations name this function instead of freezing the folder of one machine.
    return private_storage


def output_path(instance, filename):
    # Random names under outputs/: files are served only through views that check who is asking.
    return f"outputs/{instance.kind}/{instance.reporting_year.year}/{uuid.uuid4().hex}{Path(filename).suffix}"


class GeneratedOutput(models.Model):
    """A generated document, kept until the data behind it changes; for long documents also the job making it.

    `fingerprint` hashes everything printed on the document and the code that lays it out (see
    outputs.documents.fingerprint): a download finds the file for the current fingerprint or makes a new one.
    """

    class Kind(models.TextChoices):
        AGENCY_PDF = "agency_pdf", _("Agency report (PDF)")
        CONSOLIDATED_PDF = "consolidated_pdf", _("Consolidated report (PDF)")
        CONSOLIDATED_XLSX = "consolidated_xlsx", _("Consolidated report (Excel)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    reporting_year = models.ForeignKey(
        "assignments.ReportingYear",
        verbose_name=_("reporting year"),
        on_delete=models.CASCADE,
        related_name="generated_outputs",
    )
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="generated_outputs",
    )
    fingerprint = models.CharField(_("fingerprint of the content"), max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    work_units = models.PositiveIntegerField(
        _("size of the work"), default=0, help_text=_("Agency entries in the document, to estimate the time.")
    )
    file = models.FileField(
        _("file"), storage=output_storage, upload_to=output_path, max_length=255, blank=True
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    task_id = models.CharField(
        _("task"), max_length=64, blank=True, help_text=_("The queue's task building this document.")
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "reporting_year", "fingerprint"], name="outputs_lookup")]
        constraints = [
            # One job at a time per document: a second request joins the running one.
            models.UniqueConstraint(
                fields=["kind", "reporting_year"],
                condition=Q(report__isnull=True, state__in=["queued", "running"]),
                name="outputs_one_active_job_per_year_document",
            ),
            models.UniqueConstraint(
                fields=["kind", "report"],
                condition=Q(report__isnull=False, state__in=["queued", "running"]),
                name="outputs_one_active_job_per_report_document",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="outputs_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.filename or self.reporting_year_id}"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.DONE
