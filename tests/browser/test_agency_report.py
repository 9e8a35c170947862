"""An agency writes, saves and submits its yearly report in Debian's Chromium."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.drafting import DraftInput, report_draft_save
from reports.models import Evidence, IndicatorValue, Report, TaskReport

PDF = Path(__file__).resolve().parent.parent / "fixtures_files" / "bien-ban-hoi-nghi.pdf"


def other_tasks_drafted_earlier(world):
    """Group 9's four tasks were written on an earlier day; today the staff member does group 3's two."""
    report = world.report_a
    answers = {
        tr.pk: {"status": TaskReport.Status.RECURRING, "results": f"Đã triển khai nhiệm vụ {tr.task.code} trong năm."}
        for tr in report.task_reports.select_related("task").filter(task__group__number=9)
    }
    report_draft_save(report=report, actor=world.staff_a, expected_version=report.version, draft=DraftInput(answers=answers))


def as_user(browser, browser_context_args, login, username):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    login(page, username)
    return page


@pytest.mark.django_db(transaction=True)
def test_staff_fill_and_save_then_the_head_submits_on_time(
    page, browser, browser_context_args, live_server, world, login
):
    other_tasks_drafted_earlier(world)
    report = world.report_a

    # The staff member opens the report from the agency's home page.
    login(page, "staff_a")
    page.locator(f"a[href='/reports/{report.pk}/edit/']").first.click()
    expect(page.get_by_role("heading", name="Nhiệm vụ 3.1")).to_be_visible()

    task_31 = page.locator("#task-3-1")
    task_31.get_by_label("Đã hoàn thành").check()
    task_31.get_by_label("Kết quả đạt được").fill("Thu hút 2 dự án điện mặt trời mái nhà tại KCN Phố Nối A.")
    task_31.get_by_label("Số dự án công nghiệp xanh thu hút được", exact=True).fill("2")
    task_31.get_by_label("Đính kèm tệp minh chứng").set_input_files(str(PDF))

    task_32 = page.locator("#task-3-2")
    task_32.get_by_label("Thường xuyên, đúng tiến độ").check()
    task_32.get_by_label("Kết quả đạt được").fill("Rà soát, tái cơ cấu 5 cơ sở sản xuất theo hướng tiết kiệm năng lượng.")

    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp lúc")).to_be_visible()
    expect(page.get_by_role("link", name="bien-ban-hoi-nghi.pdf")).to_be_visible()
    expect(page.locator("#task-3-1").get_by_label("Số dự án công nghiệp xanh thu hút được", exact=True)).to_have_value("2")
    answer = report.task_reports.get(task__code="3.1")
    assert answer.status == "completed"
    assert IndicatorValue.objects.get(task_report=answer, indicator__name="Số dự án công nghiệp xanh thu hút được").value == 2
    assert Evidence.objects.get(task_report=answer).original_name == "bien-ban-hoi-nghi.pdf"
    # Staff do not submit.
    expect(page.get_by_role("button", name="Nộp báo cáo…")).to_have_count(0)

    # The head of the agency opens the same report and submits it.
    head = as_user(browser, browser_context_args, login, "head_a")
    head.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    head.get_by_role("button", name="Nộp báo cáo…").click()
    dialog = head.get_by_role("dialog")
    expect(dialog).to_contain_text("Phó Giám đốc")
    dialog.get_by_role("button", name="Xác nhận nộp").click()

    expect(head.get_by_text("Đã nộp báo cáo năm")).to_be_visible()
    expect(head.locator(".state-badge")).to_have_text("Đã nộp")
    expect(head.get_by_text("đúng hạn").first).to_be_visible()
    expect(head.get_by_text("Đã nộp: đơn vị chỉ xem được báo cáo")).to_be_visible()
    expect(head.get_by_role("link", name="Soạn thảo")).to_have_count(0)
    expect(head.get_by_role("textbox")).to_have_count(0)
    report.refresh_from_db()
    assert report.state == Report.State.SUBMITTED and report.days_late == 0
    assert report.signatory_name == world.head_a.get_full_name()

    # The form is closed to the agency from now on.
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    expect(page).to_have_url(f"{live_server.url}/reports/{report.pk}/")
    expect(page.get_by_text("Báo cáo đã nộp, chỉ xem được")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_later_of_two_colleagues_is_told_what_the_other_changed(
    page, browser, browser_context_args, live_server, world, login
):
    url = f"{live_server.url}/reports/{world.report_a.pk}/edit/"
    login(page, "staff_a")
    page.goto(url)
    head = as_user(browser, browser_context_args, login, "head_a")
    head.goto(url)

    page.locator("#task-9-1").get_by_label("Kết quả đạt được").fill("Ban hành kế hoạch triển khai số 15/KH-SCT.")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text("Đã lưu nháp lúc")).to_be_visible()

    head.locator("#task-9-2").get_by_label("Kết quả đạt được").fill("Tổ chức 3 hội nghị tuyên truyền.")
    head.get_by_role("button", name="Lưu nháp").click()
    alert = head.locator("#stale")
    expect(alert).to_contain_text("chưa được lưu")
    expect(alert).to_contain_text(world.staff_a.get_full_name())
    expect(alert).to_contain_text("Ban hành kế hoạch triển khai số 15/KH-SCT.")
    expect(head.locator("#task-9-2").get_by_label("Kết quả đạt được")).to_have_value("Tổ chức 3 hội nghị tuyên truyền.")
    expect(head.locator("#task-9-1").get_by_label("Kết quả đạt được")).to_have_value("Ban hành kế hoạch triển khai số 15/KH-SCT.")

    head.get_by_role("button", name="Lưu nháp").click()
    expect(head.get_by_text("Đã lưu nháp lúc")).to_be_visible()
    results = dict(world.report_a.task_reports.values_list("task__code", "results"))
    assert results["9.1"] == "Ban hành kế hoạch triển khai số 15/KH-SCT."
    assert results["9.2"] == "Tổ chức 3 hội nghị tuyên truyền."
