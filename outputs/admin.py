from django.contrib import admin

from outputs.models import ConsolidatedReport


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(admin.ModelAdmin):
    list_display = ["reporting_year", "number", "updated_at", "updated_by"]
    readonly_fields = ["version", "updated_by"]
