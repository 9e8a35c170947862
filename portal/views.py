from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assignments.roles import roles_for
from reports import figures
from reports.policy import ReportPolicy
from reports.selectors import current_year, reports_to_write


@login_required
def home(request):
    """What each role can do next: agencies see their report, reviewers the reporting rate, leaders a summary."""
    roles = roles_for(request.user)
    year = current_year()
    context = {"year": year}
    if roles.is_agency_user and year is not None:
        own_reports = reports_to_write(roles.agency_ids, year)
        for report in own_reports:
            report.may = ReportPolicy.for_user(request.user, report)
        context["own_reports"] = own_reports
    if year is not None and (roles.can_view_all or roles.is_reviewer):
        context["summary"] = figures.for_year(year)
    if year is not None:
        context["days_left"] = year.days_to_deadline()
    return render(request, "home.html", context)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_400(request, exception=None):
    """A post over the size, file or field limits (or otherwise malformed): say which limit, and how to get back
    to the form whose typed text the browser tab still keeps."""
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.template.defaultfilters import filesizeformat
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.utils.translation import gettext as _

    if isinstance(exception, RequestDataTooBig):
        reason = _("What was sent is larger than the %(limit)s a save may carry, files included.") % {
            "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
    elif isinstance(exception, TooManyFilesSent):
        reason = _("More than %(limit)s files were attached in one save.") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    elif isinstance(exception, TooManyFieldsSent):
        reason = _("The form sent more fields than the portal accepts at once.")
    else:
        reason = _("The form could not be read; a file name may be too long or contain unusual characters.")
    referer = request.META.get("HTTP_REFERER", "")
    back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else ""
    return render(request, "400.html", {"reason": reason, "back": back}, status=400)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def csrf_failure(request, reason=""):
    """A form sent from a page that went stale (or after logging in again in another tab): say what to do."""
    return render(request, "403_csrf.html", status=403)
