from django.contrib import admin

from outputs.models import ConsolidatedReport, GeneratedOutput


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(admin.ModelAdmin):
    """Read-only here: the text is written on the consolidated report page, which checks versions and audits."""

    list_display = ["reporting_year", "number", "issued_on", "version", "updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GeneratedOutput)
class GeneratedOutputAdmin(admin.ModelAdmin):
    """Generated documents and the jobs making them: to see what failed and why."""

    list_display = [
        "kind",
        "reporting_year",
        "report",
        "state",
        "progress",
        "pages",
        "size",
        "created_at",
        "finished_at",
        "task_id",
    ]
    list_filter = ["kind", "state", "reporting_year"]
    list_select_related = ["reporting_year", "report__agency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
