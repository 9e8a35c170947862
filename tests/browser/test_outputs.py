"""Official outputs in the browser: the reviewer writes the consolidated text, prepares the PDF and downloads."""

import pytest
from playwright.sync_api import expect

from tests.outputs.conftest import accept


@pytest.mark.django_db(transaction=True)
def test_reviewer_writes_the_consolidated_report_prepares_the_pdf_and_downloads_both_files(
    page, live_server, world, login, worker_process
):
    accept(world.report_a, world.reviewer, results="Đã thu hút 3 dự án năng lượng tái tạo.")
    login(page, "reviewer")
    page.get_by_role("link", name="Báo cáo tổng hợp").first.click()
    page.get_by_role("link", name=f"Báo cáo năm {world.year.year}").click()
    expect(page.get_by_role("heading", name=f"Báo cáo tổng hợp năm {world.year.year}")).to_be_visible()

    page.get_by_label("Đánh giá chung").fill("Các đơn vị đã triển khai nghiêm túc.")
    page.get_by_label("Số văn bản").fill("12a")
    page.get_by_role("button", name="Lưu nội dung").click()
    expect(page.get_by_text("Số văn bản chỉ gồm chữ số")).to_be_visible()
    expect(page.get_by_label("Đánh giá chung")).to_have_value("Các đơn vị đã triển khai nghiêm túc.")
    page.get_by_label("Số văn bản").fill("")
    page.get_by_label("Người ký", exact=True).fill("Phạm Văn Khánh")
    page.get_by_role("button", name="Lưu nội dung").click()
    expect(page.get_by_text("Đã lưu nội dung báo cáo tổng hợp.")).to_be_visible()

    page.get_by_role("link", name="Tạo bản PDF").click()
    expect(page.get_by_role("progressbar", name="Tiến độ chuẩn bị bản PDF")).to_be_visible()
    ready = page.locator("#pdf-job").get_by_role("link", name="Tải bản PDF")
    expect(ready).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Bản PDF đã sẵn sàng.")).to_be_visible()
    with page.expect_download() as pdf:
        ready.click()
    assert pdf.value.suggested_filename == f"bao-cao-tong-hop-{world.year.year}.pdf"
    with open(pdf.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Tải tệp Excel").click()
    assert xlsx.value.suggested_filename == f"bao-cao-tong-hop-{world.year.year}.xlsx"


@pytest.mark.django_db(transaction=True)
def test_a_leader_reads_the_consolidated_report_on_a_phone(page, live_server, world, login):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "leader")
    page.goto(f"{live_server.url}/outputs/{world.year.year}/")
    expect(page.get_by_role("heading", name="Nội dung do cơ quan tổng hợp soạn")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu nội dung")).to_have_count(0)
    expect(page.get_by_role("link", name="Tải tệp Excel")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.django_db(transaction=True)
def test_agency_staff_download_their_submitted_report_as_pdf_from_the_report_page(
    page, live_server, world, login
):
    from django.urls import reverse

    from tests.outputs.conftest import submit

    report = submit(world.report_a, results="Đã ban hành kế hoạch thực hiện.")
    login(page, "staff_a")
    page.goto(f"{live_server.url}{reverse('reports:detail', kwargs={'pk': report.pk})}")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Tải báo cáo (PDF)").click()
    assert pdf.value.suggested_filename == f"bao-cao-sct-{world.year.year}.pdf"
    with open(pdf.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    # Another agency's user who guesses the address gets "not found".
    page.context.clear_cookies()
    login(page, "staff_b")
    response = page.request.get(f"{live_server.url}{reverse('outputs:agency_pdf', kwargs={'pk': report.pk})}")
    assert response.status == 404


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_downloads_the_agency_pdf_from_the_review_page(page, live_server, world, login):
    from django.urls import reverse

    from tests.outputs.conftest import submit

    report = submit(world.report_b)
    login(page, "reviewer")
    page.goto(f"{live_server.url}{reverse('review:report', kwargs={'pk': report.pk})}")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Tải báo cáo (PDF)").click()
    assert pdf.value.suggested_filename == f"bao-cao-stc-{world.year.year}.pdf"


@pytest.mark.django_db(transaction=True)
def test_a_stale_save_of_the_consolidated_text_keeps_both_reviewers_changes(page, live_server, world, login):
    from django.contrib.auth import get_user_model

    from assignments.roles import REVIEWERS, ensure_role_groups
    from outputs.models import ConsolidatedReport
    from outputs.services import consolidated_report_save

    other = get_user_model().objects.create_user("reviewer2", password="pw", first_name="Đỗ", last_name="Thu")
    other.groups.add(ensure_role_groups()[REVIEWERS])
    values = {
        "assessment": "Đánh giá ban đầu.\nDòng thứ hai.",
        "difficulties": "Khó khăn ban đầu.",
        "recipients": "UBND tỉnh;\nLưu: VT.",
        "signatory_title": "Giám đốc",
    }
    consolidated_report_save(reporting_year=world.year, actor=world.reviewer, expected_version=0, **values)
    login(page, "reviewer")
    page.goto(f"{live_server.url}/outputs/{world.year.year}/")
    page.get_by_label("Đánh giá chung").fill("Đánh giá của tôi.\nDòng thứ hai.")

    # Meanwhile a colleague changes both the assessment and the difficulties.
    consolidated_report_save(
        reporting_year=world.year,
        actor=other,
        expected_version=1,
        **{**values, "assessment": "Đánh giá của chị Thu.", "difficulties": "Khó khăn chị Thu bổ sung."},
    )
    page.get_by_role("button", name="Lưu nội dung").click()
    stale = page.locator("#stale")
    expect(stale).to_contain_text("Cả hai cùng sửa: biểu mẫu giữ nội dung của bạn")
    expect(stale).to_contain_text("Đánh giá của chị Thu.")
    expect(stale).to_contain_text("Đã lấy nội dung của người kia vào biểu mẫu")
    expect(page.get_by_label("Đánh giá chung")).to_have_value("Đánh giá của tôi.\nDòng thứ hai.")
    expect(page.get_by_label("Khó khăn, vướng mắc")).to_have_value("Khó khăn chị Thu bổ sung.")

    page.get_by_role("button", name="Lưu nội dung").click()
    expect(page.get_by_text("Đã lưu nội dung báo cáo tổng hợp.")).to_be_visible()
    stored = ConsolidatedReport.objects.get(reporting_year=world.year)
    assert stored.assessment.replace("\r\n", "\n") == "Đánh giá của tôi.\nDòng thứ hai."
    assert stored.difficulties == "Khó khăn chị Thu bổ sung."
