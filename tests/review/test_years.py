"""Year management: open the next year, close a year, reopen one agency's report, archive."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.models import Agency, ReportingYear
from audit.models import Action, AuditEntry
from notifications.models import Notification
from reports.errors import ReportError
from reports.models import Report, TaskReport
from reports.services import ensure_agency_can_edit, report_accept, report_editing
from reports.years import reporting_year_close, reporting_year_create
from tests.review.conftest import submit

pytestmark = pytest.mark.django_db


def create(client, **data):
    return client.post(reverse("review:year_create"), data)


def test_the_years_page_lists_each_year_with_its_state_and_counts(world, reviewer_client):
    submit(world.report_a, world.head_a)

    response = reviewer_client.get(reverse("review:years"))

    year = response.context["years"][0]
    assert (year.year, year.expected, year.submitted, year.awaiting, year.accepted) == (
        world.year.year,
        29,
        1,
        1,
        0,
    )
    page = response.content.decode()
    assert "Đang mở" in page
    assert response.context["create_form"].initial["year"] == world.year.year + 1


def test_opening_the_next_year_gives_every_assigned_agency_its_report(world, reviewer_client):
    next_year = world.year.year + 1
    dpi = Agency.objects.get(short_name="SKHĐT")

    response = create(
        reviewer_client,
        year=next_year,
        deadline=f"02/12/{next_year}",
        consolidating_agency=dpi.pk,
        open_years_seen=world.year.year,
    )

    assert response.status_code == 302
    created = ReportingYear.objects.get(year=next_year)
    assert created.directive == world.letter
    assert created.deadline == datetime.date(next_year, 12, 2)
    assert created.state == ReportingYear.State.OPEN
    assert created.reports.count() == 29
    sct = created.reports.get(agency=world.agency_a)
    assert sorted(TaskReport.objects.filter(report=sct).values_list("task__code", flat=True)) == [
        "3.1",
        "3.2",
        "9.1",
        "9.2",
        "9.3",
        "9.4",
    ]
    assert AuditEntry.objects.filter(
        action=Action.YEAR_CREATED, reporting_year=created, actor=world.reviewer
    ).exists()


def test_a_year_that_exists_or_a_bad_date_is_refused_next_to_the_field(world, reviewer_client):
    response = create(
        reviewer_client,
        year=world.year.year,
        deadline="31/02/2030",
        consolidating_agency=world.year.consolidating_agency_id,
    )

    assert response.status_code == 400
    form = response.context["create_form"]
    assert "đã có" in form.errors["year"][0]
    assert "dd/mm/yyyy" in form.errors["deadline"][0]
    assert 'value="31/02/2030"' in response.content.decode()  # what was typed is kept
    assert ReportingYear.objects.count() == 1


def test_closing_a_year_stops_every_edit_by_agencies(world, reviewer_client):
    response = reviewer_client.post(reverse("review:year_close", kwargs={"pk": world.year.pk}))

    assert response.status_code == 302
    world.year.refresh_from_db()
    assert world.year.state == ReportingYear.State.CLOSED
    report = Report.objects.get(pk=world.report_a.pk)
    with pytest.raises(ReportError):
        ensure_agency_can_edit(report, world.staff_a)
    with (
        pytest.raises(ReportError),
        report_editing(report=report, actor=world.staff_a, expected_version=report.version),
    ):
        pass
    assert AuditEntry.objects.filter(action=Action.YEAR_CLOSED, reporting_year=world.year).exists()


def test_reopening_a_report_needs_a_reason(world, reviewer_client):
    reviewer_client.post(reverse("review:year_close", kwargs={"pk": world.year.pk}))

    response = reviewer_client.post(
        reverse("review:reopen", kwargs={"pk": world.report_a.pk}), {"reason": "  "}
    )

    assert response.status_code == 400
    assert 'id="reopen-error"' in response.content.decode()
    world.report_a.refresh_from_db()
    assert not world.report_a.reopened


def test_reopening_one_report_of_a_closed_year_lets_that_agency_alone_edit_again(
    world, reviewer_client, django_capture_on_commit_callbacks
):
    submitted = submit(world.report_a, world.head_a)
    reviewer_client.post(reverse("review:year_close", kwargs={"pk": world.year.pk}))

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            reverse("review:reopen", kwargs={"pk": submitted.pk}),
            {"reason": "Đơn vị xin bổ sung số liệu quý IV."},
        )

    assert response.status_code == 302
    report = Report.objects.get(pk=submitted.pk)
    assert report.reopened
    assert report.state == Report.State.RETURNED
    assert ensure_agency_can_edit(report, world.staff_a)
    with pytest.raises(ReportError):
        ensure_agency_can_edit(Report.objects.get(pk=world.report_b.pk), world.staff_b)
    entry = AuditEntry.objects.get(action=Action.REPORT_REOPENED, report=report)
    assert entry.message == "Đơn vị xin bổ sung số liệu quý IV."
    assert Notification.objects.filter(recipient=world.head_a, body__contains="quý IV").exists()
    page = reviewer_client.get(reverse("review:report", kwargs={"pk": report.pk})).content.decode()
    assert "Đã mở lại sau khi khóa sổ" in page
    assert 'id="id_reopen_reason"' not in page  # nothing left to reopen


def test_a_report_of_an_open_year_is_not_reopened(world, reviewer_client):
    response = reviewer_client.post(
        reverse("review:reopen", kwargs={"pk": world.report_a.pk}), {"reason": "Thử"}, follow=True
    )

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    world.report_a.refresh_from_db()
    assert not world.report_a.reopened


def test_archiving_needs_a_closed_year_and_keeps_its_reports_readable(world, reviewer_client):
    reviewer_client.post(reverse("review:year_archive", kwargs={"pk": world.year.pk}))
    world.year.refresh_from_db()
    assert world.year.state == ReportingYear.State.OPEN

    reviewer_client.post(reverse("review:year_close", kwargs={"pk": world.year.pk}))
    reviewer_client.post(reverse("review:year_archive", kwargs={"pk": world.year.pk}))

    world.year.refresh_from_db()
    assert world.year.state == ReportingYear.State.ARCHIVED
    assert AuditEntry.objects.filter(action=Action.YEAR_ARCHIVED, reporting_year=world.year).exists()
    assert reviewer_client.get(reverse("review:board", kwargs={"year": world.year.year})).status_code == 200
    assert reviewer_client.get(reverse("review:report", kwargs={"pk": world.report_a.pk})).status_code == 200


def test_the_years_page_makes_the_same_number_of_queries_for_one_year_and_for_many(
    world, reviewer_client, django_assert_num_queries
):
    reviewer_client.get(reverse("review:years"))  # the session, permissions and agencies, then kept in the cache
    with CaptureQueriesContext(connection) as one:
        reviewer_client.get(reverse("review:years"))
    for year in range(world.year.year - 4, world.year.year):
        reporting_year_create(directive=world.letter, year=year, actor=world.admin)

    with django_assert_num_queries(len(one)):
        response = reviewer_client.get(reverse("review:years"))
    assert len(response.context["years"]) == 5


def test_opening_a_year_while_another_is_open_asks_first_and_says_agencies_will_see_both_reports(
    world, reviewer_client
):
    next_year = world.year.year + 1
    typed = {"year": next_year, "deadline": f"02/12/{next_year}", "consolidating_agency": world.agency_b.pk}

    response = create(reviewer_client, **typed)

    assert response.status_code == 200
    assert not ReportingYear.objects.filter(year=next_year).exists()
    page = response.content.decode()
    warning = page[page.index('id="open-years-warning"') :]
    assert f"Năm báo cáo {world.year.year} vẫn đang mở" in warning
    assert f"các đơn vị sẽ thấy cả hai báo cáo – năm {world.year.year} và năm {next_year}" in warning
    assert f'name="open_years_seen" value="{world.year.year}"' in warning
    assert f"Vẫn mở năm {next_year}" in warning
    assert f'value="02/12/{next_year}"' in page  # what was typed is kept for the confirmation
    assert response.context["create_form"]["consolidating_agency"].value() == str(world.agency_b.pk)

    confirmed = create(reviewer_client, **typed, open_years_seen=world.year.year)

    assert confirmed.status_code == 302
    assert ReportingYear.objects.get(year=next_year).state == ReportingYear.State.OPEN


def test_a_confirmation_given_for_other_years_does_not_cover_a_year_opened_since(world, reviewer_client):
    reporting_year_create(directive=world.letter, year=world.year.year - 1, actor=world.admin)
    next_year = world.year.year + 1

    response = create(
        reviewer_client,
        year=next_year,
        deadline=f"02/12/{next_year}",
        consolidating_agency=world.agency_b.pk,
        open_years_seen=world.year.year,
    )

    assert response.status_code == 200
    assert response.context["still_open"].open_years == [world.year.year - 1, world.year.year]
    assert not ReportingYear.objects.filter(year=next_year).exists()


def test_with_no_year_open_the_next_year_opens_without_asking(world, reviewer_client):
    reviewer_client.post(reverse("review:year_close", kwargs={"pk": world.year.pk}))
    next_year = world.year.year + 1

    response = create(
        reviewer_client, year=next_year, deadline=f"02/12/{next_year}", consolidating_agency=world.agency_b.pk
    )

    assert response.status_code == 302
    assert ReportingYear.objects.filter(year=next_year).exists()


def _modal(page: str, modal_id: str) -> str:
    start = page.index(f'id="{modal_id}"')
    return page[start : page.index("</form>", start)]


def test_closing_before_the_deadline_warns_that_it_has_not_passed_and_how_many_reports_are_not_in(
    world, reviewer_client
):
    submit(world.report_a, world.head_a)
    ReportingYear.objects.filter(pk=world.year.pk).update(
        deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y")

    page = reviewer_client.get(reverse("review:years")).content.decode()

    modal = _modal(page, f"close-{world.year.pk}")
    assert f"Chưa đến hạn nộp: các đơn vị được nộp đến hết ngày {deadline}, còn 5 ngày nữa." in modal
    assert "Còn 28/29 báo cáo chưa nộp" in modal


def test_closing_on_the_deadline_day_says_today_is_the_last_day(world, reviewer_client):
    ReportingYear.objects.filter(pk=world.year.pk).update(deadline=timezone.localdate())

    page = reviewer_client.get(reverse("review:years")).content.decode()

    modal = _modal(page, f"close-{world.year.pk}")
    assert "là ngày cuối cùng để các đơn vị nộp báo cáo" in modal
    assert "Còn 29/29 báo cáo chưa nộp" in modal


def test_closing_after_the_deadline_gives_no_early_warning(world, reviewer_client):
    ReportingYear.objects.filter(pk=world.year.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )

    page = reviewer_client.get(reverse("review:years")).content.decode()

    modal = _modal(page, f"close-{world.year.pk}")
    assert "data-early-close" not in modal
    assert "Mới có 0/29 đơn vị nộp báo cáo." in modal


def test_archiving_lists_the_reports_not_accepted_with_their_agency_and_state(world, reviewer_client):
    submitted = submit(world.report_a, world.head_a)
    accepted = submit(world.report_b, world.head_b)
    report_accept(report=accepted, actor=world.reviewer)
    reporting_year_close(reporting_year=world.year, actor=world.reviewer)

    page = reviewer_client.get(reverse("review:years")).content.decode()

    modal = _modal(page, f"archive-{world.year.pk}")
    assert "Còn 28 báo cáo chưa được chấp nhận" in modal
    link = reverse("review:report", kwargs={"pk": submitted.pk})
    assert f'<a href="{link}">Sở Công Thương</a> – Đã nộp' in modal
    assert "Sở Tài chính" not in modal  # accepted: nothing pending
    not_started = (
        Report.objects.filter(reporting_year=world.year, state=Report.State.NOT_STARTED)
        .select_related("agency")
        .first()
    )
    assert f"{not_started.agency.name}</a> – Chưa bắt đầu" in modal


def test_archiving_a_year_whose_reports_are_all_accepted_says_so(world, reviewer_client):
    reporting_year_close(reporting_year=world.year, actor=world.reviewer)
    Report.objects.filter(reporting_year=world.year).update(state=Report.State.ACCEPTED)

    page = reviewer_client.get(reverse("review:years")).content.decode()

    modal = _modal(page, f"archive-{world.year.pk}")
    assert "data-pending-reports" not in modal
    assert "Tất cả báo cáo của năm đã được chấp nhận." in modal
