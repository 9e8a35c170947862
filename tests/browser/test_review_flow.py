"""Reviewers in the browser: returning a report with a reason, the agency correcting it, the diff, acceptance."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assignments.models import Agency, Membership
from reports.models import Report, ReviewComment
from review.models import Reminder
from tests.conftest import make_user
from tests.review.conftest import revise, submit


def as_user(browser, browser_context_args, login, username):
    """A second person at another desk: their own browser context, logged in through the form."""
    page = browser.new_context(**browser_context_args).new_page()
    login(page, username)
    return page


def task_card(page, code):
    return page.locator(f'[id="task-{code}"]')


@pytest.mark.django_db(transaction=True)
def test_reviewer_returns_a_report_with_a_reason_then_compares_the_resubmission_and_accepts_it(
    page, live_server, world, login
):
    submit(world.report_a, world.head_a, results="Thu hút 2 dự án công nghiệp xanh.")
    login(page, "reviewer")

    page.goto(f"{live_server.url}/review/{world.year.year}/")
    expect(page.get_by_role("heading", name=f"Bảng theo dõi báo cáo năm {world.year.year}")).to_be_visible()
    row = page.locator('tr[data-report="SCT"]')
    row.get_by_role("link", name="Thẩm định").click()

    expect(page.get_by_role("heading", name=re.compile("Sở Công Thương – báo cáo năm"))).to_be_visible()
    expect(task_card(page, "3.1")).to_contain_text("Thu hút 2 dự án công nghiệp xanh.")
    # A return needs a reason: the page says so next to the field and keeps the comment typed.
    task_card(page, "3.1").get_by_label("Nhận xét về nhiệm vụ này").fill("Đề nghị nêu rõ tên các dự án.")
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(page.locator("#reason-error")).to_have_text(
        "Nhập lý do trả lại báo cáo; đơn vị sẽ thấy lý do này."
    )
    expect(task_card(page, "3.1").get_by_label("Nhận xét về nhiệm vụ này")).to_have_value(
        "Đề nghị nêu rõ tên các dự án."
    )

    page.get_by_label("Lý do trả lại").fill("Số liệu nhiệm vụ 3.1 chưa cụ thể.")
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(
        page.get_by_role("alert").filter(has_text="Đã trả lại báo cáo của Sở Công Thương kèm lý do.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Trả lại đơn vị")).to_have_count(0)
    assert Report.objects.get(pk=world.report_a.pk).state == Report.State.RETURNED
    assert (
        ReviewComment.objects.get(report=world.report_a, task__code="3.1").body
        == "Đề nghị nêu rõ tên các dự án."
    )

    # The agency corrects and submits again.
    revise(world.report_a, world.staff_a, code="3.1", results="Thu hút 5 dự án công nghiệp xanh.")
    submit(world.report_a, world.head_a)

    page.reload()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Những thay đổi của lần nộp thứ 2 so với lần nộp thứ 1")
    expect(changes.locator("del")).to_have_text("2")
    expect(changes.locator("ins")).to_have_text("5")
    expect(task_card(page, "3.1")).to_contain_text("Có thay đổi so với lần nộp trước")
    expect(task_card(page, "3.1")).to_contain_text(
        "Đề nghị nêu rõ tên các dự án."
    )  # the earlier comment stays

    task_card(page, "3.1").locator('label[for$="-rating_1"]').click()  # first rating: completed
    page.get_by_role("button", name="Chấp nhận báo cáo").click()
    dialog = page.get_by_role("dialog", name="Chấp nhận báo cáo này?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Chấp nhận và khóa báo cáo").click()

    expect(
        page.get_by_role("alert").filter(has_text="Đã chấp nhận báo cáo của Sở Công Thương")
    ).to_be_visible()
    expect(page.get_by_text("Báo cáo đã được khóa.")).to_be_visible()
    expect(page.locator("button[name=decision]")).to_have_count(0)
    report = Report.objects.get(pk=world.report_a.pk)
    assert report.state == Report.State.ACCEPTED
    assert report.task_reports.get(task__code="3.1").review_rating == "done"


@pytest.mark.django_db(transaction=True)
def test_reviewer_accepts_ticked_reports_and_reminds_the_others_from_the_board(
    page, live_server, world, login, django_user_model
):
    submit(world.report_a, world.head_a)
    submit(world.report_b, world.head_b)
    mail.outbox.clear()
    login(page, "reviewer")
    page.goto(f"{live_server.url}/review/{world.year.year}/")

    accept = page.get_by_role("button", name=re.compile("Chấp nhận các báo cáo đã chọn"))
    expect(accept).to_be_disabled()
    page.get_by_label("Chọn tất cả báo cáo chờ thẩm định").check()
    expect(accept).to_contain_text("(2)")
    accept.click()
    page.get_by_role("dialog").get_by_role("button", name="Chấp nhận các báo cáo này").click()
    expect(page.get_by_role("alert").filter(has_text="Đã chấp nhận 2 báo cáo.")).to_be_visible()
    assert set(
        Report.objects.filter(state=Report.State.ACCEPTED).values_list("agency__short_name", flat=True)
    ) == {"SCT", "STC"}

    # Of the agencies that have not submitted, only those with an account in the portal can be reminded.
    hvg = Agency.objects.get(short_name="HVG")
    Membership.objects.create(user=make_user(django_user_model, "hvg_staff"), agency=hvg)
    page.get_by_role("button", name="Nhắc tất cả đơn vị chưa nộp").click()
    page.get_by_role("dialog").get_by_role("button", name="Gửi nhắc nhở").click()
    expect(
        page.get_by_role("alert").filter(has_text="Đã nhắc 1 đơn vị chưa nộp báo cáo (1 thư điện tử).")
    ).to_be_visible()
    row = page.locator('tr[data-report="HVG"]')
    expect(row).to_contain_text("(chuyên viên gửi)")
    expect(row.get_by_role("button", name=re.compile("Nhắc"))).to_be_disabled()
    reminders = [m for m in mail.outbox if m.subject.startswith("Nhắc nộp báo cáo")]
    assert [m.to for m in reminders] == [["hvg_staff@example.org"]]
    assert "Kính gửi: Ủy ban nhân dân huyện Văn Giang" in reminders[0].body
    assert Reminder.objects.get().report.agency == hvg


@pytest.mark.django_db(transaction=True)
def test_return_with_a_reason_correction_by_the_agency_resubmission_diff_and_acceptance(
    page, browser, browser_context_args, live_server, world, login
):
    """The whole round: reviewer returns, the agency's staff reads the reason and corrects, the head submits
    again, the reviewer sees what changed and accepts; the report is frozen."""
    report = submit(world.report_a, world.head_a, results="Thu hút 2 dự án công nghiệp xanh.")

    # The reviewer returns the report with a reason and a comment on task 3.1.
    login(page, "reviewer")
    page.goto(f"{live_server.url}/review/{world.year.year}/")
    page.locator('tr[data-report="SCT"]').get_by_role("link", name="Thẩm định").click()
    task_card(page, "3.1").get_by_label("Nhận xét về nhiệm vụ này").fill(
        "Đề nghị nêu rõ tên các dự án đã thu hút."
    )
    page.get_by_label("Lý do trả lại").fill("Nhiệm vụ 3.1 chưa có số liệu cụ thể.")
    page.get_by_role("button", name="Trả lại đơn vị").click()
    expect(page.get_by_role("alert").filter(has_text="Đã trả lại báo cáo của Sở Công Thương")).to_be_visible()

    # The agency's staff opens the report, reads the reason and the comment beside the task, and corrects it.
    staff = as_user(browser, browser_context_args, login, "staff_a")
    staff.goto(f"{live_server.url}/reports/{report.pk}/")
    staff.get_by_role("link", name="Soạn báo cáo").click()
    expect(staff.get_by_text("Nhiệm vụ 3.1 chưa có số liệu cụ thể.")).to_be_visible()
    task_31 = staff.locator("#task-3-1")
    expect(task_31.locator(".review-task-comment")).to_contain_text(
        "Đề nghị nêu rõ tên các dự án đã thu hút."
    )
    task_31.get_by_label("Kết quả đạt được").fill(
        "Thu hút 5 dự án công nghiệp xanh: điện mặt trời mái nhà tại KCN Phố Nối A và KCN Thăng Long II."
    )
    staff.get_by_role("button", name="Lưu nháp").click()
    expect(staff.get_by_text("Đã lưu nháp lúc")).to_be_visible()

    # The head submits again.
    head = as_user(browser, browser_context_args, login, "head_a")
    head.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    head.get_by_role("button", name="Nộp báo cáo…").click()
    head.get_by_role("dialog").get_by_role("button", name="Xác nhận nộp").click()
    expect(head.get_by_text("Đã nộp báo cáo năm")).to_be_visible()

    # The reviewer sees what changed since the first submission and accepts.
    page.reload()
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Những thay đổi của lần nộp thứ 2 so với lần nộp thứ 1")
    expect(changes.locator("del").first).to_contain_text("2")
    expect(changes.locator("ins").first).to_contain_text("5")
    expect(changes).to_contain_text("KCN Phố Nối A")
    task_card(page, "3.1").get_by_text("Hoàn thành", exact=True).click()
    page.get_by_role("button", name="Chấp nhận báo cáo").click()
    page.get_by_role("dialog", name="Chấp nhận báo cáo này?").get_by_role(
        "button", name="Chấp nhận và khóa báo cáo"
    ).click()
    expect(page.get_by_text("Báo cáo đã được khóa.")).to_be_visible()
    expect(page.locator(".state-badge")).to_have_text("Đã chấp nhận")

    # Frozen: the agency's editing page now only shows the report, read-only.
    staff.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    expect(staff).to_have_url(f"{live_server.url}/reports/{report.pk}/")
    expect(staff.get_by_text("Báo cáo đã được chấp nhận, không thể sửa nữa.")).to_be_visible()
    expect(staff.get_by_role("textbox")).to_have_count(0)
    report.refresh_from_db()
    assert report.state == Report.State.ACCEPTED
    assert report.versions.count() == 2
    assert report.task_reports.get(task__code="3.1").review_rating == "done"
