"""The refusals of the reporting rules: each carries a message for the user, which views show as it is."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.models import AuditEntry


def display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


class ReportError(Exception):
    """A rule of the reporting cycle stops the action; `message` is written for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReportPermissionError(ReportError):
    pass


class IncompleteReportError(ReportError):
    def __init__(self, tasks):
        self.tasks = list(tasks)
        codes = ", ".join(t.code for t in self.tasks)
        super().__init__(
            ngettext(
                "Task %(codes)s has no status or no results yet; fill them in before submitting.",
                "Tasks %(codes)s have no status or no results yet; fill them in before submitting.",
                len(self.tasks),
            )
            % {"codes": codes}
        )


class StaleReportError(ReportError):
    """Somebody saved the report after the form was opened; `entries` says who changed what since."""

    def __init__(self, report, since_version: int):
        self.report = report
        self.since_version = since_version
        self.entries = list(
            AuditEntry.objects.filter(report=report, version__gt=since_version)
            .select_related("actor")
            .order_by("created_at", "pk")
        )
        names = sorted({display_name(e.actor) for e in self.entries if e.actor}) or [_("another user")]
        super().__init__(
            _(
                "%(names)s changed this report after you opened it, so your changes were not saved. "
                "Their changes are shown below; your text is still in the form. Check it and save again."
            )
            % {"names": ", ".join(names)}
        )
