from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Every model whose rows the dashboard's figures, charts or heat map are computed from.
WATCHED_MODELS = [
    "reports.Report",
    "reports.TaskReport",
    "reports.IndicatorValue",
    "assignments.ReportingYear",
    "assignments.Agency",
    "assignments.Assignment",
    "assignments.Directive",
    "assignments.TaskGroup",
    "assignments.Task",
    "assignments.Indicator",
    "assignments.IndicatorTarget",
    # Every service records what it changed, including rows it writes in bulk (assignments) and ratings.
    "audit.AuditEntry",
    # The consolidated page keeps its compiled document under the same generation.
    "outputs.ConsolidatedReport",
    # The review board shows the last reminder of each report.
    "review.Reminder",
]


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from portal.cache import data_changed

        for label in WATCHED_MODELS:
            model = apps.get_model(label)
            post_save.connect(data_changed, sender=model, dispatch_uid=f"dashboards-{label}-saved")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"dashboards-{label}-deleted")
