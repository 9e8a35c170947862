from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from assignments.roles import VIEW_DASHBOARD
from reports.selectors import current_year, year_summary


@login_required
@permission_required(VIEW_DASHBOARD, raise_exception=True)
def dashboard(request):
    year = current_year()
    return render(request, "dashboards/index.html", {"year": year, "summary": year_summary(year) if year else None})
