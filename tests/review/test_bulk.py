"""Accepting several submitted reports at once from the board."""

import pytest
from django.urls import reverse

from assignments.models import ReportingYear
from audit.models import Action, AuditEntry
from reports.models import Report
from reports.years import reporting_year_create
from tests.review.conftest import submit

pytestmark = pytest.mark.django_db


def accept_url(world):
    return reverse("review:accept_selected", kwargs={"year": world.year.year})


def test_accepting_the_ticked_reports_accepts_each_and_records_each(world, reviewer_client):
    a = submit(world.report_a, world.head_a)
    b = submit(world.report_b, world.head_b)

    response = reviewer_client.post(accept_url(world), {"reports": [a.pk, b.pk]}, follow=True)

    for report in (a, b):
        report.refresh_from_db()
        assert report.state == Report.State.ACCEPTED
        assert report.accepted_by == world.reviewer
    assert AuditEntry.objects.filter(action=Action.REPORT_ACCEPTED, report__in=[a, b]).count() == 2
    assert [str(m) for m in response.context["messages"]] == ["Đã chấp nhận 2 báo cáo."]


def test_a_report_no_longer_awaiting_review_is_named_and_left_alone_while_the_others_are_accepted(
    world, reviewer_client
):
    a = submit(world.report_a, world.head_a)

    response = reviewer_client.post(accept_url(world), {"reports": [a.pk, world.report_b.pk]}, follow=True)

    a.refresh_from_db()
    world.report_b.refresh_from_db()
    assert a.state == Report.State.ACCEPTED
    assert world.report_b.state == Report.State.NOT_STARTED
    notices = [str(m) for m in response.context["messages"]]
    assert any(world.agency_b.name in n for n in notices)


def test_a_report_of_another_year_cannot_be_slipped_into_the_bulk_acceptance(world, reviewer_client):
    other = reporting_year_create(directive=world.letter, year=world.year.year - 1, actor=world.admin)
    other_report = submit(Report.objects.get(reporting_year=other, agency=world.agency_a), world.head_a)

    reviewer_client.post(accept_url(world), {"reports": [other_report.pk]})

    other_report.refresh_from_db()
    assert other_report.state == Report.State.SUBMITTED


def test_nothing_is_accepted_in_an_archived_year(world, reviewer_client):
    a = submit(world.report_a, world.head_a)
    ReportingYear.objects.filter(pk=world.year.pk).update(state=ReportingYear.State.ARCHIVED)

    reviewer_client.post(accept_url(world), {"reports": [a.pk]})

    a.refresh_from_db()
    assert a.state == Report.State.SUBMITTED


def test_the_board_offers_a_tick_box_only_for_reports_awaiting_review(world, reviewer_client):
    a = submit(world.report_a, world.head_a)

    page = reviewer_client.get(reverse("review:board", kwargs={"year": world.year.year})).content.decode()

    assert f'name="reports" value="{a.pk}"' in page
    assert f'name="reports" value="{world.report_b.pk}"' not in page
