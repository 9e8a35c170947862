from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Yearly reports")

    def ready(self):
        from assignments.signals import agencies_changed
        from portal.jinja import add_filters, add_globals
        from reports.templatetags.report_tags import number, report_tabs, state_badge, timeliness

        # The report form's task sections and the report pages' header are drawn by Jinja2 (reports/jinja2/).
        add_filters(number=number, state_badge=state_badge, timeliness=timeliness)
        add_globals(report_tabs=report_tabs)
        agencies_changed.connect(_sync_open_years, dispatch_uid="reports-sync-open-years-on-agencies-changed")


def _sync_open_years(sender, describe: bool = False, **kwargs):
    """The open years' reports follow a reorganisation: new units start owing, untouched reports of ended ones go.

    With `describe` (the admin's preview of a succession) it answers with a sentence per report it created or
    removed."""
    from reports.years import reports_sync_open_years, reports_sync_open_years_described

    if describe:
        return reports_sync_open_years_described()
    reports_sync_open_years()
    return None
