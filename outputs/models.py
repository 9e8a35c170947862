from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsolidatedReport(models.Model):
    """The consolidating agency's own text for the provincial report of one year (the rest is compiled)."""

    reporting_year = models.OneToOneField(
        "assignments.ReportingYear",
        verbose_name=_("reporting year"),
        on_delete=models.PROTECT,
        related_name="consolidated_report",
    )
    number = models.CharField(_("number"), max_length=20, blank=True, help_text=_("Số: …/BC-… once registered."))
    assessment = models.TextField(_("overall assessment"), blank=True)
    difficulties = models.TextField(_("difficulties and obstacles"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One recipient per line."))
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
