from django.contrib import admin, messages

from assignments.models import ReportingYear
from reports.errors import ReportError
from reports.models import (
    CommunicationActivity,
    Evidence,
    IndicatorValue,
    IssuedDocument,
    Report,
    ReportVersion,
    ReviewComment,
    TaskReport,
)
from reports.years import reporting_year_change, reporting_year_create


class TaskReportInline(admin.StackedInline):
    model = TaskReport
    extra = 0
    fields = ["task", "status", "results", "difficulties", "proposals", "review_rating"]
    readonly_fields = ["task"]
    can_delete = False


class IssuedDocumentInline(admin.TabularInline):
    model = IssuedDocument
    extra = 0


class CommunicationActivityInline(admin.TabularInline):
    model = CommunicationActivity
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["agency", "reporting_year", "state", "submitted_at", "days_late", "version"]
    list_filter = ["reporting_year", "state", "agency__kind"]
    search_fields = ["agency__name", "agency__short_name"]
    list_select_related = ["agency", "reporting_year"]
    # States, signatures and timeliness change only through the reporting cycle (reports.services), which
    # checks the rules and writes the history; the admin shows them.
    readonly_fields = [
        "reporting_year",
        "agency",
        "state",
        "version",
        "first_submitted_at",
        "submitted_at",
        "submitted_by",
        "signatory_name",
        "signatory_title",
        "signatory_is_deputy",
        "days_late",
        "accepted_at",
        "accepted_by",
        "reopened",
        "updated_by",
    ]
    inlines = [TaskReportInline, IssuedDocumentInline, CommunicationActivityInline]

    def has_add_permission(self, request):
        return False


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "task_report", "value"]
    list_select_related = ["indicator", "task_report__report__agency", "task_report__task"]
    list_filter = ["indicator"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "size", "task_report", "uploaded_by", "uploaded_at"]
    readonly_fields = ["file", "sha256", "size", "kind"]
    list_select_related = ["task_report__report__agency", "task_report__task", "uploaded_by"]


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ["report", "number", "submitted_at", "submitted_by", "days_late"]
    list_select_related = ["report__agency", "report__reporting_year", "submitted_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["report", "task", "kind", "author", "created_at"]
    list_select_related = ["report__agency", "report__reporting_year", "task", "author"]


@admin.register(ReportingYear)
class ReportingYearAdmin(admin.ModelAdmin):
    """Years are created and changed through the year's services, as on the reviewers' page: checked, their
    reports brought in line, and every change in the audit log."""

    list_display = ["year", "directive", "deadline", "consolidating_agency", "state"]
    list_filter = ["state"]
    # The state changes through the reviewers' year management, which checks and logs each step.
    readonly_fields = ["state", "created_at", "closed_at", "archived_at"]

    def save_model(self, request, obj, form, change):
        try:
            if change:
                reporting_year_change(reporting_year=obj, actor=request.user, changed=form.changed_data)
            else:
                fields = {name: form.cleaned_data[name] for name in form.changed_data if name not in ("directive", "year")}
                created = reporting_year_create(
                    directive=obj.directive, year=obj.year, actor=request.user, **fields
                )
                obj.pk = created.pk
        except ReportError as error:
            messages.error(request, error.message)

    def has_delete_permission(self, request, obj=None):
        return False  # a year's reports and history are never deleted; archive it instead
