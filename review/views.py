from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render

from assignments.models import ReportingYear
from assignments.roles import REVIEW
from reports.models import Report
from reports.selectors import current_year, year_summary


@login_required
@permission_required(REVIEW, raise_exception=True)
def board_current(request):
    year = current_year()
    if year is None:
        return render(request, "review/board.html", {"year": None})
    return redirect("review:board", year=year.year)


@login_required
@permission_required(REVIEW, raise_exception=True)
def board(request, year: int):
    reporting_year = get_object_or_404(ReportingYear, year=year)
    reports = Report.objects.filter(reporting_year=reporting_year).select_related("agency")
    return render(
        request,
        "review/board.html",
        {"year": reporting_year, "reports": reports, "summary": year_summary(reporting_year)},
    )


@login_required
@permission_required(REVIEW, raise_exception=True)
def review_report(request, pk: int):
    report = get_object_or_404(Report.objects.select_related("agency", "reporting_year"), pk=pk)
    return render(request, "review/report.html", {"report": report})
