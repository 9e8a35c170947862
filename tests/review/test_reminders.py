"""Reminders: the daily command, the reviewer's button, and the rule of one reminder per agency and day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from assignments.models import ReportingYear
from audit.models import Action, AuditEntry
from notifications.models import Notification
from reports.models import Report
from reports.years import reporting_year_archive, reporting_year_close, reporting_year_create
from review.models import Reminder
from review.reminders import ReminderRefused, reminder_send
from tests.review.conftest import submit

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2026, 12, 2)


@pytest.fixture
def fixed_year(world):
    """The world's year with a fixed deadline, so that the dates below never depend on today's date."""
    ReportingYear.objects.filter(pk=world.year.pk).update(deadline=DEADLINE)
    world.year.refresh_from_db()
    return world.year


def run(day: datetime.date | None, capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("send_reminders", *(["--date", day.isoformat()] if day else []), stdout=out)
    return out.getvalue()


def addresses() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_send_reminders_twice_on_a_reminder_day_sends_each_email_once_only_to_agencies_that_have_not_submitted(
    world, fixed_year, django_capture_on_commit_callbacks
):
    submit(world.report_b, world.head_b)
    mail.outbox.clear()
    seven_days_before = DEADLINE - datetime.timedelta(days=7)

    first = run(seven_days_before, django_capture_on_commit_callbacks)
    second = run(seven_days_before, django_capture_on_commit_callbacks)

    assert addresses() == ["head_a@example.org", "staff_a@example.org"]
    assert (
        Reminder.objects.filter(report=world.report_a, day=seven_days_before, kind="automatic").count() == 1
    )
    assert not Reminder.objects.filter(report=world.report_b).exists()
    assert "Năm 2026 (hạn nộp 02/12/2026, còn 7 ngày): đã nhắc 1 đơn vị, 2 thư điện tử." in first
    assert "đã nhắc 0 đơn vị, 0 thư điện tử" in second
    assert "bỏ qua SCT: Sở Công Thương đã được nhắc ngày 25/11/2026 (tự động)" in second


def test_reminders_go_on_the_configured_days_before_the_deadline_and_every_day_once_overdue(
    world, fixed_year, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [10, 2]
    reminded_on = []
    for offset in range(-12, 4):  # from 12 days before the deadline to 3 days after it
        day = DEADLINE + datetime.timedelta(days=offset)
        mail.outbox.clear()
        run(day, django_capture_on_commit_callbacks)
        if mail.outbox:
            reminded_on.append(offset)

    assert reminded_on == [-10, -2, 1, 2, 3]


def test_a_reminder_is_in_vietnamese_with_the_deadline_and_a_link_to_the_report(
    world, fixed_year, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://baocao.hungyen.gov.vn"
    run(DEADLINE - datetime.timedelta(days=3), django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    assert "02/12/2026" in message.subject
    assert "Nhắc" in message.subject
    assert "Kính gửi: Sở Công Thương" in message.body or "Kính gửi: Sở Tài chính" in message.body
    assert "còn 3 ngày" in message.body
    assert "https://baocao.hungyen.gov.vn/reports/" in message.body
    # Each address gets its own message: agencies do not see each other's addresses.
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_an_overdue_reminder_says_how_many_days_late(world, fixed_year, django_capture_on_commit_callbacks):
    run(DEADLINE + datetime.timedelta(days=4), django_capture_on_commit_callbacks)

    assert "quá hạn 4 ngày" in mail.outbox[0].body


def test_closed_years_are_not_reminded(world, fixed_year, django_capture_on_commit_callbacks):
    ReportingYear.objects.filter(pk=fixed_year.pk).update(state=ReportingYear.State.CLOSED)

    output = run(DEADLINE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert "Không có năm báo cáo nào đang mở" in output


def test_a_reminder_is_recorded_before_sending_so_a_failed_send_is_not_repeated(
    world, fixed_year, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.review.failing_mail.Backend"
    day = DEADLINE - datetime.timedelta(days=1)

    run(day, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(day, django_capture_on_commit_callbacks)

    reminder = Reminder.objects.get(report=world.report_a, day=day)
    assert "refused" in reminder.error
    assert reminder.emailed_at is None
    assert mail.outbox == []


def test_reminders_leave_a_notice_in_the_portal_and_an_audit_entry(
    world, fixed_year, django_capture_on_commit_callbacks
):
    run(DEADLINE - datetime.timedelta(days=14), django_capture_on_commit_callbacks)

    assert Notification.objects.filter(
        recipient=world.staff_a, url__contains=f"/reports/{world.report_a.pk}/"
    ).exists()
    entry = AuditEntry.objects.get(report=world.report_a, action=Action.REMINDER_SENT)
    assert entry.actor is None
    assert "staff_a@example.org" in entry.message
    assert Reminder.objects.get(report=world.report_a).emailed_at is not None


def test_a_date_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "25/11/2026")


def test_reviewer_reminds_one_agency_from_the_board_and_the_board_shows_it(
    world, reviewer_client, django_capture_on_commit_callbacks
):
    board = reverse("review:board", kwargs={"year": world.year.year})
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            reverse("review:remind", kwargs={"pk": world.report_a.pk}), {"next": board}
        )

    assert response.status_code == 302 and response["Location"] == board
    assert addresses() == ["head_a@example.org", "staff_a@example.org"]
    reminder = Reminder.objects.get(report=world.report_a)
    assert (reminder.kind, reminder.created_by) == (Reminder.Kind.MANUAL, world.reviewer)
    listed = {r.agency.short_name: r for r in reviewer_client.get(board).context["reports"]}
    assert listed["SCT"].last_reminder_day == reminder.day == timezone.localdate()
    assert listed["SCT"].last_reminder_kind == "manual"


def test_an_agency_is_not_reminded_twice_the_same_day_even_by_hand(
    world, fixed_year, django_capture_on_commit_callbacks
):
    day = DEADLINE - datetime.timedelta(days=30)
    run(day, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with pytest.raises(ReminderRefused, match="một lời nhắc"):
        reminder_send(report=world.report_a, kind=Reminder.Kind.MANUAL, actor=world.reviewer, day=day)
    assert mail.outbox == []


def test_an_agency_that_has_submitted_is_not_reminded(world):
    submit(world.report_a, world.head_a)

    with pytest.raises(ReminderRefused):
        reminder_send(report=world.report_a, kind=Reminder.Kind.MANUAL, actor=world.reviewer)
    assert not Reminder.objects.exists()


def test_remind_all_reminds_every_agency_that_has_not_submitted_in_one_click(
    world, reviewer_client, django_capture_on_commit_callbacks
):
    submit(world.report_b, world.head_b)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(reverse("review:remind_all", kwargs={"year": world.year.year}))
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(reverse("review:remind_all", kwargs={"year": world.year.year}))

    assert addresses() == ["head_a@example.org", "staff_a@example.org"]
    assert list(Reminder.objects.values_list("report__agency__short_name", "kind")) == [("SCT", "manual")]


def test_a_reminder_sent_by_hand_links_to_the_address_the_reviewer_uses(
    world, reviewer_client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "baocao.hungyen.gov.vn"]

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            reverse("review:remind", kwargs={"pk": world.report_a.pk}),
            HTTP_HOST="baocao.hungyen.gov.vn",
            secure=True,
        )

    body = mail.outbox[0].body
    assert f"https://baocao.hungyen.gov.vn/reports/{world.report_a.pk}/" in body
    assert "127.0.0.1" not in body


def test_reminding_every_agency_from_the_board_links_to_the_reviewers_address_too(
    world, reviewer_client, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "baocao.hungyen.gov.vn"]

    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(
            reverse("review:remind_all", kwargs={"year": world.year.year}), HTTP_HOST="baocao.hungyen.gov.vn"
        )

    assert mail.outbox
    assert all("http://baocao.hungyen.gov.vn/reports/" in m.body for m in mail.outbox)


def test_a_reminder_reads_as_a_polite_official_letter_naming_the_year_the_deadline_and_the_days(
    world, fixed_year, django_capture_on_commit_callbacks
):
    three_days_before, five_days_late = DEADLINE - datetime.timedelta(3), DEADLINE + datetime.timedelta(5)
    for report, day in [(world.report_a, three_days_before), (world.report_b, five_days_late)]:
        reminder_send(report=report, kind=Reminder.Kind.MANUAL, actor=world.reviewer, day=day)

    before, after = (
        Notification.objects.filter(recipient=world.staff_a).get(),
        Notification.objects.filter(recipient=world.staff_b).get(),
    )
    assert before.title == "Nhắc nộp báo cáo năm 2026 thực hiện Chỉ thị 44/CT-TTg, hạn nộp 02/12/2026"
    assert "trân trọng nhắc quý cơ quan về báo cáo năm 2026" in before.body
    assert "Hạn nộp báo cáo là ngày 02/12/2026, còn 3 ngày." in before.body
    assert "Đề nghị quý cơ quan hoàn thiện và nộp báo cáo trên Cổng trong hạn." in before.body
    assert "Hạn nộp báo cáo là ngày 02/12/2026; báo cáo đã quá hạn 5 ngày." in after.body
    assert "nộp báo cáo trên Cổng sớm nhất có thể." in after.body
    assert "Trân trọng cảm ơn sự phối hợp của quý cơ quan." in after.body


def test_send_reminders_says_why_it_left_each_other_year_alone(
    world, fixed_year, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    closed = reporting_year_create(directive=world.letter, year=2025, actor=world.admin)
    reporting_year_close(reporting_year=closed, actor=world.admin)
    archived = reporting_year_create(directive=world.letter, year=2024, actor=world.admin)
    reporting_year_close(reporting_year=archived, actor=world.admin)
    reporting_year_archive(reporting_year=archived, actor=world.admin)

    output = run(DEADLINE - datetime.timedelta(days=20), django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert "Năm 2024: bỏ qua, năm báo cáo đã lưu trữ." in output
    assert "Năm 2025: bỏ qua, năm báo cáo đã khóa sổ (các đơn vị không nộp được nữa)." in output
    assert (
        "Năm 2026 (hạn nộp 02/12/2026, còn 20 ngày): bỏ qua, hôm nay không phải ngày nhắc; "
        "lần nhắc tiếp theo vào ngày 25/11/2026." in output
    )
    between = run(DEADLINE - datetime.timedelta(days=2), django_capture_on_commit_callbacks)
    assert "lần nhắc tiếp theo vào ngày 01/12/2026." in between
    on_the_day = run(DEADLINE, django_capture_on_commit_callbacks)
    assert "lần nhắc tiếp theo vào ngày 03/12/2026." in on_the_day


def test_send_reminders_says_so_when_every_agency_has_submitted(
    world, fixed_year, django_capture_on_commit_callbacks
):
    Report.objects.filter(reporting_year=fixed_year).update(state=Report.State.ACCEPTED)

    output = run(DEADLINE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)

    assert (
        "Năm 2026 (hạn nộp 02/12/2026, quá hạn 1 ngày): tất cả đơn vị đã nộp báo cáo, không cần nhắc." in output
    )


@pytest.mark.django_db(transaction=True)
def test_send_reminders_ends_with_an_error_status_only_when_e_mails_could_not_be_sent(
    world, fixed_year, settings
):
    day = DEADLINE - datetime.timedelta(days=1)
    Report.objects.filter(reporting_year=fixed_year).exclude(pk=world.report_a.pk).update(
        state=Report.State.ACCEPTED
    )
    settings.EMAIL_BACKEND = "tests.review.failing_mail.Backend"
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 lời nhắc không gửi được thư điện tử"):
        call_command("send_reminders", "--date", day.isoformat(), stdout=out, stderr=err)

    assert "không gửi được thư cho SCT:" in err.getvalue()
    # Nothing to do, or everyone already reminded, is not an error.
    call_command("send_reminders", "--date", day.isoformat(), stdout=StringIO())
    call_command("send_reminders", "--date", (day - datetime.timedelta(days=10)).isoformat(), stdout=StringIO())


def test_the_agencys_official_mailbox_is_reminded_too(world, django_capture_on_commit_callbacks):
    world.report_a.agency.__class__.objects.filter(pk=world.report_a.agency_id).update(email="SCT@HungYen.gov.vn ")
    world.report_a.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        reminder = reminder_send(report=world.report_a, kind=Reminder.Kind.MANUAL, actor=world.reviewer)

    assert addresses() == ["head_a@example.org", "sct@hungyen.gov.vn", "staff_a@example.org"]
    assert reminder.recipients == addresses() and reminder.notified_users == 2


def test_an_agency_without_accounts_is_reminded_at_its_official_mailbox(world, django_capture_on_commit_callbacks):
    report = Report.objects.exclude(agency__memberships__isnull=False).filter(reporting_year=world.year).first()
    report.agency.__class__.objects.filter(pk=report.agency_id).update(email="vanthu@example.gov.vn")
    report.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        reminder = reminder_send(report=report, kind=Reminder.Kind.MANUAL, actor=world.reviewer)

    assert addresses() == ["vanthu@example.gov.vn"]
    assert reminder.notified_users == 0 and "vanthu@example.gov.vn" in mail.outbox[0].to


def test_an_agency_with_no_account_and_no_mailbox_cannot_be_reminded_and_the_reviewer_is_told_why(world):
    report = Report.objects.exclude(agency__memberships__isnull=False).filter(reporting_year=world.year).first()

    with pytest.raises(ReminderRefused, match="Quản trị hệ thống có thể bổ sung"):
        reminder_send(report=report, kind=Reminder.Kind.MANUAL, actor=world.reviewer)
    assert not Reminder.objects.exists()
