from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assignments.roles import roles_for
from reports.selectors import current_year, reports_for_agencies, year_summary


@login_required
def home(request):
    """What each role can do next: agencies see their report, reviewers the reporting rate, leaders a summary."""
    roles = roles_for(request.user)
    year = current_year()
    context = {"year": year}
    if roles.is_agency_user and year is not None:
        context["own_reports"] = list(reports_for_agencies(roles.agency_ids, reporting_year=year))
    if year is not None and (roles.can_view_all or roles.is_reviewer):
        context["summary"] = year_summary(year)
    if year is not None:
        context["days_left"] = year.days_to_deadline()
    return render(request, "home.html", context)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
