from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assignments.models import ReportingYear
from assignments.roles import roles_for
from reports.selectors import current_year, reports_for_agencies, year_summary


@login_required
def home(request):
    """What each role can do next: agencies see their report, reviewers the reporting rate, leaders a summary."""
    roles = roles_for(request.user)
    year = current_year()
    context = {"year": year}
    if roles.is_agency_user and year is not None:
        # Every report still open for writing (two years can be open at once), else the current year's.
        own = reports_for_agencies(roles.agency_ids).filter(reporting_year__state=ReportingYear.State.OPEN)
        own_reports = sorted(own, key=lambda r: (r.reporting_year.year, r.agency.position, r.agency.name))
        if not own_reports:
            own_reports = list(reports_for_agencies(roles.agency_ids, reporting_year=year))
        context["own_reports"] = own_reports
    if year is not None and (roles.can_view_all or roles.is_reviewer):
        context["summary"] = year_summary(year)
    if year is not None:
        context["days_left"] = year.days_to_deadline()
    return render(request, "home.html", context)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """A form sent from a page that went stale (or after logging in again in another tab): say what to do."""
    return render(request, "403_csrf.html", status=403)
