"""Notices of the reporting cycle: reviewers hear of a submission, the agency of a return or an acceptance."""

import pytest
from django.core import mail

from notifications.models import Notification
from reports.services import report_accept, report_return
from tests.review.conftest import submit

pytestmark = pytest.mark.django_db


def test_a_submission_is_notified_to_the_reviewers_in_the_portal_and_by_email(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(world.report_a, world.head_a)

    notice = Notification.objects.get(recipient=world.reviewer)
    assert world.agency_a.name in notice.title
    assert notice.url == f"/review/reports/{report.pk}/"
    assert not Notification.objects.filter(
        recipient__in=[world.staff_a, world.staff_b, world.leader]
    ).exists()
    assert "reviewer@example.org" in [m.to[0] for m in mail.outbox]
    assert "staff_b@example.org" not in [m.to[0] for m in mail.outbox]


def test_a_return_is_notified_to_the_agency_with_its_reason(world, django_capture_on_commit_callbacks):
    report = submit(world.report_a, world.head_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=world.reviewer, reason="Thiếu văn bản triển khai.")

    assert set(
        Notification.objects.filter(body__contains="Thiếu văn bản").values_list(
            "recipient__username", flat=True
        )
    ) == {
        "staff_a",
        "head_a",
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["head_a@example.org", "staff_a@example.org"]
    assert all("Thiếu văn bản triển khai." in m.body for m in mail.outbox)


def test_an_acceptance_is_notified_to_the_agency(world, django_capture_on_commit_callbacks):
    report = submit(world.report_a, world.head_a)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report_accept(report=report, actor=world.reviewer)

    notices = Notification.objects.filter(url=f"/reports/{report.pk}/")
    assert set(notices.values_list("recipient__username", flat=True)) == {"staff_a", "head_a"}
    assert sorted(m.to[0] for m in mail.outbox) == ["head_a@example.org", "staff_a@example.org"]
    assert not Notification.objects.filter(recipient=world.staff_b).exists()


def test_every_notice_email_is_a_short_letter_naming_the_agency_the_report_the_year_and_the_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(world.report_a, world.head_a)
    to_reviewer = next(m for m in mail.outbox if m.to == ["reviewer@example.org"])
    year = world.year.year
    assert to_reviewer.body.startswith(f"Kính gửi: Bộ phận tổng hợp – {world.year.consolidating_agency.name}")
    assert f"{world.agency_a.name} đã nộp báo cáo năm {year}" in to_reviewer.body
    assert f"/review/reports/{report.pk}/" in to_reviewer.body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=world.reviewer, reason="Thiếu văn bản triển khai.")
    letter = next(m for m in mail.outbox if m.to == ["staff_a@example.org"]).body
    lines = letter.splitlines()
    assert lines[0] == f"Kính gửi: {world.agency_a.name}"
    assert f"báo cáo năm {year} của quý cơ quan" in letter and "đã được trả lại" in letter
    assert "Lý do: Thiếu văn bản triển khai." in letter
    assert f"/reports/{report.pk}/" in letter
    assert "Trân trọng." in letter
    assert world.year.consolidating_agency.name in lines[lines.index("Trân trọng.") + 1]
