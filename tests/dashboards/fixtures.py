"""People and reports for the dashboard tests: agencies hand in on time or late, reviewers accept or return."""

import datetime

import pytest
from django.utils import timezone

from assignments.models import Membership
from reports.models import Report, TaskReport
from reports.services import report_accept, report_return, report_submit
from reports.years import reporting_year_create
from tests.conftest import fill_report


def at_local(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def head_of(django_user_model):
    """head_of(agency) – a head of that agency, created once per agency."""
    heads = {}

    def make(agency):
        if agency.pk not in heads:
            user = django_user_model.objects.create_user(f"head-{agency.pk}", password="pw")
            Membership.objects.create(
                user=user, agency=agency, role=Membership.Role.HEAD, position_title="Giám đốc"
            )
            heads[agency.pk] = user
        return heads[agency.pk]

    return make


@pytest.fixture
def hand_in(head_of):
    """hand_in(report, days_late=0, status=…, accepted_by=None) – fill every task and submit, as the head would."""

    def submit(
        report: Report, *, days_late: int = 0, status=TaskReport.Status.COMPLETED, accepted_by=None
    ) -> Report:
        fill_report(report, status=status)
        report.refresh_from_db()
        day = report.reporting_year.deadline + datetime.timedelta(days=days_late if days_late > 0 else -2)
        report = report_submit(report=report, actor=head_of(report.agency), at=at_local(day))
        if accepted_by is not None:
            report = report_accept(report=report, actor=accepted_by)
        return report

    return submit


@pytest.fixture
def return_report():
    def send_back(report: Report, reviewer) -> Report:
        return report_return(report=report, actor=reviewer, reason="Bổ sung số liệu.")

    return send_back


@pytest.fixture
def last_year(world, hand_in):
    """The year before the world's: every department handed in (one late, each indicator 1), most accepted; closed."""
    from reports.models import IndicatorValue
    from reports.years import reporting_year_close

    year = reporting_year_create(directive=world.letter, year=world.year.year - 1, actor=world.admin)
    reports = list(year.reports.select_related("agency").order_by("agency__position", "agency__name"))
    for i, report in enumerate(reports):
        if report.agency.kind != "department":
            continue
        IndicatorValue.objects.filter(task_report__report=report).update(value=1)
        hand_in(report, days_late=4 if i == 1 else 0, accepted_by=world.reviewer if i % 3 else None)
    reporting_year_close(reporting_year=year, actor=world.reviewer)
    return year
