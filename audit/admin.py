from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "agency", "reporting_year", "from_state", "to_state"]
    list_filter = ["action", "reporting_year"]
    search_fields = ["message", "agency__name", "actor__username"]
    list_select_related = ["actor", "agency", "reporting_year"]
    date_hierarchy = "created_at"

    # The log is append-only: nobody edits or deletes history, not even an administrator.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
