"""Reads that several pages share."""

from django.db.models import Count, Q

from assignments.models import ReportingYear
from reports.models import Report


def current_year(directive=None) -> ReportingYear | None:
    """The year being reported on: the latest open one, else the latest one."""
    years = ReportingYear.objects.select_related("directive", "consolidating_agency")
    if directive is not None:
        years = years.filter(directive=directive)
    return years.filter(state=ReportingYear.State.OPEN).order_by("-year").first() or years.order_by("-year").first()


def year_summary(reporting_year: ReportingYear) -> dict:
    """Reporting-rate figures for one year, in one query."""
    S = Report.State
    counts = Report.objects.filter(reporting_year=reporting_year).aggregate(
        expected=Count("pk"),
        submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
        on_time=Count("pk", filter=Q(days_late=0)),
        late=Count("pk", filter=Q(days_late__gt=0)),
        accepted=Count("pk", filter=Q(state=S.ACCEPTED)),
        returned=Count("pk", filter=Q(state=S.RETURNED)),
        drafting=Count("pk", filter=Q(state=S.DRAFT)),
        not_started=Count("pk", filter=Q(state=S.NOT_STARTED)),
    )
    counts["not_submitted"] = counts["expected"] - counts["submitted"]
    counts["on_time_percent"] = round(100 * counts["on_time"] / counts["expected"]) if counts["expected"] else 0
    return counts


def reports_for_agencies(agency_ids, *, reporting_year=None):
    qs = Report.objects.filter(agency_id__in=agency_ids).select_related("agency", "reporting_year")
    if reporting_year is not None:
        qs = qs.filter(reporting_year=reporting_year)
    return qs.order_by("-reporting_year__year", "agency__position", "agency__name")
