"""Who may see and change which report. Pages and downloads use these same helpers.

Agency users see only their own agency's reports; reviewers and leaders (permission `view_all_reports`) see every
agency's. Anything else answers 404, so that guessing another agency's report number tells nothing.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assignments.roles import roles_for
from portal.reads import CompiledRead
from reports.models import Report

# The report with its agency and year, as every report page reads it first: compiled once per process.
_report_with_agency_and_year = CompiledRead(
    lambda pk: Report.objects.select_related("agency", "reporting_year").filter(pk=pk)
)


def get_report_for_user(user, pk: int, *, queryset=None) -> tuple[Report, bool]:
    """The report and whether the user is one of its agency's members; 404 for anyone who may not see it."""
    roles = roles_for(user)
    if queryset is None:
        found = _report_with_agency_and_year(pk)
        if not found:
            raise Http404
        report = found[0]
    else:
        report = get_object_or_404(queryset, pk=pk)
    is_member = report.agency_id in roles.agency_ids
    if not (is_member or roles.can_view_all):
        raise Http404
    return report, is_member


def get_own_report(user, pk: int, *, queryset=None) -> Report:
    """A report the user's agency writes; 404 for everyone else, reviewers included (they read, never write)."""
    report, is_member = get_report_for_user(user, pk, queryset=queryset)
    if not is_member:
        raise Http404
    return report
