from django.contrib import admin

from review.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: reminders are a record of what was sent."""

    list_display = ("day", "report", "kind", "days_to_deadline", "notified_users", "emailed_at", "error")
    list_filter = ("kind", "report__reporting_year__year")
    search_fields = ("report__agency__name", "report__agency__short_name")
    date_hierarchy = "day"
    list_select_related = ("report", "report__agency", "report__reporting_year")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
