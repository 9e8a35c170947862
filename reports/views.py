from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assignments.roles import roles_for
from reports.access import get_report_for_user
from reports.selectors import reports_for_agencies


@login_required
def report_index(request):
    """The reports of the user's agencies, every year."""
    roles = roles_for(request.user)
    reports = list(reports_for_agencies(roles.agency_ids))
    return render(request, "reports/index.html", {"reports": reports})


@login_required
def report_detail(request, pk: int):
    report, is_member = get_report_for_user(request.user, pk)
    return render(request, "reports/detail.html", {"report": report, "is_member": is_member})
