"""Downloads of the official documents as Word files, with the same access as their PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assignments.roles import VIEW_ALL
from outputs.docx import CONTENT_TYPE
from outputs.selectors import latest_version, output_reports, year_for_outputs
from outputs.word import agency_docx, consolidated_docx
from reports.access import get_report_for_user


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Documents may hold what agencies have not published: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def agency_report_docx(request, pk: int):
    """One agency's report as an editable Word file, from its latest submitted version (same access as the PDF)."""
    report, _is_member = get_report_for_user(request.user, pk, queryset=output_reports())
    version = latest_version(report)
    if version is None:
        messages.info(
            request, _("This report has not been submitted yet: its Word file is made from the submitted version.")
        )
        return redirect("reports:detail", pk=report.pk)
    return _attachment(*agency_docx(report=report, version=version, actor=request.user))


@login_required
@permission_required(VIEW_ALL, raise_exception=True)
@require_GET
def consolidated_docx_download(request, year: int):
    reporting_year = year_for_outputs(year)
    if reporting_year is None:
        raise Http404
    return _attachment(*consolidated_docx(reporting_year=reporting_year, actor=request.user))
