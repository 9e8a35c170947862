"""An agency fills its report offline in Excel and brings it back, in Debian's Chromium."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.models import Report, TaskReport


@pytest.mark.django_db(transaction=True)
def test_staff_download_the_workbook_fill_it_upload_it_see_the_changes_and_confirm(page, live_server, world, login, tmp_path):
    report = world.report_a
    login(page, "staff_a")
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp Excel để điền").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"

    # Offline: a formula first, which the portal refuses with its cell.
    book = load_workbook(path)
    tasks = book["Nhiệm vụ"]
    code = tasks["A2"].value
    tasks["C2"] = "Đã hoàn thành"
    tasks["D2"] = "Đã ban hành kế hoạch và tổ chức 2 hội nghị."
    book["Chỉ tiêu"]["E2"] = "=2*3"
    book.save(path)
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên tệp đã điền").click()
    problems = page.locator("#workbook-problems")
    expect(problems).to_contain_text("Chỉ tiêu")
    expect(problems).to_contain_text("E2")
    assert Report.objects.get(pk=report.pk).state == Report.State.NOT_STARTED

    # The value typed instead, the Vietnamese way: the preview shows the task's changes, nothing saved yet.
    book["Chỉ tiêu"]["E2"] = "1.234,5"
    book.save(path)
    page.get_by_role("link", name="Quay lại trang soạn báo cáo").click()
    page.get_by_label("Tệp Excel đã điền (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên tệp đã điền").click()
    card = page.locator(".workbook-task").first
    expect(card).to_contain_text(f"Nhiệm vụ {code}")
    expect(card).to_contain_text("Đã ban hành kế hoạch và tổ chức 2 hội nghị.")
    expect(card).to_contain_text("1.234,5")
    assert TaskReport.objects.get(report=report, task__code=code).results == ""

    page.get_by_role("button", name="Xác nhận: lưu các nội dung này vào bản nháp").click()
    expect(page.get_by_text("Nội dung trong tệp Excel đã được lưu vào bản nháp.")).to_be_visible()
    answer = TaskReport.objects.get(report=report, task__code=code)
    assert (answer.status, answer.results) == ("completed", "Đã ban hành kế hoạch và tổ chức 2 hội nghị.")
    assert Report.objects.get(pk=report.pk).state == Report.State.DRAFT
